using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;

namespace SqlMl.Data;

/// <summary>
/// A DuckDB transaction (snapshot isolation) on a <see cref="SqlMlConnection"/>. Every command of the connection runs
/// in it until <see cref="Commit"/> or <see cref="Rollback"/>; disposing an unfinished transaction rolls it back.
/// CREATE MODEL inside it trains on what the transaction sees (its own uncommitted rows included) and writes the
/// model into the catalog within the transaction: the model exists for other connections only after Commit, and
/// Rollback removes it (a replaced model comes back). A statement that fails or is cancelled inside the transaction
/// may leave it aborted, as DuckDB does; then only Rollback is possible.
/// </summary>
public sealed class SqlMlTransaction : DbTransaction
{
    private SqlMlConnection? _connection;
    private readonly IsolationLevel _isolationLevel;

    private SqlMlTransaction(SqlMlConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        _isolationLevel = isolationLevel;
    }

    /// <summary>The connection, or null once the transaction has ended.</summary>
    public new SqlMlConnection? Connection => _connection;

    /// <summary>Always <see cref="IsolationLevel.Snapshot"/>: DuckDB's isolation.</summary>
    public override IsolationLevel IsolationLevel => _isolationLevel;

    /// <inheritdoc />
    protected override DbConnection? DbConnection => _connection;

    internal static SqlMlTransaction Begin(SqlMlConnection connection, IsolationLevel isolationLevel)
    {
        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Snapshot))
            throw new ArgumentException($"Isolation level {isolationLevel} is not supported: DuckDB transactions have snapshot isolation (use Unspecified or Snapshot).", nameof(isolationLevel));
        Execute(connection, "BEGIN TRANSACTION");
        return new SqlMlTransaction(connection, IsolationLevel.Snapshot);
    }

    /// <inheritdoc />
    public override void Commit() => End("COMMIT");

    /// <inheritdoc />
    public override void Rollback() => End("ROLLBACK");

    /// <summary>Forgets the transaction when its connection closes (DuckDB rolls it back).</summary>
    internal void Abandon() => _connection = null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open })
        {
            try { End("ROLLBACK"); }
            catch (SqlMlException) { /* already ended by SQL of the user's own */ }
        }
        base.Dispose(disposing);
    }

    private void End(string sql)
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        _connection = null;
        connection.Transaction = null;
        Execute(connection, sql);
    }

    private static void Execute(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.Duck.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw new SqlMlException(SqlMlErrorCode.Engine, $"{sql}: {e.Message}", inner: e);
        }
    }
}
