namespace SqlMl.Preprocessing;

/// <summary>
/// ML.IMPUTER(expression, strategy) OVER(): NULL becomes the mean (DOUBLE), the lower median (DOUBLE) or the most
/// frequent value (the input's type; ties go to the smallest value).
/// </summary>
internal sealed class ImputerFunction() : PreprocessingFunction("IMPUTER", isAnalytic: true, minArguments: 2, maxArguments: 2,
    "(expression, strategy) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        string strategy = args.Choice(1, "strategy", "mean", "mean", "median", "most_frequent");
        string x = strategy == "most_frequent" ? args.Expr(0) : args.NumericExpr(0, "expression");
        string d = SqlFragments.AsDouble(x);
        string stat = strategy switch
        {
            "mean" => SqlFragments.Aggregate($"avg({d})"),
            "median" => SqlFragments.Aggregate($"quantile_disc({d}, 0.5)"),
            _ => Vocabulary.MostFrequent(args.Fragments, SqlFragments.Aggregate($"histogram({x})")),
        };
        return new CompiledCall([stat], s => $"coalesce({(strategy == "most_frequent" ? x : d)}, {s[0]})");
    }
}
