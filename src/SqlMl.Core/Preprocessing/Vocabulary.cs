namespace SqlMl.Preprocessing;

/// <summary>
/// Vocabularies of the encoders and text functions, built from a DuckDB histogram (MAP value → count): the values
/// counted at least frequency_threshold times, the top_k most frequent of them (ties to the alphabetically
/// first), sorted alphabetically; index i (from 1) is the i-th entry and 0 is NULL or unknown.
/// </summary>
internal static class Vocabulary
{
    public const long DefaultTopK = 32_000;
    public const long DefaultFrequencyThreshold = 5;

    /// <summary>Reads the optional top_k and frequency_threshold arguments at <paramref name="first"/> and after.</summary>
    public static (long TopK, long Threshold) Options(CallArguments args, int first)
    {
        long topK = args.Int(first, "top_k", DefaultTopK);
        if (topK < 1 || topK >= 1_000_000) throw args.Error($"top_k must be between 1 and 999999, got {topK}.", first);
        long threshold = args.Int(first + 1, "frequency_threshold", DefaultFrequencyThreshold);
        if (threshold < 0) throw args.Error($"frequency_threshold must be 0 or more, got {threshold}.", first + 1);
        return (topK, threshold);
    }

    /// <summary>The histogram's entries as {c: −count, k: value}, most frequent first, ties by value.</summary>
    public static string ByFrequency(SqlFragments f, string histogram)
    {
        string e = f.Name();
        return $"list_sort(list_transform(map_entries({histogram}), {e} -> {{'c': -{e}.value, 'k': {e}.key}}))";
    }

    /// <summary>The most frequent value (ties to the smallest), NULL when there is none.</summary>
    public static string MostFrequent(SqlFragments f, string histogram) => $"{ByFrequency(f, histogram)}[1].k";

    /// <summary>The vocabulary as a sorted VARCHAR[].</summary>
    public static string Build(SqlFragments f, string histogram, long topK, long threshold)
    {
        string e = f.Name(), g = f.Name();
        return $"list_sort(list_transform(list_filter({ByFrequency(f, histogram)}, {e} -> -{e}.c >= {threshold})[1:{topK}], {g} -> CAST({g}.k AS VARCHAR)))";
    }

    /// <summary>A histogram statistic of a STRING expression: how many rows hold each value.</summary>
    public static string ValueHistogram(string valueSql) => SqlFragments.Aggregate($"histogram({SqlFragments.AsVarchar(valueSql)})");

    /// <summary>A histogram statistic of an ARRAY&lt;STRING&gt; expression: how many rows (documents) hold each element.</summary>
    public static string DocumentHistogram(string arraySql) =>
        "list_aggregate(flatten(" + SqlFragments.Aggregate($"list(list_distinct(CAST({arraySql} AS VARCHAR[])))") + "), 'histogram')";

    /// <summary>The index of <paramref name="valueSql"/> in the vocabulary, 0 for NULL or unknown.</summary>
    public static string Index(string vocabulary, string valueSql) => $"coalesce(list_position({vocabulary}, {valueSql}), 0)";
}
