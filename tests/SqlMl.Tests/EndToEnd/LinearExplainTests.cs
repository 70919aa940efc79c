using System.Collections;
using SqlMl.Tests.Training;

namespace SqlMl.Tests.EndToEnd;

/// <summary>ML.EXPLAIN_PREDICT, ML.GLOBAL_EXPLAIN and ML.ADVANCED_WEIGHTS of LINEAR_REG models, and their errors.</summary>
public class LinearExplainTests
{
    private static TestDb Trained(string options = "")
    {
        var db = LinearGlmReferenceTests.Load();
        db.Execute("UPDATE d SET x1 = NULL WHERE x3 < -1.8");
        db.Execute($"CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']{options}) AS SELECT * FROM d");
        return db;
    }

    private static List<(string Feature, double Attribution)> Attributions(object? list) =>
        ((IList)list!).Cast<IDictionary<string, object?>>().Select(e => ((string)e["feature"]!, (double)e["attribution"]!)).ToList();

    [Fact]
    public void Attributions_and_baseline_add_up_to_the_prediction()
    {
        using var db = Trained();
        var rows = db.Rows("SELECT predicted_y, top_feature_attributions, baseline_prediction_value, prediction_value, approximation_error FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(10 AS top_k_features))");
        var predicted = db.Rows("SELECT predicted_y FROM ML.PREDICT(MODEL m, TABLE d)").Select(r => (double)r[0]!).ToList();
        double intercept = db.Double("SELECT weight FROM ML.WEIGHTS(MODEL m, STRUCT(true AS standardize)) WHERE processed_input = '__INTERCEPT__'");
        Assert.Equal(80, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var attributions = Attributions(rows[i][1]);
            Assert.Equal(["c", "x1", "x2", "x3"], attributions.Select(a => a.Feature).Order());
            Assert.Equal(intercept, (double)rows[i][2]!);
            double sum = (double)rows[i][2]! + attributions.Sum(a => a.Attribution);
            Assert.Equal((double)rows[i][3]!, sum, 1e-9 * Math.Max(1, Math.Abs(sum)));
            Assert.Equal((double)rows[i][0]!, (double)rows[i][3]!);
            Assert.Equal(predicted[i], (double)rows[i][3]!, 1e-9 * Math.Max(1, Math.Abs(predicted[i])));
            Assert.Equal(0.0, (double)rows[i][4]!);
        }
    }

    [Fact]
    public void Numeric_attribution_is_the_standardized_weight_times_the_standardized_value()
    {
        using var db = Trained();
        double w = db.Double("SELECT weight FROM ML.WEIGHTS(MODEL m, STRUCT(true AS standardize)) WHERE processed_input = 'x1'");
        var stats = db.Rows("SELECT avg(x1), stddev_samp(x1) FROM d")[0]; // LINEAR_REG standardizes over the non-NULL values
        double mean = (double)stats[0]!, sd = (double)stats[1]!;
        var rows = db.Rows("SELECT x1, top_feature_attributions FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(4 AS top_k_features))");
        foreach (var r in rows)
        {
            double x = (double?)r[0] ?? mean;
            double expected = w * (x - mean) / sd;
            Assert.Equal(expected, Attributions(r[1]).Single(a => a.Feature == "x1").Attribution, 1e-9 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void Top_k_keeps_the_largest_absolute_attributions_in_order()
    {
        using var db = Trained();
        var all = db.Rows("SELECT top_feature_attributions FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(4 AS top_k_features))");
        var two = db.Rows("SELECT top_feature_attributions FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(2 AS top_k_features))");
        var byDefault = db.Rows("SELECT top_feature_attributions FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d)");
        for (int i = 0; i < all.Count; i++)
        {
            var full = Attributions(all[i][0]);
            var sorted = full.OrderByDescending(a => Math.Abs(a.Attribution)).ToList();
            Assert.Equal(sorted, full);
            Assert.Equal(sorted.Take(2), Attributions(two[i][0]));
            Assert.Equal(full, Attributions(byDefault[i][0])); // default 5 ≥ 4 features
        }
    }

    [Fact]
    public void Ties_in_attribution_keep_the_feature_order()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS a, i::DOUBLE AS b, 3.0 * i AS y FROM range(30) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT b, a, y FROM t");
        var top = Attributions(db.Scalar("SELECT top_feature_attributions FROM ML.EXPLAIN_PREDICT(MODEL m, (SELECT 20.0 AS a, 20.0 AS b), STRUCT(1 AS top_k_features))"));
        Assert.Equal("b", Assert.Single(top).Feature);
    }

    [Fact]
    public void Explain_predict_columns_follow_the_input_columns()
    {
        using var db = Trained();
        Assert.Equal(["x1", "x2", "x3", "c", "y", "predicted_y", "top_feature_attributions", "baseline_prediction_value", "prediction_value", "approximation_error"],
            db.Columns("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d)"));
    }

    [Fact]
    public void Global_explain_is_the_mean_absolute_attribution_over_the_training_rows()
    {
        using var db = Trained(", enable_global_explain = true");
        var expected = db.Rows("SELECT u.a.feature, avg(abs(u.a.attribution)) FROM (SELECT unnest(top_feature_attributions) AS a FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(4 AS top_k_features))) u GROUP BY 1")
            .ToDictionary(r => (string)r[0]!, r => (double)r[1]!);
        var global = db.Rows("SELECT feature, attribution FROM ML.GLOBAL_EXPLAIN(MODEL m)");
        Assert.Equal(4, global.Count);
        foreach (var r in global) Assert.Equal(expected[(string)r[0]!], (double)r[1]!, 1e-9);
        var values = global.Select(r => (double)r[1]!).ToList();
        Assert.Equal(values.OrderDescending(), values);
    }

    [Theory]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m)", "ML.GLOBAL_EXPLAIN: model m was trained without enable_global_explain. Retrain it with OPTIONS(enable_global_explain = TRUE).")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m)", "ML.ADVANCED_WEIGHTS: model m was trained without calculate_p_values.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m)", "ML.EXPLAIN_PREDICT: an input is required")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(0 AS top_k_features))", "setting 'top_k_features' must be at least 1, got 0.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(1.5 AS top_k_features))", "setting 'top_k_features' expects INT64, got FLOAT64 1.5.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, TABLE d, STRUCT(0.5 AS threshold))", "setting 'threshold' does not apply to LINEAR_REG models. Allowed: top_k_features.")]
    [InlineData("SELECT * FROM ML.EXPLAIN_PREDICT(MODEL m, (SELECT x1, x2 FROM d))", "the input lacks columns 'x3', 'c'")]
    [InlineData("SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL m, TABLE d)", "ML.GLOBAL_EXPLAIN: takes no input table")]
    [InlineData("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m, TABLE d)", "ML.ADVANCED_WEIGHTS: takes no input table")]
    public void Explanation_errors_name_the_fix(string sql, string message)
    {
        using var db = Trained();
        Assert.Contains(message, db.Fails(sql).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advanced_weights_column_types()
    {
        using var db = Trained(", calculate_p_values = true, category_encoding_method = 'dummy_encoding'");
        var types = db.Rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL m))").Select(r => $"{r[0]} {r[1]}");
        Assert.Equal(["processed_input VARCHAR", "weight DOUBLE", "category_weights STRUCT(category VARCHAR, weight DOUBLE, standard_error DOUBLE, p_value DOUBLE)[]", "standard_error DOUBLE", "p_value DOUBLE"], types);
    }
}
