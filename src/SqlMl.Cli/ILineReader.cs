namespace SqlMl.Cli;

/// <summary>Where the REPL's lines come from: the console's line editor, or any text (tests).</summary>
internal interface ILineReader
{
    /// <summary>Reads one line after showing <paramref name="prompt"/>; null at end of input, "" after Ctrl-C (see <see cref="Interrupted"/>).</summary>
    string? ReadLine(string prompt);

    /// <summary>True when the last <see cref="ReadLine"/> ended by Ctrl-C.</summary>
    bool Interrupted { get; }
}
