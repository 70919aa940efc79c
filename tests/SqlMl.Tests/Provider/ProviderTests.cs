using System.Data;
using DuckDB.NET.Data;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>The minimal ADO.NET surface of the foundation: connection lifecycle, commands, readers, parameters.</summary>
public class ProviderTests
{
    [Fact]
    public void Named_parameters_bind_in_plain_sql_statements_of_a_script()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "CREATE TABLE t AS SELECT 1 AS a; SELECT $x + a AS v FROM t";
        cmd.Parameters.AddWithValue("x", 41);
        Assert.Equal(42, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Execute_non_query_reports_rows_changed()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "CREATE TABLE t(a INT); INSERT INTO t VALUES (1), (2), (3); UPDATE t SET a = a + 1 WHERE a > 1";
        Assert.Equal(5, cmd.ExecuteNonQuery());
    }

    [Fact]
    public void Commands_need_an_open_connection()
    {
        using var conn = new SqlMlConnection("Data Source=:memory:");
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT 1";
        Assert.Throws<InvalidOperationException>(() => cmd.ExecuteNonQuery());
        conn.Open();
        Assert.Equal(ConnectionState.Open, conn.State);
        Assert.Equal(1, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        conn.Close();
        Assert.Equal(ConnectionState.Closed, conn.State);
    }

    [Fact]
    public void Reader_reports_types_of_list_and_struct_columns()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "SELECT [1, 2] AS l, {'a': 1} AS s";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(2, r.FieldCount);
        Assert.IsAssignableFrom<System.Collections.IList>(r.GetValue(0));
        Assert.IsAssignableFrom<System.Collections.IDictionary>(r.GetValue(1));
    }

    [Fact]
    public void Engine_errors_are_sqlml_exceptions_with_the_duckdb_error_inside()
    {
        using var db = new TestDb();
        var e = db.Fails("SELECT * FROM no_such_table");
        Assert.Equal(SqlMlErrorCode.Engine, e.Code);
        Assert.IsType<DuckDBException>(e.InnerException);
        Assert.Equal((int)SqlMlErrorCode.Engine, e.ErrorCode);
    }

    [Fact]
    public void Opening_an_unusable_path_is_a_clear_error()
    {
        using var conn = new SqlMlConnection("Data Source=/no/such/dir/x.duckdb");
        var e = Assert.Throws<SqlMlException>(conn.Open);
        Assert.Contains("Cannot open database '/no/such/dir/x.duckdb'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_async_opens_and_honours_a_cancelled_token()
    {
        using var conn = new SqlMlConnection("Data Source=:memory:");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conn.OpenAsync(new CancellationToken(canceled: true)));
        Assert.Equal(ConnectionState.Closed, conn.State);
        await conn.OpenAsync();
        Assert.Equal(ConnectionState.Open, conn.State);
    }

    [Fact]
    public void The_connection_string_cannot_change_while_open()
    {
        using var conn = new SqlMlConnection("Data Source=:memory:");
        conn.Open();
        Assert.Throws<InvalidOperationException>(() => conn.ConnectionString = "Data Source=x.duckdb");
        Assert.Equal(":memory:", conn.DataSource);
    }

    [Fact]
    public void Opening_and_closing_raise_state_change_once_each()
    {
        using var conn = new SqlMlConnection("Data Source=:memory:");
        var changes = new List<(ConnectionState From, ConnectionState To)>();
        conn.StateChange += (_, e) => changes.Add((e.OriginalState, e.CurrentState));
        conn.Open();
        conn.Open();
        conn.Close();
        conn.Close();
        Assert.Equal([(ConnectionState.Closed, ConnectionState.Open), (ConnectionState.Open, ConnectionState.Closed)], changes);
    }
}
