namespace SqlMl.Tests.Preprocessing;

/// <summary>
/// A SELECT item holding a preprocessing call and no alias is named after the item as written (as DuckDB names an
/// expression column), not after the DuckDB expression the call compiles to; aliases are kept.
/// </summary>
public class ColumnNameTests
{
    private static List<string> Names(string sql)
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT * FROM (VALUES (1.0, 'a'), (2.0, 'b')) AS v(y, s)");
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    [Fact]
    public void Unaliased_items_are_named_as_written_and_aliases_are_kept()
    {
        Assert.Equal(
            ["s", "ML.BUCKETIZE(y, [1.5])", "ML.MIN_MAX_SCALER(y) OVER ()", "upper(ML.BUCKETIZE(y, [1.5]))", "named", "unnamed_alias"],
            Names("SELECT s, ML.BUCKETIZE(y, [1.5]), ML.MIN_MAX_SCALER(y)\n   OVER (), upper(ML.BUCKETIZE(y, [1.5])), ML.STANDARD_SCALER(y) OVER() AS named, ML.STANDARD_SCALER(y) OVER() unnamed_alias FROM t"));
    }

    [Fact]
    public void Items_of_subqueries_and_distinct_lists_are_named_too()
    {
        Assert.Equal(["ML.LABEL_ENCODER(s, 10, 0) OVER ()"], Names("SELECT DISTINCT ML.LABEL_ENCODER(s, 10, 0) OVER () FROM t"));
        Assert.Equal(["ML.MAX_ABS_SCALER(y) OVER()"], Names("SELECT * FROM (SELECT ML.MAX_ABS_SCALER(y) OVER() FROM t)"));
    }

    [Fact]
    public void Calls_inside_other_clauses_are_not_given_aliases()
    {
        Assert.Equal(["y"], Names("SELECT y FROM t WHERE ML.BUCKETIZE(y, [1.5]) = 'bin_2' ORDER BY ML.BUCKETIZE(y, [1.5])"));
        Assert.Equal(["n"], Names("SELECT count(*) AS n FROM t GROUP BY ML.BUCKETIZE(y, [1.5])"));
    }
}
