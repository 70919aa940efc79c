using DuckDB.NET.Data;

namespace SqlMl.Data.Internal.Catalog;

/// <summary>
/// A transaction scope that joins the caller's open transaction when there is one (the caller then decides
/// commit or rollback) and otherwise begins its own; disposing without <see cref="Commit"/> rolls back.
/// </summary>
internal sealed class Transactions : IDisposable
{
    private readonly DuckDBConnection _connection;
    private bool _owned;

    private Transactions(DuckDBConnection connection, bool owned)
    {
        _connection = connection;
        _owned = owned;
    }

    public static Transactions Begin(DuckDBConnection connection)
    {
        // A failed BEGIN inside a transaction would abort the caller's transaction, so ask first: in autocommit
        // mode every statement gets a new transaction id, inside a transaction they share one.
        if (Equals(TransactionId(connection), TransactionId(connection))) return new Transactions(connection, owned: false);
        Execute(connection, "BEGIN TRANSACTION");
        return new Transactions(connection, owned: true);
    }

    private static object? TransactionId(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT txid_current()";
        return cmd.ExecuteScalar();
    }

    public void Commit()
    {
        if (!_owned) return;
        Execute(_connection, "COMMIT");
        _owned = false;
    }

    public void Dispose()
    {
        if (!_owned) return;
        _owned = false;
        try { Execute(_connection, "ROLLBACK"); }
        catch (DuckDBException) { /* the connection already aborted the transaction */ }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
