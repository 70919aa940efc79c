using System.Data.Common;

namespace SqlMl.Data;

/// <summary>
/// One database for the whole application (<see cref="DbDataSource"/>): hands out connections that share one DuckDB
/// database instance, so one connection can train a model while others predict. Thread-safe; each connection
/// it creates is for one thread at a time. With <c>Data Source=:memory:</c> the data source gets its own in-memory
/// database, shared by its connections and freed when the last one closes.
/// </summary>
public sealed class SqlMlDataSource : DbDataSource
{
    private readonly string _connectionString;

    /// <summary>A data source for a connection string (see <see cref="SqlMlConnectionStringBuilder"/>).</summary>
    public SqlMlDataSource(string connectionString)
    {
        var builder = new SqlMlConnectionStringBuilder(connectionString);
        if (string.Equals(builder.DataSource, SqlMlConnectionStringBuilder.InMemory, StringComparison.OrdinalIgnoreCase))
            builder.DataSource = SqlMlConnectionStringBuilder.InMemory + "sqlml-" + Guid.NewGuid().ToString("N");
        _connectionString = builder.ConnectionString;
    }

    /// <inheritdoc />
    public override string ConnectionString => _connectionString;

    /// <summary>A new, closed connection to the data source's database.</summary>
    public new SqlMlConnection CreateConnection() => new(_connectionString);

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
}
