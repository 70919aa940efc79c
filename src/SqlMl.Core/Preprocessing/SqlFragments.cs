using System.Globalization;

namespace SqlMl.Preprocessing;

/// <summary>
/// Small DuckDB SQL building blocks shared by the preprocessing functions. Values that an expression uses several
/// times are bound once with a lambda over a one-element list (<c>Let</c>), so an argument such as
/// <c>random()</c> or a window aggregate is evaluated once per row.
/// </summary>
internal sealed class SqlFragments
{
    private int _names;

    /// <summary>
    /// <c>list_transform([{'v0': value0, …}], p -> body(p.v0, …))[1]</c>: evaluates each value once and gives the
    /// body references to them.
    /// </summary>
    public string Let(IReadOnlyList<string> values, Func<IReadOnlyList<string>, string> body)
    {
        string p = "__sqlml_" + (_names++).ToString(CultureInfo.InvariantCulture);
        var refs = values.Select((_, i) => $"{p}.v{i}").ToArray();
        string fields = string.Join(", ", values.Select((v, i) => $"'v{i}': {v}"));
        return $"list_transform([{{{fields}}}], {p} -> {body(refs)})[1]";
    }

    public string Let(string value, Func<string, string> body) => Let([value], r => body(r[0]));

    /// <summary>A fresh lambda parameter name.</summary>
    public string Name() => "__sqlml_" + (_names++).ToString(CultureInfo.InvariantCulture);

    public static string AsDouble(string sql) => $"CAST({sql} AS DOUBLE)";

    public static string AsVarchar(string sql) => $"CAST({sql} AS VARCHAR)";

    /// <summary>An aggregate call in a statistic: the call followed by the OVER marker.</summary>
    public static string Aggregate(string call) => call + Marker.Over;

    /// <summary>A DOUBLE as text the way bucket ranges show it: integral values without a fraction ("2"), others as DuckDB prints them.</summary>
    public static string NumberText(string doubleSql) =>
        $"CASE WHEN {doubleSql} = trunc({doubleSql}) AND abs({doubleSql}) < 1e15 THEN CAST(CAST({doubleSql} AS BIGINT) AS VARCHAR) ELSE CAST({doubleSql} AS VARCHAR) END";

    /// <summary>A DOUBLE[] literal.</summary>
    public static string DoubleList(IEnumerable<double> values) =>
        "CAST([" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "] AS DOUBLE[])";

    /// <summary>One encoder entry: STRUCT(index BIGINT, value DOUBLE).</summary>
    public static string IndexValue(string index, string value) => $"{{'index': CAST({index} AS BIGINT), 'value': CAST({value} AS DOUBLE)}}";
}
