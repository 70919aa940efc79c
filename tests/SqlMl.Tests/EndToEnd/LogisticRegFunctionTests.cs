using System.Globalization;
using SqlMl.Data.Internal.Planning;
using SqlMl.Models;
using SqlMl.Training;
using static SqlMl.Tests.EndToEnd.LogisticTestModels;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// LOGISTIC_REG's ML functions on hand-built models (no trainer): SQL results against <c>LogisticModel.Probabilities</c>
/// and the plain metric computations of <see cref="PlainClassification"/>.
/// </summary>
public class LogisticRegFunctionTests
{
    private const double Tol = 1e-12;

    private static double D(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    private static double? N(object? v) => v is null ? null : D(v);

    private static void Close(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected?.ToString() ?? "NULL"}, got {actual?.ToString() ?? "NULL"}");
            return;
        }
        Assert.True(Math.Abs(expected.Value - actual.Value) <= Tol * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, got {actual}");
    }

    /// <summary>Rows with a non-NULL label as (probabilities, actual class index or −1, predicted index).</summary>
    private static List<(double[] P, int Y, int K)> Labeled(TestDb db, LogisticModel model, double threshold = 0.5) =>
        Reference(db, "d", model).Where(r => r.Label is not null)
            .Select(r => (r.Probs, model.Classes.ToList().IndexOf(r.Label!), PredictedIndex(r.Probs, threshold))).ToList();

    public static TheoryData<string, string[]> BinaryLabels => new()
    {
        { "VARCHAR", ["no", "yes"] },
        { "BOOLEAN", ["false", "true"] },
        { "INTEGER", ["-3", "2"] },
        { "BIGINT", ["-7", "-1"] },
    };

    [Theory]
    [MemberData(nameof(BinaryLabels))]
    public void Binary_predict_matches_the_reference_probabilities_and_keeps_the_label_type(string type, string[] classes)
    {
        using var db = new TestDb();
        var model = Binary(type, classes);
        Save(db, "m", model);
        CreateTable(db, "d", type, classes);
        Assert.Equal(["id", "x1", "x2", "g", "label", "predicted_label", "predicted_label_probs"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, TABLE d)"));
        Assert.Equal([type, $"STRUCT(\"label\" {type}, prob DOUBLE)[]"],
            db.Rows("SELECT typeof(predicted_label), typeof(predicted_label_probs) FROM ML.PREDICT(MODEL m, TABLE d) LIMIT 1")[0].Select(v => (string)v!));
        var rows = db.Rows("""
            SELECT id, CAST(predicted_label AS VARCHAR), predicted_label_probs[1].prob, predicted_label_probs[2].prob,
                   CAST(predicted_label_probs[1].label AS VARCHAR), CAST(predicted_label_probs[2].label AS VARCHAR), len(predicted_label_probs)
            FROM ML.PREDICT(MODEL m, TABLE d) ORDER BY id
            """);
        var reference = Reference(db, "d", model);
        Assert.Equal(40, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var p = reference[i].Probs;
            Close(p[0], D(rows[i][2]), $"row {i} P({classes[0]})");
            Close(p[1], D(rows[i][3]), $"row {i} P({classes[1]})");
            Assert.Equal(classes[p[1] >= 0.5 ? 1 : 0], rows[i][1]);
            Assert.Equal(classes[0], rows[i][4]);
            Assert.Equal(classes[1], rows[i][5]);
            Assert.Equal(2, Convert.ToInt32(rows[i][6], CultureInfo.InvariantCulture));
        }
        Assert.Contains(reference, r => r.Probs[1] >= 0.5);
        Assert.Contains(reference, r => r.Probs[1] < 0.5);
    }

    [Fact]
    public void Binary_predict_threshold_moves_the_decision_but_not_the_probabilities()
    {
        using var db = new TestDb();
        var model = Binary("VARCHAR", ["no", "yes"]);
        Save(db, "m", model);
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        var reference = Reference(db, "d", model);
        foreach (double t in new[] { 0.0, 0.3, 0.8, 1.0 })
        {
            var rows = db.Rows($"SELECT predicted_label, predicted_label_probs[2].prob FROM ML.PREDICT(MODEL m, TABLE d, STRUCT({t.ToString(CultureInfo.InvariantCulture)} AS threshold)) ORDER BY id");
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(reference[i].Probs[1] >= t ? "yes" : "no", rows[i][0]);
                Close(reference[i].Probs[1], D(rows[i][1]), $"t={t} row {i}");
            }
        }
    }

