namespace SqlMl.Cli;

/// <summary>Lines from a <see cref="TextReader"/>, prompts written to an output (the REPL without a terminal).</summary>
internal sealed class TextLineReader(TextReader input, TextWriter output) : ILineReader
{
    public bool Interrupted => false;

    public string? ReadLine(string prompt)
    {
        output.Write(prompt);
        return input.ReadLine();
    }
}
