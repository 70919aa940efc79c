using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>
/// The window form computes statistics once with a scalar subquery over the SELECT's FROM … WHERE when that is sure
/// to see the window's rows, and falls back to window aggregates OVER () otherwise; both give the window's values.
/// </summary>
public class StatisticSourceTests
{
    [Theory]
    [InlineData("SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM t WHERE x > 1 ORDER BY x", true)]
    [InlineData("SELECT x, round(ML.MIN_MAX_SCALER(x) OVER(), 3) FROM t AS a JOIN t AS b USING (x) WHERE x > 1 ORDER BY x", true)]
    [InlineData("WITH v AS (SELECT x FROM t WHERE x < 5) SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM v ORDER BY x", true)]
    [InlineData("SELECT * FROM (SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM t WHERE x <> 2) ORDER BY x", true)]
    [InlineData("SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM t GROUP BY x ORDER BY x", false)]
    [InlineData("FROM t SELECT x, ML.MIN_MAX_SCALER(x) OVER() ORDER BY x", false)]
    [InlineData("SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM t USING SAMPLE 100% (bernoulli) ORDER BY x", false)]
    [InlineData("SELECT x, ML.MIN_MAX_SCALER(x) OVER(), x IS DISTINCT FROM 2 FROM t ORDER BY x", true)]
    [InlineData("SELECT x, ML.MIN_MAX_SCALER(x) OVER(), CASE WHEN x IS NOT DISTINCT FROM 2 THEN 1 END FROM t ORDER BY x", true)]
    [InlineData("SELECT DISTINCT x, ML.MIN_MAX_SCALER(x) OVER() FROM t ORDER BY x LIMIT 4", true)]
    [InlineData("SELECT x * 2 AS y, ML.MIN_MAX_SCALER(x) OVER() FROM t WHERE y > 3 ORDER BY x", false)]
    public void Statistics_use_a_subquery_only_when_it_sees_the_window_rows(string sql, bool subquery)
    {
        string rewritten = PreprocessingRewriter.Rewrite(sql);
        Assert.Equal(!subquery, rewritten.Contains("OVER ()", StringComparison.Ordinal));
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT * FROM UNNEST([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) AS u(x)");
        // The reference: the same statement with the statistics as plain window aggregates.
        string window = sql.Replace("ML.MIN_MAX_SCALER(x) OVER()", "(x - min(x) OVER ()) / (max(x) OVER () - min(x) OVER ())", StringComparison.Ordinal);
        var expected = db.Rows(window);
        var actual = db.Rows(sql);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Same.AssertValues(expected[i][j], actual[i][j], $"{sql} row {i}");
    }

    [Fact]
    public void An_aggregate_argument_without_group_by_keeps_the_window_form()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT * FROM UNNEST([1.0, 2.0, 3.0]) AS u(x)");
        Assert.Contains("OVER ()", PreprocessingRewriter.Rewrite("SELECT ML.MIN_MAX_SCALER(sum(x)) OVER() FROM t"), StringComparison.Ordinal);
        Assert.Equal(["0"], Show.Column(db, "SELECT ML.MAX_ABS_SCALER(sum(x)) OVER() - 1 FROM t"));
    }

    [Fact]
    public void A_select_alias_in_the_argument_keeps_the_window_form()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT * FROM UNNEST([1.0, 2.0, 3.0]) AS u(x)");
        Assert.Contains("OVER ()", PreprocessingRewriter.Rewrite("SELECT x * 2 AS y, ML.MIN_MAX_SCALER(y) OVER() FROM t"), StringComparison.Ordinal);
        Assert.Equal(["0", "0.5", "1"], Show.Column(db, "SELECT s FROM (SELECT x * 2 AS y, ML.MIN_MAX_SCALER(y) OVER() AS s FROM t) ORDER BY s"));
    }

    [Fact]
    public void Each_branch_of_a_union_learns_over_its_own_rows()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            SELECT 'a' AS k, x, ML.MIN_MAX_SCALER(x) OVER() AS s FROM UNNEST([0.0, 10.0]) AS u(x)
            UNION ALL
            SELECT 'b', x, ML.MIN_MAX_SCALER(x) OVER() FROM UNNEST([0.0, 5.0, 20.0]) AS u(x)
            ORDER BY k, x
            """);
        Assert.Equal(["0", "1", "0", "0.25", "1"], rows.Select(r => Show.Value(r[2])));
    }

    [Fact]
    public void Positional_parameters_in_the_source_keep_the_window_form()
    {
        Assert.Contains("OVER ()", PreprocessingRewriter.Rewrite("SELECT ML.STANDARD_SCALER(x) OVER() FROM t WHERE x > ?"), StringComparison.Ordinal);
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT * FROM UNNEST([1.0, 2.0, 3.0, 4.0]) AS u(x)");
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "SELECT ML.MIN_MAX_SCALER(x) OVER() FROM t WHERE x > ? ORDER BY x";
        var p = cmd.CreateParameter();
        p.Value = 1.5;
        cmd.Parameters.Add(p);
        using var reader = cmd.ExecuteReader();
        var values = new List<double>();
        while (reader.Read()) values.Add(reader.GetDouble(0));
        Assert.Equal([0.0, 0.5, 1.0], values);
    }

    [Fact]
    public void Insert_on_conflict_keeps_the_conflict_clause_out_of_the_statistics()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE target (x DOUBLE PRIMARY KEY, s DOUBLE)");
        db.Execute("INSERT INTO target SELECT x, ML.MIN_MAX_SCALER(x) OVER() FROM UNNEST([1.0, 3.0, 5.0]) AS u(x) ON CONFLICT DO NOTHING");
        Assert.Equal(["0", "0.5", "1"], Show.Column(db, "SELECT s FROM target ORDER BY x"));
    }
}
