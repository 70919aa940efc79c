using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>The FROM … WHERE part of the SELECT an analytic call sits in (tokens [First, End)); empty when it has no FROM.</summary>
internal readonly record struct SourceRange(int First, int End)
{
    public bool HasFrom => End > First;
}

/// <summary>
/// Finds the rows an analytic preprocessing call learns over, so its statistics can be computed once by an
/// uncorrelated scalar subquery <c>(SELECT agg FROM … WHERE …)</c> instead of a window aggregate whose scalar
/// post-processing DuckDB would repeat on every row. Returns null, meaning "use the window form", whenever the
/// SELECT is not simple enough to be sure the subquery sees exactly the window's rows: GROUP BY or HAVING, a FROM
/// before SELECT, a call inside FROM/WHERE, positional parameters, sampling or volatile functions in FROM/WHERE.
/// </summary>
internal static class StatisticSource
{
    private static readonly HashSet<string> SourceEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT",
    };

    private static readonly HashSet<string> SetOperators = new(StringComparer.OrdinalIgnoreCase) { "UNION", "INTERSECT", "EXCEPT" };

    private static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "SAMPLE", "TABLESAMPLE", "RANDOM", "UUID", "GEN_RANDOM_UUID", "NEXTVAL", "SETSEED", "CURRVAL",
    };

    public static SourceRange? Find(IReadOnlyList<Token> t, int head)
    {
        var (blockStart, blockEnd) = EnclosingQuery(t, head);
        // The SELECT that owns the call: the last one at the block's depth 0 before it, after the last set operator.
        int select = -1, segmentStart = blockStart;
        int depth = 0;
        for (int i = blockStart; i < head; i++)
        {
            if (Opens(t[i])) depth++;
            else if (Closes(t[i])) depth--;
            else if (depth == 0 && t[i].IsWord("SELECT")) select = i;
            else if (depth == 0 && t[i].Kind == TokenKind.Word && SetOperators.Contains(t[i].Text)) { segmentStart = i + 1; select = -1; }
        }
        if (select < 0) return null;
        for (int i = segmentStart, d = 0; i < select; i++)
        {
            if (Opens(t[i])) d++;
            else if (Closes(t[i])) d--;
            else if (d == 0 && t[i].IsWord("FROM")) return null; // FROM-first syntax
        }
        int from = -1, sourceEnd = blockEnd;
        depth = 0;
        for (int i = select + 1; i < blockEnd; i++)
        {
            if (Opens(t[i])) depth++;
            else if (Closes(t[i])) depth--;
            else if (depth == 0 && (t[i].IsSymbol(';') || t[i].IsWord("RETURNING") || t[i].IsWord("ON") && i + 1 < blockEnd && t[i + 1].IsWord("CONFLICT")))
            {
                sourceEnd = i;
                break;
            }
            else if (depth == 0 && from < 0 && t[i].IsWord("FROM")) from = i;
            else if (depth == 0 && t[i].Kind == TokenKind.Word && SourceEnds.Contains(t[i].Text))
            {
                if (t[i].IsWord("GROUP") || t[i].IsWord("HAVING")) return null;
                sourceEnd = i;
                break;
            }
        }
        if (from < 0) return new SourceRange(0, 0);
        if (head > from && head < sourceEnd) return null;
        for (int i = from + 1; i < sourceEnd; i++)
            if (t[i].Kind == TokenKind.Parameter && t[i].Text == "?" || t[i].Kind == TokenKind.Word && Volatile.Contains(t[i].Text))
                return null;
        return from + 1 < sourceEnd ? new SourceRange(from + 1, sourceEnd) : null;
    }

    /// <summary>Tokens of the innermost parenthesized query around <paramref name="head"/> (inside the parentheses), or the whole statement.</summary>
    private static (int Start, int End) EnclosingQuery(IReadOnlyList<Token> t, int head)
    {
        int depth = 0;
        for (int i = head - 1; i >= 0; i--)
        {
            if (Closes(t[i])) depth++;
            else if (Opens(t[i]))
            {
                if (depth > 0) { depth--; continue; }
                if (t[i].IsSymbol('(') && i + 1 < t.Count && (t[i + 1].IsWord("SELECT") || t[i + 1].IsWord("WITH")))
                {
                    int close = MlScanner.MatchParen(t, i, t.Count);
                    return (i + 1, close < 0 ? t.Count : close);
                }
            }
        }
        return (0, t.Count);
    }

    private static bool Opens(Token t) => t.IsSymbol('(') || t.IsSymbol('[') || t.IsSymbol('{');

    private static bool Closes(Token t) => t.IsSymbol(')') || t.IsSymbol(']') || t.IsSymbol('}');
}
