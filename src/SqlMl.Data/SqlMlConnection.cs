using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Data.Internal.Execution;
using SqlMl.Data.Internal.Functions;

namespace SqlMl.Data;

/// <summary>
/// A connection to a DuckDB database with BigQuery ML's SQL on top; every statement, ML or not, runs through
/// <see cref="SqlMlCommand"/>. The connection string is described by <see cref="SqlMlConnectionStringBuilder"/>
/// (<c>Data Source=PATH</c>, <c>:memory:</c> by default).
/// <para>
/// Thread safety: a connection, and the commands and readers on it, are for one thread at a time (except
/// <see cref="SqlMlCommand.Cancel"/>, which may be called from any thread). Use one connection per thread:
/// connections in one process to the same file share one DuckDB database instance, so one connection can train a
/// model while others predict; each statement sees the models and tables committed when it starts. Another process
/// holding the file gives <see cref="SqlMlErrorCode.DatabaseLocked"/>.
/// </para>
/// </summary>
public sealed class SqlMlConnection : DbConnection
{
    private DuckDBConnection? _duck;
    private string _connectionString;
    private SqlMlConnectionStringBuilder _settings;
    private Func<DuckDBConnection>? _duckFactory;

    /// <summary>A connection to a private in-memory database.</summary>
    public SqlMlConnection() : this("Data Source=:memory:")
    {
    }

    /// <summary>A connection for a connection string (see <see cref="SqlMlConnectionStringBuilder"/>); unknown keys throw.</summary>
    public SqlMlConnection(string connectionString)
    {
        _settings = new SqlMlConnectionStringBuilder(connectionString);
        _connectionString = connectionString;
    }

    /// <summary>A connection whose DuckDB connection comes from <paramref name="duckFactory"/> (a data source's shared in-memory database).</summary>
    internal SqlMlConnection(string connectionString, Func<DuckDBConnection> duckFactory) : this(connectionString) => _duckFactory = duckFactory;

    /// <summary>
    /// Raised after each training iteration of a CREATE MODEL run on this connection, on the thread that runs the
    /// statement (so a handler should be quick; it delays training while it runs). An exception thrown by a handler
    /// ends the statement, stores nothing, and reaches the caller as it is.
    /// </summary>
    public event EventHandler<SqlMlTrainingProgressEventArgs>? TrainingProgress;

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (State != ConnectionState.Closed) throw new InvalidOperationException("Cannot change the connection string of an open connection.");
            _settings = new SqlMlConnectionStringBuilder(value);
            _connectionString = value ?? "";
            _duckFactory = null;
        }
    }

    /// <inheritdoc />
    public override int ConnectionTimeout => 0;

    /// <inheritdoc />
    public override string Database => "main";

    /// <summary>The database file (full path) or <c>:memory:</c>.</summary>
    public override string DataSource => _settings.IsInMemory ? _settings.DataSource : Path.GetFullPath(_settings.DataSource);

    /// <inheritdoc />
    public override string ServerVersion => Duck.ServerVersion;

    /// <inheritdoc />
    public override ConnectionState State => _duck?.State ?? ConnectionState.Closed;

    /// <summary>The default CommandTimeout of commands created by this connection (the connection string's Command Timeout).</summary>
    public int DefaultTimeout => _settings.CommandTimeout;

    /// <summary>The transaction begun with <see cref="BeginTransaction()"/> that is still open, if any.</summary>
    internal SqlMlTransaction? Transaction { get; set; }

    /// <summary>The underlying DuckDB connection (open connections only).</summary>
    internal DuckDBConnection Duck => _duck ?? throw new InvalidOperationException("The connection is not open.");

    /// <summary>The handler for training progress, when anyone listens.</summary>
    internal Action<SqlMlTrainingProgressEventArgs>? ProgressHandler =>
        TrainingProgress is null ? null : e => TrainingProgress?.Invoke(this, e);

    /// <inheritdoc />
    public override void Open()
    {
        if (State == ConnectionState.Open) return;
        var duck = _duckFactory?.Invoke() ?? new DuckDBConnection(_settings.ToDuckDbConnectionString());
        try
        {
            duck.Open();
        }
        catch (DuckDBException e)
        {
            duck.Dispose();
            throw OpenError(e);
        }
        try
        {
            Configure(duck);
        }
        catch
        {
            duck.Dispose();
            throw;
        }
        _duck = duck;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_duck is null) return;
        Transaction?.Abandon();
        Transaction = null;
        _duck.Dispose();
        _duck = null;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
    }

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("SqlMl connections use one database; use ATTACH in SQL to add others.");

    /// <summary>Creates a command on this connection.</summary>
    public new SqlMlCommand CreateCommand() => new() { Connection = this, CommandTimeout = DefaultTimeout };

    /// <summary>Begins a transaction (DuckDB's snapshot isolation).</summary>
    public new SqlMlTransaction BeginTransaction() => (SqlMlTransaction)BeginDbTransaction(IsolationLevel.Unspecified);

    /// <summary>Begins a transaction; DuckDB offers snapshot isolation, which serves Unspecified, ReadCommitted, RepeatableRead and Snapshot.</summary>
    public new SqlMlTransaction BeginTransaction(IsolationLevel isolationLevel) => (SqlMlTransaction)BeginDbTransaction(isolationLevel);

    /// <summary>
    /// Metadata collections: <c>MetaDataCollections</c>, <c>Restrictions</c>, <c>Tables</c> (restrictions: catalog,
    /// schema, table, table type), <c>Columns</c> (catalog, schema, table, column) and <c>Models</c> (schema, model).
    /// </summary>
    public override DataTable GetSchema() => GetSchema("MetaDataCollections");

    /// <inheritdoc cref="GetSchema()" />
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, []);

    /// <inheritdoc cref="GetSchema()" />
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) =>
        SchemaCollections.Get(Duck, collectionName, restrictionValues);

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (Transaction is not null)
            throw new InvalidOperationException("A transaction is already open on this connection; DuckDB does not nest transactions. Commit or roll it back first.");
        Transaction = SqlMlTransaction.Begin(this, isolationLevel);
        return Transaction;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    private void Configure(DuckDBConnection duck)
    {
        using (var cmd = duck.CreateCommand())
        {
            cmd.CommandText = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = true";
            cmd.ExecuteNonQuery();
        }
        if (_settings.ReadOnly && !IsReadOnly(duck))
            throw new SqlMlException(SqlMlErrorCode.Engine,
                $"Cannot open database '{DataSource}' read-only: it is already open for writing in this process, and connections to one file share one database. Open every connection to it with the same Read Only setting.");
        ScalarFunctions.Register(duck);
        ModelCatalog.EnsureCreated(duck, throwOnFailure: false);
    }

    private static bool IsReadOnly(DuckDBConnection duck)
    {
        using var cmd = duck.CreateCommand();
        cmd.CommandText = "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()";
        return cmd.ExecuteScalar() is true;
    }

    private SqlMlException OpenError(DuckDBException e)
    {
        if (e.Message.Contains("Could not set lock on file", StringComparison.Ordinal) || e.Message.Contains("Conflicting lock", StringComparison.Ordinal))
            return new SqlMlException(SqlMlErrorCode.DatabaseLocked,
                $"Database file '{DataSource}' is locked by another process. DuckDB lets one process open a file for writing (or several processes open it with Read Only=True); close the other program, or wait for it to finish, and open again. DuckDB: {ParserErrorPosition.FirstLine(e.Message)}",
                inner: e);
        return new SqlMlException(SqlMlErrorCode.Engine, $"Cannot open database '{_settings.DataSource}': {e.Message}", inner: e);
    }
}
