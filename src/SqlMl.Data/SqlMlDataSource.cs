using System.Data.Common;
using DuckDB.NET.Data;

namespace SqlMl.Data;

/// <summary>
/// One database for the whole application (<see cref="DbDataSource"/>): hands out connections that share one DuckDB
/// database instance, so one connection can train a model while others predict. Thread-safe; each connection
/// it creates is for one thread at a time. With <c>Data Source=:memory:</c> the data source owns one in-memory
/// database, shared by all its connections and freed when the data source is disposed.
/// </summary>
public sealed class SqlMlDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly SqlMlConnectionStringBuilder _settings;
    private readonly Lock _gate = new();
    private DuckDBConnection? _memoryRoot;
    private bool _disposed;

    /// <summary>A data source for a connection string (see <see cref="SqlMlConnectionStringBuilder"/>).</summary>
    public SqlMlDataSource(string connectionString)
    {
        _settings = new SqlMlConnectionStringBuilder(connectionString);
        _connectionString = connectionString;
    }

    /// <inheritdoc />
    public override string ConnectionString => _connectionString;

    /// <summary>A new, closed connection to the data source's database.</summary>
    public new SqlMlConnection CreateConnection() =>
        _settings.IsInMemory ? new SqlMlConnection(_connectionString, DuplicateMemoryConnection) : new SqlMlConnection(_connectionString);

    /// <summary>A new connection, opened.</summary>
    public new SqlMlConnection OpenConnection()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _disposed = true;
                _memoryRoot?.Dispose();
                _memoryRoot = null;
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>A closed DuckDB connection to the data source's in-memory database, created on first use.</summary>
    private DuckDBConnection DuplicateMemoryConnection()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_memoryRoot is null)
            {
                var root = new DuckDBConnection(_settings.ToDuckDbConnectionString());
                root.Open();
                _memoryRoot = root;
            }
            return _memoryRoot.Duplicate();
        }
    }
}
