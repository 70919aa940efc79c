using DuckDB.NET.Data;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Cancellation and timeout of one command execution. Each step (running statements up to the next result set, or
/// to the end) gets a token that fires on <see cref="SqlMlCommand.Cancel"/>, on the caller's token, or when the
/// step runs past CommandTimeout; when it fires, the DuckDB connection is interrupted so a running query stops too,
/// and trainers stop at their next iteration or chunk. A step that ends because of it throws
/// <see cref="OperationCanceledException"/> (cancelled) or a <see cref="SqlMlErrorCode.Timeout"/> error.
/// </summary>
internal sealed class ExecutionControl(DuckDBConnection connection, int timeoutSeconds) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Lock _lock = new();
    private int _running;

    /// <summary>
    /// Cancels the running step and every later one; safe from any thread. Called again while a step runs, it
    /// interrupts DuckDB again: an interrupt that lands just before DuckDB starts a query can be lost, and callers
    /// (the CLI's Ctrl-C) repeat a cancel until the statement ends.
    /// </summary>
    public void Cancel()
    {
        try
        {
            if (!_cancel.IsCancellationRequested)
            {
                _cancel.Cancel();
                return;
            }
            lock (_lock)
                if (_running > 0) Interrupt();
        }
        catch (ObjectDisposedException) { /* the execution already ended */ }
    }

    /// <summary>Whether <see cref="Cancel"/> was called.</summary>
    public bool IsCancellationRequested => _cancel.IsCancellationRequested;

    public T Run<T>(Func<CancellationToken, T> step, CancellationToken callerToken, Func<string> describe)
    {
        using var timeout = timeoutSeconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds)) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _cancel.Token, timeout?.Token ?? CancellationToken.None);
        var token = linked.Token;
        try
        {
            lock (_lock) _running++;
            try
            {
                using (token.Register(Interrupt))
                    return step(token);
            }
            finally
            {
                lock (_lock) _running--;
            }
        }
        catch (Exception e) when (token.IsCancellationRequested)
        {
            if (timeout is { IsCancellationRequested: true } && !callerToken.IsCancellationRequested && !_cancel.IsCancellationRequested)
                throw new SqlMlException(SqlMlErrorCode.Timeout,
                    $"{describe()} did not finish within the command timeout of {timeoutSeconds} s and was stopped. Raise CommandTimeout (or Command Timeout in the connection string), or set it to 0 for no limit.",
                    inner: new TimeoutException(e.Message, e));
            throw new OperationCanceledException($"{describe()} was cancelled.", e, callerToken.IsCancellationRequested ? callerToken : _cancel.Token);
        }
    }

    private void Interrupt()
    {
        try { connection.NativeConnection.Interrupt(); }
        catch (ObjectDisposedException) { /* the connection closed meanwhile */ }
        catch (InvalidOperationException) { /* the connection closed meanwhile */ }
    }

    public void Dispose() => _cancel.Dispose();
}
