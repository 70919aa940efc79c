namespace SqlMl.Tests.Transform;

/// <summary><c>expression.*</c> in TRANSFORM: each field of a STRUCT expression becomes an output column.</summary>
public class TransformStructStarTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END AS f1, CASE i % 2 WHEN 0 THEN 'p' ELSE 'q' END AS f2,
              (i % 7)::DOUBLE AS x, (i % 6) * 1.5 + (i % 7) + CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 4 ELSE 0 END AS y
            FROM range(60) r(i)
            """);
        return db;
    }

    [Fact]
    public void Feature_cross_fields_become_categorical_columns()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(ML.FEATURE_CROSS(STRUCT(f1, f2)).*, x, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        db.Execute("CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT f1 || '_' || f2 AS f1_f2, x, y FROM t");
        Assert.Equal(["f1_f2", "x", "__INTERCEPT__"], db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL m)").Select(r => (string)r[0]!));
        var expected = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL h, (SELECT id, f1 || '_' || f2 AS f1_f2, x FROM t)) ORDER BY id");
        var actual = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT id, f1, f2, x FROM t)) ORDER BY id");
        for (int i = 0; i < expected.Count; i++) Assert.Equal((double)expected[i][1]!, (double)actual[i][1]!, 9);
        Assert.Equal(["f1_f2", "x"], db.Columns("SELECT * FROM ML.TRANSFORM(MODEL m, (SELECT f1, f2, x FROM t))"));
    }

    [Fact]
    public void Feature_cross_as_a_struct_column_is_expanded_by_automatic_preprocessing()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(ML.FEATURE_CROSS(STRUCT(f1, f2)) AS cross, x, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        db.Execute("CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT f1 || '_' || f2 AS cross_f1_f2, x, y FROM t");
        Assert.Equal(["cross_f1_f2", "x", "__INTERCEPT__"], db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL m)").Select(r => (string)r[0]!));
        var expected = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL h, (SELECT id, f1 || '_' || f2 AS cross_f1_f2, x FROM t)) ORDER BY id");
        var actual = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT id, f1, f2, x FROM t)) ORDER BY id");
        for (int i = 0; i < expected.Count; i++) Assert.Equal((double)expected[i][1]!, (double)actual[i][1]!, 9);
        Assert.Equal(["id", "f1", "f2", "x", "predicted_y"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, (SELECT id, f1, f2, x FROM t))"));
    }

    [Fact]
    public void Struct_star_of_an_analytic_expression_freezes_its_statistics()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(STRUCT_PACK(sx := ML.STANDARD_SCALER(x) OVER(), x2 := x * 2).*, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        double mean = db.Double("SELECT avg(x) FROM t"), sd = db.Double("SELECT stddev_samp(x) FROM t");
        var row = db.Rows("SELECT sx, x2 FROM ML.TRANSFORM(MODEL m, (SELECT 10.0 AS x))")[0];
        Assert.Equal((10 - mean) / sd, (double)row[0]!, 12);
        Assert.Equal(20.0, Convert.ToDouble(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Struct_star_needs_a_struct()
    {
        using var db = WithData();
        var e = db.Fails("CREATE MODEL m TRANSFORM(x, (x + 1).*, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        Assert.Contains("'(x + 1).*' needs a STRUCT expression; '(x + 1)' has type DOUBLE", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 29), (e.Line, e.Column));
        e = db.Fails("CREATE MODEL m TRANSFORM(STRUCT_PACK(a := sum(x)).*, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        Assert.Contains("aggregate function sum() is not allowed", e.Message, StringComparison.Ordinal);
    }
}
