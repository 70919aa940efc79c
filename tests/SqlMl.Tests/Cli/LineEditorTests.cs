using SqlMl.Cli;

namespace SqlMl.Tests.Cli;

/// <summary>The REPL's line editing and history, key by key.</summary>
public class LineEditorTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, bool ctrl = false) => new('\0', key, false, false, ctrl);

    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.A, false, false, false);

    private static LineEditResult Type(LineEditor editor, string text)
    {
        var result = LineEditResult.Editing;
        foreach (char c in text) result = editor.Apply(Char(c));
        return result;
    }

    [Fact]
    public void Typing_inserts_at_the_cursor_and_arrows_home_end_move_it()
    {
        var editor = new LineEditor([]);
        Type(editor, "SELCT");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.LeftArrow));
        Type(editor, "E");
        Assert.Equal("SELECT", editor.Text);
        editor.Apply(Key(ConsoleKey.Home));
        Type(editor, "(");
        editor.Apply(Key(ConsoleKey.End));
        Type(editor, ")");
        Assert.Equal("(SELECT)", editor.Text);
        Assert.Equal(8, editor.Cursor);
    }

    [Fact]
    public void Backspace_and_delete_erase_around_the_cursor()
    {
        var editor = new LineEditor([]);
        Type(editor, "abcd");
        editor.Apply(Key(ConsoleKey.Backspace));
        editor.Apply(Key(ConsoleKey.A, ctrl: true));
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal("bc", editor.Text);
        Assert.Equal(0, editor.Cursor);
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("bc", editor.Text);
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_keep_the_line_being_typed()
    {
        var editor = new LineEditor(["SELECT 1;", "SELECT 2;"]);
        Type(editor, "draft");
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("SELECT 2;", editor.Text);
        editor.Apply(Key(ConsoleKey.UpArrow));
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("SELECT 1;", editor.Text);
        editor.Apply(Key(ConsoleKey.DownArrow));
        Assert.Equal("SELECT 2;", editor.Text);
        editor.Apply(Key(ConsoleKey.DownArrow));
        Assert.Equal("draft", editor.Text);
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void Enter_submits_ctrl_c_interrupts_and_ctrl_d_ends_input_only_on_an_empty_line()
    {
        var editor = new LineEditor([]);
        Assert.Equal(LineEditResult.EndOfInput, editor.Apply(Key(ConsoleKey.D, ctrl: true)));
        Type(editor, "ab");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        Assert.Equal(LineEditResult.Editing, editor.Apply(Key(ConsoleKey.D, ctrl: true)));
        Assert.Equal("a", editor.Text);
        Assert.Equal(LineEditResult.Interrupt, editor.Apply(Key(ConsoleKey.C, ctrl: true)));
        Assert.Equal(LineEditResult.Submit, editor.Apply(Key(ConsoleKey.Enter)));
    }

    [Fact]
    public void History_persists_lines_to_its_file_without_immediate_repeats()
    {
        using var dir = new TempDir();
        string file = dir.File("history");
        var first = new History(file);
        first.Add("SELECT 1;");
        first.Add("SELECT 1;");
        first.Add("   ");
        first.Add(".tables");
        Assert.Equal(["SELECT 1;", ".tables"], new History(file).Entries);
        Assert.Empty(new History(null).Entries);
    }
}
