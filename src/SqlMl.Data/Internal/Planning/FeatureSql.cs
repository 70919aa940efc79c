using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// The DuckDB SQL of a model feature over an input row (<c>alias</c>): a plain column, or one derived by automatic
/// preprocessing (<see cref="AutoFeature"/>) from a TIMESTAMP/DATE, STRUCT or ARRAY column. The same expressions feed
/// training (over the training query) and every ML function (over the input rows), so both see the same features.
/// </summary>
internal static class FeatureSql
{
    /// <summary>A numeric feature as DOUBLE (NULL stays NULL: callers impute the training mean).</summary>
    public static string Numeric(string alias, string feature, InputExpansion? inputs) =>
        inputs?.Find(feature) is { } f ? Numeric(alias, f) : $"CAST({Column(alias, feature)} AS DOUBLE)";

    /// <summary>A numeric feature as DOUBLE with NULL imputed by the training mean, as every model reads it.</summary>
    public static string NumericOrMean(string alias, string feature, InputExpansion? inputs, double mean) =>
        $"coalesce({Numeric(alias, feature, inputs)}, {SqlText.Double(mean)})";

    /// <summary>A one-hot feature's category as VARCHAR (NULL is the NULL category). Not for multi-hot features.</summary>
    public static string Category(string alias, string feature, InputExpansion? inputs) =>
        inputs?.Find(feature) is { } f ? Category(alias, f) : $"CAST({Column(alias, feature)} AS VARCHAR)";

    /// <summary>The multi-hot feature of <paramref name="feature"/>, or null when it is not multi-hot.</summary>
    public static AutoFeature? MultiHot(string feature, InputExpansion? inputs) =>
        inputs?.Find(feature) is { Derivation: Derivation.MultiHot } f ? f : null;

    public static string Numeric(string alias, AutoFeature f) => f.Derivation switch
    {
        Derivation.Value => $"CAST({Source(alias, f)} AS DOUBLE)",
        Derivation.EpochSeconds => $"CAST(epoch({Source(alias, f)}) AS DOUBLE)",
        _ => throw new InvalidOperationException($"feature {f.Name} is not numeric"),
    };

    public static string Category(string alias, AutoFeature f)
    {
        string src = Source(alias, f);
        // The UTC wall clock of the value whatever its type at prediction (TIMESTAMP, TIMESTAMPTZ, DATE): through epoch
        // microseconds, so the session's TimeZone never changes a component (±infinity becomes NULL).
        string t = $"make_timestamp(epoch_us({src}))";
        string value = f.Derivation switch
        {
            Derivation.Value => src,
            Derivation.DayOfMonth => $"dayofmonth({t})",
            Derivation.DayOfWeek => $"(dayofweek({t}) + 1)",
            Derivation.MonthOfYear => $"month({t})",
            Derivation.HourOfDay => $"hour({t})",
            Derivation.MinuteOfHour => $"minute({t})",
            Derivation.WeekOfYear => $"TRY_CAST(strftime({t}, '%U') AS INTEGER)", // NULL for ±infinity
            Derivation.Year => $"year({t})",
            _ => throw new InvalidOperationException($"feature {f.Name} is not one-hot"),
        };
        return $"CAST({value} AS VARCHAR)";
    }

    /// <summary>
    /// Whether a multi-hot feature's array holds <paramref name="element"/> (never NULL). The NULL element (null) is
    /// present when the array is NULL or contains a NULL.
    /// </summary>
    public static string HasElement(string alias, AutoFeature f, string? element)
    {
        string src = Source(alias, f);
        if (element is null)
            return $"coalesce(list_contains(list_transform({src}, __sqlml_e -> __sqlml_e IS NULL), true), true)";
        bool text = f.SourceType.Element!.Text.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase);
        string texts = text ? src : $"list_transform({src}, __sqlml_e -> CAST(__sqlml_e AS VARCHAR))";
        return $"coalesce(list_contains({texts}, {SqlText.StringLiteral(element)}), false)";
    }

    /// <summary>The distinct element texts of a multi-hot source over a query (NULL for NULL arrays and elements), at most <paramref name="limit"/>.</summary>
    public static string Elements(string query, AutoFeature f, int limit)
    {
        string src = Source("q", f);
        return $"SELECT DISTINCT __sqlml_e FROM (SELECT unnest(CASE WHEN {src} IS NULL THEN [NULL::VARCHAR] " +
               $"ELSE list_transform({src}, __sqlml_x -> CAST(__sqlml_x AS VARCHAR)) END) AS __sqlml_e FROM ({query}) AS q) LIMIT {limit}";
    }

    /// <summary>The value at the feature's path: the column, then struct_extract for each STRUCT field.</summary>
    public static string Source(string alias, AutoFeature f)
    {
        string sql = Column(alias, f.Path[0]);
        for (int i = 1; i < f.Path.Count; i++) sql = $"struct_extract({sql}, {SqlText.StringLiteral(f.Path[i])})";
        return sql;
    }

    private static string Column(string alias, string name) => alias + "." + SqlText.QuotedIdentifier(name);

    /// <summary>
    /// The derived features of a model's expanded columns (recomputed from its feature columns), or null when every
    /// feature is a plain column.
    /// </summary>
    public static InputExpansion? Inputs(IReadOnlyList<FeatureColumn> features, string statement) =>
        features.Any(c => c.Kind == FeatureKind.Expanded) ? InputExpansion.From(features, QueryColumns.Classify, statement) : null;
}
