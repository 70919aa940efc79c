namespace SqlMl.Options;

/// <summary>How training rows are split into training and evaluation sets (BigQuery's DATA_SPLIT_*).</summary>
internal enum DataSplitMethod
{
    AutoSplit,
    Random,
    Custom,
    Seq,
    NoSplit,
}

/// <summary>Validated DATA_SPLIT_METHOD, DATA_SPLIT_EVAL_FRACTION and DATA_SPLIT_COL.</summary>
internal sealed record DataSplitOptions(DataSplitMethod Method, double? EvalFraction, string? Column)
{
    public static class Defaults
    {
        public const double EvalFraction = 0.2;
        /// <summary>AUTO_SPLIT: below this many rows everything is training data.</summary>
        public const long AutoMinRows = 500;
        /// <summary>AUTO_SPLIT: up to this many rows, 20 % is evaluation data; above, a fixed count.</summary>
        public const long AutoFractionMaxRows = 50_000;
        public const long AutoLargeEvalRows = 10_000;
    }

    public static readonly IReadOnlyList<string> MethodNames = ["AUTO_SPLIT", "RANDOM", "CUSTOM", "SEQ", "NO_SPLIT"];

    public static IEnumerable<OptionSpec> Specs =>
    [
        new("data_split_method", OptionKind.String, MethodNames),
        new("data_split_eval_fraction", OptionKind.Float),
        new("data_split_col", OptionKind.String),
    ];

    public static DataSplitOptions Bind(BoundOptions o)
    {
        const string statement = "CREATE MODEL";
        var method = (o.Enum("data_split_method") ?? "AUTO_SPLIT") switch
        {
            "RANDOM" => DataSplitMethod.Random,
            "CUSTOM" => DataSplitMethod.Custom,
            "SEQ" => DataSplitMethod.Seq,
            "NO_SPLIT" => DataSplitMethod.NoSplit,
            _ => DataSplitMethod.AutoSplit,
        };
        double? fraction = o.Float("data_split_eval_fraction");
        if (fraction is { } f)
        {
            if (!(f > 0 && f < 1)) throw Errors.OptionValue(statement, "data_split_eval_fraction", $"must be between 0 and 1 (exclusive), got {f}");
            if (method is not (DataSplitMethod.Random or DataSplitMethod.Seq))
                throw Errors.OptionValue(statement, "data_split_eval_fraction", "applies only to data_split_method 'RANDOM' or 'SEQ'");
            fraction = Math.Round(f, 2, MidpointRounding.AwayFromZero);
            if (fraction is 0 or 1) throw Errors.OptionValue(statement, "data_split_eval_fraction", $"rounds to {fraction} at two decimals; use a value between 0.01 and 0.99");
        }
        string? column = o.String("data_split_col");
        if (method is DataSplitMethod.Custom or DataSplitMethod.Seq)
        {
            if (string.IsNullOrEmpty(column))
                throw Errors.OptionValue(statement, "data_split_col", $"is required when data_split_method is '{MethodNames[(int)method]}'");
        }
        else if (column is not null)
        {
            throw Errors.OptionValue(statement, "data_split_col", "applies only to data_split_method 'CUSTOM' or 'SEQ'");
        }
        if (method == DataSplitMethod.Seq) fraction ??= Defaults.EvalFraction;
        return new DataSplitOptions(method, fraction, column);
    }

    /// <summary>AUTO_SPLIT's evaluation row count for a data set of <paramref name="rows"/> rows.</summary>
    public static long AutoEvalRows(long rows) =>
        rows < Defaults.AutoMinRows ? 0
        : rows <= Defaults.AutoFractionMaxRows ? (long)Math.Round(rows * Defaults.EvalFraction, MidpointRounding.AwayFromZero)
        : Defaults.AutoLargeEvalRows;
}
