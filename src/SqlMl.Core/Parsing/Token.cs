namespace SqlMl.Parsing;

/// <summary>Kinds of lexical tokens the front end cares about.</summary>
internal enum TokenKind
{
    Word,
    QuotedIdentifier,
    String,
    Number,
    Parameter,
    Symbol,
}

/// <summary>One token of SQL text: where it is and what it is. Whitespace and comments are not tokens.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, string Text)
{
    public int End => Start + Length;

    public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(char c) => Kind == TokenKind.Symbol && Text.Length == 1 && Text[0] == c;

    /// <summary>Whether this is an opening bracket: '(', '[' or '{'.</summary>
    public bool Opens => IsSymbol('(') || IsSymbol('[') || IsSymbol('{');

    /// <summary>Whether this is a closing bracket: ')', ']' or '}'.</summary>
    public bool Closes => IsSymbol(')') || IsSymbol(']') || IsSymbol('}');
}
