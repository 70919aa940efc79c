using System.Globalization;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Models;
using SqlMl.Parsing;
using static SqlMl.Tests.EndToEnd.LogisticTestModels;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// ML.EXPLAIN_PREDICT, ML.GLOBAL_EXPLAIN and ML.ADVANCED_WEIGHTS of trained LOGISTIC_REG models, checked against plain
/// computations from the stored <see cref="LogisticModel"/> and the training rows.
/// </summary>
public class LogisticExplainTests
{
    private static TestDb Db()
    {
        var db = new TestDb();
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        CreateTable(db, "di", "INTEGER", ["1", "2", "3"]);
        // The label follows x1 and g (with flips), so both classes are predicted.
        db.Execute("""
            CREATE OR REPLACE TABLE d AS SELECT id, x1, x2, g, CASE WHEN label IS NULL THEN NULL
              WHEN (coalesce(x1, 0) + CASE g WHEN 'a' THEN 0.8 ELSE 0 END > 0.4) <> (id % 6 = 1) THEN 'yes' ELSE 'no' END AS label FROM d
            """);
        db.Execute("CREATE TABLE clean AS SELECT * FROM d WHERE label IS NOT NULL");
        db.Execute("CREATE TABLE cleani AS SELECT * FROM di WHERE label IS NOT NULL");
        return db;
    }

    private static LogisticModel Train(TestDb db, string name, string table, string options = "")
    {
        db.Execute($"CREATE OR REPLACE MODEL {name} OPTIONS(model_type = 'logistic_reg', l2_reg = 0.1{options}) AS SELECT x1, x2, g, label FROM {table}");
        return (LogisticModel)ModelCatalog.TryGet(db.Connection.Duck, new ModelName(null, name))!.Model;
    }

    private sealed record Row(long Id, double? X1, double? X2, string? G);

    private static List<Row> Inputs(TestDb db, string table) =>
        db.Rows($"SELECT id, x1, x2, g FROM {table} ORDER BY id").Select(r => new Row(
            Convert.ToInt64(r[0], CultureInfo.InvariantCulture),
            r[1] is null ? null : Convert.ToDouble(r[1], CultureInfo.InvariantCulture),
            r[2] is null ? null : Convert.ToDouble(r[2], CultureInfo.InvariantCulture),
            (string?)r[3])).ToList();

    /// <summary>Plain attributions of one score for one row, keyed by feature: Weight·(x̃ − Center)/Scale, or the level's weight.</summary>
    private static Dictionary<string, double> Attributions(LinearModel score, Row row)
    {
        var values = new Dictionary<string, double?> { ["x1"] = row.X1, ["x2"] = row.X2 };
        var result = new Dictionary<string, double>();
        foreach (var f in score.Numeric) result[f.Name] = f.Weight * ((values[f.Name] ?? f.Mean) - f.Center) / f.Scale;
        foreach (var c in score.Categorical) result[c.Name] = c.WeightOf(row.G);
        return result;
    }

    private static double[] Probabilities(LogisticModel model, Row row) => model.Probabilities([row.X1, row.X2], [row.G]);

