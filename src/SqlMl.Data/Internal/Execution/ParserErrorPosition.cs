using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>Where in the SQL text DuckDB reported a parser error: DuckDB shows "LINE n: text" with a caret below.</summary>
internal static partial class ParserErrorPosition
{
    /// <summary>The 0-based offset in <paramref name="sql"/> of a DuckDB parser error, or null if it is not one or has no caret.</summary>
    public static int? Offset(DuckDBException e, string sql)
    {
        if (!e.Message.StartsWith("Parser Error", StringComparison.Ordinal)) return null;
        var m = CaretLine().Match(e.Message);
        if (!m.Success) return null;
        int line = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var text = new SourceText(sql);
        return text.Offset(line, CaretColumn(sql, text, line, m));
    }

    /// <summary>The first line of DuckDB's message (without the LINE/caret display).</summary>
    public static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? s : s[..nl].TrimEnd();
    }

    /// <summary>
    /// The 1-based column DuckDB's caret points at. Long lines are shown as a window ("...text...") that is located in
    /// the statement's line.
    /// </summary>
    private static int CaretColumn(string statement, SourceText text, int line, Match m)
    {
        string shown = m.Groups[2].Value;
        int caret = m.Groups[3].Value.Length - ("LINE ".Length + m.Groups[1].Value.Length + ": ".Length);
        bool leading = shown.StartsWith("...", StringComparison.Ordinal);
        string window = shown.Trim('.');
        if (!leading) return caret + 1;
        int start = text.Offset(line, 1);
        int end = statement.IndexOf('\n', start);
        string lineText = statement[start..(end < 0 ? statement.Length : end)];
        int at = window.Length > 0 ? lineText.IndexOf(window, StringComparison.Ordinal) : -1;
        return at < 0 ? 1 : at + (caret - 3) + 1;
    }

    // "LINE 2: select foo fro bar\n                 ^"
    [GeneratedRegex(@"(?m)^LINE (\d+): (.*)\r?\n( *)\^")]
    private static partial Regex CaretLine();
}
