using System.Data;
using System.Data.Common;
using SqlMl.Data.Internal.Execution;

namespace SqlMl.Data;

/// <summary>
/// A SQL text of one or more statements. ML statements (CREATE/DROP MODEL, ML.PREDICT …) and plain DuckDB SQL mix
/// freely; each statement that returns rows is one result set of <see cref="ExecuteReader()"/>. Parameters:
/// <see cref="SqlMlParameter"/>. The async methods run the statements on a thread-pool thread and honour their
/// <see cref="CancellationToken"/>; <see cref="Cancel"/> (from any thread) and <see cref="CommandTimeout"/> stop a
/// running statement, training included, and leave the model catalog as it was.
/// </summary>
public sealed class SqlMlCommand : DbCommand
{
    private readonly SqlMlParameterCollection _parameters = new();
    private SqlMlConnection? _connection;
    private SqlMlTransaction? _transaction;
    private ExecutionControl? _running;
    private int _timeout;

    /// <summary>A command with no connection yet.</summary>
    public SqlMlCommand()
    {
    }

    /// <summary>A command with its text and connection.</summary>
    public SqlMlCommand(string commandText, SqlMlConnection? connection = null)
    {
        CommandText = commandText;
        Connection = connection;
        if (connection is not null) _timeout = connection.DefaultTimeout;
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText { get; set; } = "";

    /// <summary>
    /// Seconds each step of an execution may run (the statements up to a result set, or to the end) before it is
    /// stopped with a <see cref="SqlMlErrorCode.Timeout"/> error; 0, the default, is no limit.
    /// </summary>
    public override int CommandTimeout
    {
        get => _timeout;
        set => _timeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "CommandTimeout must be 0 (no limit) or a positive number of seconds.");
    }

    /// <summary>Only <see cref="CommandType.Text"/>.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new NotSupportedException("Only CommandType.Text is supported.");
        }
    }

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The connection the command runs on.</summary>
    public new SqlMlConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    /// <summary>The command's parameters.</summary>
    public new SqlMlParameterCollection Parameters => _parameters;

    /// <summary>The transaction; informational (a connection's open transaction applies to all its commands).</summary>
    public new SqlMlTransaction? Transaction
    {
        get => _transaction;
        set => _transaction = value;
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = (SqlMlConnection?)value;
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => _parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set => _transaction = (SqlMlTransaction?)value;
    }

    /// <summary>Stops the statement this command is running, if any; safe to call from any thread.</summary>
    public override void Cancel() => Volatile.Read(ref _running)?.Cancel();

    /// <summary>Creates a parameter (add it to <see cref="Parameters"/>).</summary>
    public new SqlMlParameter CreateParameter() => new();

    /// <inheritdoc />
    public override int ExecuteNonQuery() => NonQuery(CancellationToken.None);

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        Task.Run(() => NonQuery(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override object? ExecuteScalar() => Scalar(CancellationToken.None);

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        Task.Run(() => Scalar(cancellationToken), cancellationToken);

    /// <summary>Runs the statements up to the first result set and returns a reader over the result sets.</summary>
    public new SqlMlDataReader ExecuteReader() => Reader(CommandBehavior.Default, CancellationToken.None);

    /// <inheritdoc cref="ExecuteReader()" />
    public new SqlMlDataReader ExecuteReader(CommandBehavior behavior) => Reader(behavior, CancellationToken.None);

    /// <inheritdoc cref="ExecuteReader()" />
    public new Task<SqlMlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Reader(CommandBehavior.Default, cancellationToken), cancellationToken);

    /// <inheritdoc cref="ExecuteReader()" />
    public new Task<SqlMlDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken = default) =>
        Task.Run(() => Reader(behavior, cancellationToken), cancellationToken);

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Reader(behavior, CancellationToken.None);

    /// <inheritdoc />
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);

    /// <summary>Nothing to prepare: statements are bound when they run, so a script can use a model it creates.</summary>
    public override void Prepare()
    {
    }

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => CreateParameter();

    private int NonQuery(CancellationToken cancellationToken)
    {
        var (runner, control) = Start();
        try
        {
            runner.RunToEnd(cancellationToken);
            return runner.RecordsAffected;
        }
        finally
        {
            Finish(control);
        }
    }

    private object? Scalar(CancellationToken cancellationToken)
    {
        using var reader = Reader(CommandBehavior.Default, cancellationToken);
        object? value = reader.Read() && reader.FieldCount > 0 ? reader.GetValue(0) : null;
        while (reader.NextResult(cancellationToken)) { }
        return value;
    }

    private SqlMlDataReader Reader(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var (runner, control) = Start();
        try
        {
            return new SqlMlDataReader(runner, cancellationToken, () =>
            {
                Finish(control);
                if (behavior.HasFlag(CommandBehavior.CloseConnection)) _connection?.Close();
            });
        }
        catch
        {
            Finish(control);
            throw;
        }
    }

    private (ScriptRunner Runner, ExecutionControl Control) Start()
    {
        if (_connection is null) throw new InvalidOperationException("The command has no connection.");
        if (_connection.State != ConnectionState.Open) throw new InvalidOperationException("The connection is not open.");
        if (_transaction is not null && _transaction.Connection != _connection)
            throw new InvalidOperationException("The command's transaction has ended or belongs to another connection.");
        var control = new ExecutionControl(_connection.Duck, _timeout);
        if (Interlocked.CompareExchange(ref _running, control, null) is not null)
        {
            control.Dispose();
            throw new InvalidOperationException("The command is already running; close its data reader first, or use another command.");
        }
        return (new ScriptRunner(_connection.Duck, CommandText, _parameters.Snapshot(), control, _connection.ProgressHandler), control);
    }

    private void Finish(ExecutionControl control)
    {
        Interlocked.CompareExchange(ref _running, null, control);
        control.Dispose();
    }
}
