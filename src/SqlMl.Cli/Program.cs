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
    bool repl = interactive && options.Commands.Count == 0 && options.Files.Count == 0;
    var interrupts = new Interrupts();
    Console.CancelKeyPress += (_, e) =>
    {
        var action = interrupts.Interrupt();
        if (action == InterruptAction.Exit)
        {
            Console.Error.WriteLine("interrupted.");
            Environment.Exit(ExitCodes.Interrupted);
        }
        if (action == InterruptAction.CancelStatement) Console.Error.WriteLine("cancelling… (Ctrl-C again to exit)");
        else if (!repl) Environment.Exit(ExitCodes.Interrupted);
        e.Cancel = true;
    };
    return new CliRunner(options, Console.Out, Console.Error, interrupts).Run(Console.In, interactive);
}
