namespace SqlMl.Options;

/// <summary>How KMEANS chooses its first centroids (KMEANS_INIT_METHOD).</summary>
internal enum KMeansInitMethod
{
    /// <summary>num_clusters distinct training rows chosen at random.</summary>
    Random,
    /// <summary>Greedy k-means++ seeding (the default in SqlMl).</summary>
    KMeansPlusPlus,
    /// <summary>The rows where the BOOLEAN kmeans_init_col is TRUE, in row order.</summary>
    Custom,
}

/// <summary>The distance KMEANS clusters by (DISTANCE_TYPE).</summary>
internal enum KMeansDistance
{
    /// <summary>‖x − c‖₂.</summary>
    Euclidean,
    /// <summary>√(1 − x·c / (‖x‖‖c‖)); 1 when either vector is zero.</summary>
    Cosine,
}

/// <summary>Validated options of a KMEANS model.</summary>
internal sealed record KMeansOptions(
    int? NumClusters,
    KMeansInitMethod InitMethod,
    string? InitColumn,
    KMeansDistance Distance,
    bool Standardize,
    int MaxIterations,
    bool EarlyStop,
    double MinRelProgress,
    bool WarmStart,
    int InitRuns,
    long Seed)
{
    public const string ModelType = "KMEANS";

    public static class Defaults
    {
        public const int MinClusters = 2;
        public const int MaxClusters = 100;
        /// <summary>SqlMl's default seeding (BigQuery's is RANDOM): k-means++ picks far-apart starting points.</summary>
        public const KMeansInitMethod InitMethod = KMeansInitMethod.KMeansPlusPlus;
        public const KMeansDistance Distance = KMeansDistance.Euclidean;
        public const bool Standardize = true;
        public const int MaxIterations = 20;
        public const bool EarlyStop = true;
        public const double MinRelProgress = 0.01;
        /// <summary>Independent RANDOM / KMEANS++ initializations, each followed by Lloyd iterations; the lowest loss wins.</summary>
        public const int InitRuns = 3;
        public const int MaxInitRuns = 100;
        public const long Seed = 0;

        /// <summary>BigQuery's default num_clusters: log10 of the training row count, here rounded and kept within 2..100.</summary>
        public static int NumClusters(long rows) =>
            (int)Math.Clamp(Math.Round(Math.Log10(Math.Max(rows, 1)), MidpointRounding.AwayFromZero), MinClusters, MaxClusters);
    }

    public static readonly IReadOnlyList<string> InitMethodNames = ["RANDOM", "KMEANS++", "CUSTOM"];

    public static readonly IReadOnlyList<string> DistanceNames = ["EUCLIDEAN", "COSINE"];

    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("model_type", OptionKind.String),
        new("num_clusters", OptionKind.Int),
        new("kmeans_init_method", OptionKind.String, InitMethodNames),
        new("kmeans_init_col", OptionKind.String),
        new("distance_type", OptionKind.String, DistanceNames),
        new("standardize_features", OptionKind.Bool),
        new("max_iterations", OptionKind.Int),
        new("early_stop", OptionKind.Bool),
        new("min_rel_progress", OptionKind.Float),
        new("warm_start", OptionKind.Bool),
        // SqlMl's own: how many initializations to try, and the seed that makes them reproducible.
        new("kmeans_init_runs", OptionKind.Int),
        new("kmeans_init_seed", OptionKind.Int),
    ];

    /// <summary>BigQuery KMEANS options SqlMl knows but does not implement yet: a clear error, never silently ignored.</summary>
    public static readonly IReadOnlyList<string> NotYetSupported =
    [
        "num_trials", "max_parallel_trials", "hparam_tuning_algorithm", "hparam_tuning_objectives",
    ];

    public static KMeansOptions Bind(BoundOptions o)
    {
        const string statement = "CREATE MODEL";
        long? k = o.Int("num_clusters");
        if (k is { } kv && (kv < Defaults.MinClusters || kv > Defaults.MaxClusters))
            throw Errors.OptionValue(statement, "num_clusters", $"must be between {Defaults.MinClusters} and {Defaults.MaxClusters}, got {kv}");

        bool warm = o.Bool("warm_start") ?? false;
        var method = o.Enum("kmeans_init_method") switch
        {
            "RANDOM" => KMeansInitMethod.Random,
            "CUSTOM" => KMeansInitMethod.Custom,
            "KMEANS++" => KMeansInitMethod.KMeansPlusPlus,
            _ => Defaults.InitMethod,
        };
        string? column = o.String("kmeans_init_col");
        if (method == KMeansInitMethod.Custom && string.IsNullOrEmpty(column))
            throw Errors.OptionValue(statement, "kmeans_init_col", "is required when kmeans_init_method is 'CUSTOM': name a BOOLEAN column that is TRUE for the rows to start from");
        if (method != KMeansInitMethod.Custom && column is not null)
            throw Errors.OptionValue(statement, "kmeans_init_col", "applies only to kmeans_init_method 'CUSTOM'");
        if (warm && o.Has("kmeans_init_method"))
            throw Errors.OptionValue(statement, "kmeans_init_method", "cannot be combined with warm_start = TRUE, which continues from the existing model's centroids");

        long runs = o.Int("kmeans_init_runs") ?? Defaults.InitRuns;
        if (runs < 1 || runs > Defaults.MaxInitRuns)
            throw Errors.OptionValue(statement, "kmeans_init_runs", $"must be between 1 and {Defaults.MaxInitRuns}, got {runs}");
        if (o.Has("kmeans_init_runs") && (method == KMeansInitMethod.Custom || warm))
            throw Errors.OptionValue(statement, "kmeans_init_runs", "applies only to kmeans_init_method 'RANDOM' or 'KMEANS++' (CUSTOM and warm_start have one fixed starting point)");

        long maxIter = o.Int("max_iterations") ?? Defaults.MaxIterations;
        if (maxIter < 1 || maxIter > 10_000)
            throw Errors.OptionValue(statement, "max_iterations", $"must be between 1 and 10000, got {maxIter}");
        double progress = o.Float("min_rel_progress") ?? Defaults.MinRelProgress;
        if (!(progress >= 0 && progress < 1))
            throw Errors.OptionValue(statement, "min_rel_progress", $"must be at least 0 and below 1, got {progress}");

        var distance = o.Enum("distance_type") == "COSINE" ? KMeansDistance.Cosine : Defaults.Distance;
        return new KMeansOptions(
            (int?)k, method, column, distance, o.Bool("standardize_features") ?? Defaults.Standardize, (int)maxIter,
            o.Bool("early_stop") ?? Defaults.EarlyStop, progress, warm, (int)runs, o.Int("kmeans_init_seed") ?? Defaults.Seed);
    }
}
