using System.Collections;
using System.Globalization;

namespace SqlMl.Tests.Preprocessing;

/// <summary>Compact text of values read from DuckDB (lists, structs, doubles) for readable assertions.</summary>
internal static class Show
{
    public static string Value(object? v) => v switch
    {
        null or DBNull => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => k + ": " + Value(d[k]))) + "}",
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Value)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>The first column of every row.</summary>
    public static List<string> Column(TestDb db, string sql) => db.Rows(sql).Select(r => Value(r[0])).ToList();

    /// <summary>Encoder output [{index, value}, …] as (index, value) pairs.</summary>
    public static List<(long Index, double Value)> Entries(object? v) =>
        v is IList l
            ? l.Cast<IDictionary>().Select(d => (Convert.ToInt64(d["index"], CultureInfo.InvariantCulture), Convert.ToDouble(d["value"], CultureInfo.InvariantCulture))).ToList()
            : [];
}
