using SqlMl.Parsing;

namespace SqlMl.Cli;

/// <summary>The interactive loop: statements may span lines and run when a line ends one with ';'. Errors keep the session going.</summary>
internal sealed class Repl(Func<string, int> execute, TextReader input, TextWriter output)
{
    public int Run()
    {
        output.WriteLine("sqlml: BigQuery ML's SQL on DuckDB. End statements with ';', .quit to exit.");
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            output.Write(buffer.Length == 0 ? "sqlml> " : "  ...> ");
            string? line = input.ReadLine();
            if (line is null) break;
            if (buffer.Length == 0 && line.Trim() is ".quit" or ".exit") break;
            buffer.AppendLine(line);
            var tokens = SqlLexer.Tokenize(buffer.ToString());
            if (tokens.Count == 0)
            {
                buffer.Clear();
                continue;
            }
            if (!tokens[^1].IsSymbol(';')) continue;
            execute(buffer.ToString());
            buffer.Clear();
        }
        return ExitCodes.Success;
    }
}
