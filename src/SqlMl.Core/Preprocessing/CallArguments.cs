using System.Globalization;
using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>
/// One argument of a preprocessing call: its tokens in the statement and its SQL with inner calls rewritten. The SQL
/// is built on first use, so an argument read only as a constant or field by field registers no statistics.
/// </summary>
internal sealed class CallArgument(int firstToken, int endToken, Func<string> sql)
{
    private readonly Lazy<string> _sql = new(sql);

    public int FirstToken { get; } = firstToken;

    public int EndToken { get; } = endToken;

    public string Sql => _sql.Value;
}

/// <summary>A named field of a STRUCT(...) argument.</summary>
internal sealed record StructField(string Name, string Sql);

/// <summary>
/// The arguments of one ML.xxx(...) preprocessing call, with readers for the constant arguments (split points,
/// degrees, option strings) that are checked statically. Every error names the function and the argument's position.
/// </summary>
internal sealed class CallArguments(string function, string sql, IReadOnlyList<Token> tokens, int headToken, IReadOnlyList<CallArgument> args, Func<int, int, string> rewriteRange)
{
    private readonly SourceText _source = new(sql);

    public string Function { get; } = function;

    public int Count => args.Count;

    public SqlFragments Fragments { get; } = new();

    /// <summary>A numeric expression argument, parenthesized; a string or boolean literal is refused statically.</summary>
    public string NumericExpr(int i, string name)
    {
        var t = Tokens(i);
        if (t.Count == 1 && (t[0].Kind == TokenKind.String || t[0].IsWord("TRUE") || t[0].IsWord("FALSE")))
            throw Error($"{name} must be numeric, got {Text(i)}.", i);
        return Expr(i);
    }

    /// <summary>An ARRAY expression argument, parenthesized; a scalar literal is refused statically.</summary>
    public string ArrayExpr(int i, string name)
    {
        var t = Tokens(i);
        if (t.Count == 1 && t[0].Kind is TokenKind.String or TokenKind.Number || t.Count == 2 && t[0].IsSymbol('-') && t[1].Kind == TokenKind.Number)
            throw Error($"{name} must be an ARRAY, got {Text(i)}.", i);
        return Expr(i);
    }

    /// <summary>A scalar expression argument, parenthesized; an array literal is refused statically.</summary>
    public string ScalarExpr(int i, string name)
    {
        var t = Tokens(i);
        if (t.Count > 0 && t[0].IsSymbol('[') && t[^1].IsSymbol(']') && MlScanner.MatchParen(tokens, args[i].FirstToken, args[i].EndToken) == args[i].EndToken - 1)
            throw Error($"{name} must be a single value, not an ARRAY, got {Text(i)}.", i);
        return Expr(i);
    }

    /// <summary>An expression argument, parenthesized.</summary>
    public string Expr(int i) => "(" + args[i].Sql + ")";

    public bool Has(int i) => i < args.Count;

    public SqlMlException Error(string detail, int? argument = null)
    {
        int offset = argument is { } a && a < args.Count ? tokens[args[a].FirstToken].Start : tokens[headToken].Start;
        var (line, column) = _source.Position(offset);
        return Errors.PreprocessingArgument(Function, detail, line, column);
    }