    [Fact]
    public void Binary_probabilities_stay_exact_for_extreme_scores()
    {
        using var db = new TestDb();
        var model = Binary("VARCHAR", ["no", "yes"]);
        Save(db, "m", model);
        // x1 = ±1000 gives scores near ±650: σ must not overflow, and the small side keeps its relative precision.
        var rows = db.Rows("SELECT predicted_label_probs[1].prob, predicted_label_probs[2].prob FROM ML.PREDICT(MODEL m, (SELECT 1000.0 AS x1, 3 AS x2, 'a' AS g UNION ALL SELECT -1000.0, 3, 'a')) ORDER BY 2");
        var low = model.Probabilities([-1000.0, 3.0], ["a"]);
        var high = model.Probabilities([1000.0, 3.0], ["a"]);
        Assert.True(D(rows[0][1]) > 0);
        Assert.Equal(1.0, D(rows[0][0]));
        Assert.Equal(1.0, D(rows[1][1]));
        Assert.True(D(rows[1][0]) > 0, "P(no) of a very positive score underflows only at the subnormal limit, not through 1 − p");
        Close(low[0], D(rows[0][0]), "P(no) low");
        Close(high[1], D(rows[1][1]), "P(yes) high");
    }

    [Fact]
    public void Multiclass_predict_is_the_softmax_argmax_with_negative_integer_labels()
    {
        using var db = new TestDb();
        string[] classes = ["-5", "0", "12"];
        var model = Multiclass("BIGINT", classes);
        Save(db, "m", model);
        CreateTable(db, "d", "BIGINT", classes);
        Assert.Equal("STRUCT(\"label\" BIGINT, prob DOUBLE)[]", db.Scalar("SELECT typeof(predicted_label_probs) FROM ML.PREDICT(MODEL m, TABLE d) LIMIT 1"));
        var rows = db.Rows("""
            SELECT predicted_label, list_transform(predicted_label_probs, s -> s.prob), list_transform(predicted_label_probs, s -> s.label)
            FROM ML.PREDICT(MODEL m, TABLE d) ORDER BY id
            """);
        var reference = Reference(db, "d", model);
        var predictedSet = new HashSet<long>();
        for (int i = 0; i < rows.Count; i++)
        {
            var p = reference[i].Probs;
            var probs = ((System.Collections.IEnumerable)rows[i][1]!).Cast<object>().Select(D).ToList();
            var labels = ((System.Collections.IEnumerable)rows[i][2]!).Cast<object>().Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal([-5L, 0L, 12L], labels);
            for (int c = 0; c < 3; c++) Close(p[c], probs[c], $"row {i} class {c}");
            long predicted = long.Parse(classes[PredictedIndex(p, 0.5)], CultureInfo.InvariantCulture);
            Assert.Equal(predicted, Convert.ToInt64(rows[i][0], CultureInfo.InvariantCulture));
            predictedSet.Add(predicted);
        }
        Assert.True(predictedSet.Count >= 2, "the test data should produce more than one predicted class");
    }

