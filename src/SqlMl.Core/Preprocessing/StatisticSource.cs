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

    /// <summary>DuckDB aggregate functions: one in the select list (not as a window) makes the SELECT an aggregate query.</summary>
    private static readonly HashSet<string> Aggregates = new(StringComparer.OrdinalIgnoreCase)
    {
        "SUM", "AVG", "MEAN", "MIN", "MAX", "COUNT", "COUNT_STAR", "MEDIAN", "MODE", "PRODUCT", "FSUM", "FAVG", "SUMKAHAN",
        "KAHAN_SUM", "STDDEV", "STDDEV_SAMP", "STDDEV_POP", "VARIANCE", "VAR_SAMP", "VAR_POP", "LIST", "ARRAY_AGG",
        "STRING_AGG", "GROUP_CONCAT", "LISTAGG", "FIRST", "LAST", "ANY_VALUE", "ARBITRARY", "ARG_MIN", "ARG_MAX",
        "ARGMIN", "ARGMAX", "MIN_BY", "MAX_BY", "QUANTILE", "QUANTILE_CONT", "QUANTILE_DISC", "APPROX_QUANTILE",
        "APPROX_COUNT_DISTINCT", "RESERVOIR_QUANTILE", "BOOL_AND", "BOOL_OR", "EVERY", "BIT_AND", "BIT_OR", "BIT_XOR",
        "BITSTRING_AGG", "HISTOGRAM", "CORR", "COVAR_POP", "COVAR_SAMP", "REGR_SLOPE", "REGR_INTERCEPT", "REGR_R2",
        "REGR_COUNT", "REGR_AVGX", "REGR_AVGY", "REGR_SXX", "REGR_SYY", "REGR_SXY", "KURTOSIS", "KURTOSIS_POP",
        "SKEWNESS", "ENTROPY", "MAD", "GEOMEAN", "GEOMETRIC_MEAN", "WEIGHTED_AVG", "WAVG",
    };

    public static SourceRange? Find(IReadOnlyList<Token> t, int head)
    {
        var (blockStart, blockEnd) = EnclosingQuery(t, head);
        // The SELECT that owns the call: the last one at the block's depth 0 before it, after the last set operator.
        int select = -1, segmentStart = blockStart;
        int depth = 0;
        for (int i = blockStart; i < head; i++)
        {
            if (t[i].Opens) depth++;
            else if (t[i].Closes) depth--;
            else if (depth == 0 && t[i].IsWord("SELECT")) select = i;
            else if (depth == 0 && t[i].Kind == TokenKind.Word && SetOperators.Contains(t[i].Text)) { segmentStart = i + 1; select = -1; }
        }
        if (select < 0) return null;
        for (int i = segmentStart, d = 0; i < select; i++)
        {
            if (t[i].Opens) d++;
            else if (t[i].Closes) d--;
            else if (d == 0 && t[i].IsWord("FROM")) return null; // FROM-first syntax
        }
        int from = -1, sourceEnd = blockEnd;
        depth = 0;
        for (int i = select + 1; i < blockEnd; i++)
        {
            if (t[i].Opens) depth++;
            else if (t[i].Closes) depth--;
            else if (depth == 0 && (t[i].IsSymbol(';') || t[i].IsWord("RETURNING") || t[i].IsWord("ON") && i + 1 < blockEnd && t[i + 1].IsWord("CONFLICT")))
            {
                sourceEnd = i;
                break;
            }
            // "a IS [NOT] DISTINCT FROM b" in the select list is not the query's FROM.
            else if (depth == 0 && from < 0 && t[i].IsWord("FROM") && !t[i - 1].IsWord("DISTINCT")) from = i;
            else if (depth == 0 && t[i].Kind == TokenKind.Word && SourceEnds.Contains(t[i].Text))
            {
                if (t[i].IsWord("GROUP") || t[i].IsWord("HAVING")) return null;
                sourceEnd = i;
                break;
            }
        }
        int listEnd = from < 0 ? sourceEnd : from;
        if (IsAggregateQuery(t, select + 1, listEnd) || UsesSelectAlias(t, select + 1, listEnd, head, from < 0 ? -1 : from, sourceEnd))
            return null;
        if (from < 0) return new SourceRange(0, 0);
        if (head > from && head < sourceEnd) return null;
        for (int i = from + 1; i < sourceEnd; i++)
            if (t[i].Kind == TokenKind.Parameter && t[i].Text == "?" || t[i].Kind == TokenKind.Word && Volatile.Contains(t[i].Text))
                return null;
        return from + 1 < sourceEnd ? new SourceRange(from + 1, sourceEnd) : null;
    }

    /// <summary>Whether the select list [start, end) calls an aggregate function outside a window (an aggregate query without GROUP BY).</summary>
    private static bool IsAggregateQuery(IReadOnlyList<Token> t, int start, int end)
    {
        for (int i = start; i + 1 < end; i++)
        {
            if (t[i].Kind != TokenKind.Word || !Aggregates.Contains(t[i].Text) || !t[i + 1].IsSymbol('(') || i > 0 && t[i - 1].IsSymbol('.')) continue;
            int close = MlScanner.MatchParen(t, i + 1, end);
            if (close < 0 || close + 1 >= end || !t[close + 1].IsWord("OVER")) return true;
        }
        return false;
    }

    /// <summary>
    /// Whether the call's arguments or the WHERE clause name an alias of the select list ("SELECT x * 2 AS y,
    /// ML.STANDARD_SCALER(y) OVER ()"): DuckDB resolves those only inside this SELECT, not in a copied FROM … WHERE.
    /// </summary>
    private static bool UsesSelectAlias(IReadOnlyList<Token> t, int start, int end, int head, int from, int sourceEnd)
    {
        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = start, d = 0; i + 1 < end; i++)
        {
            if (t[i].Opens) d++;
            else if (t[i].Closes) d--;
            else if (d == 0 && t[i].IsWord("AS") && t[i + 1].Kind is TokenKind.Word or TokenKind.QuotedIdentifier) aliases.Add(Unquote(t[i + 1].Text));
        }
        if (aliases.Count == 0) return false;
        int close = MlScanner.MatchParen(t, head + 3, t.Count);
        bool Names(int a, int b)
        {
            for (int i = a; i < b; i++)
                if (t[i].Kind is TokenKind.Word or TokenKind.QuotedIdentifier && aliases.Contains(Unquote(t[i].Text)) && (i == 0 || !t[i - 1].IsSymbol('.')))
                    return true;
            return false;
        }
        return Names(head + 3, close < 0 ? t.Count : close) || from >= 0 && Names(from + 1, sourceEnd);
    }

    private static string Unquote(string text) => text.Length >= 2 && text[0] == '"' ? text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : text;

    /// <summary>Tokens of the innermost parenthesized query around <paramref name="head"/> (inside the parentheses), or the whole statement.</summary>
    private static (int Start, int End) EnclosingQuery(IReadOnlyList<Token> t, int head)
    {
        int depth = 0;
        for (int i = head - 1; i >= 0; i--)
        {
            if (t[i].Closes) depth++;
            else if (t[i].Opens)
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
}
