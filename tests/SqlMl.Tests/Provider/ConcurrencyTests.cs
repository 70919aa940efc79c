using System.Diagnostics;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>Several connections to one database in a process, and another process holding the file.</summary>
public class ConcurrencyTests
{
    private const string Linear = "CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t";

    private static string TempDb() => Path.Combine(Path.GetTempPath(), "sqlml-" + Guid.NewGuid().ToString("N") + ".duckdb");

    [Fact]
    public async Task One_connection_trains_while_others_predict()
    {
        using var source = new SqlMlDataSource("Data Source=:memory:");
        using (var setup = source.OpenConnection())
        {
            ProviderData.Execute(setup, ProviderData.Table);
            ProviderData.Execute(setup, Linear);
        }
        using var trainer = source.OpenConnection();
        using var started = new ManualResetEventSlim();
        using var predicted = new ManualResetEventSlim();
        bool overlapped = false;
        // Training pauses after its first iteration until the predictions are done, so they certainly run mid-training.
        trainer.TrainingProgress += (_, e) =>
        {
            if (e.Iteration != 0) return;
            started.Set();
            overlapped = predicted.Wait(TimeSpan.FromSeconds(30));
        };
        var training = Task.Run(() => ProviderData.Execute(trainer,
            "CREATE MODEL slow OPTIONS(model_type = 'linear_reg', optimize_strategy = 'batch_gradient_descent', max_iterations = 20, input_label_cols = ['y']) AS SELECT x1, x2, y FROM t"));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        var predictions = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            using var predictor = source.OpenConnection();
            long total = 0;
            for (int k = 0; k < 5; k++) total += ProviderData.Long(predictor, "SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE t)");
            return (total, sawSlow: ProviderData.ModelExists(predictor, "slow"));
        })).ToList();
        var results = await Task.WhenAll(predictions);
        predicted.Set();
        await training;
        Assert.True(overlapped);
        Assert.All(results, r => Assert.Equal((1000L, false), r));
        using var after = source.OpenConnection();
        Assert.True(ProviderData.ModelExists(after, "slow"));
    }

    [Fact]
    public void Connections_to_the_same_file_by_different_paths_share_one_database()
    {
        string path = TempDb();
        try
        {
            using var absolute = new SqlMlConnection("Data Source=" + path);
            absolute.Open();
            string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
            using var other = new SqlMlConnection("Data Source=" + relative);
            other.Open();
            ProviderData.Execute(absolute, "CREATE TABLE shared AS SELECT 42 AS v");
            Assert.Equal(42L, ProviderData.Long(other, "SELECT v FROM shared"));
            Assert.Equal(path, other.DataSource);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Private_in_memory_databases_and_data_sources_are_separate()
    {
        using var a = new SqlMlConnection("Data Source=:memory:");
        using var b = new SqlMlConnection("Data Source=:memory:");
        a.Open();
        b.Open();
        ProviderData.Execute(a, "CREATE TABLE only_a(x INT)");
        Assert.Equal(0L, ProviderData.Long(b, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'only_a'"));
        using var s1 = new SqlMlDataSource("Data Source=:memory:");
        using var s2 = new SqlMlDataSource("Data Source=:memory:");
        using var c1 = s1.OpenConnection();
        using var c2 = s2.OpenConnection();
        ProviderData.Execute(c1, "CREATE TABLE only_s1(x INT)");
        Assert.Equal(0L, ProviderData.Long(c2, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'only_s1'"));
    }

    [Fact]
    public void A_data_source_keeps_its_in_memory_database_until_it_is_disposed()
    {
        var source = new SqlMlDataSource("Data Source=:memory:");
        using (var first = source.OpenConnection())
            ProviderData.Execute(first, "CREATE TABLE kept AS SELECT 1 AS x");
        using (var second = source.OpenConnection())
            Assert.Equal(1L, ProviderData.Long(second, "SELECT x FROM kept"));
        source.Dispose();
        Assert.Throws<ObjectDisposedException>(() => source.OpenConnection());
        Assert.Empty(Directory.GetFiles(AppContext.BaseDirectory, ":memory:*"));
    }

    [Fact]
    public void Read_only_is_refused_for_a_file_this_process_has_open_for_writing()
    {
        string path = TempDb();
        try
        {
            using var writer = new SqlMlConnection("Data Source=" + path);
            writer.Open();
            using var reader = new SqlMlConnection($"Data Source={path};Read Only=true");
            var e = Assert.Throws<SqlMlException>(reader.Open);
            Assert.Contains("already open for writing in this process", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_held_by_another_process_is_a_database_locked_error()
    {
        // The holder is the built sqlml waiting for its script on standard input; /proc/locks shows when it holds the file.
        if (!OperatingSystem.IsLinux()) return;
        string path = TempDb();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "sqlml.dll"), "--db", path })
            psi.ArgumentList.Add(a);
        using var holder = Process.Start(psi)!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.ReadAllLines("/proc/locks").Any(l => l.Contains($" {holder.Id} ", StringComparison.Ordinal)))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30) && !holder.HasExited, "the holder process did not lock the database");
                Thread.Sleep(20);
            }
            using var connection = new SqlMlConnection("Data Source=" + path);
            var e = Assert.Throws<SqlMlException>(connection.Open);
            Assert.Equal(SqlMlErrorCode.DatabaseLocked, e.Code);
            Assert.StartsWith($"Database file '{path}' is locked by another process.", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
            File.Delete(path);
        }
    }
}
