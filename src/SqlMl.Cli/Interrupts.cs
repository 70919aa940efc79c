using System.Data.Common;

namespace SqlMl.Cli;

/// <summary>What a Ctrl-C should do.</summary>
internal enum InterruptAction
{
    /// <summary>Nothing was running: the REPL discards its input line; a script run stops before its next statement.</summary>
    Idle,

    /// <summary>The running statement was asked to stop (DbCommand.Cancel).</summary>
    CancelStatement,

    /// <summary>A second Ctrl-C while a cancel is pending: leave with exit code 130.</summary>
    Exit,
}

/// <summary>
/// Ctrl-C handling, kept apart from the console so it can be tested: the first Ctrl-C cancels the running statement
/// (its command's <see cref="DbCommand.Cancel"/>; the catalog stays as it was), a second one before that statement has
/// ended exits. Thread-safe: <see cref="Interrupt"/> is called on the signal thread.
/// </summary>
/// <param name="repeatInterval">How often a pending cancel is sent again until the statement ends (see
/// <see cref="Interrupt"/>); <see cref="Timeout.InfiniteTimeSpan"/> sends it once.</param>
internal sealed class Interrupts(TimeSpan repeatInterval)
{
    /// <summary>Ctrl-C handling that repeats a pending cancel every 100 ms.</summary>
    public Interrupts()
        : this(TimeSpan.FromMilliseconds(100))
    {
    }

    private readonly Lock _lock = new();
    private DbCommand? _running;
    private bool _cancelPending;
    private Timer? _repeat;

    /// <summary>Set once a Ctrl-C has arrived since the last <see cref="Reset"/>; scripts stop at the next statement.</summary>
    public bool Requested { get; private set; }

    public void Begin(DbCommand command)
    {
        lock (_lock)
        {
            _running = command;
            if (Requested) command.Cancel();
        }
    }

    public void End()
    {
        lock (_lock)
        {
            _running = null;
            _cancelPending = false;
            _repeat?.Dispose();
            _repeat = null;
        }
    }

    /// <summary>Forgets an earlier Ctrl-C (the REPL does so before each statement).</summary>
    public void Reset()
    {
        lock (_lock) Requested = false;
    }

    public InterruptAction Interrupt()
    {
        DbCommand? toCancel;
        lock (_lock)
        {
            Requested = true;
            if (_cancelPending) return InterruptAction.Exit;
            if (_running is null) return InterruptAction.Idle;
            _cancelPending = true;
            toCancel = _running;
            // A cancel that lands before the command has started executing (between Begin and the provider's start)
            // finds nothing to stop, as ADO.NET specifies; sent again until the statement ends, it cannot be lost.
            _repeat = new Timer(_ => Repeat(), null, repeatInterval, repeatInterval);
        }
        toCancel.Cancel();
        return InterruptAction.CancelStatement;
    }

    /// <summary>Sends the pending cancel again; under the lock, so nothing is sent once <see cref="End"/> has run.</summary>
    private void Repeat()
    {
        lock (_lock)
            if (_cancelPending) _running?.Cancel();
    }
}
