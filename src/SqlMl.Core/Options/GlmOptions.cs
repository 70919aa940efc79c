namespace SqlMl.Options;

/// <summary>How a GLM solves for its weights (BigQuery's OPTIMIZE_STRATEGY).</summary>
internal enum OptimizeStrategy
{
    AutoStrategy,
    NormalEquation,
    BatchGradientDescent,
}

/// <summary>BigQuery's LEARN_RATE_STRATEGY.</summary>
internal enum LearnRateStrategy
{
    LineSearch,
    Constant,
}

/// <summary>BigQuery's CATEGORY_ENCODING_METHOD for GLMs.</summary>
internal enum CategoryEncoding
{
    OneHot,
    /// <summary>One-hot with the first category (in category order) dropped; its weight is reported as 0.</summary>
    Dummy,
}

/// <summary>
/// Validated options of the generalized linear models, LINEAR_REG and LOGISTIC_REG (BigQuery's [glm] option table).
/// <see cref="ClassWeights"/> and <see cref="AutoClassWeights"/> apply to LOGISTIC_REG only.
/// </summary>
internal sealed record GlmOptions(
    string ModelType,
    string Label,
    double L1Reg,
    double L2Reg,
    bool FitIntercept,
    OptimizeStrategy Strategy,
    LearnRateStrategy LearnRateStrategy,
    double LearnRate,
    double LsInitLearnRate,
    int MaxIterations,
    bool EarlyStop,
    double MinRelProgress,
    bool WarmStart,
    IReadOnlyList<KeyValuePair<string, double>>? ClassWeights,
    bool AutoClassWeights,
    bool CalculatePValues,
    bool EnableGlobalExplain,
    CategoryEncoding Encoding,
    DataSplitOptions Split)
{
    public const string LinearReg = "LINEAR_REG";
    public const string LogisticReg = "LOGISTIC_REG";

    public bool IsLogistic => ModelType == LogisticReg;

    public static class Defaults
    {
        public const string Label = "label";
        public const double L1Reg = 0;
        public const double L2Reg = 0;
        public const bool FitIntercept = true;
        public const double LearnRate = 0.1;
        public const double LsInitLearnRate = 0.1;
        public const int MaxIterations = 20;
        public const bool EarlyStop = true;
        public const double MinRelProgress = 0.01;
        /// <summary>NORMAL_EQUATION is refused above this many features after one-hot encoding (BigQuery's limit).</summary>
        public const int MaxNormalEquationCardinality = 10_000;
        /// <summary>LOGISTIC_REG takes at most this many distinct labels (BigQuery's limit).</summary>
        public const int MaxClasses = 50;
    }

    private static readonly IReadOnlyList<OptionSpec> Common =
    [
        new("model_type", OptionKind.String),
        new("input_label_cols", OptionKind.StringArray),
        new("l1_reg", OptionKind.Float),
        new("l2_reg", OptionKind.Float),
        new("fit_intercept", OptionKind.Bool),
        new("optimize_strategy", OptionKind.String, ["AUTO_STRATEGY", "NORMAL_EQUATION", "BATCH_GRADIENT_DESCENT"]),
        new("learn_rate_strategy", OptionKind.String, ["LINE_SEARCH", "CONSTANT"]),
        new("learn_rate", OptionKind.Float),
        new("ls_init_learn_rate", OptionKind.Float),
        new("max_iterations", OptionKind.Int),
        new("early_stop", OptionKind.Bool),
        new("min_rel_progress", OptionKind.Float),
        new("warm_start", OptionKind.Bool),
        new("calculate_p_values", OptionKind.Bool),
        new("enable_global_explain", OptionKind.Bool),
        new("category_encoding_method", OptionKind.String, ["ONE_HOT_ENCODING", "DUMMY_ENCODING"]),
        .. DataSplitOptions.Specs,
    ];

    public static readonly IReadOnlyList<OptionSpec> LinearSpecs = Common;

    public static readonly IReadOnlyList<OptionSpec> LogisticSpecs =
    [
        .. Common,
        new("class_weights", OptionKind.StructArray),
        new("auto_class_weights", OptionKind.Bool),
    ];

    /// <summary>BigQuery GLM options SqlMl knows but does not implement yet: a clear error, never silently ignored.</summary>
    public static readonly IReadOnlyList<string> NotYetSupported =
    [
        "data_split_test_fraction", "num_trials", "max_parallel_trials", "hparam_tuning_algorithm",
        "hparam_tuning_objectives", "instance_weight_col",
    ];

    public static IReadOnlyList<OptionSpec> Specs(string modelType) => modelType == LogisticReg ? LogisticSpecs : LinearSpecs;

    /// <summary>Validates the options of <paramref name="modelType"/> (LINEAR_REG or LOGISTIC_REG).</summary>
    public static GlmOptions Bind(BoundOptions o, string modelType)
    {
        const string statement = "CREATE MODEL";
        bool logistic = modelType == LogisticReg;
        var labels = o.StringArray("input_label_cols");
        if (labels is not null && labels.Count != 1)
            throw Errors.OptionValue(statement, "input_label_cols", $"must name exactly one column, got {labels.Count}");
        double l1 = NonNegative(o, "l1_reg", Defaults.L1Reg);
        double l2 = NonNegative(o, "l2_reg", Defaults.L2Reg);
        bool warm = o.Bool("warm_start") ?? false;

        var strategy = o.Enum("optimize_strategy") switch
        {
            "NORMAL_EQUATION" => OptimizeStrategy.NormalEquation,
            "BATCH_GRADIENT_DESCENT" => OptimizeStrategy.BatchGradientDescent,
            _ => OptimizeStrategy.AutoStrategy,
        };
        if (strategy == OptimizeStrategy.NormalEquation)
        {
            if (logistic)
                throw Errors.OptionValue(statement, "optimize_strategy", "'NORMAL_EQUATION' applies to LINEAR_REG only; LOGISTIC_REG is always trained iteratively (use 'AUTO_STRATEGY' or 'BATCH_GRADIENT_DESCENT')");
            if (l1 > 0) throw Errors.OptionValue(statement, "optimize_strategy", "'NORMAL_EQUATION' cannot be used with l1_reg (the lasso has no closed form); use 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY'");
            if (warm) throw Errors.OptionValue(statement, "optimize_strategy", "'NORMAL_EQUATION' cannot be used with warm_start = TRUE; use 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY'");
        }

        var lrStrategy = o.Enum("learn_rate_strategy") == "CONSTANT" ? LearnRateStrategy.Constant : LearnRateStrategy.LineSearch;
        if (lrStrategy == LearnRateStrategy.LineSearch && o.Has("learn_rate"))
            throw Errors.OptionValue(statement, "learn_rate", "applies only with learn_rate_strategy = 'CONSTANT' (with 'LINE_SEARCH' set ls_init_learn_rate instead)");
        if (lrStrategy == LearnRateStrategy.Constant && o.Has("ls_init_learn_rate"))
            throw Errors.OptionValue(statement, "ls_init_learn_rate", "applies only with learn_rate_strategy = 'LINE_SEARCH' (with 'CONSTANT' set learn_rate instead)");
        double lr = Positive(o, "learn_rate", Defaults.LearnRate);
        double lsInit = Positive(o, "ls_init_learn_rate", Defaults.LsInitLearnRate);

        long maxIter = o.Int("max_iterations") ?? Defaults.MaxIterations;
        if (maxIter < 1 || maxIter > 100_000)
            throw Errors.OptionValue(statement, "max_iterations", $"must be between 1 and 100000, got {maxIter}");
        double progress = o.Float("min_rel_progress") ?? Defaults.MinRelProgress;
        if (!(progress >= 0 && progress < 1))
            throw Errors.OptionValue(statement, "min_rel_progress", $"must be at least 0 and below 1, got {progress}");

        var classWeights = logistic ? ClassWeightsOption(o) : null;
        bool autoWeights = logistic && (o.Bool("auto_class_weights") ?? false);
        if (classWeights is not null && autoWeights)
            throw Errors.OptionValue(statement, "class_weights", "cannot be combined with auto_class_weights = TRUE; use one or the other");

        bool pValues = o.Bool("calculate_p_values") ?? false;
        if (pValues && l1 > 0)
            throw Errors.OptionValue(statement, "calculate_p_values", "cannot be used with l1_reg > 0 (p-values of a lasso fit are not defined)");
        var encoding = o.Enum("category_encoding_method") == "DUMMY_ENCODING" ? CategoryEncoding.Dummy : CategoryEncoding.OneHot;

        return new GlmOptions(modelType, labels?[0] ?? Defaults.Label, l1, l2, o.Bool("fit_intercept") ?? Defaults.FitIntercept,
            strategy, lrStrategy, lr, lsInit, (int)maxIter, o.Bool("early_stop") ?? Defaults.EarlyStop, progress, warm,
            classWeights, autoWeights, pValues, o.Bool("enable_global_explain") ?? false, encoding, DataSplitOptions.Bind(o));
    }

    private static double NonNegative(BoundOptions o, string name, double fallback)
    {
        double v = o.Float(name) ?? fallback;
        if (!(v >= 0) || double.IsInfinity(v)) throw Errors.OptionValue("CREATE MODEL", name, $"must be a finite number >= 0, got {v}");
        return v;
    }

    private static double Positive(BoundOptions o, string name, double fallback)
    {
        double v = o.Float(name) ?? fallback;
        if (!(v > 0) || double.IsInfinity(v)) throw Errors.OptionValue("CREATE MODEL", name, $"must be a finite number > 0, got {v}");
        return v;
    }

    /// <summary>class_weights = [STRUCT('label', weight), …]: each label once, weights finite and ≥ 0, not all 0.</summary>
    private static List<KeyValuePair<string, double>>? ClassWeightsOption(BoundOptions o)
    {
        var items = o.StructArray("class_weights");
        if (items is null) return null;
        const string statement = "CREATE MODEL", name = "class_weights";
        var result = new List<KeyValuePair<string, double>>();
        foreach (var s in items)
        {
            if (s.Fields.Count != 2 || s.Fields[1].Value is not Parsing.NumberValue weight)
                throw Errors.OptionValue(statement, name, $"entries must be STRUCT(label, weight), e.g. [STRUCT('yes', 0.8), STRUCT('no', 0.2)]; got {s}");
            string label = s.Fields[0].Value switch
            {
                Parsing.StringValue sv => sv.Value,
                Parsing.NumberValue nv => nv.ToString(),
                Parsing.BoolValue bv => bv.Value ? "true" : "false",
                var other => throw Errors.OptionValue(statement, name, $"a label must be a STRING, number or BOOL, got {other.TypeName} {other}"),
            };
            if (!(weight.Value >= 0) || double.IsInfinity(weight.Value))
                throw Errors.OptionValue(statement, name, $"the weight of class '{label}' must be a finite number >= 0, got {weight.Value}");
            if (result.Any(kv => kv.Key == label))
                throw Errors.OptionValue(statement, name, $"class '{label}' is given more than once");
            result.Add(new(label, weight.Value));
        }
        if (result.Count == 0 || result.All(kv => kv.Value == 0))
            throw Errors.OptionValue(statement, name, "needs at least one class with a positive weight");
        return result;
    }
}
