using System.Globalization;

namespace SqlMl.Parsing;

/// <summary>Renders identifiers and literals as DuckDB SQL text.</summary>
public static class SqlText
{
    /// <summary>Quotes an identifier when it is not a plain lower/upper-case word.</summary>
    public static string Identifier(string name)
    {
        bool plain = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return plain ? name : QuotedIdentifier(name);
    }

    /// <summary>Always double-quotes an identifier.</summary>
    public static string QuotedIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string StringLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A DOUBLE literal that round-trips exactly (DuckDB reads exponent literals as DOUBLE).</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "'NaN'::DOUBLE";
        if (double.IsPositiveInfinity(value)) return "'Infinity'::DOUBLE";
        if (double.IsNegativeInfinity(value)) return "'-Infinity'::DOUBLE";
        return value.ToString("E16", CultureInfo.InvariantCulture);
    }

    /// <summary>DOUBLE literal or NULL.</summary>
    public static string Double(double? value) => value is { } v ? Double(v) : "NULL::DOUBLE";
}
