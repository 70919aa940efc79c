using System.Collections;
using System.Text;
using static SqlMl.Tests.Features.AutoTypesData;

namespace SqlMl.Tests.Features;

/// <summary>
/// ARRAY (non-numeric) features are multi-hot: one 0/1 coordinate per element seen in training, neither centred nor
/// scaled (like one-hot), the NULL category set by a NULL array or a NULL element, unseen elements contributing 0.
/// Checked against a hand-built design of 0/1 columns computed in C#.
/// </summary>
public class MultiHotFeatureTests
{
    private static readonly string[] Elements = ["a", "b", "c", "d"];

    /// <summary>
    /// <c>m(id, tags VARCHAR[], x, y, k)</c> and the hand design <c>hm(id, tags_a … tags_d, tags_null, x, y, k)</c>;
    /// <c>k</c> is a binary class, <c>init</c> flags three k-means seeds.
    /// </summary>
    private static TestDb Data(int rows = 240)
    {
        var db = new TestDb();
        var rng = new Random(11);
        var raw = new StringBuilder();
        var hand = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            List<string?>? tags = i % 17 == 3 ? null : Elements.Where(_ => rng.NextDouble() < 0.45).Cast<string?>().ToList();
            if (tags is not null && i % 13 == 4) tags.Add(null);
            if (tags is not null && i % 5 == 0 && tags.Count > 0) tags.Add(tags[0]); // duplicates count once
            double x = Math.Round(rng.NextDouble() * 4, 3);
            bool Has(string? e) => tags is null ? e is null : tags.Contains(e);
            double y = 1 + x + (Has("a") ? 2 : 0) - (Has("b") ? 1.5 : 0) + (Has("c") ? 0.7 : 0) + (Has(null) ? 3 : 0) + rng.NextDouble() * 0.5;
            bool k = y + rng.NextDouble() * 3 > 4.5;
            string list = tags is null ? "NULL::VARCHAR[]" : "[" + string.Join(", ", tags.Select(Lit)) + "]::VARCHAR[]";
            if (i > 0) { raw.Append(", "); hand.Append(", "); }
            raw.Append($"({i}, {list}, {Lit(x)}, {Lit(y)}, {(k ? "true" : "false")}, {(i is 0 or 1 or 2 ? "true" : "false")})");
            hand.Append($"({i}, {string.Join(", ", Elements.Select(e => Has(e) ? "1e0" : "0e0"))}, {(Has(null) ? "1e0" : "0e0")}, {Lit(x)}, {Lit(y)}, {(k ? "true" : "false")}, {(i is 0 or 1 or 2 ? "true" : "false")})");
        }
        db.Execute($"CREATE TABLE m AS SELECT * FROM (VALUES {raw}) v(id, tags, x, y, k, init)");
        db.Execute($"CREATE TABLE hm AS SELECT * FROM (VALUES {hand}) v(id, tags_a, tags_b, tags_c, tags_d, tags_null, x, y, k, init)");
        return db;
    }

    private const string HandColumns = "tags_a, tags_b, tags_c, tags_d, tags_null, x";

    private static double Element(Dictionary<string, (double? Weight, Dictionary<string, double> Categories)> w, string key, string element) =>
        w[key].Categories[element];

    [Fact]
    public void Linear_multi_hot_weights_equal_a_hand_built_indicator_design()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT tags, x, y FROM m");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT {HandColumns}, y FROM hm");
        var raw = Weights(db, "raw");
        var hand = Weights(db, "hand");
        Assert.Equal(["tags", "x", "__INTERCEPT__"], db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL raw)").Select(r => (string)r[0]!));
        Assert.Equal(["<NULL>", "a", "b", "c", "d"], raw["tags"].Categories.Keys.Order(StringComparer.Ordinal));
        Assert.Null(raw["tags"].Weight);
        foreach (var e in Elements) Close(hand["tags_" + e].Weight!.Value, Element(raw, "tags", e), 1e-8, e);
        Close(hand["tags_null"].Weight!.Value, Element(raw, "tags", "<NULL>"), 1e-8, "NULL");
        Close(hand["x"].Weight!.Value, raw["x"].Weight!.Value, 1e-8, "x");
        Close(hand["__INTERCEPT__"].Weight!.Value, raw["__INTERCEPT__"].Weight!.Value, 1e-8, "intercept");
        // The indicators are not standardized: the standardized view shows the same element weights.
        Close(Element(raw, "tags", "a"), (double)db.Rows("SELECT category_weights[1].weight FROM ML.WEIGHTS(MODEL raw, STRUCT(true AS standardize)) WHERE processed_input = 'tags'")[0][0]!, 1e-12, "standardized");
        AssertClose(Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL hand, TABLE hm) ORDER BY id"),
            Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL raw, TABLE m) ORDER BY id"), 1e-9);
    }

    [Fact]
    public void Unseen_elements_contribute_nothing_and_duplicates_count_once()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT tags, x, y FROM m");
        var w = Weights(db, "raw");
        double baseline = w["__INTERCEPT__"].Weight!.Value + w["x"].Weight!.Value;
        double Predict(string tags) => db.Double($"SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT {tags}::VARCHAR[] AS tags, 1.0 AS x))");
        Close(baseline, Predict("[]"), 1e-12, "empty array");
        Close(baseline, Predict("['zzz', 'unseen']"), 1e-12, "unseen elements");
        Close(baseline + Element(w, "tags", "a") + Element(w, "tags", "c"), Predict("['a', 'c', 'a', 'zzz']"), 1e-12, "a and c");
        Close(baseline + Element(w, "tags", "<NULL>"), Predict("NULL"), 1e-12, "NULL array");
        Close(baseline + Element(w, "tags", "<NULL>") + Element(w, "tags", "b"), Predict("['b', NULL]"), 1e-12, "NULL element");
    }

    [Fact]
    public void Ridge_penalizes_element_weights_unscaled_like_one_hot_levels()
    {
        using var db = Data();
        const double l2 = 3.0;
        db.Execute($"CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], l2_reg = {l2}) AS SELECT tags, x, y FROM m");
        // Plain ridge with an unpenalized intercept: columns x standardized (sample sd) and the raw 0/1 indicators, all
        // centred (the free intercept absorbs any shift), w = (XcᵀXc + l2·I)⁻¹ Xcᵀyc.
        var rows = db.Rows("SELECT x, tags_a, tags_b, tags_c, tags_d, tags_null, y FROM hm ORDER BY id");
        int n = rows.Count, p = 6;
        var xs = rows.Select(r => (double)r[0]!).ToArray();
        double mean = xs.Average(), sd = Math.Sqrt(xs.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, p, (i, j) => j == 0 ? (xs[i] - mean) / sd : (double)rows[i][j]!);
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(n, i => (double)rows[i][6]!);
        var means = Enumerable.Range(0, p).Select(j => design.Column(j).Average()).ToArray();
        var centred = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, p, (i, j) => design[i, j] - means[j]);
        var yc = y - y.Average();
        var w = (centred.TransposeThisAndMultiply(centred) + l2 * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(p)).Solve(centred.TransposeThisAndMultiply(yc));
        double intercept = y.Average() - Enumerable.Range(0, p).Sum(j => w[j] * means[j]);
        var weights = Weights(db, "raw");
        Close(w[0] / sd, weights["x"].Weight!.Value, 1e-8, "x");
        for (int e = 0; e < Elements.Length; e++) Close(w[1 + e], Element(weights, "tags", Elements[e]), 1e-8, Elements[e]);
        Close(w[5], Element(weights, "tags", "<NULL>"), 1e-8, "NULL");
        Close(intercept - w[0] * mean / sd, weights["__INTERCEPT__"].Weight!.Value, 1e-8, "intercept");
    }

    [Fact]
    public void Standardized_kmeans_scales_numeric_features_but_not_elements()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init') AS SELECT tags, x, init FROM m");
        // The hand design standardizes x itself and keeps the 0/1 columns as they are.
        db.Execute("CREATE TABLE hs AS SELECT * REPLACE ((x - avg(x) OVER ()) / stddev_samp(x) OVER () AS x) FROM hm");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init', standardize_features = false) AS SELECT {HandColumns}, init FROM hs");
        Assert.Equal(Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL hand, TABLE hs) ORDER BY id"), Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL raw, TABLE m) ORDER BY id"));
        for (int k = 1; k <= 3; k++)
        {
            var cats = ((IList)db.Scalar($"SELECT categorical_value FROM ML.CENTROIDS(MODEL raw) WHERE centroid_id = {k} AND feature = 'tags'")!)
                .Cast<IDictionary<string, object?>>().ToDictionary(e => (string?)e["category"] ?? "null", e => (double)e["value"]!);
            foreach (var e in Elements.Append("null"))
                Close(db.Double($"SELECT numerical_value FROM ML.CENTROIDS(MODEL hand) WHERE centroid_id = {k} AND feature = 'tags_{e}'"), cats[e], 1e-9, $"centroid {k} {e}");
            Close(db.Double($"SELECT numerical_value FROM ML.CENTROIDS(MODEL hand) WHERE centroid_id = {k} AND feature = 'x'"),
                db.Double($"SELECT numerical_value FROM ML.CENTROIDS(MODEL raw, STRUCT(true AS standardize)) WHERE centroid_id = {k} AND feature = 'x'"), 1e-9, $"centroid {k} x");
        }
    }

    [Fact]
    public void Logistic_multi_hot_equals_a_hand_built_indicator_design()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], enable_global_explain = true) AS SELECT tags, x, k FROM m");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k']) AS SELECT {HandColumns}, k FROM hm");
        var raw = Weights(db, "raw");
        var hand = Weights(db, "hand");
        foreach (var e in Elements) Close(hand["tags_" + e].Weight!.Value, Element(raw, "tags", e), 1e-6, e);
        Close(hand["tags_null"].Weight!.Value, Element(raw, "tags", "<NULL>"), 1e-6, "NULL");
        AssertClose(Doubles(db, "SELECT predicted_k_probs[1].prob FROM ML.PREDICT(MODEL hand, TABLE hm) ORDER BY id"),
            Doubles(db, "SELECT predicted_k_probs[1].prob FROM ML.PREDICT(MODEL raw, TABLE m) ORDER BY id"), 1e-6);
        // Global explanation of the array: mean over training rows of |Σ weights of the row's elements|, computed plainly.
        var rows = db.Rows("SELECT tags_a, tags_b, tags_c, tags_d, tags_null FROM hm");
        double expected = rows.Average(r => Math.Abs(Elements.Select((e, i) => (double)r[i]! * Element(raw, "tags", e)).Sum() + (double)r[4]! * Element(raw, "tags", "<NULL>")));
        Close(expected, db.Double("SELECT attribution FROM ML.GLOBAL_EXPLAIN(MODEL raw) WHERE feature = 'tags'"), 1e-9, "global attribution");
    }

    [Fact]
    public void Kmeans_multi_hot_centroids_are_element_frequencies_of_a_hand_built_design()
    {
        using var db = Data();
        const string options = "model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init', standardize_features = false";
        db.Execute($"CREATE MODEL raw OPTIONS({options}) AS SELECT tags, x, init FROM m");
        db.Execute($"CREATE MODEL hand OPTIONS({options}) AS SELECT {HandColumns}, init FROM hm");
        for (int k = 1; k <= 3; k++)
        {
            var cats = ((IList)db.Scalar($"SELECT categorical_value FROM ML.CENTROIDS(MODEL raw) WHERE centroid_id = {k} AND feature = 'tags'")!)
                .Cast<IDictionary<string, object?>>().ToDictionary(e => (string?)e["category"] ?? "null", e => (double)e["value"]!);
            foreach (var e in Elements.Append("null"))
                Close(db.Double($"SELECT numerical_value FROM ML.CENTROIDS(MODEL hand) WHERE centroid_id = {k} AND feature = 'tags_{e}'"), cats[e], 1e-9, $"centroid {k} {e}");
        }
        Assert.Equal(Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL hand, TABLE hm) ORDER BY id"), Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL raw, TABLE m) ORDER BY id"));
        AssertClose(Doubles(db, "SELECT mean_squared_distance FROM ML.EVALUATE(MODEL hand, TABLE hm)"), Doubles(db, "SELECT mean_squared_distance FROM ML.EVALUATE(MODEL raw, TABLE m)"), 1e-9);
    }

    [Fact]
    public void Advanced_weights_of_elements_equal_the_hand_design_p_values()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], calculate_p_values = true) AS SELECT x, tags, y FROM m");
        db.Execute($"CREATE MODEL hand OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], calculate_p_values = true) AS SELECT x, {HandColumns.Replace(", x", "", StringComparison.Ordinal)}, y FROM hm");
        var entries = ((IList)db.Scalar("SELECT category_weights FROM ML.ADVANCED_WEIGHTS(MODEL raw) WHERE processed_input = 'tags'")!).Cast<IDictionary<string, object?>>()
            .ToDictionary(e => (string?)e["category"] ?? "null", e => ((double)e["weight"]!, (double)e["standard_error"]!, (double)e["p_value"]!));
        foreach (var e in Elements.Append("null"))
        {
            var h = db.Rows($"SELECT weight, standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL hand) WHERE processed_input = 'tags_{e}'")[0];
            Close((double)h[0]!, entries[e].Item1, 1e-8, e + " weight");
            Close((double)h[1]!, entries[e].Item2, 1e-6, e + " standard error");
            Close((double)h[2]!, entries[e].Item3, 1e-6, e + " p-value");
        }
        var hx = db.Rows("SELECT standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL hand) WHERE processed_input IN ('x', '__INTERCEPT__') ORDER BY 1");
        var rx = db.Rows("SELECT standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL raw) WHERE processed_input IN ('x', '__INTERCEPT__') ORDER BY 1");
        for (int i = 0; i < 2; i++) Close((double)hx[i][0]!, (double)rx[i][0]!, 1e-6, "x/intercept standard error");
    }

    [Fact]
    public void Explain_predict_attributes_the_sum_of_the_row_elements_to_the_array()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], enable_global_explain = true) AS SELECT tags, x, y FROM m");
        var w = Weights(db, "raw");
        var row = db.Rows("SELECT top_feature_attributions, prediction_value, baseline_prediction_value FROM ML.EXPLAIN_PREDICT(MODEL raw, (SELECT ['a', 'b', NULL]::VARCHAR[] AS tags, 2.0 AS x))")[0];
        var attributions = ((IList)row[0]!).Cast<IDictionary<string, object?>>().ToDictionary(e => (string)e["feature"]!, e => (double)e["attribution"]!);
        Close(Element(w, "tags", "a") + Element(w, "tags", "b") + Element(w, "tags", "<NULL>"), attributions["tags"], 1e-12, "tags attribution");
        Close((double)row[1]!, (double)row[2]! + attributions.Values.Sum(), 1e-9, "additivity");
        var rows = db.Rows("SELECT tags_a, tags_b, tags_c, tags_d, tags_null FROM hm");
        double expected = rows.Average(r => Math.Abs(Elements.Select((e, i) => (double)r[i]! * Element(w, "tags", e)).Sum() + (double)r[4]! * Element(w, "tags", "<NULL>")));
        Close(expected, db.Double("SELECT attribution FROM ML.GLOBAL_EXPLAIN(MODEL raw) WHERE feature = 'tags'"), 1e-9, "global attribution");
    }

    [Fact]
    public void Non_string_arrays_are_multi_hot_on_their_text()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE b AS SELECT i, [i % 2 = 0, i % 3 = 0] AS flags, [DATE '2024-01-01' + CAST(i % 3 AS INTEGER)] AS days, (i % 2) * 2.0 + (i % 3) AS y FROM range(60) r(i)");
        db.Execute("CREATE MODEL bm OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT flags, days, y FROM b");
        var w = Weights(db, "bm");
        Assert.Equal(["false", "true"], w["flags"].Categories.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["2024-01-01", "2024-01-02", "2024-01-03"], w["days"].Categories.Keys.Order(StringComparer.Ordinal));
        AssertClose(Doubles(db, "SELECT y FROM b ORDER BY i"), Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL bm, TABLE b) ORDER BY i"), 1e-8);
    }

    [Fact]
    public void Warm_start_continues_element_weights_and_starts_new_elements_at_zero()
    {
        using var db = Data();
        const string options = "model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'BATCH_GRADIENT_DESCENT', early_stop = false";
        db.Execute($"CREATE MODEL w OPTIONS({options}, max_iterations = 50) AS SELECT tags, x, y FROM m");
        var before = Weights(db, "w");
        // Continuing on the same rows from the optimum: the first new iteration's loss is the last one's.
        db.Execute($"CREATE OR REPLACE MODEL w OPTIONS({options}, max_iterations = 1, warm_start = true) AS SELECT tags, x, y FROM m");
        var losses = db.Rows("SELECT training_run, loss FROM ML.TRAINING_INFO(MODEL w) ORDER BY training_run, iteration").Select(r => ((long)r[0]!, (double)r[1]!)).ToList();
        Close(losses.Where(l => l.Item1 == 0).Last().Item2, losses.Single(l => l.Item1 == 1).Item2, 1e-6, "loss after warm start");
        var after = Weights(db, "w");
        foreach (var e in Elements) Close(Element(before, "tags", e), Element(after, "tags", e), 1e-4, e);
        // New data with a new element 'e' and without 'd': 'e' starts at 0, 'd' is gone; the others start where they were.
        db.Execute("CREATE TABLE m2 AS SELECT * REPLACE (list_transform(tags, t -> CASE WHEN t = 'd' THEN 'e' ELSE t END) AS tags) FROM m");
        db.Execute($"CREATE OR REPLACE MODEL w OPTIONS({options}, max_iterations = 1, warm_start = true) AS SELECT tags, x, y FROM m2");
        Assert.Equal(["<NULL>", "a", "b", "c", "e"], Weights(db, "w")["tags"].Categories.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2L, db.Scalar("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL w)"));
    }

    [Fact]
    public void Warm_start_of_logistic_and_kmeans_models_with_arrays_starts_from_the_old_model()
    {
        using var db = Data();
        db.Execute("CREATE MODEL l OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1, max_iterations = 50, early_stop = false) AS SELECT tags, x, k FROM m");
        db.Execute("CREATE OR REPLACE MODEL l OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1, max_iterations = 1, warm_start = true) AS SELECT tags, x, k FROM m");
        var l = db.Rows("SELECT training_run, loss FROM ML.TRAINING_INFO(MODEL l) ORDER BY training_run, iteration").Select(r => ((long)r[0]!, (double)r[1]!)).ToList();
        Close(l.Where(t => t.Item1 == 0).Last().Item2, l.Single(t => t.Item1 == 1).Item2, 1e-6, "logistic loss after warm start");
        db.Execute("CREATE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init', max_iterations = 100, early_stop = false) AS SELECT tags, x, init FROM m");
        var centroids = db.Rows("SELECT centroid_id, categorical_value FROM ML.CENTROIDS(MODEL km) WHERE feature = 'tags' ORDER BY centroid_id").Select(r => ResultText(r[1])).ToList();
        db.Execute("CREATE OR REPLACE MODEL km OPTIONS(model_type = 'kmeans', warm_start = true, max_iterations = 1) AS SELECT tags, x FROM m");
        // Converged before: one more Lloyd step from the old centroids changes nothing.
        Assert.Equal(centroids, db.Rows("SELECT centroid_id, categorical_value FROM ML.CENTROIDS(MODEL km) WHERE feature = 'tags' ORDER BY centroid_id").Select(r => ResultText(r[1])));
        Assert.Equal(1L, db.Scalar("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL km)"));
    }

    private static string ResultText(object? list) =>
        string.Join(", ", ((IList)list!).Cast<IDictionary<string, object?>>().Select(e => $"{e["category"]}={Math.Round((double)e["value"]!, 9)}"));

    [Fact]
    public void Unusable_arrays_and_limits_are_clear_errors()
    {
        using var db = Data();
        string Fails(string query, string options = "") =>
            db.Fails($"CREATE MODEL e OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']{options}) AS {query}").Message;
        Assert.Contains("feature column 'v' has type DOUBLE[]; arrays of numbers are not preprocessed automatically (BigQuery ML leaves ARRAY<numeric> untransformed)",
            Fails("SELECT [x, x] AS v, y FROM m"), StringComparison.Ordinal);
        Assert.Contains("feature column 'v' has type STRUCT(a DOUBLE)[]; arrays of STRUCTs are not preprocessed automatically", Fails("SELECT [{'a': x}] AS v, y FROM m"), StringComparison.Ordinal);
        Assert.Contains("feature column 'v' has type VARCHAR[][]; nested arrays are not preprocessed automatically", Fails("SELECT [tags] AS v, y FROM m"), StringComparison.Ordinal);
        Assert.Contains("ARRAY feature 'v' has more than 1000 distinct elements",
            Fails("SELECT [CAST(id * 10 + r AS VARCHAR)] AS v, y FROM m, range(5) q(r)"), StringComparison.Ordinal);
        db.Execute("CREATE MODEL w OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT tags, x, y FROM m");
        Assert.Contains("input column 'tags' has type DOUBLE[], but model w was trained with it as VARCHAR[]",
            db.Fails("SELECT * FROM ML.PREDICT(MODEL w, (SELECT [x] AS tags, x FROM m))").Message, StringComparison.Ordinal);
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM sqlml.models WHERE model_name = 'w'"));
    }
}
