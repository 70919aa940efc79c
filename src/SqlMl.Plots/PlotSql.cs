using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SqlMl.Plots;

/// <summary>The SQL the plots run: model references and inputs checked before they go into a statement, and rows read back.</summary>
internal static partial class PlotSql
{
    /// <summary>A model name as SQL: <c>name</c> or <c>schema.name</c> (letters, digits, _), or a back-quoted name.</summary>
    public static string Model(string model)
    {
        if (SimpleName().IsMatch(model) || QuotedName().IsMatch(model)) return model;
        throw new ArgumentException($"'{model}' is not a model name (name, schema.name, or `quoted name`).", nameof(model));
    }

    /// <summary>The input of an ML function: a table name becomes <c>TABLE name</c>, anything else is a query in parentheses.</summary>
    public static string Input(string input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        string trimmed = input.Trim().TrimEnd(';').Trim();
        return SimpleName().IsMatch(trimmed) ? "TABLE " + trimmed : "(" + trimmed + ")";
    }

    /// <summary>Runs a query and returns its column names and rows (NULL as null).</summary>
    public static (string[] Names, Type[] Types, List<object?[]> Rows) Query(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType).ToArray();
        var rows = new List<object?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, names.Length).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        return (names, types, rows);
    }

    /// <summary>The index of a column by name (case-insensitive), or -1.</summary>
    public static int Column(string[] names, string name) =>
        Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A numeric value as double; NULL as NaN (ScottPlot leaves a gap).</summary>
    public static double Number(object? value) => value is null ? double.NaN : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    public static bool IsNumeric(Type t) => Type.GetTypeCode(t) is >= TypeCode.SByte and <= TypeCode.Decimal || t == typeof(System.Numerics.BigInteger);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex SimpleName();

    [GeneratedRegex("^`[^`]+`$")]
    private static partial Regex QuotedName();
}
