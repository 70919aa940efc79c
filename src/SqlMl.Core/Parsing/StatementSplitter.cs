namespace SqlMl.Parsing;

/// <summary>One statement of a script: its text and where it starts in the script.</summary>
internal sealed record SqlStatement(string Text, int Offset, IReadOnlyList<Token> Tokens);

/// <summary>Splits a script into statements at top-level semicolons, aware of strings and comments.</summary>
internal static class StatementSplitter
{
    public static List<SqlStatement> Split(string script)
    {
        var all = SqlLexer.Tokenize(script);
        var result = new List<SqlStatement>();
        int first = 0;
        for (int i = 0; i <= all.Count; i++)
        {
            if (i < all.Count && !all[i].IsSymbol(';')) continue;
            if (i > first)
            {
                int start = all[first].Start;
                int end = all[i - 1].End;
                var tokens = new List<Token>(i - first);
                for (int k = first; k < i; k++)
                    tokens.Add(all[k] with { Start = all[k].Start - start });
                result.Add(new SqlStatement(script[start..end], start, tokens));
            }
            first = i + 1;
        }
        return result;
    }
}
