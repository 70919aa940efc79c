using System.Globalization;

namespace SqlMl.Tests.EndToEnd;

/// <summary>DATA_SPLIT_* as the reference (§2.5) describes, observed through the catalog and ML.EVALUATE.</summary>
public class DataSplitTests
{
    private static TestDb WithRows(int n)
    {
        var db = new TestDb();
        db.Execute($"CREATE TABLE t AS SELECT i AS id, sin(i) AS x, cos(i * 0.3) AS z, (i % 3 = 0) AS flag, 2 * sin(i) - cos(i * 0.3) + 0.1 * sin(i * 7.1) AS y FROM range({n}) r(i)");
        return db;
    }

    private static (long Train, long Eval, string Source) Counts(TestDb db, string model = "m")
    {
        var r = db.Rows($"SELECT training_rows, eval_rows, metrics_source FROM sqlml.models WHERE model_name = '{model}'")[0];
        return (Convert.ToInt64(r[0], CultureInfo.InvariantCulture), Convert.ToInt64(r[1], CultureInfo.InvariantCulture), (string)r[2]!);
    }

    [Theory]
    [InlineData(499, 0)]
    [InlineData(500, 100)]
    [InlineData(1234, 247)]
    [InlineData(50_000, 10_000)]
    [InlineData(60_000, 10_000)]
    public void Auto_split_follows_bigquerys_thresholds(int rows, int evalRows)
    {
        using var db = WithRows(rows);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, z, y FROM t");
        var (train, eval, source) = Counts(db);
        Assert.Equal(evalRows, eval);
        Assert.Equal(rows - evalRows, train);
        Assert.Equal(evalRows == 0 ? "training_data" : "evaluation_split", source);
        var evalLoss = db.Scalar("SELECT eval_loss FROM ML.TRAINING_INFO(MODEL m)");
        if (evalRows == 0) Assert.Null(evalLoss); else Assert.NotNull(evalLoss);
    }

    [Fact]
    public void Auto_split_is_deterministic()
    {
        using var db = WithRows(2000);
        db.Execute("CREATE MODEL a OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, z, y FROM t");
        db.Execute("CREATE MODEL b OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, z, y FROM t ORDER BY random()");
        Assert.Equal(db.Double("SELECT mean_squared_error FROM ML.EVALUATE(MODEL a)"), db.Double("SELECT mean_squared_error FROM ML.EVALUATE(MODEL b)"), 12);
    }

    [Fact]
    public void No_split_trains_on_everything_and_evaluates_on_training_data()
    {
        using var db = WithRows(3000);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='NO_SPLIT') AS SELECT x, z, y FROM t");
        Assert.Equal((3000L, 0L, "training_data"), Counts(db));
        var stored = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m)")[0];
        var recomputed = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m, TABLE t)")[0];
        AssertSameMetrics(recomputed, stored, 10);
    }

    [Fact]
    public void Random_split_uses_the_eval_fraction()
    {
        using var db = WithRows(20_000);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='RANDOM', data_split_eval_fraction=0.3) AS SELECT x, z, y FROM t");
        var (train, eval, _) = Counts(db);
        Assert.Equal(20_000, train + eval);
        Assert.InRange(eval, 5600, 6400);
    }

    [Fact]
    public void Random_split_without_fraction_behaves_like_auto_split()
    {
        using var db = WithRows(1000);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='RANDOM') AS SELECT x, z, y FROM t");
        Assert.Equal(200L, Counts(db).Eval);
    }

    [Fact]
    public void Custom_split_sends_true_and_null_rows_to_evaluation_and_excludes_the_column()
    {
        using var db = WithRows(900);
        db.Execute("UPDATE t SET flag = NULL WHERE id % 10 = 1");
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='CUSTOM', data_split_col='flag') AS SELECT x, z, flag, y FROM t");
        long evalRows = (long)db.Scalar("SELECT count(*) FROM t WHERE flag IS NULL OR flag")!;
        Assert.Equal((900 - evalRows, evalRows, "evaluation_split"), Counts(db));
        Assert.DoesNotContain("flag", db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL m)").Select(r => (string)r[0]!));
        // The stored metrics are those of the evaluation rows, computed in C#; SQL evaluation of the same rows agrees.
        var stored = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m)")[0];
        var sql = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT * FROM t WHERE flag IS NULL OR flag))")[0];
        AssertSameMetrics(sql, stored, 9);
    }

    [Fact]
    public void Seq_split_trains_on_the_smallest_values_and_evaluates_the_rest_and_nulls()
    {
        using var db = WithRows(1000);
        db.Execute("UPDATE t SET id = NULL WHERE id IN (3, 5)");
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='SEQ', data_split_col='id', data_split_eval_fraction=0.25) AS SELECT id, x, z, y FROM t");
        Assert.Equal((750L, 250L, "evaluation_split"), Counts(db));
        var stored = db.Rows("SELECT mean_squared_error, r2_score FROM ML.EVALUATE(MODEL m)")[0];
        var sql = db.Rows("SELECT mean_squared_error, r2_score FROM ML.EVALUATE(MODEL m, (SELECT * FROM t WHERE id IS NULL OR id >= 752))")[0];
        Assert.Equal((double)sql[0]!, (double)stored[0]!, 9);
        Assert.Equal((double)sql[1]!, (double)stored[1]!, 9);
    }

    private static void AssertSameMetrics(object?[] expected, object?[] actual, int digits)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] is null) Assert.Null(actual[i]); // mean_squared_log_error with labels <= -1
            else Assert.Equal((double)expected[i]!, (double)actual[i]!, digits);
        }
    }

    [Fact]
    public void Split_that_leaves_no_training_rows_is_an_error()
    {
        using var db = WithRows(100);
        var e = db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='CUSTOM', data_split_col='f') AS SELECT x, y, true AS f FROM t");
        Assert.Contains("no training rows", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Custom_split_column_must_be_boolean()
    {
        using var db = WithRows(100);
        var e = db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='CUSTOM', data_split_col='id') AS SELECT id, x, y FROM t");
        Assert.Contains("'id'", e.Message, StringComparison.Ordinal);
        Assert.Contains("BOOLEAN", e.Message, StringComparison.Ordinal);
    }
}
