using System.Collections;
using static SqlMl.Tests.Features.AutoTypesData;

namespace SqlMl.Tests.Features;

/// <summary>
/// TIMESTAMP and DATE features: Unix seconds (standardized, NULL → training mean) plus one-hot calendar components
/// _TS_DOM_ … _TS_YEAR_ (NULL → their NULL category). Each model on a raw TIMESTAMP column must equal the model trained
/// on the same rows expanded by hand in C#.
/// </summary>
public class TimestampFeatureTests
{
    private static readonly string HandColumns = "ts, " + string.Join(", ", Components.Select(n => $"_TS_{n}_ts")) + ", x";

    [Fact]
    public void Linear_model_on_a_timestamp_equals_the_model_on_hand_expanded_columns()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], l2_reg = 0.1) AS SELECT ts, x, y FROM t");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], l2_reg = 0.1) AS SELECT {HandColumns}, y FROM h");
        AssertSameWeights(db, "hand", "raw", 1e-9);
        Assert.Equal(["ts", "_TS_DOM_ts", "_TS_DOW_ts", "_TS_MOY_ts", "_TS_HOD_ts", "_TS_MOH_ts", "_TS_WOY_ts", "_TS_YEAR_ts", "x", "__INTERCEPT__"],
            db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL raw)").Select(r => (string)r[0]!));
        // Prediction on the raw rows (TIMESTAMP input) equals the hand model's on the expanded rows.
        AssertClose(Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL hand, TABLE h) ORDER BY id"),
            Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL raw, TABLE t) ORDER BY id"), 1e-9);
        AssertClose(Doubles(db, "SELECT r2_score FROM ML.EVALUATE(MODEL hand, TABLE h)"), Doubles(db, "SELECT r2_score FROM ML.EVALUATE(MODEL raw, TABLE t)"), 1e-9);
        // Prediction passes the input's TIMESTAMP through unchanged.
        Assert.Equal(typeof(DateTime), db.Scalar("SELECT ts FROM ML.PREDICT(MODEL raw, TABLE t) WHERE ts IS NOT NULL LIMIT 1")!.GetType());
    }

    [Fact]
    public void Null_timestamp_gets_the_mean_seconds_and_the_null_component_categories()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, x, y FROM t");
        var w = Weights(db, "raw");
        Assert.All(Components, c => Assert.True(w[$"_TS_{c}_ts"].Categories.ContainsKey("<NULL>"), c));
        // Prediction from the raw-unit weights, computed plainly: NULL seconds → the mean Unix time of the training
        // rows with a timestamp, each component → its NULL category's weight.
        double mean = db.Double("SELECT avg(epoch(ts)) FROM t");
        double expected = w["__INTERCEPT__"].Weight!.Value + w["ts"].Weight!.Value * mean + w["x"].Weight!.Value * 1.0
            + Components.Sum(c => w[$"_TS_{c}_ts"].Categories["<NULL>"]);
        Close(expected, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT NULL::TIMESTAMP AS ts, 1.0 AS x))"), 1e-9, "prediction at NULL");
        // DuckDB's ±infinity timestamps (BigQuery has none) have no seconds or components: they behave like NULL.
        Close(expected, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT 'infinity'::TIMESTAMP AS ts, 1.0 AS x))"), 1e-9, "prediction at infinity");
        // Categories unseen in training (the year 2030) contribute 0: the prediction at a 2030 timestamp, computed plainly.
        double known = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT TIMESTAMP '2022-06-15 10:20:00' AS ts, 1.0 AS x))");
        double unseenYear = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT TIMESTAMP '2030-06-12 10:20:00' AS ts, 1.0 AS x))");
        var a = new DateTime(2022, 6, 15, 10, 20, 0);
        var b = new DateTime(2030, 6, 12, 10, 20, 0);
        double Category(string c, DateTime t) =>
            w[$"_TS_{c}_ts"].Categories.GetValueOrDefault(ComponentsOf(t)[Array.IndexOf(Components, c)].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, Category("YEAR", b));
        double diff = w["ts"].Weight!.Value * (UnixSeconds(b) - UnixSeconds(a)) + Components.Sum(c => Category(c, b) - Category(c, a));
        Close(known + diff, unseenYear, 1e-9, "unseen year contributes 0");
    }

    [Fact]
    public void Logistic_model_on_a_timestamp_equals_the_model_on_hand_expanded_columns()
    {
        using var db = new TestDb();
        Timestamps(db, rows: 200);
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'logistic_reg', input_label_cols = ['c'], l2_reg = 1) AS SELECT ts, x, c FROM t");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'logistic_reg', input_label_cols = ['c'], l2_reg = 1) AS SELECT {HandColumns}, c FROM h");
        AssertSameWeights(db, "hand", "raw", 1e-6, multiclass: true);
        string probs = "SELECT list_transform(predicted_c_probs, p -> p.prob) FROM ML.PREDICT(MODEL {0}, TABLE {1}) ORDER BY id";
        var expected = db.Rows(string.Format(probs, "hand", "h")).SelectMany(r => ((IList)r[0]!).Cast<double>()).ToList();
        var actual = db.Rows(string.Format(probs, "raw", "t")).SelectMany(r => ((IList)r[0]!).Cast<double>()).ToList();
        AssertClose(expected, actual, 1e-6);
        Assert.Equal(db.Rows("SELECT * FROM ML.CONFUSION_MATRIX(MODEL hand, TABLE h)").Select(r => string.Join("|", r)),
            db.Rows("SELECT * FROM ML.CONFUSION_MATRIX(MODEL raw, TABLE t)").Select(r => string.Join("|", r)));
        AssertClose(Doubles(db, "SELECT log_loss FROM ML.EVALUATE(MODEL hand, TABLE h)"), Doubles(db, "SELECT log_loss FROM ML.EVALUATE(MODEL raw, TABLE t)"), 1e-6);
    }

    [Fact]
    public void Binary_roc_curve_and_explanations_read_the_raw_timestamp()
    {
        using var db = new TestDb();
        Timestamps(db, rows: 150);
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1, enable_global_explain = true) AS SELECT ts, x, c = 'hi' AS k FROM t");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1, enable_global_explain = true) AS SELECT {HandColumns}, c = 'hi' AS k FROM h");
        const string roc = "SELECT threshold, recall, false_positive_rate FROM ML.ROC_CURVE(MODEL {0}, (SELECT *, c = 'hi' AS k FROM {1}), GENERATE_ARRAY(0.1, 0.9, 0.2)) ORDER BY threshold";
        Assert.Equal(db.Rows(string.Format(roc, "hand", "h")).Select(r => string.Join("|", r)), db.Rows(string.Format(roc, "raw", "t")).Select(r => string.Join("|", r)));
        AssertClose(Doubles(db, "SELECT attribution FROM ML.GLOBAL_EXPLAIN(MODEL hand) ORDER BY feature"), Doubles(db, "SELECT attribution FROM ML.GLOBAL_EXPLAIN(MODEL raw) ORDER BY feature"), 1e-6);
        const string explain = "SELECT list_transform(top_feature_attributions, a -> a.attribution) FROM ML.EXPLAIN_PREDICT(MODEL {0}, TABLE {1}, STRUCT(9 AS top_k_features)) ORDER BY id";
        AssertClose(db.Rows(string.Format(explain, "hand", "h")).SelectMany(r => ((IList)r[0]!).Cast<double>()).ToList(),
            db.Rows(string.Format(explain, "raw", "t")).SelectMany(r => ((IList)r[0]!).Cast<double>()).ToList(), 1e-6);
    }

    [Fact]
    public void Kmeans_model_on_a_timestamp_equals_the_model_on_hand_expanded_columns()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("ALTER TABLE t ADD COLUMN init BOOLEAN; UPDATE t SET init = id IN (1, 2, 3)");
        db.Execute("ALTER TABLE h ADD COLUMN init BOOLEAN; UPDATE h SET init = id IN (1, 2, 3)");
        const string options = "model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init'";
        db.Execute($"CREATE MODEL raw OPTIONS({options}) AS SELECT ts, x, init FROM t");
        db.Execute($"CREATE MODEL hand OPTIONS({options}) AS SELECT {HandColumns}, init FROM h");
        const string centroids = "SELECT centroid_id, feature, numerical_value, categorical_value FROM ML.CENTROIDS(MODEL {0}) ORDER BY centroid_id, feature";
        var expected = db.Rows(string.Format(centroids, "hand"));
        var actual = db.Rows(string.Format(centroids, "raw"));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i][1], actual[i][1]);
            if (expected[i][2] is double v) Close(v, (double)actual[i][2]!, 1e-9, (string)expected[i][1]!);
            var e = ((IList)expected[i][3]!).Cast<IDictionary<string, object?>>().Select(d => (d["category"], (double)d["value"]!)).ToList();
            var a = ((IList)actual[i][3]!).Cast<IDictionary<string, object?>>().Select(d => (d["category"], (double)d["value"]!)).ToList();
            Assert.Equal(e.Select(p => p.Item1), a.Select(p => p.Item1));
            AssertClose(e.Select(p => p.Item2).ToList(), a.Select(p => p.Item2).ToList(), 1e-9);
        }
        Assert.Equal(Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL hand, TABLE h) ORDER BY id"), Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL raw, TABLE t) ORDER BY id"));
        AssertClose(Doubles(db, "SELECT normalized_distance FROM ML.DETECT_ANOMALIES(MODEL hand, STRUCT(0.05 AS contamination), TABLE h) ORDER BY id"),
            Doubles(db, "SELECT normalized_distance FROM ML.DETECT_ANOMALIES(MODEL raw, STRUCT(0.05 AS contamination), TABLE t) ORDER BY id"), 1e-9);
    }

    [Fact]
    public void Date_features_have_no_hour_or_minute_components()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE d AS SELECT i, DATE '2023-12-25' + CAST(i * 3 AS INTEGER) AS day, i * 0.1 + (i % 7) AS y FROM range(120) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT day, y FROM d");
        Assert.Equal(["day", "_TS_DOM_day", "_TS_DOW_day", "_TS_MOY_day", "_TS_WOY_day", "_TS_YEAR_day", "__INTERCEPT__"],
            db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL m)").Select(r => (string)r[0]!));
        // The first row, Monday 2023-12-25: day of week 2 (Sunday = 1), week 52 of 2023 (weeks start on Sunday).
        var first = new DateTime(2023, 12, 25);
        Assert.Equal([25, 2, 12, 0, 0, 52, 2023], ComponentsOf(first));
        var w = Weights(db, "m");
        Assert.True(w["_TS_WOY_day"].Categories.ContainsKey("0")); // 2024-01-01..06 come before 2024's first Sunday
        // A model on the hand-expanded DATE (seconds of midnight UTC and five components) is the same model.
        db.Execute("CREATE TABLE hd AS SELECT i, epoch(day)::DOUBLE AS day, " +
                   "CAST(dayofmonth(day) AS VARCHAR) AS _TS_DOM_day, CAST(dayofweek(day) + 1 AS VARCHAR) AS _TS_DOW_day, CAST(month(day) AS VARCHAR) AS _TS_MOY_day, " +
                   "CAST(CAST(strftime(day, '%U') AS INTEGER) AS VARCHAR) AS _TS_WOY_day, CAST(year(day) AS VARCHAR) AS _TS_YEAR_day, y FROM d");
        Assert.Equal(86400.0 * 19716, db.Double("SELECT day FROM hd WHERE i = 0"));
        db.Execute("CREATE MODEL h OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * EXCLUDE (i) FROM hd");
        AssertSameWeights(db, "h", "m", 1e-9);
    }

    [Fact]
    public void Timestamp_with_time_zone_components_are_taken_in_utc()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("CREATE TABLE tz AS SELECT id, CAST(ts AS VARCHAR) || '+00' AS s, x, y FROM t");
        db.Execute("CREATE MODEL naive OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, x, y FROM t");
        db.Execute("CREATE MODEL zoned OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT CAST(s AS TIMESTAMPTZ) AS ts, x, y FROM tz");
        AssertSameWeights(db, "naive", "zoned", 1e-9);
    }

    [Fact]
    public void Predictions_do_not_depend_on_the_session_time_zone_whatever_the_input_timestamp_type()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("CREATE TABLE tz AS SELECT id, CAST(CAST(ts AS VARCHAR) || '+00' AS TIMESTAMPTZ) AS ts, x, y FROM t");
        db.Execute("CREATE MODEL naive OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, x, y FROM t");
        db.Execute("CREATE MODEL zoned OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, x, y FROM tz");
        db.Execute("SET TimeZone = 'UTC'");
        var utc = Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL naive, TABLE t) ORDER BY id");
        db.Execute("SET TimeZone = 'Asia/Tokyo'");
        // Each model, given either type of timestamp for the same instants, predicts what it predicts in UTC.
        AssertClose(utc, Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL naive, TABLE t) ORDER BY id"), 1e-9);
        AssertClose(utc, Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL naive, TABLE tz) ORDER BY id"), 1e-9);
        AssertClose(utc, Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL zoned, TABLE tz) ORDER BY id"), 1e-9);
        AssertClose(utc, Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL zoned, TABLE t) ORDER BY id"), 1e-9);
    }

    [Fact]
    public void Prediction_input_must_still_be_a_timestamp()
    {
        using var db = new TestDb();
        Timestamps(db);
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, x, y FROM t");
        var e = db.Fails("SELECT * FROM ML.PREDICT(MODEL raw, (SELECT CAST(ts AS VARCHAR) AS ts, x FROM t))");
        Assert.Contains("input column 'ts' has type VARCHAR, but model raw was trained with it as TIMESTAMP (expanded by automatic preprocessing). Cast it to TIMESTAMP.", e.Message, StringComparison.Ordinal);
        // A DATE input to a TIMESTAMP model would lack the hour and minute.
        Assert.Contains("has type DATE", db.Fails("SELECT * FROM ML.PREDICT(MODEL raw, (SELECT CAST(ts AS DATE) AS ts, x FROM t))").Message, StringComparison.Ordinal);
    }
}
