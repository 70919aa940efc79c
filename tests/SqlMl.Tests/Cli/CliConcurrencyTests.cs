using System.Diagnostics;

namespace SqlMl.Tests.Cli;

/// <summary>Two sqlml processes on one database file, and Ctrl-C (SIGINT) during a statement.</summary>
public class CliConcurrencyTests
{
    /// <summary>Starts sqlml reading statements from standard input and waits until it has run a first one (so it holds the file).</summary>
    private static Process StartHolding(string db)
    {
        var p = SqlmlProcess.Start("--db", db, "--format", "csv");
        p.StandardInput.WriteLine("SELECT 'ready' AS r;");
        p.StandardInput.Flush();
        Assert.Equal("r", p.StandardOutput.ReadLine());
        Assert.Equal("ready", p.StandardOutput.ReadLine());
        return p;
    }

    [Fact]
    public void Second_run_on_a_held_database_waits_for_the_lock_timeout_then_fails_clearly()
    {
        using var dir = new TempDir();
        string db = dir.File("x.duckdb");
        using var holder = StartHolding(db);
        try
        {
            var (exit, output, err) = SqlmlProcess.Run(null, "--db", db, "--lock-timeout", "0.5", "-c", "CREATE TABLE intruder(i INT)");
            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.Equal($"error: database '{db}' is locked by another process (waited 0.5 s; --lock-timeout SECONDS waits longer).", err.Trim());
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
        }
        Assert.Equal(0, holder.ExitCode);
        var (after, rows, _) = SqlmlProcess.Run(null, "--db", db, "--format", "csv", "-c", "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'intruder'");
        Assert.Equal(0, after);
        Assert.Equal("n\n0\n", rows.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_run_proceeds_once_the_holder_finishes_and_sees_its_writes()
    {
        using var dir = new TempDir();
        string db = dir.File("x.duckdb");
        var holder = StartHolding(db);
        var waiting = Task.Run(() => SqlmlProcess.Run(null, "--db", db, "--lock-timeout", "60", "--format", "csv", "-c", "SELECT count(*) AS n FROM t"));
        holder.StandardInput.WriteLine("CREATE TABLE t AS SELECT * FROM range(3);");
        holder.StandardInput.Close();
        holder.WaitForExit();
        Assert.Equal(0, holder.ExitCode);
        holder.Dispose();
        var (exit, output, err) = await waiting;
        Assert.True(exit == 0, err);
        Assert.Equal("n\n3\n", output.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_running_statement_and_exits_130()
    {
        using var dir = new TempDir();
        using var p = StartHolding(dir.File("x.duckdb"));
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.WriteLine("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3;");
        p.StandardInput.Flush();
        Thread.Sleep(700);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        bool exited = p.WaitForExit(30_000);
        if (!exited) p.Kill();
        Assert.True(exited, "sqlml did not stop after SIGINT");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("statement cancelled (Ctrl-C).", await stderr, StringComparison.Ordinal);
    }
}
