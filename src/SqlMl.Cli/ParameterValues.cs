using System.Globalization;
using System.Text.RegularExpressions;

namespace SqlMl.Cli;

/// <summary>
/// Parses <c>--param name=value</c>. The value is typed by its text: an integer (64-bit) such as <c>42</c> or
/// <c>-7</c>; a double such as <c>0.5</c>, <c>-1e-3</c>; <c>true</c>/<c>false</c> (any case) a boolean;
/// <c>"…"</c> in double quotes the string between them (to pass <c>"42"</c> as text); anything else the string as
/// written (dates and timestamps too: DuckDB casts them where compared with a DATE).
/// </summary>
internal static partial class ParameterValues
{
    /// <summary>Parses one <c>name=value</c>; throws <see cref="FormatException"/> with a message for misuse.</summary>
    public static KeyValuePair<string, object?> Parse(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0) throw new FormatException($"--param '{text}' must be name=value.");
        string name = text[..eq].Trim();
        if (name.StartsWith('$')) name = name[1..];
        if (!Name().IsMatch(name)) throw new FormatException($"--param '{text}': '{name}' is not a parameter name (letters, digits, _; not starting with a digit).");
        return new(name, Value(text[(eq + 1)..]));
    }

    /// <summary>The typed value of a parameter's text.</summary>
    public static object Value(string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') return value[1..^1];
        if (Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (Real().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        return value;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex Real();
}
