namespace SqlMl.Preprocessing;

/// <summary>
/// One preprocessing call compiled to DuckDB SQL: the statistics an analytic function learns over the rows
/// (aggregate expressions; empty for a scalar function) and the row-by-row expression that uses them.
/// </summary>
/// <param name="Aggregates">
/// Aggregate expressions; each aggregate function call in them is followed by <see cref="Marker.Over"/>, which
/// becomes <c> OVER ()</c> in the window form and disappears when the statistics are computed by a plain SELECT.
/// </param>
/// <param name="Apply">Builds the row expression from SQL expressions for the statistics, in the order of Aggregates.</param>
internal sealed record CompiledCall(IReadOnlyList<string> Aggregates, Func<IReadOnlyList<string>, string> Apply)
{
    public static CompiledCall Scalar(string sql) => new([], _ => sql);
}

/// <summary>Private-use characters that mark places in generated SQL text; they never occur in SQL SqlMl accepts.</summary>
internal static class Marker
{
    /// <summary>Follows an aggregate function call: " OVER ()" in the window form, nothing in a plain aggregate query.</summary>
    public const string Over = "\uE000";

    /// <summary>Opens a statistic placeholder; the statistic's number and <see cref="StatClose"/> follow.</summary>
    public const char StatOpen = '\uE001';

    public const char StatClose = '\uE002';

    public static string Stat(int index) => StatOpen + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + StatClose;

    /// <summary>Replaces every statistic placeholder in <paramref name="template"/> by <paramref name="value"/>(index).</summary>
    public static string SubstituteStats(string template, Func<int, string> value)
    {
        var sb = new System.Text.StringBuilder(template.Length);
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf(StatOpen, i);
            if (open < 0) break;
            int close = template.IndexOf(StatClose, open);
            sb.Append(template, i, open - i);
            sb.Append(value(int.Parse(template.AsSpan(open + 1, close - open - 1), System.Globalization.CultureInfo.InvariantCulture)));
            i = close + 1;
        }
        sb.Append(template, i, template.Length - i);
        return sb.ToString();
    }
}