    public long Int(int i, string name, long defaultValue)
    {
        if (!Has(i)) return defaultValue;
        var t = Tokens(i);
        bool negative = t.Count == 2 && t[0].IsSymbol('-');
        var number = negative ? t[1] : t.Count == 1 ? t[0] : default;
        if (number.Kind != TokenKind.Number || !long.TryParse(number.Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            throw Error($"{name} must be an INT64 constant, got {Text(i)}.", i);
        return negative ? -v : v;
    }

    public bool Bool(int i, string name, bool defaultValue)
    {
        if (!Has(i)) return defaultValue;
        var t = Tokens(i);
        if (t.Count == 1 && t[0].IsWord("TRUE")) return true;
        if (t.Count == 1 && t[0].IsWord("FALSE")) return false;
        throw Error($"{name} must be TRUE or FALSE, got {Text(i)}.", i);
    }

    /// <summary>A FLOAT64 constant: a number, or CAST('inf' AS FLOAT64) / CAST('+inf' AS DOUBLE) for infinity.</summary>
    public double Double(int i, string name, double defaultValue)
    {
        if (!Has(i)) return defaultValue;
        var t = Tokens(i);
        bool negative = t.Count == 2 && t[0].IsSymbol('-');
        var number = negative ? t[1] : t.Count == 1 ? t[0] : default;
        if (number.Kind == TokenKind.Number && double.TryParse(number.Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            return negative ? -v : v;
        if (t.Count == 6 && t[0].IsWord("CAST") && t[1].IsSymbol('(') && t[2].Kind == TokenKind.String && t[3].IsWord("AS")
            && (t[4].IsWord("FLOAT64") || t[4].IsWord("DOUBLE")) && t[5].IsSymbol(')'))
        {
            string text = t[2].Text[1..^1].Trim().ToLowerInvariant();
            if (text is "inf" or "+inf" or "infinity" or "+infinity") return double.PositiveInfinity;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double c)) return c;
        }
        throw Error($"{name} must be a FLOAT64 constant, got {Text(i)}.", i);
    }

    /// <summary>A STRING constant: 'text' or, as BigQuery also allows, "text".</summary>
    public string String(int i, string name, string defaultValue)
    {
        if (!Has(i)) return defaultValue;
        var t = Tokens(i);
        if (t.Count == 1 && t[0].Kind is TokenKind.String or TokenKind.QuotedIdentifier && t[0].Text.Length >= 2 && t[0].Text[0] is '\'' or '"')
        {
            char q = t[0].Text[0];
            return t[0].Text[1..^1].Replace(new string(q, 2), q.ToString(), StringComparison.Ordinal);
        }
        throw Error($"{name} must be a STRING constant, got {Text(i)}.", i);
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in lower case.</summary>
    public string Choice(int i, string name, string defaultValue, params string[] allowed)
    {
        string v = String(i, name, defaultValue).ToLowerInvariant();
        if (allowed.Contains(v)) return v;
        string? guess = Errors.DidYouMean(v, allowed);
        throw Error($"{name} must be one of {string.Join(", ", allowed.Select(a => "'" + a + "'"))}, got '{v}'." + (guess is null ? "" : $" Did you mean '{guess}'?"), i);
    }

    /// <summary>A constant array of numbers, [n1, n2, …] (optionally ARRAY[...] or ARRAY&lt;type&gt;[...]).</summary>
    public List<double> NumberArray(int i, string name)
    {
        var t = Tokens(i);
        int k = 0;
        if (k < t.Count && t[k].IsWord("ARRAY"))
        {
            k++;
            if (k < t.Count && t[k].IsSymbol('<'))
                while (k < t.Count && !t[k].IsSymbol('>')) k++;
            if (k < t.Count && t[k].IsSymbol('>')) k++;
        }
        if (k >= t.Count || !t[k].IsSymbol('[') || !t[^1].IsSymbol(']'))
            throw Error($"{name} must be a constant array of numbers such as [1, 2, 3], got {Text(i)}.", i);
        var values = new List<double>();
        int j = k + 1;
        while (j < t.Count - 1)
        {
            bool negative = false;
            if (t[j].IsSymbol('-') || t[j].IsSymbol('+')) { negative = t[j].IsSymbol('-'); j++; }
            if (j >= t.Count - 1 || t[j].Kind != TokenKind.Number
                || !double.TryParse(t[j].Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw Error($"{name} must be a constant array of numbers such as [1, 2, 3], got {Text(i)}.", i);
            values.Add(negative ? -v : v);
            j++;
            if (j < t.Count - 1 && !t[j].IsSymbol(','))
                throw Error($"{name} must be a constant array of numbers such as [1, 2, 3], got {Text(i)}.", i);
            j++;
        }
        return values;
    }

    /// <summary>The fields of a STRUCT(expr [AS name], …) constructor; a bare column names its field.</summary>
    public List<StructField> Struct(int i, string name)
    {
        var t = Tokens(i);
        var a = args[i];
        if (t.Count < 3 || !t[0].IsWord("STRUCT") || !t[1].IsSymbol('(') || MlScanner.MatchParen(tokens, a.FirstToken + 1, a.EndToken) != a.EndToken - 1)
            throw Error($"{name} must be a STRUCT(...) constructor such as STRUCT(a AS f1, b AS f2), got {Text(i)}. A STRUCT column is not yet supported by SqlMl; list its fields, e.g. STRUCT(s.f1 AS f1, s.f2 AS f2).", i);
        var fields = new List<StructField>();
        foreach (var (first, end) in CallScanner.SplitTopLevel(tokens, a.FirstToken + 2, a.EndToken - 1))
        {
            int asAt = -1;
            int depth = 0;
            for (int j = first; j < end; j++)
            {
                if (tokens[j].IsSymbol('(') || tokens[j].IsSymbol('[')) depth++;
                else if (tokens[j].IsSymbol(')') || tokens[j].IsSymbol(']')) depth--;
                else if (depth == 0 && tokens[j].IsWord("AS")) asAt = j;
            }
            string field;
            int exprEnd = end;
            if (asAt >= 0 && asAt == end - 2 && tokens[end - 1].Kind is TokenKind.Word or TokenKind.QuotedIdentifier)
            {
                field = Unquote(tokens[end - 1]);
                exprEnd = asAt;
            }
            else if (tokens[end - 1].Kind is TokenKind.Word or TokenKind.QuotedIdentifier && (end - first == 1 || tokens[end - 2].IsSymbol('.')))
                field = Unquote(tokens[end - 1]);
            else
                throw Error($"field {fields.Count + 1} of {name} needs a name: write expression AS name.", i);
            if (fields.Any(f => f.Name.Equals(field, StringComparison.OrdinalIgnoreCase)))
                throw Error($"{name} has two fields named '{field}'.", i);
            fields.Add(new StructField(field, "(" + rewriteRange(first, exprEnd) + ")"));
        }
        return fields;
    }

    /// <summary>The argument's SQL text as written.</summary>
    public string Text(int i) => sql[tokens[args[i].FirstToken].Start..tokens[args[i].EndToken - 1].End];

    private List<Token> Tokens(int i) => tokens.Skip(args[i].FirstToken).Take(args[i].EndToken - args[i].FirstToken).ToList();

    private static string Unquote(Token t) =>
        t.Kind == TokenKind.QuotedIdentifier ? t.Text[1..^1].Replace(new string(t.Text[0], 2), t.Text[0].ToString(), StringComparison.Ordinal) : t.Text;
}
