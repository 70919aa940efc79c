namespace SqlMl.Parsing;

/// <summary>
/// Splits a TRANSFORM(...) select list into items (BigQuery's rules, reference §1.2): <c>*</c> with optional
/// <c>EXCEPT(…)</c> / <c>REPLACE(expr AS col, …)</c>, bare column references, and expressions, which need an alias
/// (<c>expr AS name</c>, or <c>expr name</c> after a closing parenthesis, a literal or an identifier).
/// Expressions stay DuckDB text; what they may contain is checked when the model is bound.
/// </summary>
internal static class TransformListParser
{
    /// <summary>Words that end an expression themselves, so a trailing one is never an implicit alias.</summary>
    private static readonly HashSet<string> ExpressionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "NULL", "TRUE", "FALSE", "END", "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "CASE", "WHEN",
        "THEN", "ELSE", "AS", "DISTINCT", "INTERVAL", "COLLATE", "ESCAPE", "SIMILAR", "GLOB", "OVER", "FILTER",
        "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS", "MONTH", "MONTHS", "YEAR", "YEARS",
    };

    public static List<TransformItem> Parse(TransformSource source)
    {
        string text = source.Text;
        var tokens = SqlLexer.Tokenize(text);
        if (tokens.Count == 0) throw source.Error(0, "the select list is empty; list the columns to train on, e.g. TRANSFORM(*, x * 2 AS x2).");
        var items = new List<TransformItem>();
        foreach (var (first, last) in SplitAtCommas(tokens, source))
            items.Add(ParseItem(source, tokens, first, last));
        return items;
    }

    /// <summary>Token ranges [first, last] between top-level commas.</summary>
    public static List<(int First, int Last)> SplitAtCommas(IReadOnlyList<Token> tokens, TransformSource source, int from = 0, int to = -1)
    {
        if (to < 0) to = tokens.Count;
        var ranges = new List<(int, int)>();
        int depth = 0, start = from;
        for (int i = from; i < to; i++)
        {
            var t = tokens[i];
            if (t.Opens) depth++;
            else if (t.Closes) depth--;
            else if (depth == 0 && t.IsSymbol(','))
            {
                if (i == start) throw source.Error(t.Start, "expected an expression before ','.");
                ranges.Add((start, i - 1));
                start = i + 1;
            }
        }
        if (start >= to) throw source.Error(to > 0 ? tokens[to - 1].End : 0, "expected an expression after ','.");
        ranges.Add((start, to - 1));
        return ranges;
    }

    private static TransformItem ParseItem(TransformSource source, List<Token> tokens, int first, int last)
    {
        var head = tokens[first];
        if (head.IsSymbol('*')) return ParseStar(source, tokens, first, last);
        if (last - first >= 1 && tokens[last].IsSymbol('*') && tokens[last - 1].IsSymbol('.'))
        {
            if (last - first < 2) throw source.Error(tokens[first].Start, "expected an expression before '.*'.");
            return new TransformStructStar(Text(source, tokens, first, last - 2), tokens[first].Start);
        }
        return ParseExpression(source, tokens, first, last);
    }

    private static TransformStar ParseStar(TransformSource source, List<Token> tokens, int first, int last)
    {
        var except = new List<string>();
        var replace = new List<TransformExpression>();
        int i = first + 1;
        while (i <= last)
        {
            var word = tokens[i];
            bool isExcept = word.IsWord("EXCEPT") || word.IsWord("EXCLUDE");
            if (!isExcept && !word.IsWord("REPLACE"))
                throw source.Error(word.Start, $"unexpected '{word.Text}' after '*'; expected ',' or EXCEPT(...) or REPLACE(...).");
            if (i + 1 > last || !tokens[i + 1].IsSymbol('('))
                throw source.Error(word.End, $"expected '(' after {word.Text.ToUpperInvariant()}.");
            int close = MlScanner.MatchParen(tokens, i + 1, last + 1);
            if (close < 0) throw source.Error(tokens[i + 1].Start, "unbalanced parentheses.");
            if (close == i + 2) throw source.Error(tokens[close].Start, $"{word.Text.ToUpperInvariant()}() needs at least one column.");
            foreach (var (a, b) in SplitAtCommas(tokens, source, i + 2, close))
            {
                if (isExcept)
                {
                    if (a != b || ColumnName(tokens[a]) is not { } name)
                        throw source.Error(tokens[a].Start, $"EXCEPT takes column names; '{Text(source, tokens, a, b)}' is not one.");
                    except.Add(name);
                }
                else
                {
                    var e = ParseExpression(source, tokens, a, b);
                    if (e.Alias is null)
                        throw source.Error(tokens[a].Start, $"REPLACE takes 'expression AS column'; '{Text(source, tokens, a, b)}' has no AS column.");
                    replace.Add(e);
                }
            }
            i = close + 1;
        }
        return new TransformStar(except, replace, tokens[first].Start);
    }

    private static TransformExpression ParseExpression(TransformSource source, List<Token> tokens, int first, int last)
    {
        string all = Text(source, tokens, first, last);
        if (first == last && ColumnName(tokens[first]) is { } column && !ExpressionWords.Contains(tokens[first].Text))
            return new TransformExpression(all, null, column, tokens[first].Start);
        int exprLast;
        string? alias;
        if (last - first >= 2 && tokens[last - 1].IsWord("AS") && ColumnName(tokens[last]) is { } explicitAlias)
        {
            alias = explicitAlias;
            exprLast = last - 2;
        }
        else if (last - first >= 1 && ColumnName(tokens[last]) is { } implicitAlias && !ExpressionWords.Contains(tokens[last].Text) && EndsExpression(tokens[last - 1]))
        {
            alias = implicitAlias;
            exprLast = last - 1;
        }
        else
        {
            throw source.Error(tokens[first].Start, $"the expression '{all}' needs an alias: write '{all} AS name'.");
        }
        string sql = Text(source, tokens, first, exprLast);
        string? col = first == exprLast && ColumnName(tokens[first]) is { } c && !ExpressionWords.Contains(tokens[first].Text) ? c : null;
        return new TransformExpression(sql, alias, col, tokens[first].Start);
    }

    /// <summary>Whether a token can end an expression, so that an identifier after it is an alias.</summary>
    private static bool EndsExpression(Token t) =>
        t.Closes || t.Kind is TokenKind.Number or TokenKind.String or TokenKind.QuotedIdentifier
        || t.Kind == TokenKind.Word && !ExpressionWords.Contains(t.Text) || t.IsWord("NULL") || t.IsWord("TRUE") || t.IsWord("FALSE") || t.IsWord("END");

    /// <summary>The identifier a word or quoted-identifier token names, or null.</summary>
    public static string? ColumnName(Token t) => t.Kind switch
    {
        TokenKind.Word => t.Text,
        TokenKind.QuotedIdentifier when t.Text.Length >= 2 =>
            t.Text[1..^1].Replace(new string(t.Text[0], 2), t.Text[0].ToString(), StringComparison.Ordinal),
        _ => null,
    };

    private static string Text(TransformSource source, IReadOnlyList<Token> tokens, int first, int last) =>
        source.Text[tokens[first].Start..tokens[last].End];
}
