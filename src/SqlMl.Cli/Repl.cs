namespace SqlMl.Cli;

/// <summary>
/// The interactive loop: statements may span lines and run when a line ends one with <c>;</c>; dot commands
/// (<c>.help</c>, <c>.models</c>, <c>.tables</c>, <c>.timer</c>, <c>.format</c>, <c>.quit</c>) at the start of a
/// statement. Errors print and the session goes on; Ctrl-C at the prompt drops the half-typed statement, twice on
/// an empty prompt leaves (exit code 130); Ctrl-D (end of input) or <c>.quit</c> leaves with 0.
/// </summary>
internal sealed class Repl(ScriptExecutor executor, ILineReader lines, TextWriter output, Interrupts interrupts)
{
    public const string Help = """
        Statements end with ';' and may span lines. Commands:
          .help                     this text
          .models                   models in the database (name, type, created)
          .tables                   tables and views (without SqlMl's catalog)
          .timer on|off             print each statement's run time
          .format table|csv|json    how result sets print
          .quit                     leave (also .exit, Ctrl-D)
        Ctrl-C cancels a running statement; at the prompt it clears the input, twice on an empty prompt leaves.
        """;

    public int Run()
    {
        output.WriteLine("sqlml: BigQuery ML's SQL on DuckDB. End statements with ';', .help for help, .quit to exit.");
        var buffer = new StatementBuffer();
        bool interruptedOnEmpty = false;
        while (true)
        {
            string? line = lines.ReadLine(buffer.IsEmpty ? "sqlml> " : "  ...> ");
            if (line is null) break;
            if (lines.Interrupted)
            {
                if (buffer.IsEmpty && interruptedOnEmpty) return ExitCodes.Interrupted;
                interruptedOnEmpty = buffer.IsEmpty;
                if (interruptedOnEmpty) output.WriteLine("(Ctrl-C again or .quit to leave)");
                buffer.Clear();
                continue;
            }
            interruptedOnEmpty = false;
            interrupts.Reset();
            if (buffer.IsEmpty && line.TrimStart().StartsWith('.'))
            {
                if (!Command(line.Trim())) break;
                continue;
            }
            if (buffer.Add(line) is { } chunk) executor.Run(chunk.Text, "stdin", chunk.FirstLine);
        }
        return ExitCodes.Success;
    }

    /// <summary>Runs a dot command; false to leave.</summary>
    private bool Command(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string arg = parts.Length > 1 ? parts[1].ToLowerInvariant() : "";
        switch (parts[0].ToLowerInvariant())
        {
            case ".quit" or ".exit":
                return false;
            case ".help":
                output.WriteLine(Help);
                break;
            case ".models":
                Run("SELECT model_name, model_type, created_at FROM sqlml.models ORDER BY schema_name, model_name");
                break;
            case ".tables":
                Run("SELECT table_schema AS schema, table_name AS name, table_type AS type FROM information_schema.tables "
                    + "WHERE table_schema <> 'sqlml' AND table_catalog = current_database() ORDER BY 1, 2");
                break;
            case ".timer" when arg is "on" or "off":
                executor.Timer = arg == "on";
                break;
            case ".format" when Enum.TryParse<OutputFormat>(arg, ignoreCase: true, out var format) && arg is "table" or "csv" or "json":
                executor.Format = format;
                break;
            case ".timer":
                output.WriteLine("error: .timer takes on or off.");
                break;
            case ".format":
                output.WriteLine("error: .format takes table, csv or json.");
                break;
            default:
                output.WriteLine($"error: unknown command '{parts[0]}'; .help lists the commands.");
                break;
        }
        return true;
    }

    private void Run(string sql)
    {
        bool timer = executor.Timer;
        executor.Timer = false;
        executor.Run(sql, "stdin");
        executor.Timer = timer;
    }
}
