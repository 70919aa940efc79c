using System.CommandLine;
using System.Globalization;

namespace SqlMl.Cli;

/// <summary>The command line's definition (System.CommandLine): the SQL run on the root command, and <c>plot</c>.</summary>
internal static class CommandLine
{
    public const string Usage = "sqlml [--db PATH] [--format table|csv|json] [--param name=value]... [--output FILE] [--quiet] [--log json] [--lock-timeout SECONDS] [-c SQL]... [FILE.sql]...";

    /// <summary>Builds the root command, whose action turns the parse into <see cref="CliOptions"/> and calls <paramref name="run"/>.</summary>
    public static RootCommand Build(Func<CliOptions, int> run)
    {
        var db = new Option<string?>("--db") { Description = "DuckDB database file to open or create (default: in-memory).", HelpName = "PATH" };
        var format = new Option<string>("--format") { Description = "Output format of result sets.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var commands = new Option<string[]>("-c", "--command") { Description = "SQL text to run (repeatable); runs before FILEs.", AllowMultipleArgumentsPerToken = false, HelpName = "SQL" };
        var parameters = new Option<string[]>("--param") { Description = "Binds $name in every statement (repeatable): name=value; integer, double, true/false, \"quoted\" string, else string.", AllowMultipleArgumentsPerToken = false, HelpName = "name=value" };
        var output = new Option<string?>("--output", "-o") { Description = "Writes the last result set to FILE: .csv, .json or .parquet.", HelpName = "FILE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Prints no result sets (errors still go to standard error)." };
        var log = new Option<string?>("--log") { Description = "json: one JSON line per statement on standard error (statement, rows, duration_ms, outcome, error)." };
        log.AcceptOnlyFromAmong("json");
        var lockTimeout = new Option<double>("--lock-timeout") { Description = "Seconds to wait while another process holds the database file.", DefaultValueFactory = _ => 0, HelpName = "SECONDS" };
        var files = new Argument<string[]>("FILE") { Description = "SQL script files, run in order.", Arity = ArgumentArity.ZeroOrMore };
        var root = new RootCommand("sqlml: BigQuery ML's SQL on DuckDB. With no -c and no FILE, SQL is read from standard input (a REPL on a terminal).")
        {
            db, format, commands, parameters, output, quiet, log, lockTimeout, files,
        };
        root.Subcommands.Add(PlotCommand.Build());
        root.SetAction(parse =>
        {
        CliOptions options;
        try
        {
            string? outputFile = parse.GetValue(output);
            if (outputFile is not null && OutputFileWriter.Check(outputFile) is { } message) throw new FormatException(message);
            double seconds = parse.GetValue(lockTimeout);
            if (seconds < 0 || !double.IsFinite(seconds)) throw new FormatException($"--lock-timeout {seconds.ToString(CultureInfo.InvariantCulture)}: seconds must be 0 or more.");
            options = new CliOptions(
                parse.GetValue(db),
                Enum.Parse<OutputFormat>(parse.GetValue(format)!, ignoreCase: true),
                parse.GetValue(commands) ?? [],
                parse.GetValue(files) ?? [])
            {
                Parameters = (parse.GetValue(parameters) ?? []).Select(ParameterValues.Parse).ToList(),
                OutputFile = outputFile,
                Quiet = parse.GetValue(quiet),
                LogJson = parse.GetValue(log) == "json",
                LockTimeout = TimeSpan.FromSeconds(seconds),
            };
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        return run(options);
        });
        return root;
    }
}
