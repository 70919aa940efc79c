using System.Collections;
using System.Globalization;
using System.Text;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Writes a parameter value as a DuckDB SQL literal, for the statements where parameters cannot be bound (ML
/// statements, whose text SqlMl parses and compiles). Numbers and strings are written as plain literals so they also
/// parse where BigQuery ML's envelope takes a value (OPTIONS, STRUCT settings, ROC thresholds); a double gets an
/// exponent (<c>0.5E0</c>) so DuckDB reads it as DOUBLE, not DECIMAL.
/// </summary>
internal static class SqlLiteral
{
    /// <summary>The literal, or null when values of this type cannot be written as SQL.</summary>
    public static string? TryFormat(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "TRUE" : "FALSE",
        string s => SqlText.StringLiteral(s),
        char c => SqlText.StringLiteral(c.ToString()),
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal or System.Numerics.BigInteger =>
            Convert.ToString(value, CultureInfo.InvariantCulture),
        double d => Double(d),
        float f => Double(f),
        Half h => Double((double)h),
        DateTime t => $"TIMESTAMP '{t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'",
        DateTimeOffset t => $"TIMESTAMPTZ '{t.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)}'",
        DateOnly d => $"DATE '{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'",
        TimeOnly t => $"TIME '{t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'",
        TimeSpan t => $"INTERVAL '{(long)(t.Ticks / 10)} microseconds'",
        Guid g => $"UUID '{g:D}'",
        byte[] bytes => Blob(bytes),
        Enum e => Convert.ToString(Convert.ChangeType(e, e.GetTypeCode(), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        IEnumerable list => List(list),
        _ => null,
    };

    private static string Double(double d)
    {
        if (double.IsNaN(d)) return "'NaN'::DOUBLE";
        if (double.IsInfinity(d)) return d > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('E', StringComparison.Ordinal) ? r : r + "E0";
    }

    private static string Blob(byte[] bytes)
    {
        var sb = new StringBuilder("'", 2 + bytes.Length * 4 + 8);
        foreach (byte b in bytes) sb.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        return sb.Append("'::BLOB").ToString();
    }

    private static string? List(IEnumerable list)
    {
        var items = new List<string>();
        foreach (object? item in list)
        {
            if (TryFormat(item) is not { } literal) return null;
            items.Add(literal);
        }
        return "[" + string.Join(", ", items) + "]";
    }
}
