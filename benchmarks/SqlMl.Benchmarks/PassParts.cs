using System.Globalization;
using System.Runtime.InteropServices;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--pass-parts [--rows N]</c>: the per-chunk work of LINEAR_REG's parallel pass (ParallelLinearPass.Worker) part by
/// part, on one thread without DuckDB, in thread CPU time (steady on a shared machine): 16 DOUBLE features + label of
/// distinct synthetic rows in 2,048-row batches; the copy out of the chunk, the split's row hash, the moments with the
/// AUTO_SPLIT router, and ML.FEATURE_INFO's statistics (moments, min/max, NULLs; the median sample) with the exact-median
/// budget of two threads, then their summary.
/// </summary>
internal static unsafe class PassParts
{
    private const int Features = 16;
    private const int Capacity = 2048;

    public static int Run(string[] args)
    {
        long rows = 10_000_000;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--rows") rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
        for (int round = 0; round < 3; round++) Once(rows);
        return 0;
    }

    private static void Once(long rows)
    {
        var random = new Random(7);
        var source = new double[Features + 1][];
        for (int j = 0; j <= Features; j++)
        {
            source[j] = new double[Capacity];
            for (int r = 0; r < Capacity; r++) source[j][r] = random.NextDouble() * (j + 1) - 0.5;
        }
        var batch = new ColumnBatch(Features, 0, Capacity);
        var hash = new ulong[Capacity];
        var hasher = new RowHasher([], hasLabel: true);
        var options = GlmOptions.Bind(BoundOptions.Bind([], GlmOptions.LinearReg, GlmOptions.LinearSpecs, []), GlmOptions.LinearReg);
        var acc = new MomentAccumulator(Features, 0, Capacity);
        var router = new SplitRouter(options.Split, acc.DenseWidth, acc.MaxSparsePerRow);
        var budget = FeatureStatistics.SharedBudget(Features);
        var statistics = new FeatureStatistics(Features, 0, budget);
        var other = new FeatureStatistics(Features, 0, budget);
        var medianBudget = FeatureStatistics.SharedBudget(Features);
        int sampleCap = Math.Min(medianBudget.Cap, FeatureStatistics.Bounded(FeatureStatistics.DefaultSampleSize, Features));
        var medians = new MedianSample(Features, medianBudget.Cap, sampleCap, medianBudget);
        var otherMedians = new MedianSample(Features, medianBudget.Cap, sampleCap, medianBudget);
        var noMasks = new ulong[]?[Features];
        double medianOnly = 0;
        var schema = new TrainingSchema(Enumerable.Range(1, Features).Select(j => "x" + j).ToList(), [], "y");
        double copy = 0, hashing = 0, moments = 0, stats = 0;
        for (long start = 0, b = 0; start < rows; start += Capacity, b++)
        {
            int n = (int)Math.Min(Capacity, rows - start);
            double shift = b * 1.0001;
            for (int r = 0; r < n; r++) source[0][r] += shift;
            double t = Cpu();
            batch.Count = n;
            for (int j = 0; j < Features; j++) source[j].AsSpan(0, n).CopyTo(batch.Numeric[j]);
            source[Features].AsSpan(0, n).CopyTo(batch.Label);
            double t1 = Cpu();
            // Every other batch goes to the second thread's accumulators, as two DuckDB threads share the rows.
            (b % 2 == 0 ? medians : otherMedians).Add(batch, noMasks);
            double t1b = Cpu();
            medianOnly += t1b - t1;
            (b % 2 == 0 ? statistics : other).Add(batch);
            double t2 = Cpu();
            stats += t2 - t1b;
            hasher.Hash(batch, hash);
            batch.Hash = hash;
            double t3 = Cpu();
            LinearRegressionTrainer.AddBatch(acc, router, batch, schema, "m");
            double t4 = Cpu();
            copy += t1 - t;
            hashing += t3 - t2;
            moments += t4 - t3;
            for (int r = 0; r < n; r++) source[0][r] -= shift;
        }
        double s0 = Cpu();
        statistics.Merge(other);
        var summary = statistics.Summarize();
        double summarize = Cpu() - s0;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pass-parts] {rows:N0} rows: copy {copy:F3}  statistics.Add {stats:F3} (median sample alone {medianOnly:F3})  row hash {hashing:F3}  moments+split {moments:F3}  merge+summary {summarize:F3}  (thread CPU s; median x1 {summary.Numeric[0].Median})"));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* time);

    /// <summary>This thread's CPU time in seconds (CLOCK_THREAD_CPUTIME_ID).</summary>
    private static double Cpu()
    {
        TimeSpec t;
        ClockGetTime(3, &t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }
}
