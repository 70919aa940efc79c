using System.Data.Common;
using SqlMl.Data;

namespace SqlMl.Cli;

/// <summary>
/// Runs the CLI's inputs (-c texts, then files, or standard input) against one connection: opens the database
/// (waiting for a lock if asked), runs each input through <see cref="ScriptExecutor"/>, and writes <c>--output</c>.
/// </summary>
internal sealed class CliRunner(CliOptions options, TextWriter output, TextWriter error, Interrupts interrupts)
{
    private readonly StatementLog _log = new(error, options.LogJson);

    public int Run(TextReader input, bool interactive)
    {
        foreach (var f in options.Files)
        {
            if (!File.Exists(f))
            {
                error.WriteLine(f.StartsWith('-') ? $"error: unknown option '{f}'. Run sqlml --help for the options." : $"error: file not found: {f}");
                return ExitCodes.Usage;
            }
        }
        SqlMlConnection connection;
        try
        {
            connection = DatabaseOpener.Open(options.Database, options.LockTimeout, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or DatabaseOpener.LockedException)
        {
            if (_log.Enabled) _log.Write(null, "open", 0, null, TimeSpan.Zero, StatementOutcome.Error, e.Message);
            else error.WriteLine("error: " + e.Message);
            return ExitCodes.StatementFailed;
        }
        using (connection)
        {
            var executor = new ScriptExecutor(connection, options, output, error, interrupts);
            int code = RunInputs(executor, input, interactive);
            if (code != ExitCodes.Success || options.OutputFile is null) return code;
            return WriteOutput(executor.LastResult, options.OutputFile);
        }
    }

    private int RunInputs(ScriptExecutor executor, TextReader input, bool interactive)
    {
        if (options.Commands.Count == 0 && options.Files.Count == 0)
        {
            if (interactive) return new Repl(executor, new ConsoleLineReader(new History(History.DefaultPath())), output, interrupts).Run();
            return RunStream(executor, input);
        }
        foreach (var c in options.Commands)
        {
            int code = executor.Run(c, "-c");
            if (code != ExitCodes.Success) return code;
        }
        foreach (var f in options.Files)
        {
            int code = executor.Run(File.ReadAllText(f), f);
            if (code != ExitCodes.Success) return code;
        }
        return ExitCodes.Success;
    }

    /// <summary>Standard input that is not a terminal: each statement runs as soon as its closing ';' has been read.</summary>
    private static int RunStream(ScriptExecutor executor, TextReader input)
    {
        var buffer = new StatementBuffer();
        while (input.ReadLine() is { } line)
        {
            if (buffer.Add(line) is not { } chunk) continue;
            int code = executor.Run(chunk.Text, "stdin", chunk.FirstLine);
            if (code != ExitCodes.Success) return code;
        }
        return buffer.Flush() is { } last ? executor.Run(last.Text, "stdin", last.FirstLine) : ExitCodes.Success;
    }

    private int WriteOutput(ResultSet? result, string path)
    {
        if (result is null)
        {
            error.WriteLine($"error: --output '{path}': no statement returned a result set.");
            return ExitCodes.StatementFailed;
        }
        try
        {
            OutputFileWriter.Write(path, result);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            error.WriteLine($"error: --output '{path}': {e.Message}");
            return ExitCodes.StatementFailed;
        }
    }
}
