using SqlMl.Options;
using SqlMl.Parsing;

namespace SqlMl.Tests.Options;

public class OptionsBindingTests
{
    private static IReadOnlyList<OptionEntry> Entries(string options)
    {
        const string prefix = "CREATE MODEL m OPTIONS(";
        string sql = prefix + options + ") AS SELECT 1";
        var statement = (CreateModelStatement)MlStatementParser.ParseStatement(sql, SqlLexer.Tokenize(sql));
        return statement.Options;
    }

    private static BoundOptions Bind(string options) =>
        BoundOptions.Bind(Entries(options), GlmOptions.LinearReg, GlmOptions.LinearSpecs, GlmOptions.NotYetSupported);

    private static GlmOptions BindLinear(string options) => GlmOptions.Bind(Bind(options), GlmOptions.LinearReg);

    private static DataSplitOptions BindSplit(string options) => DataSplitOptions.Bind(Bind(options));

    private static string BindingError(Action bind)
    {
        var e = Assert.Throws<SqlMlException>(bind);
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.Null(e.Line);
        return e.Message;
    }

    // ---- names, types, duplicates ----

    [Fact]
    public void Defaults_apply_when_only_model_type_is_given()
    {
        var o = BindLinear("model_type = 'linear_reg'");
        Assert.Equal("label", o.Label);
        Assert.Equal(0, o.L2Reg);
        Assert.True(o.FitIntercept);
        Assert.Equal(OptimizeStrategy.AutoStrategy, o.Strategy);
        Assert.Equal(new DataSplitOptions(DataSplitMethod.AutoSplit, null, null), o.Split);
    }

    [Fact]
    public void Option_names_are_case_insensitive()
    {
        var o = BindLinear("MODEL_TYPE = 'linear_reg', Input_Label_Cols = ['y'], L2_REG = 0.5, Fit_Intercept = FALSE, OPTIMIZE_strategy = 'normal_equation'");
        Assert.Equal("y", o.Label);
        Assert.Equal(0.5, o.L2Reg);
        Assert.False(o.FitIntercept);
        Assert.Equal(OptimizeStrategy.NormalEquation, o.Strategy);
    }

    [Fact]
    public void Bound_options_are_found_under_any_case_and_json_uses_the_canonical_name()
    {
        var bound = Bind("L2_Reg = 2, INPUT_LABEL_COLS = ['y'], fit_intercept = TRUE");
        Assert.True(bound.Has("l2_reg"));
        Assert.True(bound.Has("L2_REG"));
        Assert.False(bound.Has("data_split_col"));
        Assert.Equal(2.0, bound.Float("l2_reg"));
        Assert.Null(bound.Float("data_split_eval_fraction"));
        Assert.Equal("""{"l2_reg":2,"input_label_cols":["y"],"fit_intercept":true}""", bound.ToJson());
    }

    [Fact]
    public void Integer_literal_is_accepted_for_a_float_option()
    {
        Assert.Equal(3.0, BindLinear("l2_reg = 3").L2Reg);
    }

    [Fact]
    public void Unknown_option_suggests_the_closest_name()
    {
        string message = BindingError(() => Bind("model_type = 'linear_reg', l2_regg = 0.1"));
        Assert.Equal("CREATE MODEL: unknown option 'l2_regg' for LINEAR_REG. Did you mean 'l2_reg'?", message);
    }

