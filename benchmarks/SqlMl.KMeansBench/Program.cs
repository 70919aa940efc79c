using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SqlMl.Data;

namespace SqlMl.KMeansBench;

/// <summary>
/// <c>[--rows N] [--k K...] [--iterations I] [--repeat R] [--db PATH|:memory:] [--predict]</c>: for each k, builds the
/// table of benchmarks/kmeans_data.sql (not timed) and times (best of R after one untimed warm-up) CREATE OR REPLACE
/// MODEL … kmeans_init_method = 'CUSTOM' (the same starting rows as scikit-learn's init), I iterations without early
/// stop and without standardization, end to end: DuckDB scan, materialization, Lloyd, final statistics, catalog
/// write. Also reports the best run's Lloyd iterations alone (Σ duration_ms of ML.TRAINING_INFO), the inertia
/// (mean_squared_distance × N) and, with --predict, ML.PREDICT over the table. Prints one JSON line on stdout.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        long rows = 1_000_000;
        var ks = new List<int>();
        int iterations = 20, repeat = 3;
        string db = ":memory:";
        bool predict = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--k":
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) ks.Add(int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--db": db = args[++i]; break;
                case "--predict": predict = true; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: [--rows N] [--k K...] [--iterations I] [--repeat R] [--db PATH|:memory:] [--predict]");
                    return 2;
            }
        }
        if (ks.Count == 0) ks.AddRange([8, 64]);

        using var connection = new SqlMlConnection("Data Source=" + db);
        connection.Open();
        var result = new Dictionary<string, object?>
        {
            ["rows"] = rows,
            ["iterations"] = iterations,
            ["repeat"] = repeat,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["processors"] = Environment.ProcessorCount,
            ["duckdb_version"] = Scalar(connection, "SELECT version()"),
            ["duckdb_threads"] = Scalar(connection, "SELECT current_setting('threads')"),
        };
        string template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "kmeans_data.sql"));
        var runs = new Dictionary<string, object?>();
        foreach (int k in ks)
        {
            Console.Error.WriteLine($"k = {k}: building {rows:N0} rows");
            Execute(connection, template.Replace("{N}", rows.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                                        .Replace("{K}", k.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            string model = $"kmeans_bench_{k}";
            string create = $"""
                CREATE OR REPLACE MODEL {model}
                OPTIONS(model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init',
                        standardize_features = false, early_stop = false, max_iterations = {iterations})
                AS SELECT * FROM kmeans_bench
                """;
            double lloyd = 0;
            double best = Best(repeat, () => Execute(connection, create), $"k = {k}: CREATE MODEL", () =>
                lloyd = Convert.ToDouble(Scalar(connection, $"SELECT CAST(sum(duration_ms) AS DOUBLE) FROM ML.TRAINING_INFO(MODEL {model})"), CultureInfo.InvariantCulture) / 1000);
            var run = new Dictionary<string, object?>
            {
                ["create_model_s"] = best,
                ["lloyd_iterations_s"] = lloyd,
                ["n_iter"] = Scalar(connection, $"SELECT count(*) FROM ML.TRAINING_INFO(MODEL {model})"),
                ["inertia"] = Convert.ToDouble(Scalar(connection, $"SELECT mean_squared_distance FROM ML.EVALUATE(MODEL {model})"), CultureInfo.InvariantCulture) * rows,
            };
            if (predict)
                run["predict_s"] = Best(repeat, () => Scalar(connection, $"SELECT CAST(sum(centroid_id + len(nearest_centroids_distance)) AS DOUBLE) FROM ML.PREDICT(MODEL {model}, TABLE kmeans_bench)"), $"k = {k}: ML.PREDICT");
            runs[k.ToString(CultureInfo.InvariantCulture)] = run;
        }
        result["runs"] = runs;
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>Best wall time of <paramref name="repeat"/> runs after one warm-up; <paramref name="onBest"/> runs after each new best.</summary>
    private static double Best(int repeat, Action action, string what, Action? onBest = null)
    {
        action();
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            double elapsed = clock.Elapsed.TotalSeconds;
            if (elapsed < best)
            {
                best = elapsed;
                onBest?.Invoke();
            }
        }
        Console.Error.WriteLine($"{what}: best {best:F3} s");
        return Math.Round(best, 4);
    }

    private static void Execute(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