    /// <summary>EXPLAIN_PREDICT rows by id: predicted label text, probability, attributions, baseline, prediction, error.</summary>
    private static Dictionary<long, (string Predicted, double Probability, List<(string Feature, double Value)> Top, double Baseline, double Prediction, double Error)> Explain(
        TestDb db, string sql) =>
        db.Rows($"SELECT id, CAST(predicted_label AS VARCHAR), probability, list_transform(top_feature_attributions, e -> e.feature), " +
                $"list_transform(top_feature_attributions, e -> e.attribution), baseline_prediction_value, prediction_value, approximation_error FROM {sql}")
          .ToDictionary(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), r => (
              (string)r[1]!, (double)r[2]!,
              ((List<string>)r[3]!).Zip((List<double>)r[4]!, (f, v) => (f, v)).ToList(),
              (double)r[5]!, (double)r[6]!, (double)r[7]!));

    [Fact]
    public void Binary_explanation_sums_to_the_predicted_class_log_odds()
    {
        using var db = Db();
        var model = Train(db, "m", "clean");
        var explained = Explain(db, "ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(3 AS top_k_features))");
        var predicted = db.Rows("SELECT id, predicted_label, predicted_label_probs[2].prob FROM ML.PREDICT(MODEL m, TABLE d)")
            .ToDictionary(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), r => ((string)r[1]!, (double)r[2]!));
        int negatives = 0;
        foreach (var row in Inputs(db, "d"))
        {
            var e = explained[row.Id];
            var p = Probabilities(model, row);
            int k = PredictedIndex(p, 0.5);
            double sign = k == 1 ? 1 : -1;
            if (k == 0) negatives++;
            double z = model.Scores[0].Predict([row.X1, row.X2], [row.G]);
            Assert.Equal(predicted[row.Id].Item1, e.Predicted);
            Assert.Equal(model.Classes[k], e.Predicted);
            Assert.Equal(p[k], e.Probability, 1e-12);
            Assert.Equal(sign * z, e.Prediction, 1e-9);
            double pYes = predicted[row.Id].Item2;
            Assert.Equal(sign * Math.Log(pYes / (1 - pYes)), e.Prediction, 1e-8); // logit of ML.PREDICT's probability
            Assert.Equal(sign * model.Scores[0].Intercept, e.Baseline);
            Assert.Equal(e.Prediction, e.Baseline + e.Top.Sum(t => t.Value), 1e-12);
            Assert.Equal(0, e.Error);
            var plain = Attributions(model.Scores[0], row);
            Assert.Equal(3, e.Top.Count);
            foreach (var (feature, value) in e.Top) Assert.Equal(sign * plain[feature], value, 1e-12);
            Assert.Equal(e.Top.Select(t => Math.Abs(t.Value)).OrderDescending(), e.Top.Select(t => Math.Abs(t.Value)));
        }
        Assert.InRange(negatives, 1, explained.Count - 1); // both signs of the rule are exercised
    }

    [Fact]
    public void Binary_explanation_follows_the_threshold_and_top_k()
    {
        using var db = Db();
        var model = Train(db, "m", "clean");
        var explained = Explain(db, "ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(0.0 AS threshold, 1 AS top_k_features))");
        foreach (var row in Inputs(db, "d"))
        {
            var e = explained[row.Id];
            Assert.Equal("yes", e.Predicted); // threshold 0: every row is the positive class, so the score is not negated
            Assert.Equal(model.Scores[0].Predict([row.X1, row.X2], [row.G]), e.Prediction, 1e-9);
            var plain = Attributions(model.Scores[0], row);
            var top = Assert.Single(e.Top);
            Assert.Equal(plain.Values.Max(Math.Abs), Math.Abs(top.Value), 1e-12);
            Assert.Equal(plain[top.Feature], top.Value, 1e-12);
        }
        // Default top_k_features is 5: all three features here.
        Assert.All(Explain(db, "ML.EXPLAIN_PREDICT(MODEL m, TABLE d)").Values, e => Assert.Equal(3, e.Top.Count));
    }

    [Fact]
    public void Multiclass_explanation_sums_to_the_predicted_class_softmax_score()
    {
        using var db = Db();
        var model = Train(db, "mc", "cleani");
        Assert.Equal(3, model.Scores.Count);
        var explained = Explain(db, "ML.EXPLAIN_PREDICT(MODEL mc, TABLE di, STRUCT(2 AS top_k_features))");
        var seen = new HashSet<int>();
        foreach (var row in Inputs(db, "di"))
        {
            var e = explained[row.Id];
            var p = Probabilities(model, row);
            int k = PredictedIndex(p, 0.5);
            seen.Add(k);
            var score = model.Scores[k];
            Assert.Equal(model.Classes[k], e.Predicted);
            Assert.Equal(p[k], e.Probability, 1e-12);
            Assert.Equal(score.Predict([row.X1, row.X2], [row.G]), e.Prediction, 1e-9);
            Assert.Equal(score.Intercept, e.Baseline);
            Assert.Equal(0, e.Error);
            var plain = Attributions(score, row);
            Assert.Equal(2, e.Top.Count);
            foreach (var (feature, value) in e.Top) Assert.Equal(plain[feature], value, 1e-12);
            var largest = plain.Values.Select(Math.Abs).OrderDescending().Take(2).ToList();
            for (int i = 0; i < 2; i++) Assert.Equal(largest[i], Math.Abs(e.Top[i].Value), 1e-12);
        }
        Assert.True(seen.Count > 1, "rows should be predicted to more than one class");
        // With all features the attributions add up to the score exactly.
        foreach (var e in Explain(db, "ML.EXPLAIN_PREDICT(MODEL mc, TABLE di, STRUCT(10 AS top_k_features))").Values)
            Assert.Equal(e.Prediction, e.Baseline + e.Top.Sum(t => t.Value), 1e-12);
    }

    /// <summary>Plain mean |attribution| of each feature of one score over the training rows.</summary>
    private static Dictionary<string, double> MeanAbsolute(LinearModel score, List<Row> rows)
    {
        var sums = new Dictionary<string, double>();
        foreach (var row in rows)
            foreach (var (feature, value) in Attributions(score, row))
                sums[feature] = sums.GetValueOrDefault(feature) + Math.Abs(value);
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / rows.Count);
    }

    [Fact]
    public void Global_explain_of_a_binary_model_is_the_mean_absolute_attribution()
    {
        using var db = Db();
        var model = Train(db, "m", "clean", ", enable_global_explain = TRUE");
        var expected = MeanAbsolute(model.Scores[0], Inputs(db, "clean"));
        var rows = db.Rows("SELECT feature, attribution FROM ML.GLOBAL_EXPLAIN(MODEL m)");
        Assert.Equal(3, rows.Count);
        foreach (var r in rows) Assert.Equal(expected[(string)r[0]!], (double)r[1]!, 1e-10);
        Assert.Equal(rows.Select(r => (double)r[1]!).OrderDescending(), rows.Select(r => (double)r[1]!));

        // class_level_explain on a binary model: both classes, each with the log-odds' attributions.
        var perClass = db.Rows("SELECT class_label, feature, attribution FROM ML.GLOBAL_EXPLAIN(MODEL m, STRUCT(true AS class_level_explain))");
        Assert.Equal(["no", "no", "no", "yes", "yes", "yes"], perClass.Select(r => (string)r[0]!));
        foreach (var r in perClass) Assert.Equal(expected[(string)r[1]!], (double)r[2]!, 1e-10);
    }

    [Fact]
    public void Global_explain_of_a_multiclass_model_averages_the_classes_or_lists_each()
    {
        using var db = Db();
        var model = Train(db, "mc", "cleani", ", enable_global_explain = TRUE");
        var training = Inputs(db, "cleani");
        var perScore = model.Scores.Select(s => MeanAbsolute(s, training)).ToList();
        var rows = db.Rows("SELECT feature, attribution FROM ML.GLOBAL_EXPLAIN(MODEL mc)");
        Assert.Equal(3, rows.Count);
        foreach (var r in rows) Assert.Equal(perScore.Average(s => s[(string)r[0]!]), (double)r[1]!, 1e-10);
        Assert.Equal(rows.Select(r => (double)r[1]!).OrderDescending(), rows.Select(r => (double)r[1]!));

        var perClass = db.Rows("SELECT class_label, feature, attribution FROM ML.GLOBAL_EXPLAIN(MODEL mc, STRUCT(true AS class_level_explain))");
        Assert.Equal(9, perClass.Count);
        for (int c = 0; c < 3; c++)
        {
            var block = perClass.Skip(3 * c).Take(3).ToList();
            Assert.All(block, r => Assert.Equal(c + 1, Convert.ToInt32(r[0], CultureInfo.InvariantCulture)));
            Assert.Equal(block.Select(r => (double)r[2]!).OrderDescending(), block.Select(r => (double)r[2]!));
            foreach (var r in block) Assert.Equal(perScore[c][(string)r[1]!], (double)r[2]!, 1e-10);
        }
    }

    [Fact]
    public void Class_level_global_explain_keeps_the_top_ten_features_per_class()
    {
        using var db = new TestDb();
        string features = string.Join(", ", Enumerable.Range(1, 12).Select(j => $"((i * {j + 3}) % 17) / 5.0 + {j} * (i % 3) / 10.0 AS f{j}"));
        db.Execute($"CREATE TABLE t AS SELECT {features}, CAST(i % 3 AS INTEGER) AS label FROM range(90) r(i)");
        db.Execute("CREATE MODEL w OPTIONS(model_type = 'logistic_reg', l2_reg = 1, enable_global_explain = TRUE) AS SELECT * FROM t");
        Assert.Equal(12L, db.Scalar("SELECT count(*) FROM ML.GLOBAL_EXPLAIN(MODEL w)"));
        var counts = db.Rows("SELECT class_label, count(*) FROM ML.GLOBAL_EXPLAIN(MODEL w, STRUCT(true AS class_level_explain)) GROUP BY class_label ORDER BY class_label");
        Assert.Equal([0, 1, 2], counts.Select(r => Convert.ToInt32(r[0], CultureInfo.InvariantCulture)));
        Assert.All(counts, r => Assert.Equal(10L, r[1]));
    }

    [Fact]
    public void Advanced_weights_of_a_binary_model_are_its_stats()
    {
        using var db = Db();
        var model = Train(db, "m", "clean", ", calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING'");
        var score = model.Scores[0];
        var stats = score.Stats!;
        foreach (bool standardize in new[] { false, true })
        {
            var weights = score.Coefficients(standardize);
            var se = standardize ? stats.StandardErrors : stats.RawStandardErrors;
            var p = standardize ? stats.PValues : stats.RawPValues;
            var rows = db.Rows($"SELECT processed_input, weight, standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL m, STRUCT({(standardize ? "true" : "false")} AS standardize))")
                .ToDictionary(r => (string)r[0]!);
            Assert.Equal(["x1", "x2", "g", "__INTERCEPT__"], rows.Keys);
            (string Name, int Index)[] numeric = [("__INTERCEPT__", 0), ("x1", 1), ("x2", 2)];
            foreach (var (name, i) in numeric)
            {
                Assert.Equal(weights[i], (double)rows[name][1]!, 1e-12);
                Assert.Equal(se[i], (double)rows[name][2]!, 1e-12);
                Assert.Equal(p[i], (double)rows[name][3]!, 1e-12);
            }
            var levels = db.Rows($"SELECT u.c.category, u.c.weight, u.c.standard_error, u.c.p_value FROM (SELECT unnest(category_weights) AS c FROM ML.ADVANCED_WEIGHTS(MODEL m, STRUCT({(standardize ? "true" : "false")} AS standardize)) WHERE processed_input = 'g') u");
            Assert.Equal(["a", "b", "c", null], levels.Select(r => (string?)r[0]));
            Assert.Null(levels[0][2]); // the dropped first level has no standard error
            for (int l = 1; l < 4; l++)
            {
                Assert.Equal(weights[3 + l], (double)levels[l][1]!, 1e-12);
                Assert.Equal(se[3 + l], (double)levels[l][2]!, 1e-12);
                Assert.Equal(p[3 + l], (double)levels[l][3]!, 1e-12);
            }
        }
    }

    [Theory]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m)",
        "ML.EXPLAIN_PREDICT: an input is required: ML.EXPLAIN_PREDICT(MODEL m, TABLE t) or ML.EXPLAIN_PREDICT(MODEL m, (SELECT ...), STRUCT(3 AS top_k_features)).")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(0 AS top_k_features))", "ML.EXPLAIN_PREDICT: setting 'top_k_features' must be at least 1, got 0.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(1.5 AS top_k_features))", "ML.EXPLAIN_PREDICT: setting 'top_k_features' expects INT64, got FLOAT64 1.5.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(2 AS num_steps))",
        "ML.EXPLAIN_PREDICT: setting 'num_steps' does not apply to LOGISTIC_REG models. Allowed: top_k_features, threshold.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(1.5 AS threshold))", "ML.EXPLAIN_PREDICT: setting 'threshold' must be between 0 and 1, got 1.5.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL mc, TABLE di, STRUCT(0.3 AS threshold))",
        "ML.EXPLAIN_PREDICT: setting 'threshold' applies to binary models only; model mc has 3 classes and predicts the most probable one.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, (SELECT x1, g FROM d))", "ML.EXPLAIN_PREDICT: the input lacks column 'x2' that model m was trained with.")]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m)",
        "ML.GLOBAL_EXPLAIN: model m was trained without enable_global_explain. Retrain it with OPTIONS(enable_global_explain = TRUE).")]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m, TABLE d)", "ML.GLOBAL_EXPLAIN: takes no input table; use ML.GLOBAL_EXPLAIN(MODEL m).")]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m, STRUCT(3 AS top_k_features))", "ML.GLOBAL_EXPLAIN: unknown setting 'top_k_features'. Allowed: class_level_explain.")]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m, STRUCT(1 AS class_level_explain))", "ML.GLOBAL_EXPLAIN: setting 'class_level_explain' expects BOOL, got INT64 1.")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m)",
        "ML.ADVANCED_WEIGHTS: model m was trained without calculate_p_values. Retrain it with OPTIONS(calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING').")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL mc)",
        "ML.ADVANCED_WEIGHTS: applies to binary LOGISTIC_REG models only (as in BigQuery); model mc has 3 classes. Use ML.WEIGHTS for its coefficients.")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m, TABLE d)", "ML.ADVANCED_WEIGHTS: takes no input table; use ML.ADVANCED_WEIGHTS(MODEL m).")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m, STRUCT(true AS class_level_explain))", "ML.ADVANCED_WEIGHTS: unknown setting 'class_level_explain'. Allowed: standardize.")]
    public void Explanation_errors_name_the_function_and_the_fix(string sql, string message)
    {
        using var db = Db();
        Train(db, "m", "clean");
        Train(db, "mc", "cleani");
        Assert.Contains(message, db.Fails(sql).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_explain_of_a_multiclass_model_without_enable_global_explain_is_an_error()
    {
        using var db = Db();
        Train(db, "mc", "cleani");
        Assert.Contains("ML.GLOBAL_EXPLAIN: model mc was trained without enable_global_explain.",
            db.Fails("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL mc, STRUCT(true AS class_level_explain))").Message, StringComparison.Ordinal);
    }
}
