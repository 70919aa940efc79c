namespace SqlMl.Options;

/// <summary>How LINEAR_REG solves for its weights.</summary>
internal enum OptimizeStrategy
{
    AutoStrategy,
    NormalEquation,
    BatchGradientDescent,
}

/// <summary>Validated options of a LINEAR_REG model.</summary>
internal sealed record LinearRegOptions(
    string Label,
    double L2Reg,
    bool FitIntercept,
    OptimizeStrategy Strategy,
    DataSplitOptions Split)
{
    public const string ModelType = "LINEAR_REG";

    public static class Defaults
    {
        public const string Label = "label";
        public const double L2Reg = 0;
        public const bool FitIntercept = true;
        /// <summary>NORMAL_EQUATION is refused above this many features after one-hot encoding (BigQuery's limit).</summary>
        public const int MaxNormalEquationCardinality = 10_000;
    }

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("model_type", OptionKind.String),
        new("input_label_cols", OptionKind.StringArray),
        new("l2_reg", OptionKind.Float),
        new("fit_intercept", OptionKind.Bool),
        new("optimize_strategy", OptionKind.String, ["AUTO_STRATEGY", "NORMAL_EQUATION", "BATCH_GRADIENT_DESCENT"]),
        .. DataSplitOptions.Specs,
    ];

    /// <summary>BigQuery GLM options SqlMl knows but does not implement yet: a clear error, never silently ignored.</summary>
    public static readonly IReadOnlyList<string> NotYetSupported =
    [
        "l1_reg", "max_iterations", "early_stop", "min_rel_progress", "learn_rate_strategy", "learn_rate",
        "ls_init_learn_rate", "warm_start", "calculate_p_values", "category_encoding_method",
        "enable_global_explain", "data_split_test_fraction", "num_trials", "max_parallel_trials",
        "hparam_tuning_algorithm", "hparam_tuning_objectives", "instance_weight_col",
    ];

    public static LinearRegOptions Bind(BoundOptions o)
    {
        const string statement = "CREATE MODEL";
        var labels = o.StringArray("input_label_cols");
        if (labels is not null && labels.Count != 1)
            throw Errors.OptionValue(statement, "input_label_cols", $"must name exactly one column, got {labels.Count}");
        double l2 = o.Float("l2_reg") ?? Defaults.L2Reg;
        if (!(l2 >= 0) || double.IsInfinity(l2)) throw Errors.OptionValue(statement, "l2_reg", $"must be a finite number >= 0, got {l2}");
        var strategy = o.Enum("optimize_strategy") switch
        {
            "NORMAL_EQUATION" => OptimizeStrategy.NormalEquation,
            "BATCH_GRADIENT_DESCENT" => throw Errors.NotYetSupported(statement, "optimize_strategy 'BATCH_GRADIENT_DESCENT' (it comes with LOGISTIC_REG's iterative optimizers; use 'NORMAL_EQUATION')"),
            _ => OptimizeStrategy.AutoStrategy,
        };
        return new LinearRegOptions(labels?[0] ?? Defaults.Label, l2, o.Bool("fit_intercept") ?? Defaults.FitIntercept, strategy, DataSplitOptions.Bind(o));
    }
}