    [Fact]
    public void Multiclass_ties_go_to_the_lower_class()
    {
        using var db = new TestDb();
        var zero = new LinearModel("label", true, 0, [new NumericFeature("x1", 0, 1, 0, 0), new NumericFeature("x2", 0, 1, 0, 0)],
            [new CategoricalFeature("g", ["a"], [0])], ["x1", "x2", "g"]);
        Save(db, "m", new LogisticModel("label", "VARCHAR", ["p", "q", "r"], [zero, zero, zero]));
        var row = db.Rows("SELECT predicted_label, predicted_label_probs[2].prob FROM ML.PREDICT(MODEL m, (SELECT 1 AS x1, 2 AS x2, 'a' AS g))")[0];
        Assert.Equal("p", row[0]);
        Close(1.0 / 3, D(row[1]), "uniform probability");
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.35)]
    [InlineData(true, 0.5)]
    public void Evaluate_with_input_matches_the_plain_metrics(bool multiclass, double threshold)
    {
        using var db = new TestDb();
        string[] classes = multiclass ? ["ant", "bee", "cat", "dog"] : ["no", "yes"];
        var model = multiclass ? Multiclass("VARCHAR", classes) : Binary("VARCHAR", classes);
        Save(db, "m", model);
        CreateTable(db, "d", "VARCHAR", classes, foreign: "eel");
        string settings = multiclass ? "" : $", STRUCT({threshold.ToString(CultureInfo.InvariantCulture)} AS threshold)";
        string sql = $"SELECT * FROM ML.EVALUATE(MODEL m, TABLE d{settings})";
        Assert.Equal(["precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"], db.Columns(sql));
        Assert.All(db.Rows($"SELECT typeof(COLUMNS(*)) FROM ({sql})")[0], t => Assert.Equal("DOUBLE", t));
        var row = db.Rows(sql)[0];
        var labeled = Labeled(db, model, threshold);
        Assert.Contains(labeled, r => r.Y == -1);
        var expected = PlainClassification.Evaluate(labeled, !multiclass);
        Close(expected.Precision, N(row[0]), "precision");
        Close(expected.Recall, N(row[1]), "recall");
        Close(expected.Accuracy, N(row[2]), "accuracy");
        Close(expected.F1, N(row[3]), "f1_score");
        Close(expected.LogLoss, N(row[4]), "log_loss");
        Close(expected.RocAuc, N(row[5]), "roc_auc");
    }

    [Fact]
    public void Evaluate_macro_averages_only_over_classes_that_occur_and_counts_a_never_predicted_class_as_precision_0()
    {
        using var db = new TestDb();
        var model = Multiclass("VARCHAR", ["ant", "bee", "cat"]);
        Save(db, "m", model);
        CreateTable(db, "d", "VARCHAR", ["ant", "cat"]);
        var labeled = Labeled(db, model);
        Assert.DoesNotContain(labeled, r => r.Y == 1);
        var expected = PlainClassification.Evaluate(labeled, binary: false);
        var row = db.Rows("SELECT precision, recall, f1_score, roc_auc FROM ML.EVALUATE(MODEL m, TABLE d)")[0];
        Close(expected.Precision, N(row[0]), "precision");
        Close(expected.Recall, N(row[1]), "recall");
        Close(expected.F1, N(row[2]), "f1_score");
        Close(expected.RocAuc, N(row[3]), "roc_auc");
    }

    [Fact]
    public void Evaluate_of_no_labeled_rows_is_one_row_of_nulls()
    {
        using var db = new TestDb();
        Save(db, "m", Binary("VARCHAR", ["no", "yes"]));
        var rows = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT 1.0 AS x1, 2 AS x2, 'a' AS g, CAST(NULL AS VARCHAR) AS label))");
        Assert.All(Assert.Single(rows), Assert.Null);
    }

    [Fact]
    public void Evaluate_without_input_returns_the_stored_metrics_and_training_info_the_iterations()
    {
        using var db = new TestDb();
        Save(db, "m", Binary("VARCHAR", ["no", "yes"]),
            [new("precision", 0.5), new("recall", 0.25), new("accuracy", 0.75), new("f1_score", 1 / 3.0), new("log_loss", 0.4), new("roc_auc", null)],
            [new IterationInfo(0, 0.69, null, 0.1, 3), new IterationInfo(1, 0.5, 0.6, 0.2, 4) { TrainingRun = 1 }]);
        Assert.Equal(["precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"], db.Columns("SELECT * FROM ML.EVALUATE(MODEL m)"));
        var row = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m)")[0];
        Assert.Equal([0.5, 0.25, 0.75, 1 / 3.0, 0.4], row.Take(5).Select(D));
        Assert.Null(row[5]);
        var info = db.Rows("SELECT training_run, iteration, loss, eval_loss, learning_rate, duration_ms FROM ML.TRAINING_INFO(MODEL m) ORDER BY training_run, iteration");
        Assert.Equal(2, info.Count);
        Assert.Equal([1L, 1L], info[1].Take(2).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
        Assert.Equal([0.5, 0.6, 0.2], info[1].Skip(2).Take(3).Select(D));
        Assert.Equal(4L, Convert.ToInt64(info[1][5], CultureInfo.InvariantCulture));
        Assert.Null(info[0][3]);
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.7)]
    [InlineData(true, 0.5)]
    public void Confusion_matrix_counts_actual_rows_by_predicted_columns(bool multiclass, double threshold)
    {
        using var db = new TestDb();
        string[] classes = multiclass ? ["-4", "0", "9"] : ["0", "1"];
        var model = multiclass ? Multiclass("INTEGER", classes) : Binary("INTEGER", classes);
        Save(db, "m", model);
        CreateTable(db, "d", "INTEGER", classes, foreign: "5");
        string settings = multiclass ? "" : $", STRUCT({threshold.ToString(CultureInfo.InvariantCulture)} AS threshold)";
        string sql = $"SELECT * FROM ML.CONFUSION_MATRIX(MODEL m, TABLE d{settings})";
        Assert.Equal(["expected_label", .. classes.Select(c => "_" + c.Replace('-', '_'))], db.Columns(sql));
        Assert.Equal(["INTEGER", .. classes.Select(_ => "BIGINT")], db.Rows($"SELECT typeof(COLUMNS(*)) FROM ({sql}) LIMIT 1")[0].Select(v => (string)v!));
        var rows = db.Rows(sql);
        var reference = Reference(db, "d", model).Where(r => r.Label is not null).ToList();
        var actualLabels = reference.Select(r => int.Parse(r.Label!, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        Assert.Contains(5, actualLabels);
        Assert.Equal(actualLabels, rows.Select(r => Convert.ToInt32(r[0], CultureInfo.InvariantCulture)));
        foreach (var row in rows)
        {
            string label = Convert.ToString(row[0], CultureInfo.InvariantCulture)!;
            for (int c = 0; c < classes.Length; c++)
            {
                long expected = reference.Count(r => r.Label == label && PredictedIndex(r.Probs, threshold) == c);
                Assert.Equal(expected, Convert.ToInt64(row[1 + c], CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void Confusion_matrix_column_names_are_sanitized_as_in_bigquery()
    {
        Assert.Equal(["yes", "_0", "__1", "_a_b", "_a_b_2", "_", "Class_2", "_3d", "expected_label_2", "__"],
            ClassificationSql.ColumnNames(["yes", "0", "-1", "a b", "a-b", "", "Class_2", "3d", "expected_label", "é"]));
    }

    [Fact]
    public void Roc_curve_with_generate_array_matches_the_plain_counts()
    {
        using var db = new TestDb();
        var model = Binary("BOOLEAN", ["false", "true"]);
        Save(db, "m", model);
        CreateTable(db, "d", "BOOLEAN", ["false", "true"]);
        string sql = "SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE d, GENERATE_ARRAY(0.0, 1.0, 0.1))";
        Assert.Equal(["threshold", "recall", "false_positive_rate", "true_positives", "false_positives", "true_negatives", "false_negatives"], db.Columns(sql));
        Assert.Equal(["DOUBLE", "DOUBLE", "DOUBLE", "BIGINT", "BIGINT", "BIGINT", "BIGINT"], db.Rows($"SELECT typeof(COLUMNS(*)) FROM ({sql}) LIMIT 1")[0].Select(v => (string)v!));
        var rows = db.Rows(sql + " ORDER BY threshold");
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i / 10.0), rows.Select(r => D(r[0])));
        CheckRocRows(rows, Labeled(db, model));
    }

    [Fact]
    public void Roc_curve_default_thresholds_are_predicted_probabilities_from_the_lowest_to_the_highest()
    {
        using var db = new TestDb();
        var model = Binary("VARCHAR", ["no", "yes"]);
        Save(db, "m", model);
        CreateTable(db, "d", "VARCHAR", ["no", "yes"], foreign: "maybe");
        var rows = db.Rows("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE d)");
        // Thresholds are the SQL's own probabilities, so rows are counted with those (equal to the reference's within 1e-15,
        // checked by the ML.PREDICT tests), not the reference's, which can fall an ulp on the other side of a threshold.
        var labeled = db.Rows("SELECT predicted_label_probs[1].prob, predicted_label_probs[2].prob, label FROM ML.PREDICT(MODEL m, TABLE d) WHERE label IS NOT NULL")
            .Select(r => (P: new[] { D(r[0]), D(r[1]) }, Y: model.Classes.ToList().IndexOf((string)r[2]!), K: 0)).ToList();
        var distinct = labeled.Select(r => r.P[1]).Distinct().Order().ToList();
        var thresholds = rows.Select(r => D(r[0])).ToList();
        Assert.Equal(thresholds.Order(), thresholds);
        Assert.Equal(thresholds.Distinct(), thresholds);
        Assert.InRange(thresholds.Count, 2, 101);
        Assert.All(thresholds, t => Assert.Contains(t, distinct));
        Close(distinct[0], thresholds[0], "lowest threshold");
        Close(distinct[^1], thresholds[^1], "highest threshold");
        CheckRocRows(rows, labeled);
    }

    [Fact]
    public void Roc_curve_accepts_an_array_literal_and_merges_repeated_thresholds()
    {
        using var db = new TestDb();
        var model = Binary("VARCHAR", ["no", "yes"]);
        Save(db, "m", model);
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        var rows = db.Rows("SELECT * FROM ML.ROC_CURVE(MODEL m, (SELECT * FROM d WHERE id < 30), [0.9, 0.25, 0.5, 0.25, -1, 2]) ORDER BY threshold");
        Assert.Equal([-1.0, 0.25, 0.5, 0.9, 2.0], rows.Select(r => D(r[0])));
        CheckRocRows(rows, LabeledWhere(db, model, id => id < 30));
        Assert.Equal(0L, Convert.ToInt64(rows[^1][3], CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(rows[0][5], CultureInfo.InvariantCulture));
    }

    private static List<(double[] P, int Y, int K)> LabeledWhere(TestDb db, LogisticModel model, Func<long, bool> keep) =>
        Reference(db, "d", model).Where(r => r.Label is not null && keep(r.Id))
            .Select(r => (r.Probs, model.Classes.ToList().IndexOf(r.Label!), PredictedIndex(r.Probs, 0.5))).ToList();

    private static void CheckRocRows(List<object?[]> rows, List<(double[] P, int Y, int K)> labeled)
    {
        long positives = labeled.Count(r => r.Y == 1), negatives = labeled.Count - positives;
        Assert.True(positives > 0 && negatives > 0);
        foreach (var row in rows)
        {
            double t = D(row[0]);
            var (tp, fp, tn, fn) = PlainClassification.Counts(labeled, t);
            Assert.Equal([tp, fp, tn, fn], row.Skip(3).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
            Close((double)tp / positives, D(row[1]), $"recall at {t}");
            Close((double)fp / negatives, D(row[2]), $"false_positive_rate at {t}");
        }
    }

    [Fact]
    public void Weights_of_a_binary_model_are_the_linear_weights()
    {
        using var db = new TestDb();
        var model = Binary("VARCHAR", ["no", "yes"]);
        Save(db, "m", model);
        Assert.Equal(["processed_input", "weight", "category_weights"], db.Columns("SELECT * FROM ML.WEIGHTS(MODEL m)"));
        var raw = db.Rows("SELECT processed_input, weight FROM ML.WEIGHTS(MODEL m)");
        Assert.Equal(["x1", "x2", "g", "__INTERCEPT__"], raw.Select(r => (string)r[0]!));
        var s = model.Scores[0];
        Close(s.Numeric[0].RawWeight, D(raw[0][1]), "x1");
        Close(s.RawIntercept, D(raw[3][1]), "intercept");
        Assert.Null(raw[2][1]);
        var std = db.Rows("SELECT weight FROM ML.WEIGHTS(MODEL m, STRUCT(true AS standardize))");
        Close(s.Numeric[1].Weight, D(std[1][0]), "x2 standardized");
        Close(s.Intercept, D(std[3][0]), "standardized intercept");
    }

    [Fact]
    public void Weights_of_a_multiclass_model_have_one_row_per_class_and_input()
    {
        using var db = new TestDb();
        var model = Multiclass("BIGINT", ["-1", "4", "8"]);
        Save(db, "m", model);
        Assert.Equal(["processed_input", "weight", "category_weights", "class_label"], db.Columns("SELECT * FROM ML.WEIGHTS(MODEL m)"));
        Assert.Equal("BIGINT", db.Scalar("SELECT typeof(class_label) FROM ML.WEIGHTS(MODEL m) LIMIT 1"));
        foreach (bool standardize in new[] { false, true })
        {
            var rows = db.Rows($"SELECT class_label, processed_input, weight, list_transform(category_weights, c -> c.weight) FROM ML.WEIGHTS(MODEL m, STRUCT({standardize} AS standardize))");
            Assert.Equal(12, rows.Count);
            for (int c = 0; c < 3; c++)
            {
                var s = model.Scores[c];
                var block = rows.Skip(4 * c).Take(4).ToList();
                Assert.All(block, r => Assert.Equal(long.Parse(model.Classes[c], CultureInfo.InvariantCulture), Convert.ToInt64(r[0], CultureInfo.InvariantCulture)));
                Assert.Equal(["x1", "x2", "g", "__INTERCEPT__"], block.Select(r => (string)r[1]!));
                Close(standardize ? s.Numeric[0].Weight : s.Numeric[0].RawWeight, D(block[0][2]), $"class {c} x1");
                Close(standardize ? s.Intercept : s.RawIntercept, D(block[3][2]), $"class {c} intercept");
                Assert.Equal(s.Categorical[0].Weights, ((System.Collections.IEnumerable)block[2][3]!).Cast<object>().Select(D));
            }
        }
    }

    [Fact]
    public void Functions_are_usable_anywhere_a_table_is()
    {
        using var db = new TestDb();
        Save(db, "m", Binary("VARCHAR", ["no", "yes"]));
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        db.Execute("CREATE TABLE p AS SELECT id, predicted_label FROM ML.PREDICT(MODEL m, TABLE d)");
        Assert.Equal(40L, db.Scalar("SELECT count(*) FROM p"));
        Assert.Equal(40L, db.Scalar("WITH e AS (SELECT * FROM d) SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE e) JOIN d USING (id)"));
        double accuracy = db.Double("SELECT accuracy FROM ML.EVALUATE(MODEL m, TABLE d)");
        double fromConfusion = db.Double("SELECT (SELECT \"no\" FROM ML.CONFUSION_MATRIX(MODEL m, TABLE d) WHERE expected_label = 'no') + (SELECT \"yes\" FROM ML.CONFUSION_MATRIX(MODEL m, TABLE d) WHERE expected_label = 'yes')");
        Assert.Equal(fromConfusion / db.Double("SELECT count(label) FROM d"), accuracy, 12);
    }
}
