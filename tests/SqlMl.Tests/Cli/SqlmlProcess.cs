using System.Diagnostics;

namespace SqlMl.Tests.Cli;

/// <summary>Runs the built sqlml (sqlml.dll beside the tests) as a process from the repository root.</summary>
internal static class SqlmlProcess
{
    public static (int Exit, string Out, string Err) Run(string? stdin, params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts sqlml with all three standard streams redirected (the caller writes, reads and waits).</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestDb.RepoRoot,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sqlml.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Runs a script file with --format csv, asserts success with nothing on stderr, and returns the output lines.</summary>
    public static string[] RunCsvScript(string path)
    {
        var (exit, output, error) = Run(null, "--format", "csv", path);
        Assert.True(exit == 0, error);
        Assert.Equal("", error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
