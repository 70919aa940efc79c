namespace SqlMl.Parsing;

/// <summary>Maps character offsets in a submitted SQL text to 1-based line and column numbers.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public (int Line, int Column) Position(int offset)
    {
        int idx = Array.BinarySearch(_lineStarts, offset);
        if (idx < 0) idx = ~idx - 1;
        return (idx + 1, offset - _lineStarts[idx] + 1);
    }

    /// <summary>The offset of a 1-based line and column.</summary>
    public int Offset(int line, int column)
    {
        line = Math.Clamp(line, 1, _lineStarts.Length);
        return Math.Min(Text.Length, _lineStarts[line - 1] + Math.Max(0, column - 1));
    }
}
