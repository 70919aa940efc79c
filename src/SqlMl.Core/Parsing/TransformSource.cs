namespace SqlMl.Parsing;

/// <summary>
/// The text inside a CREATE MODEL's TRANSFORM(...) and where it starts in the statement, so that errors about an
/// item (or inside it) carry the statement's line and column.
/// </summary>
internal sealed class TransformSource
{
    private readonly SourceText _text;
    private readonly int _line;
    private readonly int _column;

    public TransformSource(string model, string text, int line, int column)
    {
        Model = model;
        _text = new SourceText(text);
        _line = Math.Max(1, line);
        _column = Math.Max(1, column);
    }

    /// <summary>From a parsed statement (its Transform text includes the parentheses).</summary>
    public static TransformSource Of(CreateModelStatement stmt) =>
        new(stmt.Name.ToString(), stmt.Transform is { Length: >= 2 } t ? t[1..^1] : "", stmt.TransformLine, stmt.TransformColumn);

    /// <summary>The model's name as written, for messages.</summary>
    public string Model { get; }

    /// <summary>The select list (without the parentheses).</summary>
    public string Text => _text.Text;

    /// <summary>Statement line and column of an offset in <see cref="Text"/>.</summary>
    public (int Line, int Column) Position(int offset)
    {
        var (l, c) = _text.Position(Math.Clamp(offset, 0, Text.Length));
        return l == 1 ? (_line, _column + c - 1) : (_line + l - 1, c);
    }

    /// <summary>An error about the item or token at <paramref name="offset"/>.</summary>
    public SqlMlException Error(int offset, string detail)
    {
        var (line, column) = Position(offset);
        return Errors.Transform(Model, detail, line, column);
    }

    /// <summary>
    /// Moves an error raised on an expression's own text (line/column relative to it, e.g. by the preprocessing
    /// rewriter) to the statement: the expression starts at <paramref name="expressionOffset"/> of <see cref="Text"/>.
    /// </summary>
    public SqlMlException Relocate(SqlMlException e, string expression, int expressionOffset)
    {
        if (e.Line is not { } line || e.Column is not { } column) return e;
        int local = new SourceText(expression).Offset(line, column);
        var (l, c) = Position(expressionOffset + local);
        string message = e.Message.Replace($"line {line}, column {column}", $"line {l}, column {c}", StringComparison.Ordinal);
        return new SqlMlException(e.Code, message, l, c, e.InnerException);
    }
}
