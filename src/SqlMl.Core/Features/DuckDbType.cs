using System.Text;

namespace SqlMl.Features;

/// <summary>The shape of a DuckDB column type as far as automatic preprocessing cares.</summary>
internal enum TypeShape
{
    /// <summary>Any type that is not a LIST, ARRAY or STRUCT (INTEGER, VARCHAR, TIMESTAMP, MAP …).</summary>
    Scalar,
    /// <summary><c>T[]</c> (LIST) or <c>T[n]</c> (ARRAY): <see cref="DuckDbType.Element"/> is T.</summary>
    List,
    /// <summary><c>STRUCT(name T, …)</c>: <see cref="DuckDbType.Fields"/>; a field's name is null when the STRUCT is unnamed.</summary>
    Struct,
}

/// <summary>
/// A DuckDB type as DESCRIBE prints it (<c>STRUCT("a b" INTEGER, c VARCHAR[])</c>, <c>TIMESTAMP WITH TIME ZONE</c>,
/// <c>ENUM('x', 'y')[]</c>), parsed into lists and structs; everything else stays text.
/// </summary>
internal sealed record DuckDbType(string Text, TypeShape Shape, DuckDbType? Element, IReadOnlyList<(string? Name, DuckDbType Type)> Fields)
{
    private static readonly string[] MultiWordTypes = ["TIMESTAMP WITH TIME ZONE", "TIME WITH TIME ZONE"];

    /// <summary>Parses DESCRIBE's text of a type.</summary>
    public static DuckDbType Parse(string text)
    {
        text = text.Trim();
        if (text.EndsWith(']'))
        {
            int open = MatchingOpen(text, text.Length - 1, '[', ']');
            if (open > 0) return new DuckDbType(text, TypeShape.List, Parse(text[..open]), []);
        }
        if (text.StartsWith("STRUCT(", StringComparison.OrdinalIgnoreCase) && text.EndsWith(')'))
        {
            var fields = SplitTopLevel(text[7..^1]).Select(ParseField).ToList();
            return new DuckDbType(text, TypeShape.Struct, null, fields);
        }
        return new DuckDbType(text, TypeShape.Scalar, null, []);
    }

    private static (string? Name, DuckDbType Type) ParseField(string field)
    {
        field = field.Trim();
        if (field.StartsWith('"'))
        {
            var name = new StringBuilder();
            int i = 1;
            for (; i < field.Length; i++)
            {
                if (field[i] == '"')
                {
                    if (i + 1 < field.Length && field[i + 1] == '"') { name.Append('"'); i++; continue; }
                    break;
                }
                name.Append(field[i]);
            }
            return (name.ToString(), Parse(field[(i + 1)..]));
        }
        int space = TopLevelSpace(field);
        if (space < 0 || MultiWordTypes.Any(t => t.Equals(field, StringComparison.OrdinalIgnoreCase)))
            return (null, Parse(field)); // an unnamed STRUCT's field: only its type
        return (field[..space], Parse(field[(space + 1)..]));
    }

    private static int TopLevelSpace(string s)
    {
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'') quoted = !quoted;
            else if (quoted) continue;
            else if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == ' ' && depth == 0) return i;
        }
        return -1;
    }

    private static List<string> SplitTopLevel(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        bool single = false, dbl = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (single || dbl) continue;
            else if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == ',' && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static int MatchingOpen(string s, int close, char open, char closeChar)
    {
        int depth = 0;
        for (int i = close; i >= 0; i--)
        {
            if (s[i] == closeChar) depth++;
            else if (s[i] == open && --depth == 0) return i;
        }
        return -1;
    }

    public override string ToString() => Text;
}
