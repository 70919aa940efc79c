using System.Text;
using SqlMl.Parsing;

namespace SqlMl.Cli;

/// <summary>
/// Collects input lines until they end a statement: the last token is a top-level <c>;</c> (the project's lexer, so a
/// <c>;</c> inside a string or comment does not count). Used by the REPL and for standard input, which runs each
/// statement as soon as it is complete. Remembers the line each chunk starts on, for error positions.
/// </summary>
internal sealed class StatementBuffer
{
    private readonly StringBuilder _text = new();
    private int _linesRead;
    private int _firstLine = 1;

    /// <summary>True when no statement is being continued (blank lines and comments alone are dropped).</summary>
    public bool IsEmpty => _text.Length == 0;

    /// <summary>Adds a line; returns the complete chunk and its first line when the line ends a statement.</summary>
    public (string Text, int FirstLine)? Add(string line)
    {
        _linesRead++;
        if (_text.Length == 0) _firstLine = _linesRead;
        _text.Append(line).Append('\n');
        var tokens = SqlLexer.Tokenize(_text.ToString());
        if (tokens.Count == 0)
        {
            _text.Clear();
            return null;
        }
        return tokens[^1].IsSymbol(';') ? Take() : null;
    }

    /// <summary>Whatever is left at end of input (a last statement without <c>;</c>), or null.</summary>
    public (string Text, int FirstLine)? Flush() =>
        _text.Length > 0 && SqlLexer.Tokenize(_text.ToString()).Count > 0 ? Take() : null;

    /// <summary>Drops a half-typed statement (Ctrl-C at the REPL prompt).</summary>
    public void Clear() => _text.Clear();

    private (string, int) Take()
    {
        var chunk = (_text.ToString(), _firstLine);
        _text.Clear();
        return chunk;
    }
}
