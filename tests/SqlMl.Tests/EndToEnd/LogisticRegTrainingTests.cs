using System.Globalization;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Data.Internal.Planning;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training.Logistic;
using static SqlMl.Tests.EndToEnd.LogisticTestModels;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// CREATE MODEL … model_type = 'LOGISTIC_REG' end to end. The binding and error tests fail before the trainer runs;
/// the tests marked "needs the trainer" in their name pass once LogisticRegressionTrainer is implemented.
/// </summary>
public class LogisticRegTrainingTests
{
    private static TestDb Db()
    {
        var db = new TestDb();
        CreateTable(db, "d", "VARCHAR", ["no", "yes"]);
        db.Execute("CREATE TABLE clean AS SELECT * FROM d WHERE label IS NOT NULL");
        return db;
    }

    private static string Create(string options, string query = "SELECT x1, x2, g, label FROM clean") =>
        $"CREATE OR REPLACE MODEL m OPTIONS(model_type = 'logistic_reg'{options}) AS {query}";

    [Theory]
    [InlineData("SELECT x1, x2, g, CAST(x2 AS DOUBLE) AS label FROM clean", "CREATE MODEL m: label column 'label' has type DOUBLE; LOGISTIC_REG needs a STRING, BOOL or integer label (the classes). For a numeric target use model_type = 'LINEAR_REG'; if the values are class codes, CAST the label to INT64 or STRING.")]
    [InlineData("SELECT x1, x2, g, CAST(x2 AS DECIMAL(6, 2)) AS label FROM clean", "label column 'label' has type DECIMAL(6,2); LOGISTIC_REG needs a STRING, BOOL or integer label")]
    [InlineData("SELECT x1, x2, g, CAST(x2 AS FLOAT) AS label FROM clean", "For a numeric target use model_type = 'LINEAR_REG'")]
    [InlineData("SELECT x1, x2, g, DATE '2024-01-01' + x2 AS label FROM clean", "label column 'label' has type DATE; LOGISTIC_REG needs a STRING, BOOL or integer label (the classes). CAST it to STRING, INT64 or BOOL.")]
    [InlineData("SELECT x1, x2, g, 'only' AS label FROM clean", "CREATE MODEL m: label column 'label' has only one class ('only'); LOGISTIC_REG needs at least 2 distinct labels.")]
    [InlineData("SELECT x1, x2, g, id AS label FROM d UNION ALL SELECT x1, x2, g, id + 40 FROM d",
        "CREATE MODEL m: label column 'label' has more than 50 distinct values; LOGISTIC_REG supports at most 50 classes.")]
    [InlineData("SELECT x1, x2, g, label FROM clean WHERE false", "CREATE MODEL m: the training query returned no rows.")]
    [InlineData("SELECT x1, x2, g, CAST(NULL AS VARCHAR) AS label FROM clean", "CREATE MODEL m: label column 'label' is NULL in every row. Filter them out, e.g. WHERE label IS NOT NULL.")]
    [InlineData("SELECT x1, x2, g FROM clean", "CREATE MODEL m: label column 'label' is not in the training query (columns: x1, x2, g). Set input_label_cols.")]
    [InlineData("SELECT x1, x2, g, label FROM no_such_table", "CREATE MODEL m: the training query failed")]
    public void Label_problems_are_errors_before_training(string query, string message)
    {
        using var db = Db();
        Assert.Contains(message, db.Fails(Create("", query)).Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    private static LogisticLabels BindLabels(TestDb db, string query)
    {
        var statement = Assert.Single(StatementSplitter.Split(Create("", query)));
        var create = (CreateModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens);
        return ClassLabels.Bind(new CreateModelContext(create, "LOGISTIC_REG", db.Connection.Duck, default), "label", "LOGISTIC_REG");
    }

    [Fact]
    public void Classes_are_the_distinct_labels_in_the_label_order_up_to_fifty()
    {
        using var db = Db();
        var fifty = BindLabels(db, "SELECT 1.0 AS x1, 2 AS x2, 'a' AS g, CAST((i * 7) % 50 - 20 AS INTEGER) AS label FROM range(120) r(i)");
        Assert.Equal(Enumerable.Range(-20, 50).Select(v => v.ToString(CultureInfo.InvariantCulture)), fifty.Classes);
        Assert.Equal("INTEGER", fifty.LabelType);
        Assert.Equal(["false", "true"], BindLabels(db, "SELECT x1, x2, g, x2 > 4 AS label FROM clean").Classes);
        var text = BindLabels(db, "SELECT x1, x2, g, CASE WHEN x2 > 4 THEN 'b' WHEN x2 > 2 THEN 'B' ELSE 'a' END AS label FROM clean");
        Assert.Equal(["B", "a", "b"], text.Classes);
        Assert.Equal("VARCHAR", text.LabelType);
        Assert.Equal("CAST(CASE CAST(q.\"label\" AS VARCHAR) WHEN 'B' THEN 0 WHEN 'a' THEN 1 WHEN 'b' THEN 2 END AS DOUBLE)",
            ClassLabels.IndexExpression("q.\"label\"", text.Classes));
    }

    [Theory]
    [InlineData(", optimize_strategy = 'normal_equation'", "option 'optimize_strategy' 'NORMAL_EQUATION' applies to LINEAR_REG only")]
    [InlineData(", class_weights = [STRUCT('yes', 2.0)], auto_class_weights = true", "option 'class_weights' cannot be combined with auto_class_weights = TRUE")]
    [InlineData(", l2_reg = -1", "option 'l2_reg' must be a finite number >= 0, got -1")]
    [InlineData(", learn_rate = 0.2", "option 'learn_rate' applies only with learn_rate_strategy = 'CONSTANT'")]
    [InlineData(", num_clusters = 3", "unknown option 'num_clusters' for LOGISTIC_REG")]
    [InlineData(", instance_weight_col = 'w'", "instance_weight_col")]
    [InlineData(", input_label_cols = ['a', 'b']", "option 'input_label_cols' must name exactly one column, got 2")]
    public void Option_errors_come_before_training(string options, string message)
    {
        using var db = Db();
        Assert.Contains(message, db.Fails(Create(options)).Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Warm_start_needs_an_existing_logistic_model_with_the_same_features_and_classes()
    {
        using var db = Db();
        Assert.Contains("warm_start = TRUE continues training an existing model, but model m does not exist.",
            db.Fails(Create(", warm_start = true")).Message, StringComparison.Ordinal);

        Save(db, "m", Binary("VARCHAR", ["no", "yes"]));
        Assert.Contains("warm_start needs the same feature columns as the existing model. Missing now: x2 (numeric).",
            db.Fails(Create(", warm_start = true", "SELECT x1, g, label FROM clean")).Message, StringComparison.Ordinal);
        Assert.Contains("warm_start needs the same classes as the existing model ('no', 'yes'), but the training data has 'maybe', 'no', 'yes'.",
            db.Fails(Create(", warm_start = true", "SELECT x1, x2, g, label FROM clean UNION ALL SELECT 1, 2, 'a', 'maybe'")).Message, StringComparison.Ordinal);
        Assert.Contains("warm_start needs the same label column as the existing model ('label'), got 'y'.",
            db.Fails(Create(", warm_start = true, input_label_cols = ['y']", "SELECT x1, x2, g, label AS y FROM clean")).Message, StringComparison.Ordinal);

        db.Execute("CREATE TABLE lt AS SELECT x1 AS a, 2.0 * x1 AS label FROM clean WHERE x1 IS NOT NULL");
        db.Execute("CREATE MODEL lin OPTIONS(model_type = 'linear_reg') AS SELECT * FROM lt");
        Assert.Contains("warm_start = TRUE continues model lin, which is a LINEAR_REG model, not LOGISTIC_REG.",
            db.Fails("CREATE OR REPLACE MODEL lin OPTIONS(model_type = 'logistic_reg', warm_start = true) AS SELECT x1, x2, g, label FROM clean").Message, StringComparison.Ordinal);
    }

    // ---- needs the trainer (LogisticRegressionTrainer) merged ----

    [Theory]
    [InlineData("VARCHAR", "'no', 'yes'")]
    [InlineData("BOOLEAN", "false, true")]
    [InlineData("INTEGER", "-2, 7")]
    public void Needs_trainer_create_model_then_predict_matches_the_stored_model(string type, string labels)
    {
        using var db = new TestDb();
        CreateTable(db, "d", type, labels.Split(", ").Select(l => l.Trim('\'')).ToArray());
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'logistic_reg', l2_reg = 0.5) AS SELECT x1, x2, g, label FROM d WHERE label IS NOT NULL");
        var stored = ModelCatalog.TryGet(db.Connection.Duck, new ModelName(null, "m"))!;
        var model = Assert.IsType<LogisticModel>(stored.Model);
        Assert.Equal(type, model.LabelType);
        Assert.Equal(labels.Split(", ").Select(l => l.Trim('\'')), model.Classes);
        Assert.Equal(["x1", "x2", "g"], stored.Features.Select(f => f.Name));
        var rows = db.Rows("SELECT predicted_label_probs[2].prob FROM ML.PREDICT(MODEL m, TABLE d) ORDER BY id");
        var reference = Reference(db, "d", model);
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(reference[i].Probs[1], Convert.ToDouble(rows[i][0], CultureInfo.InvariantCulture), 12);
        Assert.Equal(["precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"], db.Columns("SELECT * FROM ML.EVALUATE(MODEL m)"));
        Assert.Equal("LOGISTIC_REG", db.Scalar("SELECT model_type FROM sqlml.models WHERE model_name = 'm'"));
        Assert.True(Convert.ToInt64(db.Scalar("SELECT count(*) FROM ML.TRAINING_INFO(MODEL m)"), CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public void Needs_trainer_multiclass_create_model_and_warm_start_continue_the_runs()
    {
        using var db = new TestDb();
        CreateTable(db, "d", "BIGINT", ["-1", "0", "3"]);
        const string create = "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'logistic_reg', l2_reg = 1.0, max_iterations = 5{0}) AS SELECT x1, x2, g, label FROM d WHERE label IS NOT NULL";
        db.Execute(string.Format(CultureInfo.InvariantCulture, create, ""));
        var model = (LogisticModel)ModelCatalog.TryGet(db.Connection.Duck, new ModelName(null, "m"))!.Model;
        Assert.Equal(["-1", "0", "3"], model.Classes);
        Assert.Equal(3, model.Scores.Count);
        Assert.Equal(12L, db.Scalar("SELECT count(*) FROM ML.WEIGHTS(MODEL m)"));
        db.Execute(string.Format(CultureInfo.InvariantCulture, create, ", warm_start = true"));
        var runs = db.Rows("SELECT DISTINCT training_run FROM ML.TRAINING_INFO(MODEL m) ORDER BY 1").Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture));
        Assert.Equal([0L, 1L], runs);
    }

    [Fact]
    public void Needs_trainer_null_labels_are_handled_as_for_linear_reg()
    {
        using var db = Db();
        Assert.Contains("label column 'label' is NULL in some rows", db.Fails(Create("", "SELECT x1, x2, g, label FROM d")).Message, StringComparison.Ordinal);
    }
}
