namespace SqlMl.Tests.Training;

/// <summary>
/// LINEAR_REG's iterative optimizers, lasso/elastic net and p-values against scikit-learn and statsmodels numbers
/// (References/linear_reference.py wrote them and the data, References/linear_reference.csv), and against the
/// normal equation.
/// </summary>
public class LinearGlmReferenceTests
{
    private static readonly string Csv = Path.Combine(TestDb.RepoRoot, "tests", "SqlMl.Tests", "Training", "References", "linear_reference.csv");

    internal static TestDb Load()
    {
        var db = new TestDb();
        db.Execute($"CREATE TABLE d AS SELECT * FROM read_csv('{Csv}', columns = {{'x1': 'DOUBLE', 'x2': 'DOUBLE', 'x3': 'DOUBLE', 'c': 'VARCHAR', 'y': 'DOUBLE'}}, header = true)");
        return db;
    }

    private static void Create(TestDb db, string name, string options) =>
        db.Execute($"CREATE MODEL {name} OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', {options}) AS SELECT * FROM d");

    /// <summary>Standardized weights: x1, x2, x3, then the levels a, b, c, then the intercept.</summary>
    private static double[] StandardizedWeights(TestDb db, string model)
    {
        var rows = db.Rows($"SELECT processed_input, weight, list_transform(category_weights, c -> c.weight) FROM ML.WEIGHTS(MODEL {model}, STRUCT(true AS standardize))");
        var byName = rows.ToDictionary(r => (string)r[0]!);
        var levels = ((System.Collections.IList)byName["c"][2]!).Cast<double>().ToArray();
        return [(double)byName["x1"][1]!, (double)byName["x2"][1]!, (double)byName["x3"][1]!, .. levels, (double)byName["__INTERCEPT__"][1]!];
    }

