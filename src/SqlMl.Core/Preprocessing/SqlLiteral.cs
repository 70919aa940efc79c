using System.Collections;
using System.Globalization;
using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>Renders a value read back from DuckDB as a typed DuckDB literal, so a frozen statistic keeps its type.</summary>
internal static class SqlLiteral
{
    public static string Render(object? value) => value switch
    {
        null or DBNull => "NULL",
        double d => "CAST(" + Double(d) + " AS DOUBLE)",
        float f => "CAST(" + Double(f) + " AS FLOAT)",
        long l => "CAST(" + l.ToString(CultureInfo.InvariantCulture) + " AS BIGINT)",
        int i => "CAST(" + i.ToString(CultureInfo.InvariantCulture) + " AS INTEGER)",
        short s => "CAST(" + s.ToString(CultureInfo.InvariantCulture) + " AS SMALLINT)",
        sbyte b => "CAST(" + b.ToString(CultureInfo.InvariantCulture) + " AS TINYINT)",
        ulong u => "CAST(" + u.ToString(CultureInfo.InvariantCulture) + " AS UBIGINT)",
        uint u => "CAST(" + u.ToString(CultureInfo.InvariantCulture) + " AS UINTEGER)",
        System.Numerics.BigInteger h => "CAST('" + h.ToString(CultureInfo.InvariantCulture) + "' AS HUGEINT)",
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        string s => "CAST(" + SqlText.StringLiteral(s) + " AS VARCHAR)",
        DateTime t => "TIMESTAMP '" + t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'",
        DateOnly d => "DATE '" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'",
        DateTimeOffset o => "TIMESTAMPTZ '" + o.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'",
        TimeOnly t => "TIME '" + t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'",
        Guid g => "CAST('" + g.ToString() + "' AS UUID)",
        IList list => List(list),
        _ => throw new ArgumentException($"A statistic of type {value.GetType().Name} cannot be frozen into SQL.", nameof(value)),
    };

    private static string Double(double d) =>
        double.IsFinite(d) ? "'" + d.ToString("R", CultureInfo.InvariantCulture) + "'" : double.IsNaN(d) ? "'NaN'" : d > 0 ? "'Infinity'" : "'-Infinity'";

    private static string List(IList list)
    {
        string items = "[" + string.Join(", ", list.Cast<object?>().Select(Render)) + "]";
        string? element = ElementType(list.GetType());
        return element is null ? items : "CAST(" + items + " AS " + element + "[])";
    }

    private static string? ElementType(Type listType)
    {
        var t = listType.IsGenericType ? listType.GetGenericArguments()[0] : listType.GetElementType();
        if (t is null) return null;
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t == typeof(double) ? "DOUBLE" : t == typeof(float) ? "FLOAT" : t == typeof(long) ? "BIGINT" : t == typeof(int) ? "INTEGER"
            : t == typeof(short) ? "SMALLINT" : t == typeof(string) ? "VARCHAR" : t == typeof(bool) ? "BOOLEAN"
            : t == typeof(DateTime) ? "TIMESTAMP" : t == typeof(DateOnly) ? "DATE" : null;
    }
}