    [Fact]
    public void Unknown_option_suggestion_includes_options_not_yet_supported()
    {
        string message = BindingError(() => Bind("max_iteration = 5"));
        Assert.EndsWith("Did you mean 'max_iterations'?", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_far_from_every_name_has_no_suggestion()
    {
        string message = BindingError(() => Bind("completely_unrelated_setting = 1"));
        Assert.Equal("CREATE MODEL: unknown option 'completely_unrelated_setting' for LINEAR_REG.", message);
    }

    [Theory]
    [InlineData("l2_reg = 'high'", "l2_reg", "FLOAT64", "STRING 'high'")]
    [InlineData("L2_REG = TRUE", "l2_reg", "FLOAT64", "BOOL TRUE")]
    [InlineData("fit_intercept = 'true'", "fit_intercept", "BOOL", "STRING 'true'")]
    [InlineData("fit_intercept = 1", "fit_intercept", "BOOL", "INT64 1")]
    [InlineData("model_type = 1", "model_type", "STRING", "INT64 1")]
    [InlineData("input_label_cols = 'y'", "input_label_cols", "ARRAY<STRING>", "STRING 'y'")]
    [InlineData("input_label_cols = [1]", "input_label_cols", "ARRAY<STRING>", "ARRAY [1]")]
    [InlineData("data_split_eval_fraction = NULL", "data_split_eval_fraction", "FLOAT64", "NULL NULL")]
    [InlineData("data_split_col = STRUCT('a' AS b)", "data_split_col", "STRING", "STRUCT STRUCT('a' AS b)")]
    public void Wrong_type_names_the_option_and_the_expected_type(string options, string option, string expected, string got)
    {
        string message = BindingError(() => Bind(options));
        Assert.Equal($"CREATE MODEL: option '{option}' expects {expected}, got {got}.", message);
    }

    [Fact]
    public void Enumeration_given_a_number_names_the_allowed_values()
    {
        string message = BindingError(() => Bind("optimize_strategy = 1"));
        Assert.Equal("CREATE MODEL: option 'optimize_strategy' expects one of 'AUTO_STRATEGY', 'NORMAL_EQUATION', 'BATCH_GRADIENT_DESCENT', got INT64 1.", message);
    }

    [Fact]
    public void Float_given_where_an_int_is_expected_is_rejected()
    {
        var specs = new[] { new OptionSpec("num_clusters", OptionKind.Int) };
        string message = BindingError(() => BoundOptions.Bind(Entries("num_clusters = 3.0"), "KMEANS", specs, []));
        Assert.Equal("CREATE MODEL: option 'num_clusters' expects INT64, got FLOAT64 3.0.", message);
        Assert.Equal(3L, BoundOptions.Bind(Entries("NUM_CLUSTERS = 3"), "KMEANS", specs, []).Int("num_clusters"));
    }

    [Theory]
    [InlineData("l2_reg = 0.1, l2_reg = 0.2")]
    [InlineData("l2_reg = 0.1, L2_REG = 0.1")]
    [InlineData("model_type = 'linear_reg', Model_Type = 'linear_reg'")]
    public void Option_given_twice_is_rejected_whatever_its_case(string options)
    {
        string message = BindingError(() => Bind(options));
        Assert.EndsWith("is given more than once.", message, StringComparison.Ordinal);
        Assert.StartsWith("CREATE MODEL: option '", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("num_trials = 10", "num_trials")]
    [InlineData("hparam_tuning_algorithm = 'RANDOM_SEARCH'", "hparam_tuning_algorithm")]
    [InlineData("instance_weight_col = 'w'", "instance_weight_col")]
    public void Known_but_unimplemented_option_is_not_yet_supported(string options, string option)
    {
        string message = BindingError(() => Bind("model_type = 'linear_reg', " + options));
        Assert.Equal($"CREATE MODEL: option '{option}' for LINEAR_REG is not yet supported by SqlMl.", message);
    }

    // ---- enumerations ----

    [Theory]
    [InlineData("AUTO_STRATEGY", nameof(OptimizeStrategy.AutoStrategy))]
    [InlineData("normal_equation", nameof(OptimizeStrategy.NormalEquation))]
    [InlineData("Normal_Equation", nameof(OptimizeStrategy.NormalEquation))]
    public void Optimize_strategy_values_are_case_insensitive(string value, string expected)
    {
        Assert.Equal(Enum.Parse<OptimizeStrategy>(expected), BindLinear($"optimize_strategy = '{value}'").Strategy);
    }

    [Fact]
    public void Misspelled_enumeration_value_suggests_the_closest_value()
    {
        string message = BindingError(() => Bind("optimize_strategy = 'normal_equations'"));
        Assert.Equal(
            "CREATE MODEL: option 'optimize_strategy' must be one of 'AUTO_STRATEGY', 'NORMAL_EQUATION', 'BATCH_GRADIENT_DESCENT', got 'normal_equations'. Did you mean 'NORMAL_EQUATION'?",
            message);
    }

    [Fact]
    public void Misspelled_data_split_method_suggests_the_closest_method()
    {
        string message = BindingError(() => Bind("data_split_method = 'randm'"));
        Assert.StartsWith("CREATE MODEL: option 'data_split_method' must be one of 'AUTO_SPLIT', 'RANDOM', 'CUSTOM', 'SEQ', 'NO_SPLIT', got 'randm'.", message, StringComparison.Ordinal);
        Assert.EndsWith("Did you mean 'RANDOM'?", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enumeration_value_far_from_every_value_has_no_suggestion()
    {
        string message = BindingError(() => Bind("data_split_method = 'by_coin_flip_please'"));
        Assert.DoesNotContain("Did you mean", message, StringComparison.Ordinal);
        Assert.Contains("got 'by_coin_flip_please'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Learn_rate_with_line_search_is_an_error_naming_the_option()
    {
        string message = BindingError(() => BindLinear("learn_rate = 0.2"));
        Assert.StartsWith("CREATE MODEL: option 'learn_rate' applies only with learn_rate_strategy = 'CONSTANT'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normal_equation_with_l1_reg_is_an_error()
    {
        string message = BindingError(() => BindLinear("optimize_strategy = 'normal_equation', l1_reg = 1"));
        Assert.StartsWith("CREATE MODEL: option 'optimize_strategy' 'NORMAL_EQUATION' cannot be used with l1_reg", message, StringComparison.Ordinal);
    }

    // ---- LINEAR_REG values ----

    [Fact]
    public void Input_label_cols_with_one_column_sets_the_label()
    {
        Assert.Equal("body_mass_g", BindLinear("input_label_cols = ['body_mass_g']").Label);
    }

    [Theory]
    [InlineData("[]", 0)]
    [InlineData("['a', 'b']", 2)]
    [InlineData("['a', 'b', 'c']", 3)]
    public void Input_label_cols_must_have_exactly_one_element(string array, int count)
    {
        string message = BindingError(() => BindLinear("input_label_cols = " + array));
        Assert.Equal($"CREATE MODEL: option 'input_label_cols' must name exactly one column, got {count}.", message);
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("-1")]
    [InlineData("1e400")]
    public void L2_reg_must_be_finite_and_not_negative(string value)
    {
        string message = BindingError(() => BindLinear("l2_reg = " + value));
        Assert.StartsWith("CREATE MODEL: option 'l2_reg' must be a finite number >= 0, got ", message, StringComparison.Ordinal);
    }

    // ---- data split ----

    [Theory]
    [InlineData("AUTO_SPLIT", nameof(DataSplitMethod.AutoSplit))]
    [InlineData("random", nameof(DataSplitMethod.Random))]
    [InlineData("No_Split", nameof(DataSplitMethod.NoSplit))]
    public void Data_split_method_is_read_case_insensitively(string value, string expected)
    {
        var split = BindSplit($"data_split_method = '{value}'");
        Assert.Equal(Enum.Parse<DataSplitMethod>(expected), split.Method);
        Assert.Null(split.EvalFraction);
        Assert.Null(split.Column);
    }

    [Theory]
    [InlineData("0.2", 0.2)]
    [InlineData("0.333", 0.33)]
    [InlineData("0.125", 0.13)]
    [InlineData("0.005", 0.01)]
    [InlineData("0.994", 0.99)]
    [InlineData("5e-1", 0.5)]
    public void Eval_fraction_is_rounded_to_two_decimals(string value, double expected)
    {
        Assert.Equal(expected, BindSplit($"data_split_method = 'RANDOM', data_split_eval_fraction = {value}").EvalFraction);
    }

    [Fact]
    public void Eval_fraction_that_rounds_to_one_is_rejected()
    {
        string message = BindingError(() => BindSplit("data_split_method = 'RANDOM', data_split_eval_fraction = 0.996"));
        Assert.Equal("CREATE MODEL: option 'data_split_eval_fraction' rounds to 1 at two decimals; use a value between 0.01 and 0.99.", message);
    }

    [Fact]
    public void Eval_fraction_that_rounds_to_zero_is_rejected()
    {
        string message = BindingError(() => BindSplit("data_split_method = 'RANDOM', data_split_eval_fraction = 0.004"));
        Assert.Equal("CREATE MODEL: option 'data_split_eval_fraction' rounds to 0 at two decimals; use a value between 0.01 and 0.99.", message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    [InlineData("0.0")]
    public void Eval_fraction_outside_zero_to_one_is_rejected(string value)
    {
        string message = BindingError(() => BindSplit($"data_split_method = 'RANDOM', data_split_eval_fraction = {value}"));
        Assert.StartsWith("CREATE MODEL: option 'data_split_eval_fraction' must be between 0 and 1 (exclusive), got ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("data_split_method = 'AUTO_SPLIT', ")]
    [InlineData("data_split_method = 'NO_SPLIT', ")]
    [InlineData("data_split_method = 'CUSTOM', data_split_col = 'is_eval', ")]
    public void Eval_fraction_applies_only_to_random_and_seq(string prefix)
    {
        string message = BindingError(() => BindSplit(prefix + "data_split_eval_fraction = 0.3"));
        Assert.Equal("CREATE MODEL: option 'data_split_eval_fraction' applies only to data_split_method 'RANDOM' or 'SEQ'.", message);
    }

    [Fact]
    public void Random_without_eval_fraction_leaves_it_unset()
    {
        Assert.Equal(new DataSplitOptions(DataSplitMethod.Random, null, null), BindSplit("data_split_method = 'RANDOM'"));
    }

    [Fact]
    public void Seq_with_column_defaults_eval_fraction_to_one_fifth()
    {
        Assert.Equal(new DataSplitOptions(DataSplitMethod.Seq, 0.2, "ts"), BindSplit("data_split_method = 'seq', data_split_col = 'ts'"));
    }

    [Fact]
    public void Seq_keeps_a_given_eval_fraction()
    {
        Assert.Equal(new DataSplitOptions(DataSplitMethod.Seq, 0.15, "ts"), BindSplit("data_split_method = 'SEQ', data_split_col = 'ts', data_split_eval_fraction = 0.149"));
    }

    [Fact]
    public void Custom_with_column_has_no_eval_fraction()
    {
        Assert.Equal(new DataSplitOptions(DataSplitMethod.Custom, null, "is_eval"), BindSplit("data_split_method = 'CUSTOM', data_split_col = 'is_eval'"));
    }

    [Theory]
    [InlineData("CUSTOM", "")]
    [InlineData("SEQ", "")]
    [InlineData("CUSTOM", ", data_split_col = ''")]
    [InlineData("seq", ", data_split_col = ''")]
    public void Data_split_col_is_required_for_custom_and_seq(string method, string column)
    {
        string message = BindingError(() => BindSplit($"data_split_method = '{method}'" + column));
        Assert.Equal($"CREATE MODEL: option 'data_split_col' is required when data_split_method is '{method.ToUpperInvariant()}'.", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("data_split_method = 'AUTO_SPLIT', ")]
    [InlineData("data_split_method = 'RANDOM', ")]
    [InlineData("data_split_method = 'NO_SPLIT', ")]
    public void Data_split_col_is_refused_for_other_methods(string prefix)
    {
        string message = BindingError(() => BindSplit(prefix + "data_split_col = 'c'"));
        Assert.Equal("CREATE MODEL: option 'data_split_col' applies only to data_split_method 'CUSTOM' or 'SEQ'.", message);
    }

    [Fact]
    public void Linear_reg_binds_its_data_split_options()
    {
        var o = BindLinear("model_type = 'linear_reg', data_split_method = 'RANDOM', data_split_eval_fraction = 0.25");
        Assert.Equal(new DataSplitOptions(DataSplitMethod.Random, 0.25, null), o.Split);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 0L)]
    [InlineData(499L, 0L)]
    [InlineData(500L, 100L)]
    [InlineData(502L, 100L)]
    [InlineData(503L, 101L)]
    [InlineData(1_000L, 200L)]
    [InlineData(49_999L, 10_000L)]
    [InlineData(50_000L, 10_000L)]
    [InlineData(50_001L, 10_000L)]
    [InlineData(1_000_000L, 10_000L)]
    public void Auto_split_evaluation_rows_follow_bigquery_thresholds(long rows, long expected)
    {
        Assert.Equal(expected, DataSplitOptions.AutoEvalRows(rows));
    }
}
