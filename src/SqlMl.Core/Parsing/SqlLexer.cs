namespace SqlMl.Parsing;

/// <summary>
/// A DuckDB-compatible lexer that knows enough to find statement boundaries and ML constructs:
/// single-quoted strings ('' escapes, E'' backslash escapes), double-quoted and backtick identifiers,
/// dollar-quoted strings ($$…$$, $tag$…$tag$), line comments (--) and nested block comments.
/// </summary>
internal static class SqlLexer
{
    public static List<Token> Tokenize(string text, int start = 0, int end = -1)
    {
        if (end < 0) end = text.Length;
        var tokens = new List<Token>();
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 1 < end && text[i + 1] == '-')
            {
                while (i < end && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < end && text[i + 1] == '*')
            {
                i = SkipBlockComment(text, i, end);
                continue;
            }
            int s = i;
            if (c == '\'')
            {
                i = SkipQuoted(text, i, end, '\'', backslashEscapes: false);
                tokens.Add(new Token(TokenKind.String, s, i - s, text[s..i]));
            }
            else if ((c == 'e' || c == 'E') && i + 1 < end && text[i + 1] == '\'')
            {
                i = SkipQuoted(text, i + 1, end, '\'', backslashEscapes: true);
                tokens.Add(new Token(TokenKind.String, s, i - s, text[s..i]));
            }
            else if (c == '"' || c == '`')
            {
                i = SkipQuoted(text, i, end, c, backslashEscapes: false);
                tokens.Add(new Token(TokenKind.QuotedIdentifier, s, i - s, text[s..i]));
            }
            else if (c == '$')
            {
                i = LexDollar(text, i, end, tokens);
            }
            else if (c == '?')
            {
                i++;
                tokens.Add(new Token(TokenKind.Parameter, s, 1, "?"));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < end && char.IsDigit(text[i + 1])))
            {
                i = SkipNumber(text, i, end);
                tokens.Add(new Token(TokenKind.Number, s, i - s, text[s..i]));
            }
            else if (IsWordStart(c))
            {
                while (i < end && IsWordPart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Word, s, i - s, text[s..i]));
            }
            else
            {
                i++;
                tokens.Add(new Token(TokenKind.Symbol, s, 1, text[s..i]));
            }
        }
        return tokens;
    }

    public static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    private static int SkipBlockComment(string text, int i, int end)
    {
        int depth = 0;
        while (i < end)
        {
            if (text[i] == '/' && i + 1 < end && text[i + 1] == '*') { depth++; i += 2; }
            else if (text[i] == '*' && i + 1 < end && text[i + 1] == '/')
            {
                depth--; i += 2;
                if (depth == 0) return i;
            }
            else i++;
        }
        return end;
    }

    private static int SkipQuoted(string text, int i, int end, char quote, bool backslashEscapes)
    {
        i++;
        while (i < end)
        {
            char c = text[i];
            if (backslashEscapes && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (i + 1 < end && text[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return end; // unterminated: DuckDB reports it
    }

    private static int LexDollar(string text, int i, int end, List<Token> tokens)
    {
        int s = i;
        int j = i + 1;
        if (j < end && char.IsDigit(text[j]))
        {
            while (j < end && char.IsDigit(text[j])) j++;
            tokens.Add(new Token(TokenKind.Parameter, s, j - s, text[s..j]));
            return j;
        }
        while (j < end && (char.IsLetterOrDigit(text[j]) || text[j] == '_')) j++;
        if (j < end && text[j] == '$')
        {
            string tag = text[s..(j + 1)];
            int close = text.IndexOf(tag, j + 1, end - j - 1, StringComparison.Ordinal);
            int stop = close < 0 ? end : close + tag.Length;
            tokens.Add(new Token(TokenKind.String, s, stop - s, text[s..stop]));
            return stop;
        }
        if (j > i + 1)
        {
            tokens.Add(new Token(TokenKind.Parameter, s, j - s, text[s..j]));
            return j;
        }
        tokens.Add(new Token(TokenKind.Symbol, s, 1, "$"));
        return i + 1;
    }

    private static int SkipNumber(string text, int i, int end)
    {
        while (i < end && (char.IsDigit(text[i]) || text[i] == '_')) i++;
        if (i < end && text[i] == '.') { i++; while (i < end && char.IsDigit(text[i])) i++; }
        if (i < end && (text[i] == 'e' || text[i] == 'E'))
        {
            int j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-')) j++;
            if (j < end && char.IsDigit(text[j]))
            {
                i = j;
                while (i < end && char.IsDigit(text[i])) i++;
            }
        }
        return i;
    }
}
