using System.Text;

namespace SqlMl.Cli;

/// <summary>What a key did to the line being edited.</summary>
internal enum LineEditResult
{
    Editing,
    Submit,
    Interrupt,
    EndOfInput,
}

/// <summary>
/// The editing state of one input line, apart from the console so it can be tested: printable keys insert at the
/// cursor; Left/Right/Home/End (Ctrl-A/Ctrl-E) move; Backspace/Delete erase; Up/Down walk the history (the line being
/// typed is kept while walking); Enter submits; Ctrl-C interrupts; Ctrl-D on an empty line ends input.
/// </summary>
internal sealed class LineEditor(IReadOnlyList<string> history)
{
    private readonly StringBuilder _text = new();
    private int _historyIndex = history.Count;
    private string _draft = "";

    public string Text => _text.ToString();

    public int Cursor { get; private set; }

    public LineEditResult Apply(ConsoleKeyInfo key)
    {
        bool ctrl = (key.Modifiers & ConsoleModifiers.Control) != 0;
        if (ctrl && key.Key == ConsoleKey.C) return LineEditResult.Interrupt;
        if (ctrl && key.Key == ConsoleKey.D) return _text.Length == 0 ? LineEditResult.EndOfInput : Delete();
        if (ctrl && key.Key == ConsoleKey.A) return Move(0);
        if (ctrl && key.Key == ConsoleKey.E) return Move(_text.Length);
        switch (key.Key)
        {
            case ConsoleKey.Enter: return LineEditResult.Submit;
            case ConsoleKey.LeftArrow: return Move(Cursor - 1);
            case ConsoleKey.RightArrow: return Move(Cursor + 1);
            case ConsoleKey.Home: return Move(0);
            case ConsoleKey.End: return Move(_text.Length);
            case ConsoleKey.Backspace:
                if (Cursor > 0) _text.Remove(--Cursor, 1);
                return LineEditResult.Editing;
            case ConsoleKey.Delete: return Delete();
            case ConsoleKey.UpArrow: return Recall(_historyIndex - 1);
            case ConsoleKey.DownArrow: return Recall(_historyIndex + 1);
        }
        if (key.KeyChar == '\t') key = new ConsoleKeyInfo(' ', ConsoleKey.Spacebar, false, false, false);
        if (!char.IsControl(key.KeyChar)) _text.Insert(Cursor++, key.KeyChar);
        return LineEditResult.Editing;
    }

    private LineEditResult Move(int to)
    {
        Cursor = Math.Clamp(to, 0, _text.Length);
        return LineEditResult.Editing;
    }

    private LineEditResult Delete()
    {
        if (Cursor < _text.Length) _text.Remove(Cursor, 1);
        return LineEditResult.Editing;
    }

    private LineEditResult Recall(int index)
    {
        if (index < 0 || index > history.Count) return LineEditResult.Editing;
        if (_historyIndex == history.Count) _draft = Text;
        _historyIndex = index;
        _text.Clear().Append(index == history.Count ? _draft : history[index]);
        Cursor = _text.Length;
        return LineEditResult.Editing;
    }
}