    private static void AssertWeights(double[] expected, double expectedIntercept, double[] actual, double tolerance)
    {
        // The one-hot levels beside an unpenalized intercept are identified only through the penalty, so compare the
        // fitted function: numeric weights, level weights and the intercept as sklearn reports them.
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"weight {i}: expected {expected[i]:R}, got {actual[i]:R}");
        Assert.True(Math.Abs(expectedIntercept - actual[^1]) <= tolerance, $"intercept: expected {expectedIntercept:R}, got {actual[^1]:R}");
    }

    [Fact]
    public void Lasso_matches_scikit_learn()
    {
        using var db = Load();
        Create(db, "m", "l1_reg = 8.0, max_iterations = 2000, early_stop = false");
        AssertWeights([1.7022735625824448, 2.752945100949813, -1.8100672365878754, 0.0, 1.7131648850048924, -0.8854322740293987],
            2.737689447515798, StandardizedWeights(db, "m"), 1e-7);
        Assert.Equal(0.0, StandardizedWeights(db, "m")[3]); // the lasso sets level 'a' exactly to 0
    }

    [Fact]
    public void Elastic_net_matches_scikit_learn()
    {
        using var db = Load();
        Create(db, "m", "l1_reg = 7.68, l2_reg = 2.56, max_iterations = 2000, early_stop = false");
        AssertWeights([2.1635748420029417, 2.2138328873262134, -1.7677137087480934, 0.0, 1.4658023027028317, -0.8808669258630789],
            2.7913486887109964, StandardizedWeights(db, "m"), 1e-7);
    }

    [Fact]
    public void Constant_learning_rate_lasso_reaches_the_coordinate_descent_optimum()
    {
        // Proximal gradient steps converge at a rate set by the conditioning, so this uses the well-conditioned columns.
        using var db = Load();
        db.Execute("CREATE MODEL cd OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', l1_reg = 30.0, max_iterations = 2000, early_stop = false) AS SELECT x1, x3, c, y FROM d");
        db.Execute("CREATE MODEL gd OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', l1_reg = 30.0, learn_rate_strategy = 'constant', learn_rate = 0.2, max_iterations = 3000, early_stop = false) AS SELECT x1, x3, c, y FROM d");
        string sql = "SELECT processed_input, coalesce(weight, list_sum(list_transform(category_weights, c -> abs(c.weight)))) FROM ML.WEIGHTS(MODEL {0}, STRUCT(true AS standardize)) ORDER BY processed_input";
        var a = db.Rows(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, "cd"));
        var b = db.Rows(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, "gd"));
        for (int i = 0; i < a.Count; i++)
            Assert.True(Math.Abs((double)a[i][1]! - (double)b[i][1]!) <= 1e-7, $"{a[i][0]}: {a[i][1]:R} vs {b[i][1]:R}");
        Assert.Equal(0.2, db.Double("SELECT max(learning_rate) FROM ML.TRAINING_INFO(MODEL gd)"));
        Assert.Equal(0.2, db.Double("SELECT min(learning_rate) FROM ML.TRAINING_INFO(MODEL gd)"));
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("0.0")]
    public void Conjugate_gradients_reach_the_normal_equation_optimum_on_correlated_features(string l2)
    {
        // x1 and x2 correlate at 0.9988 (x2 in the thousands); with l2 = 0 the one-hot levels beside the intercept are
        // rank-deficient, so only the fitted function is unique: compare the loss and the numeric weights.
        using var db = Load();
        Create(db, "ne", $"optimize_strategy = 'normal_equation', l2_reg = {l2}");
        Create(db, "gd", $"optimize_strategy = 'batch_gradient_descent', l2_reg = {l2}, max_iterations = 5000, early_stop = false");
        double ne = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL ne)");
        double gd = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL gd) ORDER BY iteration DESC LIMIT 1");
        Assert.True(Math.Abs(gd - ne) <= 1e-6 * ne, $"normal equation MSE {ne:R}, gradient descent {gd:R}");
        var a = StandardizedWeights(db, "ne");
        var b = StandardizedWeights(db, "gd");
        for (int i = 0; i < (l2 == "0.0" ? 3 : a.Length); i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5, $"weight {i}: {a[i]:R} vs {b[i]:R}");
    }

    [Fact]
    public void Constant_learning_rate_reaches_the_normal_equation_optimum()
    {
        // Plain gradient steps converge at a rate set by the conditioning: the well-conditioned columns only.
        using var db = Load();
        const string common = "model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split', l2_reg = 0.5";
        db.Execute($"CREATE MODEL ne OPTIONS({common}, optimize_strategy = 'normal_equation') AS SELECT x1, x3, c, y FROM d");
        db.Execute($"CREATE MODEL gd OPTIONS({common}, optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 0.25, max_iterations = 3000, early_stop = false) AS SELECT x1, x3, c, y FROM d");
        double ne = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL ne)");
        double gd = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL gd) ORDER BY iteration DESC LIMIT 1");
        Assert.True(Math.Abs(gd - ne) <= 1e-6 * ne, $"normal equation MSE {ne:R}, gradient descent {gd:R}");
        var diff = db.Double("SELECT max(abs(a.predicted_y - b.predicted_y)) FROM ML.PREDICT(MODEL ne, (SELECT row_number() OVER () AS id, * FROM d)) a JOIN ML.PREDICT(MODEL gd, (SELECT row_number() OVER () AS id, * FROM d)) b USING (id)");
        Assert.True(diff < 1e-5, $"predictions differ by {diff}");
    }

    [Fact]
    public void P_values_and_standard_errors_match_statsmodels_ols()
    {
        using var db = Load();
        Create(db, "m", "calculate_p_values = true, category_encoding_method = 'dummy_encoding'");
        double[] param = [-2.4188186341625033, 1.7687524104371235, 0.004437114982165297, -1.573762798185414, 1.936165288678895, -0.9942608472941985];
        double[] se = [2.232579499295751, 1.107864674115599, 0.0022350373376474083, 0.04705134236972235, 0.14866625220118515, 0.1238112419015105];
        double[] p = [0.2821400754492442, 0.11462982383887088, 0.05082245580684356, 2.0350826514145073e-46, 7.864129966653731e-21, 1.134454568441935e-11];
        var rows = db.Rows("SELECT processed_input, weight, standard_error, p_value, category_weights FROM ML.ADVANCED_WEIGHTS(MODEL m)").ToDictionary(r => (string)r[0]!);
        void Check(int i, double? weight, double? stdErr, double? pValue)
        {
            Assert.True(Math.Abs(param[i] - weight!.Value) <= 1e-8 * Math.Max(1, Math.Abs(param[i])), $"coefficient {i}: {param[i]:R} vs {weight:R}");
            Assert.True(Math.Abs(se[i] - stdErr!.Value) <= 1e-6 * se[i], $"standard error {i}: {se[i]:R} vs {stdErr:R}");
            Assert.True(Math.Abs(p[i] - pValue!.Value) <= 1e-4 * Math.Max(p[i], 1e-12), $"p-value {i}: {p[i]:R} vs {pValue:R}");
        }
        Check(0, (double?)rows["__INTERCEPT__"][1], (double?)rows["__INTERCEPT__"][2], (double?)rows["__INTERCEPT__"][3]);
        Check(1, (double?)rows["x1"][1], (double?)rows["x1"][2], (double?)rows["x1"][3]);
        Check(2, (double?)rows["x2"][1], (double?)rows["x2"][2], (double?)rows["x2"][3]);
        Check(3, (double?)rows["x3"][1], (double?)rows["x3"][2], (double?)rows["x3"][3]);
        var levels = db.Rows("SELECT u.c.category, u.c.weight, u.c.standard_error, u.c.p_value FROM (SELECT unnest(category_weights) AS c FROM ML.ADVANCED_WEIGHTS(MODEL m) WHERE processed_input = 'c') u");
        Assert.Equal(["a", "b", "c"], levels.Select(l => (string)l[0]!));
        Assert.Equal(0.0, levels[0][1]);
        Assert.Null(levels[0][2]); // the dropped level has no standard error
        Assert.Null(levels[0][3]);
        Check(4, (double?)levels[1][1], (double?)levels[1][2], (double?)levels[1][3]);
        Check(5, (double?)levels[2][1], (double?)levels[2][2], (double?)levels[2][3]);
    }

    [Fact]
    public void Standardized_advanced_weights_scale_numeric_standard_errors()
    {
        using var db = Load();
        Create(db, "m", "calculate_p_values = true, category_encoding_method = 'dummy_encoding'");
        double sd = db.Double("SELECT stddev_samp(x2) FROM d");
        var raw = db.Rows("SELECT weight, standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL m) WHERE processed_input = 'x2'")[0];
        var std = db.Rows("SELECT weight, standard_error, p_value FROM ML.ADVANCED_WEIGHTS(MODEL m, STRUCT(true AS standardize)) WHERE processed_input = 'x2'")[0];
        Assert.Equal((double)raw[0]! * sd, (double)std[0]!, 1e-9);
        Assert.Equal((double)raw[1]! * sd, (double)std[1]!, 1e-9);
        Assert.Equal((double)raw[2]!, (double)std[2]!, 1e-12);
    }
}
