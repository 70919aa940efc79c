namespace SqlMl.Tests.Transform;

/// <summary>
/// A model with TRANSFORM behaves exactly as the same model trained on data transformed by hand, and every ML function
/// re-applies the TRANSFORM to rows that have only the original columns.
/// </summary>
public class TransformModelTests
{
    private const string Raw = "SELECT id, x, z, g, y, cls FROM t";
    // The same columns the TRANSFORM below computes, written by hand.
    private const string ByHand = "SELECT id, x * z AS xz, ln(x + 1) AS lx, upper(g) AS gu, y, cls FROM t";
    private const string TransformList = "x * z AS xz, ln(x + 1) AS lx, upper(g) AS gu, y";

    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, (i % 13)::DOUBLE AS x, ((i * 5) % 7)::DOUBLE AS z,
              CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE NULL END AS g,
              0.5 * (i % 13) * ((i * 5) % 7) - 2 * ln((i % 13) + 1) + CASE i % 3 WHEN 0 THEN 1.5 ELSE 0 END + sin(i) AS y,
              CASE WHEN (i % 13) * ((i * 5) % 7) + 3 * sin(i) > 18 THEN 'hi' ELSE 'lo' END AS cls
            FROM range(120) r(i)
            """);
        return db;
    }

    private static Dictionary<long, double> ById(TestDb db, string sql, string column = "v") =>
        db.Rows($"SELECT id, {column} FROM {sql}").ToDictionary(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), r => Convert.ToDouble(r[1], System.Globalization.CultureInfo.InvariantCulture));

    private static void AssertSame(Dictionary<long, double> expected, Dictionary<long, double> actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (k, v) in expected) Assert.True(Math.Abs(v - actual[k]) <= tolerance * Math.Max(1, Math.Abs(v)), $"id {k}: {v} vs {actual[k]}");
    }

    [Fact]
    public void Linear_reg_with_transform_predicts_as_the_model_trained_on_transformed_data()
    {
        using var db = WithData();
        db.Execute($"CREATE MODEL m TRANSFORM({TransformList}) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS {Raw}");
        db.Execute($"CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * EXCLUDE (id, cls) FROM ({ByHand})");
        AssertSame(ById(db, $"ML.PREDICT(MODEL h, ({ByHand}))", "predicted_y"), ById(db, "ML.PREDICT(MODEL m, (SELECT id, x, z, g FROM t))", "predicted_y"));
        Assert.Equal(
            db.Rows("SELECT processed_input, weight FROM ML.WEIGHTS(MODEL h) ORDER BY processed_input").Select(r => r[0]),
            db.Rows("SELECT processed_input, weight FROM ML.WEIGHTS(MODEL m) ORDER BY processed_input").Select(r => r[0]));
        Assert.Equal(db.Double("SELECT r2_score FROM ML.EVALUATE(MODEL h)"), db.Double("SELECT r2_score FROM ML.EVALUATE(MODEL m)"), 9);
        Assert.Equal(db.Double($"SELECT mean_squared_error FROM ML.EVALUATE(MODEL h, ({ByHand}))"), db.Double($"SELECT mean_squared_error FROM ML.EVALUATE(MODEL m, TABLE t)"), 9);
    }

    [Fact]
    public void Prediction_output_is_the_callers_columns_plus_the_prediction()
    {
        using var db = WithData();
        db.Execute($"CREATE MODEL m TRANSFORM(x * 2 AS x, z, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS {Raw}");
        Assert.Equal(["id", "x", "extra", "z", "predicted_y"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, (SELECT id, x, 'e' AS extra, z FROM t))"));
        // x is the caller's raw x, not the transformed one; the model saw x * 2.
        var row = db.Rows("SELECT x, extra FROM ML.PREDICT(MODEL m, (SELECT id, x, 'e' AS extra, z FROM t)) WHERE id = 5")[0];
        Assert.Equal((5.0, "e"), ((double)row[0]!, (string)row[1]!));
        Assert.Equal(["id", "x", "z", "g", "y", "cls", "predicted_y"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)"));
    }

    [Fact]
    public void Logistic_reg_with_star_except_replace_matches_the_hand_transformed_model()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(* EXCEPT(id, y) REPLACE (x * z AS x, upper(g) AS g)) OPTIONS(model_type='logistic_reg', input_label_cols=['cls']) AS SELECT * FROM t");
        const string hand = "SELECT id, x * z AS x, z, upper(g) AS g, cls FROM t";
        db.Execute($"CREATE MODEL h OPTIONS(model_type='logistic_reg', input_label_cols=['cls']) AS SELECT * EXCLUDE (id) FROM ({hand})");
        string prob = "list_filter(predicted_cls_probs, p -> p.label = 'hi')[1].prob";
        AssertSame(ById(db, $"ML.PREDICT(MODEL h, ({hand}))", prob), ById(db, "ML.PREDICT(MODEL m, (SELECT id, x, z, g FROM t))", prob));
        Assert.Equal(db.Rows($"SELECT * FROM ML.CONFUSION_MATRIX(MODEL h, ({hand}))").Select(r => string.Join("|", r)),
                     db.Rows("SELECT * FROM ML.CONFUSION_MATRIX(MODEL m, TABLE t)").Select(r => string.Join("|", r)));
        Assert.Equal(db.Double($"SELECT sum(recall) FROM ML.ROC_CURVE(MODEL h, ({hand}))"), db.Double("SELECT sum(recall) FROM ML.ROC_CURVE(MODEL m, TABLE t)"), 9);
        Assert.Equal(db.Double($"SELECT roc_auc FROM ML.EVALUATE(MODEL h, ({hand}))"), db.Double("SELECT roc_auc FROM ML.EVALUATE(MODEL m, TABLE t)"), 9);
        var explained = db.Columns("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, (SELECT id, x, z, g FROM t))");
        Assert.Equal(["id", "x", "z", "g"], explained.Take(4));
        Assert.Contains("predicted_cls", explained);
    }

    [Fact]
    public void Kmeans_with_transform_clusters_as_the_hand_transformed_model()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(x * 3 AS x3, z) OPTIONS(model_type='kmeans', num_clusters=3, kmeans_init_method='kmeans++') AS SELECT x, z FROM t");
        db.Execute("CREATE MODEL h OPTIONS(model_type='kmeans', num_clusters=3, kmeans_init_method='kmeans++') AS SELECT x * 3 AS x3, z FROM t");
        AssertSame(ById(db, "ML.PREDICT(MODEL h, (SELECT id, x * 3 AS x3, z FROM t))", "centroid_id"), ById(db, "ML.PREDICT(MODEL m, (SELECT id, x, z FROM t))", "centroid_id"));
        Assert.Equal(["x3", "z"], db.Rows("SELECT DISTINCT feature FROM ML.CENTROIDS(MODEL m) ORDER BY feature").Select(r => (string)r[0]!));
        Assert.Equal(["is_anomaly", "normalized_distance", "id", "x", "z"], db.Columns("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.1 AS contamination), (SELECT id, x, z FROM t))"));
        Assert.Equal(db.Double("SELECT count(*) FROM ML.DETECT_ANOMALIES(MODEL h, STRUCT(0.1 AS contamination), (SELECT x * 3 AS x3, z FROM t)) WHERE is_anomaly"),
                     db.Double("SELECT count(*) FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.1 AS contamination), (SELECT x, z FROM t)) WHERE is_anomaly"));
    }

    [Fact]
    public void Prediction_of_one_row_equals_its_prediction_inside_the_table()
    {
        using var db = WithData();
        db.Execute($"CREATE MODEL m TRANSFORM({TransformList}) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS {Raw}");
        var all = ById(db, "ML.PREDICT(MODEL m, TABLE t)", "predicted_y");
        foreach (long id in new long[] { 0, 7, 119 })
            Assert.Equal(all[id], db.Double($"SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE id = {id}))"), 12);
    }

    [Fact]
    public void Transform_applies_to_a_cte_input_that_cannot_be_described_alone()
    {
        using var db = WithData();
        db.Execute($"CREATE MODEL m TRANSFORM({TransformList}) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS {Raw}");
        double direct = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE id = 4))");
        Assert.Equal(direct, db.Double("WITH q AS (SELECT * FROM t WHERE id = 4) SELECT predicted_y FROM ML.PREDICT(MODEL m, TABLE q)"), 12);
        Assert.Equal(db.Double("SELECT r2_score FROM ML.EVALUATE(MODEL m, TABLE t)"),
                     db.Double("WITH q AS (SELECT * FROM t) SELECT r2_score FROM ML.EVALUATE(MODEL m, TABLE q)"), 12);
        // The output keeps the caller's columns here too.
        Assert.Equal(["id", "x", "z", "g", "y", "cls", "predicted_y"], db.Columns("WITH q AS (SELECT * FROM t) SELECT * FROM ML.PREDICT(MODEL m, TABLE q)"));
        db.Execute("CREATE MODEL k TRANSFORM(x * 2 AS x2, z) OPTIONS(model_type='kmeans', num_clusters=2) AS SELECT * FROM t");
        Assert.Equal(["is_anomaly", "normalized_distance", "id", "x", "z"],
            db.Columns("WITH q AS (SELECT id, x, z FROM t) SELECT * FROM ML.DETECT_ANOMALIES(MODEL k, STRUCT(0.1 AS contamination), TABLE q)"));
    }

    [Fact]
    public void Ml_transform_returns_the_transformed_columns_with_the_label_when_present()
    {
        using var db = WithData();
        db.Execute($"CREATE MODEL m TRANSFORM({TransformList}) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS {Raw}");
        Assert.Equal(["xz", "lx", "gu"], db.Columns("SELECT * FROM ML.TRANSFORM(MODEL m, (SELECT x, z, g FROM t))"));
        Assert.Equal(["xz", "lx", "gu", "y"], db.Columns("SELECT * FROM ML.TRANSFORM(MODEL m, TABLE t)"));
        var expected = db.Rows("SELECT xz, lx, gu, y FROM (" + ByHand + ") ORDER BY id").Select(r => string.Join("|", r));
        var actual = db.Rows("SELECT * FROM ML.TRANSFORM(MODEL m, (SELECT * FROM t ORDER BY id))").Select(r => string.Join("|", r));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Parameters_work_inside_transform_and_are_frozen_as_values()
    {
        using var db = WithData();
        using (var cmd = db.Connection.CreateCommand())
        {
            cmd.CommandText = "CREATE MODEL m TRANSFORM(x * $k AS xk, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t";
            cmd.Parameters.AddWithValue("k", 4.0);
            cmd.ExecuteNonQuery();
        }
        Assert.Equal(12.0, db.Double("SELECT xk FROM ML.TRANSFORM(MODEL m, (SELECT 3.0 AS x))"), 12);
    }

    [Fact]
    public void Transform_survives_closing_and_reopening_the_database_file()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "t.duckdb");
        try
        {
            double before;
            using (var db = new TestDb(path))
            {
                db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 3.0 * i * i + 1 AS y FROM range(20) r(i)");
                db.Execute("CREATE MODEL m TRANSFORM(x * x AS xx, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
                before = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 30.0 AS x))");
            }
            using (var db = new TestDb(path))
            {
                Assert.Equal(before, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 30.0 AS x))"), 12);
                Assert.Equal(2701.0, before, 6);
                Assert.Equal(900.0, db.Double("SELECT xx FROM ML.TRANSFORM(MODEL m, (SELECT 30.0 AS x))"), 12);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
