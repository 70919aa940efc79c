using System.CommandLine;
using SqlMl.Cli;

// sqlml [--db PATH] [--format table|csv|json] [-c SQL]... [FILE.sql]...
var db = new Option<string?>("--db") { Description = "DuckDB database file to open or create (default: in-memory)." };
var format = new Option<string>("--format") { Description = "Output format of result sets.", DefaultValueFactory = _ => "table" };
format.AcceptOnlyFromAmong("table", "csv", "json");
var commands = new Option<string[]>("-c", "--command") { Description = "SQL text to run (repeatable); runs before FILEs.", AllowMultipleArgumentsPerToken = false };
var files = new Argument<string[]>("FILE") { Description = "SQL script files, run in order.", Arity = ArgumentArity.ZeroOrMore };
var root = new RootCommand("sqlml: BigQuery ML's SQL on DuckDB. With no -c and no FILE, SQL is read from standard input (a REPL on a terminal).")
{
    db, format, commands, files,
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors) Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine("usage: sqlml [--db PATH] [--format table|csv|json] [-c SQL]... [FILE.sql]...");
    return ExitCodes.Usage;
}
if (parse.Action is not null && parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "--version"))
    return parse.Invoke();

var options = new CliOptions(
    parse.GetValue(db),
    Enum.Parse<OutputFormat>(parse.GetValue(format)!, ignoreCase: true),
    parse.GetValue(commands) ?? [],
    parse.GetValue(files) ?? []);
return new CliRunner(options, Console.Out, Console.Error).Run(Console.In, interactive: !Console.IsInputRedirected);
