using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>Small deterministic tables for the provider tests, and helpers to run a command sync or async.</summary>
internal static class ProviderData
{
    /// <summary>
    /// t(i, x1, x2, y, label, grp): 200 rows; y is linear in x1, x2 with small noise; label 'a'/'b' splits on x1 + x2.
    /// </summary>
    public const string Table = """
        CREATE TABLE t AS
        SELECT i, x1, x2, 2 * x1 - x2 + noise AS y, CASE WHEN x1 + x2 + noise > 1 THEN 'a' ELSE 'b' END AS label, i % 4 AS grp
        FROM (SELECT i, (i * 37 % 101) / 100.0 AS x1, (i * 53 % 97) / 96.0 AS x2, ((i * 71 % 89) / 89.0 - 0.5) * 0.2 AS noise FROM range(200) r(i))
        """;

    /// <summary>ratings(user, item, rating) for MATRIX_FACTORIZATION.</summary>
    public const string Ratings = """
        CREATE TABLE ratings AS
        SELECT u AS "user", i AS item, round(3 + 1.5 * sin(u * 0.7) * cos(i * 1.3), 1) AS rating
        FROM range(20) a(u), range(12) b(i) WHERE (u * 7 + i * 13) % 4 <> 0
        """;

    /// <summary>An open connection to a private in-memory database with <see cref="Table"/>.</summary>
    public static SqlMlConnection Open(string? extra = null)
    {
        var connection = new SqlMlConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, Table);
        if (extra is not null) Execute(connection, extra);
        return connection;
    }

    public static void Execute(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>A command on <paramref name="connection"/> with its text and its parameters, added in order.</summary>
    public static SqlMlCommand Command(SqlMlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    public static object? Scalar(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public static long Long(SqlMlConnection connection, string sql) => Convert.ToInt64(Scalar(connection, sql), System.Globalization.CultureInfo.InvariantCulture);

    public static Task<int> NonQuery(SqlMlCommand cmd, bool async, CancellationToken token = default) =>
        async ? cmd.ExecuteNonQueryAsync(token) : Task.FromResult(cmd.ExecuteNonQuery());

    public static Task<object?> Scalar(SqlMlCommand cmd, bool async) =>
        async ? cmd.ExecuteScalarAsync() : Task.FromResult(cmd.ExecuteScalar());

    public static Task<SqlMlDataReader> Reader(SqlMlCommand cmd, bool async) =>
        async ? cmd.ExecuteReaderAsync() : Task.FromResult(cmd.ExecuteReader());

    public static bool ModelExists(SqlMlConnection connection, string name) =>
        Long(connection, $"SELECT count(*) FROM sqlml.models WHERE model_name = '{name}'") > 0;
}
