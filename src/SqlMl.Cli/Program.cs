using SqlMl.Cli;

// sqlml [--db PATH] [--format table|csv|json] [--param name=value]... [--output FILE] [--quiet] [--log json]
//       [--lock-timeout SECONDS] [-c SQL]... [FILE.sql]...
// sqlml plot roc|loss|clusters --db PATH --model NAME [--input SQL] --out FILE.png|.svg
var parse = CommandLine.Build(RunSql).Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors) Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine("usage: " + CommandLine.Usage);
    return ExitCodes.Usage;
}
return parse.Invoke();

static int RunSql(CliOptions options)
{
    options = options with { Progress = !Console.IsErrorRedirected && !options.LogJson };
    bool interactive = !Console.IsInputRedirected;
    var interrupts = new Interrupts();
    // Ctrl-C while a statement runs cancels it; a second one, or one while nothing runs (opening, waiting for a
    // lock, between a script's statements), exits with 130. At the REPL prompt Ctrl-C is read as a key instead.
    Console.CancelKeyPress += (_, e) =>
    {
        if (interrupts.Interrupt() != InterruptAction.CancelStatement) Environment.Exit(ExitCodes.Interrupted);
        if (!options.LogJson) Console.Error.WriteLine("cancelling… (Ctrl-C again to exit)");
        e.Cancel = true;
    };
    return new CliRunner(options, Console.Out, Console.Error, interrupts).Run(Console.In, interactive);
}
