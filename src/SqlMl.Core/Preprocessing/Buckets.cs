namespace SqlMl.Preprocessing;

/// <summary>
/// The bucket expression shared by ML.BUCKETIZE and ML.QUANTILE_BUCKETIZE: with ascending split points
/// s1 &lt; … &lt; sk, bucket i (from 1) is [s(i-1), s(i)), the first (-inf, s1) and the last [sk, +inf).
/// NULL and NaN give NULL.
/// </summary>
internal static class Buckets
{
    public const string Names = "bucket_names";
    public const string Ranges = "bucket_ranges";
    public const string RangesJson = "bucket_ranges_json";

    public static readonly string[] Formats = [Names, Ranges, RangesJson];

    /// <summary>The bucket of <paramref name="valueSql"/> (any numeric) for the DOUBLE[] <paramref name="splitsSql"/>.</summary>
    public static string Label(SqlFragments f, string valueSql, string splitsSql, string format) =>
        f.Let([SqlFragments.AsDouble(valueSql), splitsSql], r =>
        {
            string v = r[0], s = r[1];
            string e = f.Name();
            string index = $"1 + len(list_filter({s}, {e} -> {e} <= {v}))";
            return $"CASE WHEN {v} IS NULL OR isnan({v}) THEN NULL ELSE " + f.Let(index, i => Format(i, s, format)) + " END";
        });

    private static string Format(string i, string s, string format)
    {
        string lower = SqlFragments.NumberText($"{s}[{i} - 1]");
        string upper = SqlFragments.NumberText($"{s}[{i}]");
        string firstCase = $"{i} = 1";
        string lastCase = $"{i} = len({s}) + 1";
        return format switch
        {
            Ranges => $"(CASE WHEN {firstCase} THEN '(-inf' ELSE '[' || ({lower}) END) || ', ' || (CASE WHEN {lastCase} THEN '+inf)' ELSE ({upper}) || ')' END)",
            RangesJson => $"'{{\"start\": \"' || (CASE WHEN {firstCase} THEN '-Infinity' ELSE ({lower}) END) || '\", \"end\": \"' || (CASE WHEN {lastCase} THEN 'Infinity' ELSE ({upper}) END) || '\"}}'",
            _ => $"'bin_' || CAST({i} AS VARCHAR)",
        };
    }
}

/// <summary>ML.BUCKETIZE(numerical_expression, array_split_points [, exclude_boundaries] [, output_format]).</summary>
internal sealed class BucketizeFunction() : PreprocessingFunction("BUCKETIZE", isAnalytic: false, minArguments: 2, maxArguments: 4,
    "(numerical_expression, array_split_points [, exclude_boundaries] [, output_format])")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var splits = args.NumberArray(1, "array_split_points");
        for (int i = 0; i < splits.Count; i++)
        {
            if (!double.IsFinite(splits[i]))
                throw args.Error($"array_split_points must be finite; element {i + 1} is {splits[i]}.", 1);
            if (i > 0 && splits[i] <= splits[i - 1])
                throw args.Error($"array_split_points must be in ascending order without duplicates; element {i + 1} ({splits[i]}) is not greater than element {i} ({splits[i - 1]}).", 1);
        }
        bool exclude = args.Bool(2, "exclude_boundaries", false);
        string format = args.Choice(3, "output_format", Buckets.Names, Buckets.Formats);
        // exclude_boundaries drops the lowest and highest split point: [1, 2, 3, 4] gives the 3 buckets (-inf, 2), [2, 3), [3, +inf).
        var used = exclude ? splits.Skip(1).Take(Math.Max(0, splits.Count - 2)).ToList() : splits;
        return CompiledCall.Scalar(Buckets.Label(args.Fragments, args.NumericExpr(0, "numerical_expression"), SqlFragments.DoubleList(used), format));
    }
}

/// <summary>ML.QUANTILE_BUCKETIZE(numerical_expression, num_buckets [, output_format]) OVER().</summary>
internal sealed class QuantileBucketizeFunction() : PreprocessingFunction("QUANTILE_BUCKETIZE", isAnalytic: true, minArguments: 2, maxArguments: 3,
    "(numerical_expression, num_buckets [, output_format]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        long n = args.Int(1, "num_buckets", 0);
        if (n < 2 || n > 100_000) throw args.Error($"num_buckets must be between 2 and 100000, got {n}.", 1);
        string format = args.Choice(2, "output_format", Buckets.Names, Buckets.Formats);
        string x = args.NumericExpr(0, "numerical_expression");
        // Split points: the lower (discrete) quantiles k/n, k = 1 … n-1, without duplicates.
        var fractions = Enumerable.Range(1, (int)n - 1).Select(k => (double)k / n);
        string splits = "list_sort(list_distinct(" + SqlFragments.Aggregate($"quantile_disc({SqlFragments.AsDouble(x)}, {SqlFragments.DoubleList(fractions)})") + "))";
        return new CompiledCall([splits], s => Buckets.Label(args.Fragments, x, s[0], format));
    }
}
