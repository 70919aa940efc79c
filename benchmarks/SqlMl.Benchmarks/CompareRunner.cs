using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SqlMl.Data;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--compare [--rows N] [--db PATH|:memory:] [--repeat R] [--compression NAME] [--sql STATEMENT]... [--reuse] [--no-breakdown] [--pass-only]</c>
/// <list type="bullet">
/// <item>opens the database (a file is deleted first unless <c>--reuse</c>), runs each <c>--sql</c> statement on the
/// connection (e.g. a DuckDB setting), and builds table bench from linear_data.sql (kept with <c>--reuse</c> when it
/// already has N rows), with DuckDB's own choice of compression unless <c>--compression</c> forces one;</item>
/// <item>times, best of R after one untimed warm-up each: a bare chunk scan of the 17 used columns (fetch only, and
/// every value read), the stages CREATE MODEL is made of (unless <c>--no-breakdown</c>), and CREATE OR REPLACE MODEL
/// end to end with the default AUTO_SPLIT and with NO_SPLIT (<c>--pass-only</c>: of the stages only the parallel pass
/// with and without statistics, and only the AUTO_SPLIT CREATE MODEL);</item>
/// <item>prints one JSON line on stdout (progress on stderr): timings, the CPU time of each best run, ML.WEIGHTS of
/// both models. benchmarks/compare_linear.sh puts it beside the numpy/scikit-learn reference.</item>
/// </list>
/// </summary>
internal static class CompareRunner
{
    public static int Run(string[] args)
    {
        long rows = 10_000_000;
        string db = Path.Combine(Path.GetTempPath(), "sqlml-bench-linear.duckdb");
        int repeat = 3;
        bool breakdown = true, passOnly = false;
        string? compression = null;
        bool reuse = false;
        var statements = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--compare": break;
                case "--rows": rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--db": db = args[++i]; break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-breakdown": breakdown = false; break;
                case "--pass-only": passOnly = true; break;
                case "--reuse": reuse = true; break;
                case "--compression": compression = args[++i]; break;
                case "--sql": statements.Add(args[++i]); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: --compare [--rows N] [--db PATH|:memory:] [--repeat R] [--compression NAME] [--sql STATEMENT]... [--reuse] [--no-breakdown] [--pass-only]");
                    return 2;
            }
        }

        var result = new Dictionary<string, object?>
        {
            ["rows"] = rows,
            ["db"] = db,
            ["repeat"] = repeat,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["processors"] = Environment.ProcessorCount,
        };
        using var connection = BenchData.Open(db, fresh: !reuse);
        foreach (var statement in statements) BenchData.Execute(connection, statement);
        result["sql"] = statements;
        result["compression"] = compression ?? "default";
        result["duckdb_version"] = BenchData.Text(connection, "SELECT version()");
        result["duckdb_threads"] = BenchData.Scalar(connection, "SELECT current_setting('threads')");

        Log($"creating bench ({rows:N0} rows) in {db}");
        var clock = Stopwatch.StartNew();
        if (compression is not null) BenchData.Execute(connection, $"PRAGMA force_compression = '{compression.Replace("'", "''", StringComparison.Ordinal)}'");
        BenchData.CreateTable(connection, rows);
        if (compression is not null) BenchData.Execute(connection, "PRAGMA force_compression = 'auto'");
        result["create_table_s"] = Round(clock.Elapsed.TotalSeconds);
        result["storage"] = BenchData.Text(connection,
            "SELECT string_agg(compression || ':' || n, ', ' ORDER BY n DESC) FROM (SELECT compression, count(*) AS n FROM pragma_storage_info('bench') GROUP BY ALL)");

        var duck = connection.Duck;
        Measure(result, "scan_fetch_s", "bare chunk scan, fetch only", repeat, () => Scans.FetchOnly(duck, BenchData.ScanSql));
        Measure(result, "scan_s", "bare chunk scan, every value read", repeat, () => Scans.Sum(duck, BenchData.ScanSql, 17));
        if (breakdown && !passOnly)
        {
            Measure(result, "scan_training_query_s", "training query (casts + hash) scan", repeat, () => Scans.Sum(duck, BenchData.TrainingSql, 17));
            Measure(result, "reader_s", "ChunkTrainingData reader", repeat, () => Scans.Reader(duck));
            Measure(result, "trainer_s", "LinearRegressionTrainer.Train (AUTO_SPLIT), no catalog", repeat, () => Scans.Trainer(duck));
        }
        if (breakdown)
        {
            Measure(result, "parallel_pass_s", "parallel training pass (C-API aggregate on DuckDB's threads, AUTO_SPLIT), no solve", repeat, () => Scans.ParallelPass(duck));
            result["parallel_pass_threads"] = Scans.ParallelPass(duck);
            Measure(result, "parallel_pass_statistics_s", "the same with ML.FEATURE_INFO's statistics (FeatureStatistics per thread, merged, summarized)", repeat, () => Scans.ParallelPassWithStatistics(duck));
        }
        Measure(result, "create_model_s", "CREATE OR REPLACE MODEL (default AUTO_SPLIT)", repeat,
            () => BenchData.Execute(connection, BenchData.CreateModelSql("bench_model")));
        if (!passOnly)
        {
            Measure(result, "create_model_no_split_s", "CREATE OR REPLACE MODEL (NO_SPLIT)", repeat,
                () => BenchData.Execute(connection, BenchData.CreateModelSql("bench_model_no_split", "data_split_method = 'no_split'")));
        }

        result["weights"] = BenchData.Weights(connection, "bench_model");
        if (!passOnly) result["weights_no_split"] = BenchData.Weights(connection, "bench_model_no_split");
        result["training_rows"] = BenchData.Scalar(connection, "SELECT training_rows FROM sqlml.models WHERE model_name = 'bench_model'");
        result["evaluation_rows"] = BenchData.Scalar(connection, "SELECT eval_rows FROM sqlml.models WHERE model_name = 'bench_model'");
        result["cpu_s"] = Cpu;
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static void Measure(Dictionary<string, object?> result, string key, string what, int repeat, Action action)
    {
        var (best, bestCpu) = BestRun.Of(repeat, action);
        Log($"{what}: {best:F3} s (best of {repeat}; CPU {bestCpu:F3} s in that run)");
        result[key] = Round(best);
        Cpu[key] = Round(bestCpu);
    }

    /// <summary>CPU time (all threads of the process) of each operation's best run.</summary>
    private static readonly Dictionary<string, double> Cpu = [];

    private static void Measure<T>(Dictionary<string, object?> result, string key, string what, int repeat, Func<T> action) =>
        Measure(result, key, what, repeat, () => { GC.KeepAlive(action()); });

    private static double Round(double seconds) => Math.Round(seconds, 6);

    private static void Log(string message) => Console.Error.WriteLine("[compare] " + message);
}
