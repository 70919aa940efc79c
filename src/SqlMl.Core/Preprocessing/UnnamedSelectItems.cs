using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>
/// Names for SELECT-list items that hold a preprocessing call and no alias ("SELECT a, ML.X(b) FROM t"), keyed by
/// the offset where the item ends: the column is named after the item as written, as DuckDB names an expression
/// column, rather than after the long DuckDB expression it compiles to. Only items ending in ')' or ']' are named,
/// so an item with an alias is never given a second one.
/// </summary>
internal static class UnnamedSelectItems
{
    private static readonly HashSet<string> ItemEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "INTO",
    };

    /// <summary>The names, keyed by the offset in <paramref name="sql"/> where each unnamed item ends.</summary>
    public static Dictionary<int, string> Find(string sql, IReadOnlyList<Token> tokens)
    {
        var names = new Dictionary<int, string>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsWord("SELECT")) continue;
            int j = i + 1;
            if (j < tokens.Count && (tokens[j].IsWord("ALL") || tokens[j].IsWord("DISTINCT"))) j++;
            if (j < tokens.Count && tokens[j].IsWord("ON") && j + 1 < tokens.Count && tokens[j + 1].IsSymbol('('))
                j = Math.Max(j + 1, MlScanner.MatchParen(tokens, j + 1, tokens.Count) + 1);
            int start = j, depth = 0;
            for (; j <= tokens.Count; j++)
            {
                bool listEnds = j == tokens.Count || depth == 0 && (tokens[j].IsSymbol(';') || tokens[j].Kind == TokenKind.Word && ItemEnds.Contains(tokens[j].Text));
                bool closesOuter = j < tokens.Count && depth == 0 && tokens[j].Closes;
                if (listEnds || closesOuter || depth == 0 && tokens[j].IsSymbol(','))
                {
                    NameItem(sql, tokens, start, j, names);
                    if (listEnds || closesOuter) break;
                    start = j + 1;
                    continue;
                }
                if (tokens[j].Opens) depth++;
                else if (tokens[j].Closes) depth--;
            }
        }
        return names;
    }

    private static void NameItem(string sql, IReadOnlyList<Token> tokens, int first, int end, Dictionary<int, string> names)
    {
        if (end - first < 4 || !(tokens[end - 1].IsSymbol(')') || tokens[end - 1].IsSymbol(']'))) return;
        bool hasCall = false;
        for (int i = first; i + 3 < end && !hasCall; i++)
            hasCall = CallScanner.IsMlHead(tokens, i, end) && PreprocessingFunctions.Find(tokens[i + 2].Text) is not null;
        if (!hasCall) return;
        string text = sql[tokens[first].Start..tokens[end - 1].End];
        names[tokens[end - 1].End] = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
