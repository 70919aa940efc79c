namespace SqlMl.Cli;

/// <summary>How result sets are printed.</summary>
internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>The parsed command line.</summary>
internal sealed record CliOptions(string? Database, OutputFormat Format, IReadOnlyList<string> Commands, IReadOnlyList<string> Files);

/// <summary>The CLI's exit codes: scripts and schedulers depend on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int StatementFailed = 1;
    public const int Usage = 2;
}
