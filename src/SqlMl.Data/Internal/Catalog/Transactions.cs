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
        try
        {
            Execute(connection, "BEGIN TRANSACTION");
            return new Transactions(connection, owned: true);
        }
        catch (DuckDBException e) when (e.Message.Contains("within a transaction", StringComparison.OrdinalIgnoreCase))
        {
            return new Transactions(connection, owned: false);
        }
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
