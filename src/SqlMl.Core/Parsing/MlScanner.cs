namespace SqlMl.Parsing;

/// <summary>A span of tokens [First, Last] in a statement that holds one ML.xxx(...) call.</summary>
internal readonly record struct CallSpan(int First, int Last);

/// <summary>Finds the ML envelope in a tokenized statement: CREATE/DROP MODEL heads and ML.xxx( calls.</summary>
internal static class MlScanner
{
    private static readonly HashSet<string> QueryStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "FROM", "VALUES", "TABLE", "SUMMARIZE", "PIVOT", "UNPIVOT", "DESCRIBE",
    };

    public static bool IsCreateModel(IReadOnlyList<Token> t)
    {
        if (t.Count < 2 || !t[0].IsWord("CREATE")) return false;
        int i = 1;
        if (t[i].IsWord("OR") && i + 2 < t.Count && t[i + 1].IsWord("REPLACE")) i += 2;
        return i < t.Count && t[i].IsWord("MODEL");
    }

    public static bool IsDropModel(IReadOnlyList<Token> t) => t.Count >= 2 && t[0].IsWord("DROP") && t[1].IsWord("MODEL");

    /// <summary>The outermost ML.xxx( … ) calls, in order.</summary>
    public static List<CallSpan> FindCalls(IReadOnlyList<Token> t, int from = 0, int to = -1)
    {
        if (to < 0) to = t.Count;
        var calls = new List<CallSpan>();
        for (int i = from; i + 3 < to; i++)
        {
            if (!IsCallHead(t, i)) continue;
            int close = MatchParen(t, i + 3, to);
            calls.Add(new CallSpan(i, close < 0 ? to - 1 : close));
            i = close < 0 ? to : close;
        }
        return calls;
    }

    /// <summary>Whether an ML table-function call (ML.xxx( that is not a preprocessing function) starts at token <paramref name="i"/>.</summary>
    public static bool IsCallHead(IReadOnlyList<Token> t, int i) =>
        t[i].IsWord("ML") && t[i + 1].IsSymbol('.') && t[i + 2].Kind == TokenKind.Word && t[i + 3].IsSymbol('(')
        && (i == 0 || !t[i - 1].IsSymbol('.'))
        && !Preprocessing.PreprocessingRewriter.IsPreprocessingFunction(t[i + 2].Text);

    /// <summary>Index of the ')' matching the '(' at <paramref name="open"/>, or -1.</summary>
    public static int MatchParen(IReadOnlyList<Token> t, int open, int to)
    {
        int depth = 0;
        for (int i = open; i < to; i++)
        {
            if (t[i].IsSymbol('(') || t[i].IsSymbol('[')) depth++;
            else if (t[i].IsSymbol(')') || t[i].IsSymbol(']'))
            {
                depth--;
                if (depth == 0) return i;
            }
        }
        return -1;
    }

    /// <summary>Whether the group opened at <paramref name="open"/> holds a query rather than a value.</summary>
    public static bool IsQueryGroup(IReadOnlyList<Token> t, int open) =>
        open + 1 < t.Count && t[open].IsSymbol('(')
        && (t[open + 1].Kind == TokenKind.Word && QueryStarts.Contains(t[open + 1].Text) || t[open + 1].IsSymbol('('));
}
