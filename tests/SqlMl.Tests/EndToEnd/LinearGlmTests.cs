using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;
using SqlMl.Tests.Training;

namespace SqlMl.Tests.EndToEnd;

/// <summary>LINEAR_REG's strategy choice, iteration semantics, warm start and DUMMY_ENCODING, end to end.</summary>
public class LinearGlmTests
{
    private static GlmOptions Options(string options)
    {
        string sql = "CREATE MODEL m OPTIONS(model_type = 'linear_reg'" + options + ") AS SELECT 1";
        var statement = (CreateModelStatement)MlStatementParser.ParseStatement(sql, SqlLexer.Tokenize(sql));
        return GlmOptions.Bind(BoundOptions.Bind(statement.Options, GlmOptions.LinearReg, GlmOptions.LinearSpecs, GlmOptions.NotYetSupported), GlmOptions.LinearReg);
    }

    [Theory]
    [InlineData("", 5, 50, "NormalEquation")]
    [InlineData("", 5, 49, "BatchGradientDescent")]
    [InlineData("", 10_001, 1_000_000, "BatchGradientDescent")]
    [InlineData("", 10_000, 100_000, "NormalEquation")]
    [InlineData(", l1_reg = 0.1", 5, 1000, "BatchGradientDescent")]
    [InlineData(", warm_start = true", 5, 1000, "BatchGradientDescent")]
    [InlineData(", optimize_strategy = 'normal_equation'", 5, 10, "NormalEquation")]
    [InlineData(", optimize_strategy = 'batch_gradient_descent'", 5, 1000, "BatchGradientDescent")]
    public void Auto_strategy_follows_bigquerys_rule(string options, int cardinality, double rows, string expected)
    {
        Assert.Equal(Enum.Parse<OptimizeStrategy>(expected), LinearRegressionTrainer.ChooseStrategy(Options(options), cardinality, rows));
    }

    [Fact]
    public void Auto_strategy_counts_one_hot_levels_and_reports_gradient_descent_iterations()
    {
        using var db = new TestDb();
        // 2 numeric + 4 levels = cardinality 6: 59 rows → gradient descent, 60 rows → normal equation.
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS a, (i * 7 % 11)::DOUBLE AS b, 'g' || (i % 4) AS g, 2.0 * i - (i * 7 % 11) + (i % 4) + sin(i) AS y FROM range(60) r(i)");
        db.Execute("CREATE MODEL small OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM t WHERE a < 59");
        db.Execute("CREATE MODEL large OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM t");
        Assert.Equal(0L, db.Scalar("SELECT count(learning_rate) FROM ML.TRAINING_INFO(MODEL large)"));
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM ML.TRAINING_INFO(MODEL large)"));
        Assert.True((long)db.Scalar("SELECT count(learning_rate) FROM ML.TRAINING_INFO(MODEL small)")! >= 1);
    }

    [Fact]
    public void Early_stop_ends_after_the_first_iteration_below_min_rel_progress()
    {
        using var db = LinearGlmReferenceTests.Load();
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 0.05, min_rel_progress = 0.02, max_iterations = 1000) AS SELECT * FROM d");
        var loss = db.Rows("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration").Select(r => (double)r[0]!).ToList();
        Assert.InRange(loss.Count, 3, 999);
        for (int i = 1; i < loss.Count - 1; i++) Assert.True((loss[i - 1] - loss[i]) >= 0.02 * loss[i - 1], $"iteration {i} progressed too little yet training went on");
        Assert.True((loss[^2] - loss[^1]) < 0.02 * loss[^2]);

