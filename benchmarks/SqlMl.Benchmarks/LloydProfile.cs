using System.Diagnostics;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--lloyd [--rows N] [--k K] [--repeat R]</c>: the KMEANS Lloyd iterations alone, in process, on the rows of
/// benchmarks/kmeans_data.sql built in memory (same formula, no DuckDB): 20 iterations from rows m·(N/K) as
/// CUSTOM starting points, then single passes at the final centroids (with every label already right, and from no
/// labels, every row moving into its cluster's sums) and the assign kernel alone on one thread. Prints process CPU
/// time (all threads) and wall time, best of R, and a fingerprint of every label, squared distance (the run keeps them:
/// fuseExact is off, so the last pass does not overwrite them with exact distances) and centroid and of
/// every iteration's loss and cluster_info bits, so two builds can be compared for bit-identical results. With
/// DOTNET_PROCESSOR_COUNT=1 the passes run on one worker.
/// </summary>
internal static class LloydProfile
{
    private static readonly long[] Primes =
        [1048583, 1048589, 1048601, 1048609, 1048613, 1048627, 1048633, 1048661, 1048681, 1048703, 1048709, 1048717, 1048721, 1048759, 1048783, 1048793];

    public static int Run(string[] args)
    {
        int rows = Arg(args, "--rows", 1_000_000), k = Arg(args, "--k", 8), repeat = Arg(args, "--repeat", 5);
        var data = Build(rows);
        var initial = new double[k * data.Dimension];
        for (int m = 0; m < k; m++) data.CopyRow(m * (rows / k), initial.AsSpan(m * data.Dimension, data.Dimension));
        var options = new KMeansOptions(k, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, false, 20, false, 0.01, false, 1, 0);

        KMeansRun? run = null;
        var (cpu, wall) = Best(repeat, () => run = KMeansLloyd.Run(data, initial, options, "bench", 0, CancellationToken.None, fuseExact: false));
        Console.WriteLine($"lloyd 21 passes  k={k}: cpu {cpu:F1} ms  wall {wall:F1} ms  ({cpu / 21:F2} / {wall / 21:F2} ms per pass)  fingerprint {Fingerprint(run!):X16}  loss {run!.Loss:R}");

        var packed = PackedCentroids.Pack(run.Centroids, k, data.Numeric.Length, data.OneHotWidth, data.Distance);
        var pass = new LloydPass(data, k);
        var labels = new int[data.PaddedRows];
        Array.Fill(labels, -1);
        var d2 = new double[data.PaddedRows];
        pass.Run(packed, labels, d2, CancellationToken.None);
        (cpu, wall) = Best(repeat * 4, () => pass.Run(packed, labels, d2, CancellationToken.None));
        Console.WriteLine($"steady pass      k={k}: cpu {cpu:F2} ms  wall {wall:F2} ms");

        (cpu, wall) = Best(repeat * 4, () =>
        {
            Array.Fill(labels, -1);
            pass.Run(packed, labels, d2, CancellationToken.None);
        });
        Console.WriteLine($"first pass       k={k}: cpu {cpu:F2} ms  wall {wall:F2} ms  (every row moves into its cluster's sums)");

        var block = new double[packed.Padded * KMeansData.Tile];
        (cpu, wall) = Best(repeat * 4, () => Kernel(data, packed, block));
        Console.WriteLine($"kernel 1 thread  k={k}: cpu {cpu:F2} ms  wall {wall:F2} ms");
        return 0;
    }

    private static unsafe void Kernel(KMeansData data, PackedCentroids packed, double[] block)
    {
        const int t = KMeansData.Tile;
        double* best = stackalloc double[t];
        long* index = stackalloc long[t];
        int p = data.Numeric.Length;
        double** cols = stackalloc double*[p];
        for (int j = 0; j < p; j++) cols[j] = (double*)data.NumericPointers[j];
        for (int r0 = 0; r0 < data.Rows; r0 += t) DistanceKernel.Assign(data, packed, cols, r0, block, best, index);
    }

    private static ulong Fingerprint(KMeansRun run)
    {
        ulong h = 1469598103934665603;
        void Mix(ulong v) => h = (h ^ v) * 1099511628211;
        foreach (int l in run.Labels) Mix((ulong)l);
        foreach (double v in run.Distance2) Mix((ulong)BitConverter.DoubleToInt64Bits(v));
        foreach (double v in run.Centroids) Mix((ulong)BitConverter.DoubleToInt64Bits(v));
        foreach (var it in run.Iterations)
        {
            Mix((ulong)BitConverter.DoubleToInt64Bits(it.Loss));
            foreach (var c in it.ClusterInfo!)
            {
                Mix((ulong)BitConverter.DoubleToInt64Bits(c.ClusterRadius));
                Mix((ulong)c.ClusterSize);
            }
        }
        return h;
    }

    /// <summary>CPU and wall milliseconds of the fastest run (<see cref="BestRun"/>).</summary>
    private static (double Cpu, double Wall) Best(int repeat, Action action)
    {
        var (wall, cpu) = BestRun.Of(repeat, action);
        return (cpu * 1000, wall * 1000);
    }

    /// <summary>The rows of benchmarks/kmeans_data.sql (same arithmetic), encoded without standardization.</summary>
    private static KMeansData Build(int rows)
    {
        var batch = new ColumnBatch(16, 0, rows) { Count = rows };
        Parallel.For(0, 16, j =>
        {
            long a = 131L * (j + 1) + 17, o = 7L * (j + 1);
            var col = batch.Numeric[j];
            for (long i = 0; i < rows; i++)
                col[i] = ((i % 100 * a + o) % 1000) / 100.0 + (i * Primes[j] % 1000003) / 1000003.0 * 4;
        });
        using var raw = KMeansRawData.Read(new OneBatch(batch), "bench", false, CancellationToken.None);
        var encoding = KMeansEncoding.FromData(raw, KMeansDistance.Euclidean, false);
        return KMeansData.Build(raw, encoding, KMeansDistance.Euclidean);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class OneBatch(ColumnBatch batch) : ITrainingData
    {
        public TrainingSchema Schema { get; } = new(Enumerable.Range(1, 16).Select(j => "x" + j).ToList(), [], null);

        public IReadOnlyList<CategoryDictionary> Dictionaries => [];

        public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
        {
            yield return batch;
        }
    }
}
