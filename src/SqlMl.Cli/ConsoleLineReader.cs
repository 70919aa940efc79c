namespace SqlMl.Cli;

/// <summary>Reads lines from the terminal with <see cref="LineEditor"/> (history on Up/Down), redrawing the line after each key.</summary>
internal sealed class ConsoleLineReader(History history) : ILineReader
{
    public bool Interrupted { get; private set; }

    public string? ReadLine(string prompt)
    {
        var editor = new LineEditor(history.Entries);
        Interrupted = false;
        Console.Write(prompt);
        bool treat = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            while (true)
            {
                int before = editor.Text.Length;
                bool atEnd = editor.Cursor == before;
                var result = editor.Apply(Console.ReadKey(intercept: true));
                switch (result)
                {
                    case LineEditResult.Submit:
                        Console.WriteLine();
                        history.Add(editor.Text);
                        return editor.Text;
                    case LineEditResult.Interrupt:
                        Console.WriteLine("^C");
                        Interrupted = true;
                        return "";
                    case LineEditResult.EndOfInput:
                        Console.WriteLine();
                        return null;
                    default:
                        // Typing at the end of the line just echoes the character; anything else redraws the line.
                        if (atEnd && editor.Text.Length == before + 1 && editor.Cursor == editor.Text.Length) Console.Write(editor.Text[^1]);
                        else Redraw(prompt, editor);
                        break;
                }
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treat;
        }
    }

    private static void Redraw(string prompt, LineEditor editor)
    {
        // Carriage return, prompt and text, erase to the end of the line, then put the cursor back.
        int back = editor.Text.Length - editor.Cursor;
        Console.Write("\r" + prompt + editor.Text + "\u001b[K" + (back > 0 ? $"\u001b[{back}D" : ""));
    }
}
