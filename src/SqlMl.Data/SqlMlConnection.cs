using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Catalog;

namespace SqlMl.Data;

/// <summary>
/// A connection to a DuckDB database with BigQuery ML's SQL on top. Connection string: <c>Data Source=PATH</c>
/// (a DuckDB file, created if missing) or <c>Data Source=:memory:</c>. Every statement, ML or not, runs through
/// <see cref="SqlMlCommand"/>. Not thread-safe: use one connection per thread.
/// </summary>
public sealed class SqlMlConnection : DbConnection
{
    private DuckDBConnection? _duck;
    private string _connectionString;

    public SqlMlConnection() : this("Data Source=:memory:")
    {
    }

    public SqlMlConnection(string connectionString) => _connectionString = connectionString;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (State != ConnectionState.Closed) throw new InvalidOperationException("Cannot change the connection string of an open connection.");
            _connectionString = value ?? "";
        }
    }

    public override string Database => "main";

    public override string DataSource => _duck?.DataSource ?? ParseDataSource(_connectionString);

    private static string ParseDataSource(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.TryGetValue("Data Source", out var ds) || builder.TryGetValue("DataSource", out ds) ? ds?.ToString() ?? "" : "";
    }

    public override string ServerVersion => Duck.ServerVersion;

    public override ConnectionState State => _duck?.State ?? ConnectionState.Closed;

    /// <summary>The underlying DuckDB connection (open connections only).</summary>
    internal DuckDBConnection Duck => _duck ?? throw new InvalidOperationException("The connection is not open.");

    public override void Open()
    {
        if (State == ConnectionState.Open) return;
        var duck = new DuckDBConnection(_connectionString);
        try
        {
            duck.Open();
        }
        catch (DuckDBException e)
        {
            duck.Dispose();
            throw new SqlMlException(SqlMlErrorCode.Engine, $"Cannot open database '{DataSource}': {e.Message}", inner: e);
        }
        using (var cmd = duck.CreateCommand())
        {
            cmd.CommandText = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = true";
            cmd.ExecuteNonQuery();
        }
        ModelCatalog.EnsureCreated(duck, throwOnFailure: false);
        _duck = duck;
    }

    public override void Close()
    {
        _duck?.Dispose();
        _duck = null;
    }

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("SqlMl connections use one database; use ATTACH in SQL to add others.");

    public new SqlMlCommand CreateCommand() => new() { Connection = this };

    protected override DbCommand CreateDbCommand() => CreateCommand();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Duck.BeginTransaction(isolationLevel);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }
}
