using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SqlMl.Options;
using SqlMl.Training;
using SqlMl.Training.Logistic;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--logistic --data FILE [--l2 L] [--repeat R]</c>: LOGISTIC_REG's trainer in memory (no DuckDB) on the data set
/// written by benchmarks/logistic_reference.py: best of R fits (after one untimed warm-up) of
/// <see cref="LogisticRegressionTrainer.Train"/> with NO_SPLIT, l2_reg = L (0 for issue 3's unregularized setup),
/// early_stop = FALSE, max_iterations 1000, the row count announced as CREATE MODEL's class query reports it — copying
/// rows in, standardization, encoding, the optimizer and the stored metrics — and the optimizer alone (Σ duration_ms);
/// then a stage breakdown of one more fit (wall, process CPU and system time per stage); with <c>--end-to-end</c>,
/// also CREATE MODEL from DuckDB on the same data (<see cref="LogisticEndToEnd"/>). Prints one JSON line.
/// </summary>
internal static class LogisticCompare
{
    public static int Run(string[] args)
    {
        string? path = null;
        double l2 = 1;
        int repeat = 1;
        bool endToEnd = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--logistic": break;
                case "--data": path = args[++i]; break;
                case "--l2": l2 = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--end-to-end": endToEnd = true; break;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'"); return 2;
            }
        }
        if (path is null) { Console.Error.WriteLine("--data FILE is required"); return 2; }
        var data = Load(path);
        var options = new GlmOptions(GlmOptions.LogisticReg, "y", 0, l2, true, OptimizeStrategy.AutoStrategy, LearnRateStrategy.LineSearch,
            0.1, 0.1, 1000, false, 0.01, false, null, false, false, false, CategoryEncoding.OneHot, new DataSplitOptions(DataSplitMethod.NoSplit, null, null));
        // The row count as CREATE MODEL's class-discovery query reports it (the trainer sizes its columns from it).
        var labels = new LogisticLabels("y", "BIGINT", ["0", "1"]) { ExpectedRows = data.Rows };
        LogisticRegressionTrainer.Train(data, options, labels, "bench", null, 0, CancellationToken.None);
        double best = double.MaxValue, bestCpu = 0, gcPause = 0;
        int gcGen2 = 0;
        LogisticTrainingResult? bestResult = null;
        for (int r = 0; r < repeat; r++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sys0 = Process.GetCurrentProcess().PrivilegedProcessorTime;
            var pause0 = GC.GetTotalPauseDuration();
            int gen2 = GC.CollectionCount(2);
            var clock = Stopwatch.StartNew();
            var result = LogisticRegressionTrainer.Train(data, options, labels, "bench", null, 0, CancellationToken.None);
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            double sys = (Process.GetCurrentProcess().PrivilegedProcessorTime - sys0).TotalSeconds;
            Console.Error.WriteLine($"fit {r + 1}: {clock.Elapsed.TotalSeconds:F3} s wall, {cpu:F3} s CPU ({sys:F3} s system)");
            if (clock.Elapsed.TotalSeconds < best)
            {
                best = clock.Elapsed.TotalSeconds;
                bestCpu = cpu;
                bestResult = result;
                gcPause = (GC.GetTotalPauseDuration() - pause0).TotalSeconds;
                gcGen2 = GC.CollectionCount(2) - gen2;
            }
        }
        // Stage breakdown of one more fit (read into memory, layout, encode, optimizer, stored metrics): wall and process CPU.
        var stages = new Dictionary<string, object>();
        var stage = new StageClock();
        var raw = LogisticRawData.Read(data, options.Split, 2, "bench", CancellationToken.None, data.Rows);
        stage.Lap(stages, "read");
        var layout = LogisticLayout.Build(raw, data.Schema, data.Dictionaries, true, CategoryEncoding.OneHot, null, "bench");
        stage.Lap(stages, "layout");
        var design = DesignMatrix.Build(raw, layout, layout.CodeColumns(data.Dictionaries), [1, 1], eval: false);
        stage.Lap(stages, "encode");
        var objective = new LogisticObjective(design, 1, l2, true);
        var newton = new NewtonOptimizer(objective, new double[objective.Parameters]);
        int steps = 0;
        while (steps < 100 && !newton.Step().Converged) steps++;
        stage.Lap(stages, "optimizer");
        var probabilities = LogisticObjective.Probabilities(design, 1, 2, newton.Theta);
        stage.Lap(stages, "probabilities");
        SqlMl.Evaluation.ClassificationMetrics.Compute(design.Label.AsSpan(0, design.Rows), probabilities, 2);
        stage.Lap(stages, "metrics");
        var its = bestResult!.Report.Iterations;
        var w = bestResult.Model.Scores[0].Numeric.Select(f => f.Weight).ToArray();
        double loss = its[^1].Loss;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["side"] = "sqlml", ["l2"] = l2, ["rows"] = data.Rows, ["features"] = data.Schema.Numeric.Count, ["seconds"] = best, ["cpu_seconds"] = bestCpu, ["gc_pause_seconds"] = gcPause, ["gen2_collections"] = gcGen2,
            ["optimizer_seconds"] = its.Sum(i => i.DurationMs) / 1000.0,
            ["stages"] = stages, ["iterations"] = its.Count, ["stop"] = bestResult.Stop.ToString(),
            ["log_loss"] = loss, ["objective"] = loss * data.Rows + l2 * w.Sum(v => v * v),
            ["end_to_end"] = endToEnd ? LogisticEndToEnd.Run(data.Cols, data.Label, l2, repeat) : "not run (--end-to-end)",
            ["dotnet"] = RuntimeInformation.FrameworkDescription, ["processors"] = Environment.ProcessorCount,
        }));
        return 0;
    }

    /// <summary>Wall, process CPU and of that kernel (system) time between laps, written as "name": [wall, cpu, sys] seconds.</summary>
    private sealed class StageClock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private TimeSpan _sys = Process.GetCurrentProcess().PrivilegedProcessorTime;

        public void Lap(Dictionary<string, object> into, string name)
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var sys = process.PrivilegedProcessorTime;
            into[name] = new[] { Math.Round(_wall.Elapsed.TotalSeconds, 4), Math.Round((cpu - _cpu).TotalSeconds, 4), Math.Round((sys - _sys).TotalSeconds, 4) };
            _cpu = cpu;
            _sys = sys;
            _wall.Restart();
        }
    }

    private static Columns Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int n = (int)reader.ReadInt64(), p = (int)reader.ReadInt64();
        reader.ReadDouble(); // the design's condition number, written by the generator
        var cols = new double[p][];
        for (int j = 0; j < p; j++) cols[j] = ReadDoubles(reader, n);
        return new Columns(cols, ReadDoubles(reader, n));
    }

    private static double[] ReadDoubles(BinaryReader reader, int n)
    {
        var a = new double[n];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(a.AsSpan()));
        return a;
    }

    /// <summary>The data set as a batch stream (2,048 rows per batch, no NULLs).</summary>
    private sealed class Columns(double[][] cols, double[] label) : ITrainingData
    {
        public double[][] Cols => cols;

        public double[] Label => label;

        public int Rows => label.Length;

        public TrainingSchema Schema { get; } = new(cols.Select((_, j) => "x" + j).ToList(), [], "y");

        public IReadOnlyList<CategoryDictionary> Dictionaries => [];

        public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
        {
            const int size = 2048;
            var batch = new ColumnBatch(cols.Length, 0, size);
            for (int start = 0; start < Rows; start += size)
            {
                batch.Count = Math.Min(size, Rows - start);
                for (int j = 0; j < cols.Length; j++) cols[j].AsSpan(start, batch.Count).CopyTo(batch.Numeric[j]);
                label.AsSpan(start, batch.Count).CopyTo(batch.Label);
                yield return batch;
            }
        }
    }
}
