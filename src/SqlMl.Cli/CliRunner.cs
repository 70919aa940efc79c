using System.Data.Common;
using SqlMl.Data;
using SqlMl.Parsing;

namespace SqlMl.Cli;

/// <summary>Runs the CLI's inputs (-c texts, then files, or standard input) against one connection and prints results.</summary>
internal sealed class CliRunner(CliOptions options, TextWriter output, TextWriter error)
{
    private readonly ResultPrinter _printer = new(options.Format, output);

    public int Run(TextReader input, bool interactive)
    {
        foreach (var f in options.Files)
        {
            if (!File.Exists(f))
            {
                error.WriteLine($"error: file not found: {f}");
                return ExitCodes.Usage;
            }
        }
        using var connection = new SqlMlConnection("Data Source=" + (options.Database ?? ":memory:"));
        try
        {
            connection.Open();
        }
        catch (DbException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.StatementFailed;
        }
        if (options.Commands.Count == 0 && options.Files.Count == 0)
            return interactive ? new Repl(script => Execute(connection, script, null), input, output).Run() : Execute(connection, input.ReadToEnd(), null);
        foreach (var c in options.Commands)
            if (Execute(connection, c, null) != ExitCodes.Success) return ExitCodes.StatementFailed;
        foreach (var f in options.Files)
            if (Execute(connection, File.ReadAllText(f), f) != ExitCodes.Success) return ExitCodes.StatementFailed;
        return ExitCodes.Success;
    }

    /// <summary>Runs one script, printing each result set; on the first failing statement prints the error and stops.</summary>
    public int Execute(SqlMlConnection connection, string script, string? source)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = script;
            using var reader = cmd.ExecuteReader();
            do
            {
                if (reader.FieldCount > 0) _printer.Print(reader);
            }
            while (reader.NextResult());
            return ExitCodes.Success;
        }
        catch (DbException e)
        {
            string where = source is null ? "" : source + ": ";
            error.WriteLine("error: " + where + e.Message);
            return ExitCodes.StatementFailed;
        }
    }
}
