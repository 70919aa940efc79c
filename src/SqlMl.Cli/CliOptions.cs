namespace SqlMl.Cli;

/// <summary>How result sets are printed.</summary>
internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>The parsed command line of a SQL run (everything but the <c>plot</c> command).</summary>
internal sealed record CliOptions(string? Database, OutputFormat Format, IReadOnlyList<string> Commands, IReadOnlyList<string> Files)
{
    /// <summary>Values bound to <c>$name</c> (and, in order, to <c>?</c>) in every statement.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; init; } = [];

    /// <summary>A file that receives the last result set (csv, json or parquet by extension); null for none.</summary>
    public string? OutputFile { get; init; }

    /// <summary>No result printing on standard output.</summary>
    public bool Quiet { get; init; }

    /// <summary>One JSON line per statement on standard error.</summary>
    public bool LogJson { get; init; }

    /// <summary>Shows training progress on standard error (set when it is a terminal and --log json is off).</summary>
    public bool Progress { get; init; }

    /// <summary>How long to retry opening a database file another process holds.</summary>
    public TimeSpan LockTimeout { get; init; }
}

/// <summary>The CLI's exit codes: scripts and schedulers depend on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int StatementFailed = 1;
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C (SIGINT): 128 + 2, the shell convention.</summary>
    public const int Interrupted = 130;
}
