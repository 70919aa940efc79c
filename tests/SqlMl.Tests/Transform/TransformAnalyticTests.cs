using System.Globalization;

namespace SqlMl.Tests.Transform;

/// <summary>
/// Analytic ML preprocessing functions inside TRANSFORM: their statistics are learned on the training rows, frozen,
/// and re-applied unchanged to any later input.
/// </summary>
public class TransformAnalyticTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 23)::DOUBLE END AS x, ((i * 5) % 9)::DOUBLE + 1 AS z,
              CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS g,
              3.0 * ((i * 37) % 23) - 2.0 * ((i * 5) % 9) + CASE WHEN i % 3 = 0 THEN 4 ELSE 0 END + cos(i) AS y
            FROM range(90) r(i)
            """);
        // New rows: values outside the training range, NULLs, an unseen category.
        db.Execute("CREATE TABLE u AS SELECT * FROM (VALUES (1, 40.0, -5.0, 'c'), (2, NULL, 20.0, NULL), (3, 3.0, 4.0, 'a')) v(id, x, z, g)");
        return db;
    }

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Frozen_statistics_give_the_model_trained_on_hand_transformed_data()
    {
        using var db = WithData();
        db.Execute("""
            CREATE MODEL m TRANSFORM(ML.STANDARD_SCALER(x) OVER() AS sx, ML.MIN_MAX_SCALER(z) OVER() AS mz,
                                     ML.IMPUTER(g, 'most_frequent') OVER() AS gi, y)
            OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, z, g, y FROM t
            """);
        // The statistics, computed plainly from the training rows.
        var rows = db.Rows("SELECT x, z, g FROM t");
        var xs = rows.Where(r => r[0] is not null).Select(r => (double)r[0]!).ToList();
        double mean = xs.Average(), sd = Math.Sqrt(xs.Sum(v => (v - mean) * (v - mean)) / (xs.Count - 1));
        double min = rows.Min(r => (double)r[1]!), max = rows.Max(r => (double)r[1]!);
        string mode = rows.Where(r => r[2] is not null).GroupBy(r => (string)r[2]!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        string hand(string table) =>
            $"SELECT id, (x - {D(mean)}) / {D(sd)} AS sx, least(greatest((z - {D(min)}) / ({D(max)} - {D(min)}), 0), 1) AS mz, coalesce(g, '{mode}') AS gi FROM {table}";
        db.Execute($"CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT sx, mz, gi, y FROM ({hand("t")}) JOIN t USING (id)");

        foreach (string table in new[] { "t", "u" })
        {
            var expected = db.Rows($"SELECT id, predicted_y FROM ML.PREDICT(MODEL h, ({hand(table)})) ORDER BY id");
            var actual = db.Rows($"SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT id, x, z, g FROM {table})) ORDER BY id");
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
                Assert.Equal((double)expected[i][1]!, (double)actual[i][1]!, 9);
        }
        // The transformed columns of the new rows use the training statistics (min-max clamped to [0, 1]).
        var u = db.Rows("SELECT sx, mz, gi FROM ML.TRANSFORM(MODEL m, (SELECT * FROM u ORDER BY id))");
        Assert.Equal((40 - mean) / sd, (double)u[0][0]!, 12);
        Assert.Equal((0.0, 1.0), ((double)u[0][1]!, (double)u[1][1]!));
        Assert.Equal(mode, u[1][2]);
    }

    [Fact]
    public void On_the_training_rows_ml_transform_equals_the_window_form()
    {
        using var db = WithData();
        const string list = "ML.STANDARD_SCALER(x) OVER() AS sx, ML.ROBUST_SCALER(z) OVER() AS rz, ML.QUANTILE_BUCKETIZE(z, 3) OVER() AS qz, " +
                            "ML.LABEL_ENCODER(g, 10, 1) OVER() AS lg, ML.BUCKETIZE(x, [5, 10, 15]) AS bx, ML.MAX_ABS_SCALER(z) OVER() * 2 AS m2, y";
        db.Execute($"CREATE MODEL m TRANSFORM({list}) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var window = db.Rows($"SELECT {list} FROM t ORDER BY id").Select(r => string.Join("|", r));
        var frozen = db.Rows("SELECT * FROM ML.TRANSFORM(MODEL m, (SELECT * FROM t ORDER BY id))").Select(r => string.Join("|", r));
        Assert.Equal(window, frozen);
    }

    [Fact]
    public void Predicting_one_row_alone_equals_predicting_it_among_others()
    {
        using var db = WithData();
        db.Execute("""
            CREATE MODEL m TRANSFORM(ML.STANDARD_SCALER(x) OVER() AS sx, ML.QUANTILE_BUCKETIZE(z, 4) OVER() AS qz, ML.IMPUTER(g, 'most_frequent') OVER() AS gi, y)
            OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t
            """);
        var all = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT * FROM u UNION ALL SELECT id + 100, x, z, g FROM t))")
            .ToDictionary(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), r => (double)r[1]!);
        foreach (long id in new long[] { 1, 2, 3, 105 })
        {
            string one = id > 100 ? $"SELECT id + 100 AS id, x, z, g FROM t WHERE id = {id - 100}" : $"SELECT * FROM u WHERE id = {id}";
            Assert.Equal(all[id], db.Double($"SELECT predicted_y FROM ML.PREDICT(MODEL m, ({one}))"), 12);
        }
    }

    [Fact]
    public void Preprocessing_errors_inside_transform_point_into_the_statement()
    {
        using var db = WithData();
        var e = db.Fails("CREATE MODEL m\n  TRANSFORM(x,\n    ML.BUCKETIZE(z, [3, 1]) AS b, y)\n  OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        // The split points, '[3, 1]', start at line 3, column 21 of the statement.
        Assert.Equal((3, 21), (e.Line, e.Column));
        Assert.Contains("line 3, column 21", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE MODEL m TRANSFORM(x, ML.STANDARD_SCALER(z) OVER(PARTITION BY g) AS s, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        Assert.Equal(1, e.Line);
        Assert.Equal(29, e.Column);
    }

    [Fact]
    public void Kmeans_and_logistic_reg_take_analytic_transforms()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL k TRANSFORM(ML.STANDARD_SCALER(x) OVER() AS sx, ML.STANDARD_SCALER(z) OVER() AS sz) OPTIONS(model_type='kmeans', num_clusters=3, standardize_features=false) AS SELECT * FROM t");
        Assert.Equal(3L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.PREDICT(MODEL k, TABLE t)"));
        Assert.Equal(["id", "x", "z", "g", "centroid_id"], db.Columns("SELECT * EXCLUDE (nearest_centroids_distance) FROM ML.PREDICT(MODEL k, TABLE u)"));
        db.Execute("CREATE MODEL c TRANSFORM(ML.MIN_MAX_SCALER(x) OVER() AS mx, ML.BUCKETIZE(z, [3, 6]) AS bz, g) OPTIONS(model_type='logistic_reg', input_label_cols=['g']) AS SELECT * FROM t WHERE g IS NOT NULL");
        Assert.Equal(3L, db.Scalar("SELECT count(*) FROM ML.PREDICT(MODEL c, TABLE u)"));
        Assert.Contains("bz", db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL c)").Select(r => (string)r[0]!));
    }
}
