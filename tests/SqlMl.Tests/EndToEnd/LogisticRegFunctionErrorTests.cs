using static SqlMl.Tests.EndToEnd.LogisticTestModels;

namespace SqlMl.Tests.EndToEnd;

/// <summary>Every error of LOGISTIC_REG's ML functions, on hand-built models.</summary>
public class LogisticRegFunctionErrorTests
{
    private static TestDb Db()
    {
        var db = new TestDb();
        Save(db, "bin", Binary("VARCHAR", ["no", "yes"]));
        Save(db, "multi", Multiclass("INTEGER", ["1", "2", "3"]));
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        CreateTable(db, "di", "INTEGER", ["1", "2", "3"]);
        return db;
    }

    [Theory]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL multi, TABLE di, STRUCT(0.3 AS threshold))",
        "ML.PREDICT: setting 'threshold' applies to binary models only; model multi has 3 classes and predicts the most probable one.")]
    [InlineData("SELECT * FROM ML.EVALUATE(MODEL multi, TABLE di, STRUCT(0.3 AS threshold))", "ML.EVALUATE: setting 'threshold' applies to binary models only")]
    [InlineData("SELECT * FROM ML.CONFUSION_MATRIX(MODEL multi, TABLE di, STRUCT(0.3 AS threshold))", "ML.CONFUSION_MATRIX: setting 'threshold' applies to binary models only")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, TABLE d, STRUCT(1.5 AS threshold))", "ML.PREDICT: setting 'threshold' must be between 0 and 1, got 1.5.")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, TABLE d, STRUCT(-0.1 AS threshold))", "ML.PREDICT: setting 'threshold' must be between 0 and 1, got -0.1.")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, TABLE d, STRUCT('high' AS threshold))", "ML.PREDICT: setting 'threshold' expects FLOAT64, got STRING 'high'.")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, TABLE d, STRUCT(true AS keep_original_columns))",
        "ML.PREDICT: setting 'keep_original_columns' does not apply to LOGISTIC_REG models. Allowed: threshold.")]
    [InlineData("SELECT * FROM ML.EVALUATE(MODEL bin, STRUCT(0.4 AS threshold))",
        "ML.EVALUATE: setting 'threshold' needs input data: ML.EVALUATE(MODEL bin, TABLE t, STRUCT(0.4 AS threshold)). Without input it returns the metrics stored at training (threshold 0.5).")]
    [InlineData("SELECT * FROM ML.CONFUSION_MATRIX(MODEL bin)",
        "ML.CONFUSION_MATRIX: an input with the label column is required: SqlMl keeps no evaluation rows. Use ML.CONFUSION_MATRIX(MODEL bin, TABLE t) or (SELECT ...).")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL multi, TABLE di)",
        "ML.ROC_CURVE applies to binary classification models only; model multi has 3 classes. Use ML.CONFUSION_MATRIX or ML.EVALUATE instead.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin)",
        "ML.ROC_CURVE: an input with the label column is required: ML.ROC_CURVE(MODEL bin, TABLE t [, GENERATE_ARRAY(0.0, 1.0, 0.1)]).")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, STRUCT(1 AS trial_id))", "ML.ROC_CURVE: setting 'trial_id' does not apply to LOGISTIC_REG models.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, GENERATE_ARRAY(0.5, 0.1, 0.1))",
        "ML.ROC_CURVE: the thresholds GENERATE_ARRAY(0.5, 0.1, 0.1) are empty; give at least one, e.g. GENERATE_ARRAY(0.0, 1.0, 0.1).")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, [])", "ML.ROC_CURVE: the thresholds [] are empty")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, ['a'])", "ML.ROC_CURVE: thresholds must be numbers, got STRING 'a'.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, GENERATE_ARRAY(0, 1, 0))", "GENERATE_ARRAY(0, 1, 0): the step must not be 0.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, GENERATE_ARRAY(0, 1, 0.000001))", "GENERATE_ARRAY(0, 1, 1E-06) has more than 100000 elements.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, GENERATE_ARRAY(0, 1, 0.5), TABLE d)", "ML.ROC_CURVE: unexpected argument GENERATE_ARRAY(0, 1, 0.5). Expected MODEL m, then TABLE t or (query), then optional thresholds")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, TABLE d, [0.5], [0.6])", "ML.ROC_CURVE: unexpected argument [0.6].")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, TABLE d, [0.5])", "ML.PREDICT: unexpected argument [0.5]. Expected MODEL m, then TABLE t or (query), then an optional STRUCT(...) of settings.")]
    [InlineData("SELECT * FROM ML.WEIGHTS(MODEL bin, STRUCT(0.5 AS threshold))", "ML.WEIGHTS: unknown setting 'threshold'. Allowed: standardize.")]
    [InlineData("SELECT * FROM ML.TRAINING_INFO(MODEL bin, STRUCT(0.5 AS threshold))", "ML.TRAINING_INFO: setting 'threshold' does not apply to LOGISTIC_REG models.")]
    [InlineData("SELECT * FROM ML.EVALUATE(MODEL bin, (SELECT x1, x2, g FROM d))", "ML.EVALUATE: the input lacks column 'label' that model bin was trained with.")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL bin, (SELECT x1, g FROM d))", "ML.PREDICT: the input lacks column 'x2' that model bin was trained with.")]
    [InlineData("SELECT * FROM ML.EVALUATE(MODEL bin, (SELECT x1, x2, g, 1 AS label FROM d))",
        "ML.EVALUATE: input label column 'label' has type INTEGER, but model bin was trained with a label of type VARCHAR (labels match classes within integers, STRING or BOOL). CAST it to VARCHAR.")]
    [InlineData("SELECT * FROM ML.CONFUSION_MATRIX(MODEL multi, (SELECT x1, x2, g, CAST(label AS DOUBLE) AS label FROM di))",
        "ML.CONFUSION_MATRIX: input label column 'label' has type DOUBLE, but model multi was trained with a label of type INTEGER (labels match classes within integers, STRING or BOOL). CAST it to INTEGER.")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL bin, (SELECT x1, x2, g, label = 'yes' AS label FROM d))",
        "ML.ROC_CURVE: input label column 'label' has type BOOLEAN, but model bin was trained with a label of type VARCHAR")]
    public void Function_error_names_the_function_and_the_problem(string sql, string message)
    {
        using var db = Db();
        var e = db.Fails(sql);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roc_curve_of_a_linear_model_is_not_supported()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS x, 2.0 * i AS label FROM range(10) r(i)");
        db.Execute("CREATE MODEL lin OPTIONS(model_type = 'linear_reg') AS SELECT * FROM t");
        Assert.Contains("ML.ROC_CURVE for LINEAR_REG models is not yet supported by SqlMl.", db.Fails("SELECT * FROM ML.ROC_CURVE(MODEL lin, TABLE t)").Message, StringComparison.Ordinal);
    }
}
