namespace SqlMl.Options;

/// <summary>MATRIX_FACTORIZATION's FEEDBACK_TYPE.</summary>
internal enum FeedbackType
{
    /// <summary>Ratings: alternating least squares with global, user and item intercepts.</summary>
    Explicit,
    /// <summary>Interactions: weighted ALS after Hu, Koren and Volinsky (confidence 1 + α·|r|, preference r &gt; 0).</summary>
    Implicit,
}

/// <summary>
/// Validated options of a MATRIX_FACTORIZATION model (reference §2.3). <see cref="NumFactors"/> is null when not
/// given: the trainer then uses ⌊log2(n)⌋ of the training row count, clamped to 2..200.
/// </summary>
internal sealed record MatrixFactorizationOptions(
    FeedbackType Feedback,
    int? NumFactors,
    string UserColumn,
    string ItemColumn,
    string RatingColumn,
    double L2Reg,
    double WalsAlpha,
    int MaxIterations,
    bool EarlyStop,
    double MinRelProgress,
    DataSplitOptions Split)
{
    public const string ModelType = "MATRIX_FACTORIZATION";

    public static class Defaults
    {
        public const string UserColumn = "user";
        public const string ItemColumn = "item";
        public const string RatingColumn = "rating";
        public const double L2Reg = 1.0;
        public const double WalsAlpha = 40.0;
        public const int MaxIterations = 20;
        public const bool EarlyStop = true;
        public const double MinRelProgress = 0.01;
        public const int MinFactors = 2;
        public const int MaxFactors = 200;
    }

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("model_type", OptionKind.String),
        new("feedback_type", OptionKind.String, ["EXPLICIT", "IMPLICIT"]),
        new("num_factors", OptionKind.Int),
        new("user_col", OptionKind.String),
        new("item_col", OptionKind.String),
        new("rating_col", OptionKind.String),
        new("l2_reg", OptionKind.Float),
        new("wals_alpha", OptionKind.Float),
        new("max_iterations", OptionKind.Int),
        new("early_stop", OptionKind.Bool),
        new("min_rel_progress", OptionKind.Float),
        .. DataSplitOptions.Specs,
    ];

    /// <summary>BigQuery MF options SqlMl knows but does not implement yet: a clear error, never silently ignored.</summary>
    public static readonly IReadOnlyList<string> NotYetSupported =
    [
        "warm_start", "data_split_test_fraction", "num_trials", "max_parallel_trials", "hparam_tuning_algorithm",
        "hparam_tuning_objectives",
    ];

    /// <summary>The default rank for <paramref name="trainingRows"/> training rows: ⌊log2(n)⌋ clamped to 2..200.</summary>
    public static int DefaultFactors(long trainingRows) =>
        Math.Clamp(trainingRows < 2 ? 0 : (int)Math.Floor(Math.Log2(trainingRows)), Defaults.MinFactors, Defaults.MaxFactors);

    public static MatrixFactorizationOptions Bind(BoundOptions o)
    {
        const string statement = "CREATE MODEL";
        var feedback = o.Enum("feedback_type") == "IMPLICIT" ? FeedbackType.Implicit : FeedbackType.Explicit;
        int? factors = null;
        if (o.Int("num_factors") is { } k)
        {
            if (k < Defaults.MinFactors || k > Defaults.MaxFactors)
                throw Errors.OptionValue(statement, "num_factors", $"must be between {Defaults.MinFactors} and {Defaults.MaxFactors}, got {k}");
            factors = (int)k;
        }
        string user = Column(o, "user_col", Defaults.UserColumn);
        string item = Column(o, "item_col", Defaults.ItemColumn);
        string rating = Column(o, "rating_col", Defaults.RatingColumn);
        if (user.Equals(item, StringComparison.OrdinalIgnoreCase) || user.Equals(rating, StringComparison.OrdinalIgnoreCase) || item.Equals(rating, StringComparison.OrdinalIgnoreCase))
            throw Errors.Binding($"{statement}: user_col '{user}', item_col '{item}' and rating_col '{rating}' must name three different columns.");

        double l2 = NonNegative(o, "l2_reg", Defaults.L2Reg);
        double alpha = NonNegative(o, "wals_alpha", Defaults.WalsAlpha);
        if (o.Has("wals_alpha") && feedback == FeedbackType.Explicit)
            throw Errors.OptionValue(statement, "wals_alpha", "applies only to feedback_type 'IMPLICIT'");
        long iterations = o.Int("max_iterations") ?? Defaults.MaxIterations;
        if (iterations < 1 || iterations > 10_000)
            throw Errors.OptionValue(statement, "max_iterations", $"must be between 1 and 10000, got {iterations}");
        double progress = NonNegative(o, "min_rel_progress", Defaults.MinRelProgress);

        var split = DataSplitOptions.Bind(o);
        if (split.Column is { } sc && (sc.Equals(user, StringComparison.OrdinalIgnoreCase) || sc.Equals(item, StringComparison.OrdinalIgnoreCase) || sc.Equals(rating, StringComparison.OrdinalIgnoreCase)))
            throw Errors.OptionValue(statement, "data_split_col", $"cannot be the user, item or rating column ('{sc}')");
        return new MatrixFactorizationOptions(feedback, factors, user, item, rating, l2, alpha, (int)iterations,
            o.Bool("early_stop") ?? Defaults.EarlyStop, progress, split);
    }

    private static string Column(BoundOptions o, string option, string fallback)
    {
        string? name = o.String(option);
        if (name is not null && name.Trim().Length == 0)
            throw Errors.OptionValue("CREATE MODEL", option, "must name a column, got an empty string");
        return name ?? fallback;
    }

    private static double NonNegative(BoundOptions o, string option, double fallback)
    {
        double v = o.Float(option) ?? fallback;
        if (!(v >= 0) || double.IsInfinity(v))
            throw Errors.OptionValue("CREATE MODEL", option, $"must be a finite number >= 0, got {v}");
        return v;
    }
}