        db.Execute("CREATE MODEL n OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 0.05, early_stop = false, max_iterations = 7) AS SELECT * FROM d");
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L], db.Rows("SELECT iteration FROM ML.TRAINING_INFO(MODEL n) ORDER BY iteration").Select(r => (long)r[0]!));
        Assert.Equal(0L, db.Scalar("SELECT count(eval_loss) FROM ML.TRAINING_INFO(MODEL n)")); // fewer than 500 rows: AUTO_SPLIT keeps no evaluation rows
    }

    [Fact]
    public void Eval_loss_is_the_evaluation_rows_mse_of_each_iteration()
    {
        using var db = LinearGlmReferenceTests.Load();
        db.Execute("CREATE TABLE s AS SELECT *, row_number() OVER () % 4 = 0 AS is_eval FROM d");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'custom', data_split_col = 'is_eval', optimize_strategy = 'batch_gradient_descent', max_iterations = 3, early_stop = false) AS SELECT * FROM s");
        double last = db.Double("SELECT eval_loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration DESC LIMIT 1");
        double direct = db.Double("SELECT avg((y - predicted_y) * (y - predicted_y)) FROM ML.PREDICT(MODEL m, (SELECT * FROM s WHERE is_eval))");
        Assert.Equal(direct, last, 1e-9 * direct);
        Assert.Equal(direct, db.Double("SELECT mean_squared_error FROM ML.EVALUATE(MODEL m)"), 1e-9 * direct);
    }

    [Fact]
    public void Conjugate_gradients_reach_the_optimum_of_a_nearly_singular_design()
    {
        using var db = new TestDb();
        // corr(x1, x2) = 1 − O(1e-9): the standardized Gram matrix has a condition number around 1e9.
        db.Execute("CREATE TABLE t AS SELECT sin(i) AS x1, sin(i) + 1e-4 * cos(3 * i) AS x2, 1000 + 5000 * cos(i) AS x3, 'k' || (i % 5) AS g, " +
                   "sin(i) + 0.5 * cos(3 * i) + 0.001 * cos(i) + (i % 5) + 0.1 * sin(7 * i) AS y FROM range(300) r(i)");
        const string common = "model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split'";
        db.Execute($"CREATE MODEL ne OPTIONS({common}, optimize_strategy = 'normal_equation') AS SELECT * FROM t");
        db.Execute($"CREATE MODEL cg OPTIONS({common}, optimize_strategy = 'batch_gradient_descent', max_iterations = 5000, early_stop = false) AS SELECT * FROM t");
        double ne = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL ne)");
        double cg = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL cg) ORDER BY iteration DESC LIMIT 1");
        Assert.True(Math.Abs(cg - ne) <= 1e-6 * ne, $"normal equation MSE {ne:R}, conjugate gradients {cg:R}");
    }

    [Fact]
    public void Constant_learning_rate_that_diverges_is_an_error()
    {
        using var db = LinearGlmReferenceTests.Load();
        var e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 50.0, max_iterations = 5000, early_stop = false) AS SELECT * FROM d");
        Assert.Contains("learn_rate = 50 is too large", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Warm_start_continues_from_the_existing_model_and_keeps_previous_runs()
    {
        using var db = LinearGlmReferenceTests.Load();
        const string options = "model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 0.05, early_stop = false";
        db.Execute($"CREATE MODEL m OPTIONS({options}, max_iterations = 3) AS SELECT * FROM d");
        double before = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m) WHERE iteration = 2");
        db.Execute($"CREATE OR REPLACE MODEL m OPTIONS({options}, max_iterations = 2, warm_start = true) AS SELECT * FROM d");
        db.Execute($"CREATE OR REPLACE MODEL m OPTIONS({options}, max_iterations = 2, warm_start = true) AS SELECT * FROM d");
        var info = db.Rows("SELECT training_run, iteration, loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY training_run, iteration");
        Assert.Equal([(0L, 0L), (0L, 1L), (0L, 2L), (1L, 0L), (1L, 1L), (2L, 0L), (2L, 1L)], info.Select(r => ((long)r[0]!, (long)r[1]!)));
        // Run 1 starts where run 0 ended: its first step improves on run 0's last loss, not on a fresh start's.
        Assert.True((double)info[3][2]! < before);
        db.Execute($"CREATE MODEL fresh OPTIONS({options}, max_iterations = 7) AS SELECT * FROM d");
        Assert.Equal(db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL fresh) WHERE iteration = 6"), (double)info[6][2]!, 1e-9);
    }

    [Theory]
    [InlineData("SELECT x1, x2, c, y FROM d", "Missing now: x3 (numeric).")]
    [InlineData("SELECT x1, x2, x3, c, x1 * 2 AS x4, y FROM d", "New: x4 (numeric).")]
    [InlineData("SELECT x1, x2, x3, c, y AS z, y FROM d", "New: z (numeric).")]
    public void Warm_start_needs_the_same_features(string query, string message)
    {
        using var db = LinearGlmReferenceTests.Load();
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d");
        var e = db.Fails($"CREATE OR REPLACE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], warm_start = true) AS {query}");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_start_needs_the_same_label_and_model_type()
    {
        using var db = LinearGlmReferenceTests.Load();
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d");
        var e = db.Fails("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['x3'], warm_start = true) AS SELECT * FROM d");
        Assert.Contains("whose label is 'y', but the label now is 'x3'", e.Message, StringComparison.Ordinal);
        db.Execute("CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x3 FROM d");
        e = db.Fails("CREATE OR REPLACE MODEL k OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], warm_start = true) AS SELECT * FROM d");
        Assert.Contains("which is a KMEANS model, not LINEAR_REG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dummy_encoding_predicts_as_one_hot_and_keeps_the_dropped_level_at_zero()
    {
        using var db = LinearGlmReferenceTests.Load();
        db.Execute("UPDATE d SET c = NULL WHERE x3 > 1.7");
        db.Execute("CREATE MODEL one OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d");
        db.Execute("CREATE MODEL dum OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], category_encoding_method = 'dummy_encoding') AS SELECT * FROM d");
        var diff = db.Double("SELECT max(abs(a.predicted_y - b.predicted_y)) FROM ML.PREDICT(MODEL one, (SELECT row_number() OVER () AS id, * FROM d)) a JOIN ML.PREDICT(MODEL dum, (SELECT row_number() OVER () AS id, * FROM d)) b USING (id)");
        Assert.True(diff < 1e-9, $"predictions differ by {diff}");
        var levels = db.Rows("SELECT u.c.category, u.c.weight FROM (SELECT unnest(category_weights) AS c FROM ML.WEIGHTS(MODEL dum) WHERE processed_input = 'c') u");
        Assert.Equal(["a", "b", "c", null], levels.Select(l => (string?)l[0]));
        Assert.Equal(0.0, levels[0][1]);
        Assert.NotEqual(0.0, levels[1][1]);
    }
}
