using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SqlMl.Cli;

/// <summary>
/// Prints result sets: <c>table</c> (aligned columns, numbers right-aligned), <c>csv</c> (RFC 4180, header row,
/// NULL as empty), <c>json</c> (one line per result set: an array of objects; lists and structs nested; NULL as null).
/// </summary>
internal sealed class ResultPrinter(OutputFormat format, TextWriter output)
{
    public void Print(ResultSet result)
    {
        if (format == OutputFormat.Table) PrintTable(result);
        else Stream(result.Names, result.Rows);
    }

    /// <summary>Prints rows as they come (csv and json only: a table needs every row for its widths); returns the row count.</summary>
    public long Stream(IReadOnlyList<string> names, IEnumerable<object?[]> rows)
    {
        if (format == OutputFormat.Table) throw new InvalidOperationException("Tables are printed from a whole result set.");
        long count = format == OutputFormat.Csv ? WriteCsv(output, names, rows) : WriteJsonArray(output, names, rows);
        output.WriteLine();
        return count;
    }

    private void PrintTable(ResultSet result)
    {
        var numeric = result.Types.Select(IsNumeric).ToArray();
        var rows = result.Rows.Select(r => r.Select(Text).ToArray()).ToList();
        var widths = result.Names.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join(" | ", result.Names.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var r in rows)
            output.WriteLine(string.Join(" | ", r.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd());
        output.WriteLine($"({rows.Count} row{(rows.Count == 1 ? "" : "s")})");
        output.WriteLine();
    }

    /// <summary>CSV: a header line, then one line per row (the last without its line break).</summary>
    public static long WriteCsv(TextWriter writer, IReadOnlyList<string> names, IEnumerable<object?[]> rows)
    {
        writer.Write(string.Join(",", names.Select(Csv)));
        long count = 0;
        foreach (var row in rows)
        {
            writer.WriteLine();
            writer.Write(string.Join(",", row.Select(v => v is null ? "" : Csv(Text(v)))));
            count++;
        }
        return count;
    }

    /// <summary>JSON: one array of objects (column name → value) on one line, written row by row.</summary>
    public static long WriteJsonArray(TextWriter writer, IReadOnlyList<string> names, IEnumerable<object?[]> rows)
    {
        writer.Write('[');
        long count = 0;
        using var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            if (count++ > 0) writer.Write(',');
            buffer.SetLength(0);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                for (int i = 0; i < row.Length; i++)
                {
                    w.WritePropertyName(names[i]);
                    WriteJson(w, row[i]);
                }
                w.WriteEndObject();
            }
            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        writer.Write(']');
        return count;
    }

    private static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null or DBNull: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w.WriteNumberValue(f); break;
            case double or float: w.WriteStringValue(Text(value)); break;
            case sbyte or byte or short or ushort or int or uint or long: w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: w.WriteNumberValue(u); break;
            case decimal m: w.WriteNumberValue(m); break;
            case System.Numerics.BigInteger big: w.WriteRawValue(big.ToString(CultureInfo.InvariantCulture)); break;
            case IDictionary dict:
                w.WriteStartObject();
                foreach (var e in Entries(dict))
                {
                    w.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteJson(w, e.Value);
                }
                w.WriteEndObject();
                break;
            case IEnumerable list and not string and not byte[]:
                w.WriteStartArray();
                foreach (var item in list) WriteJson(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Text(value)); break;
        }
    }

    /// <summary>Text of a value for table and CSV output: lists as [a, b], structs as {'k': v}, NULL inside as NULL.</summary>
    public static string Text(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.TimeOfDay == TimeSpan.Zero ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        byte[] bytes => "\\x" + Convert.ToHexString(bytes),
        IDictionary dict => "{" + string.Join(", ", Entries(dict).Select(e => $"'{e.Key}': {Nested(e.Value)}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Nested)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static IEnumerable<DictionaryEntry> Entries(IDictionary dict)
    {
        var e = dict.GetEnumerator();
        while (e.MoveNext()) yield return e.Entry;
    }

    private static string Nested(object? value) => value is string s ? "'" + s + "'" : Text(value);

    private static bool IsNumeric(Type t) => Type.GetTypeCode(t) is >= TypeCode.SByte and <= TypeCode.Decimal || t == typeof(System.Numerics.BigInteger);

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
