using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SqlMl.Training;

/// <summary>
/// ML.FEATURE_INFO's statistics of a k-means training's rows, computed from the columns already in memory
/// (<see cref="KMeansRawData"/>, before encoding) instead of accumulated batch by batch: the same values a
/// <see cref="FeatureStatistics"/> over the same rows gives (mean and standard deviation up to rounding: one
/// two-pass sum per column instead of per-batch sums merged). Medians are exact, by <see cref="ContiguousMedian"/>
/// on the column itself (no copy), as <see cref="FeatureStatistics"/> computes them up to its exact-median cap;
/// past that cap the rows go through a <see cref="FeatureStatistics"/> in batches, so the sampled medians are
/// those of the streaming path too. Columns run in parallel.
/// </summary>
internal static class RawFeatureSummary
{
    private const int BatchRows = 2048;

    public static FeatureSummary Of(KMeansRawData raw) =>
        Of(raw, FeatureStatistics.Bounded(FeatureStatistics.DefaultMedianCap, raw.Numeric.Length));

    /// <summary>Whether <paramref name="rows"/> rows of <paramref name="numericColumns"/> numeric columns get exact medians
    /// column by column (<see cref="Numeric"/>, <see cref="Categorical"/>), as <see cref="Of(KMeansRawData)"/> does.</summary>
    public static bool IsExact(int rows, int numericColumns) =>
        rows <= FeatureStatistics.Bounded(FeatureStatistics.DefaultMedianCap, numericColumns);

    /// <summary>With the exact-median cap <paramref name="medianCap"/> (the default one's, as <see cref="FeatureStatistics"/>
    /// uses, in production; tests pass a small one to reach the streamed path).</summary>
    internal static FeatureSummary Of(KMeansRawData raw, int medianCap)
    {
        int p = raw.Numeric.Length, m = raw.Codes.Length, n = raw.Rows;
        if (n > medianCap) return Streamed(raw);
        // Read with the moments (KMeansRawData.Read with summarize): the same statistics, computed while each column was cached.
        if (raw.Summary is { } read) return read;
        var numeric = new NumericSummary[p];
        var categorical = new CategoricalSummary[m];
        Parallel.For(0, p + m, CoreParallelism.Options(), i =>
        {
            if (i < p) numeric[i] = Numeric(raw, i);
            else categorical[i - p] = Categorical(raw.Codes[i - p].AsSpan(0, n));
        });
        return new FeatureSummary(n, numeric, categorical, MedianExact: true);
    }

    /// <summary>The statistics of numeric column <paramref name="j"/>, whose moments <paramref name="raw"/> already holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static NumericSummary Numeric(KMeansRawData raw, int j)
    {
        int n = raw.Rows;
        long count = raw.NonNull[j];
        if (count == 0) return new NumericSummary(null, null, null, null, null, n, true);
        var (min, max, median) = ContiguousMedian.Summarize(raw.Numeric[j].AsSpan(0, n), count);
        double mean = raw.Mean[j], stddev = raw.StdDev[j];
        bool finite = double.IsFinite(mean) && double.IsFinite(stddev);
        return new NumericSummary(min, max, mean, median, count > 1 ? stddev : null, n - count, finite);
    }

    /// <summary>The statistics of one categorical column's codes (−1 is NULL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static CategoricalSummary Categorical(ReadOnlySpan<int> codes)
    {
        int max = codes.IsEmpty ? -1 : TensorPrimitives.Max(codes);
        var seen = new ulong[max < 0 ? 0 : (max >> 6) + 1];
        long nulls = 0;
        foreach (int code in codes)
        {
            if (code < 0) nulls++;
            else seen[code >> 6] |= 1UL << (code & 63);
        }
        long distinct = 0;
        foreach (ulong word in seen) distinct += BitOperations.PopCount(word);
        return new CategoricalSummary(distinct, nulls);
    }

    /// <summary>Past the exact-median cap: the rows through a <see cref="FeatureStatistics"/>, batch by batch.</summary>
    private static FeatureSummary Streamed(KMeansRawData raw)
    {
        int p = raw.Numeric.Length, m = raw.Codes.Length, n = raw.Rows;
        var statistics = new FeatureStatistics(p, m);
        var batch = new ColumnBatch(p, m, BatchRows);
        var masks = new ulong[p][];
        for (int j = 0; j < p; j++) masks[j] = new ulong[BatchRows / 64];
        for (int start = 0; start < n; start += BatchRows)
        {
            int rows = Math.Min(BatchRows, n - start);
            batch.Count = rows;
            for (int j = 0; j < p; j++)
            {
                var values = raw.Numeric[j].AsSpan(start, rows);
                values.CopyTo(batch.Numeric[j]);
                batch.NumericValidity[j] = null;
                if (!HasNaN(values)) continue;
                var mask = masks[j];
                Array.Clear(mask);
                for (int r = 0; r < rows; r++)
                    if (!double.IsNaN(values[r])) mask[r >> 6] |= 1UL << (r & 63);
                batch.NumericValidity[j] = mask;
            }
            for (int k = 0; k < m; k++) raw.Codes[k].AsSpan(start, rows).CopyTo(batch.Categorical[k]);
            statistics.Add(batch);
        }
        return statistics.Summarize();
    }

    /// <summary>Whether some value is NaN (NULL): the values are otherwise finite, so the sum shows it (an overflow at
    /// worst adds a mask with every row valid).</summary>
    private static bool HasNaN(ReadOnlySpan<double> values) => double.IsNaN(TensorPrimitives.Sum(values));
}
