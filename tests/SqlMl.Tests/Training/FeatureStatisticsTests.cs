using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// FeatureStatistics (ML.FEATURE_INFO from the training pass) against plain computations on random data with NULLs,
/// and its merge and median-sampling rules: merged parts equal one pass, and the above-cap sample does not depend on
/// row order or batch boundaries.
/// </summary>
public class FeatureStatisticsTests
{
    /// <summary>Random rows: numeric values (null = NULL; some columns integer-valued with duplicates) and category
    /// codes (-1 = NULL).</summary>
    private static (double?[][] Numeric, int[][] Codes) RandomRows(Random random, int rows, int numeric, int categorical)
    {
        var x = new double?[rows][];
        var codes = new int[rows][];
        for (int r = 0; r < rows; r++)
        {
            x[r] = new double?[numeric];
            for (int j = 0; j < numeric; j++)
                x[r][j] = random.Next(10) == 0 ? null : j % 2 == 0 ? random.NextDouble() * 200 - 50 : random.Next(7);
            codes[r] = new int[categorical];
            for (int k = 0; k < categorical; k++) codes[r][k] = random.Next(8) == 0 ? -1 : random.Next(5 + 20 * k);
        }
        return (x, codes);
    }

    /// <summary>Feeds rows in batches of the given sizes (cycled), through one reused batch as the reader does.</summary>
    private static FeatureStatistics Accumulate(double?[][] x, int[][] codes, int numeric, int categorical, int[] batchSizes, int cap = FeatureStatistics.DefaultMedianCap, int? sample = null) =>
        Accumulate(x, codes, new FeatureStatistics(numeric, categorical, cap, sample), batchSizes);

    private static FeatureStatistics Accumulate(double?[][] x, int[][] codes, FeatureStatistics stats, int[] batchSizes)
    {
        int numeric = x.Length == 0 ? 0 : x[0].Length, categorical = codes.Length == 0 ? 0 : codes[0].Length;
        int capacity = batchSizes.Max();
        var batch = new ColumnBatch(numeric, categorical, capacity);
        var masks = Enumerable.Range(0, numeric).Select(_ => new ulong[(capacity + 63) / 64]).ToArray();
        int start = 0, b = 0;
        while (start < x.Length)
        {
            int n = Math.Min(batchSizes[b++ % batchSizes.Length], x.Length - start);
            batch.Count = n;
            for (int j = 0; j < numeric; j++)
            {
                Array.Clear(masks[j]);
                bool anyNull = false;
                for (int r = 0; r < n; r++)
                {
                    var v = x[start + r][j];
                    batch.Numeric[j][r] = v ?? 12345.678; // garbage under NULL, as DuckDB leaves it
                    if (v is null) anyNull = true;
                    else masks[j][r >> 6] |= 1UL << (r & 63);
                }
                batch.NumericValidity[j] = anyNull ? masks[j] : null;
            }
            for (int k = 0; k < categorical; k++)
                for (int r = 0; r < n; r++) batch.Categorical[k][r] = codes[start + r][k];
            stats.Add(batch);
            start += n;
        }
        return stats;
    }

    private static double? PlainMedian(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        if (n == 0) return null;
        return n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + (sorted[n / 2] - sorted[n / 2 - 1]) / 2;
    }

    private static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e) Assert.True(Math.Abs(e - actual!.Value) <= 1e-11 * Math.Max(1, Math.Abs(e)), $"expected {e}, got {actual}");
    }

    [Fact]
    public void Statistics_match_a_plain_computation_on_random_data_with_nulls()
    {
        var random = new Random(611);
        for (int trial = 0; trial < 30; trial++)
        {
            int rows = random.Next(0, 3000), numeric = random.Next(0, 5), categorical = random.Next(0, 3);
            var (x, codes) = RandomRows(random, rows, numeric, categorical);
            var summary = Accumulate(x, codes, numeric, categorical, [random.Next(1, 700), random.Next(1, 2048)]).Summarize();
            Assert.Equal(rows, summary.Rows);
            Assert.True(summary.MedianExact);
            for (int j = 0; j < numeric; j++)
            {
                var v = x.Select(r => r[j]).OfType<double>().ToArray();
                var s = summary.Numeric[j];
                Assert.Equal(rows - v.Length, s.NullCount);
                Assert.True(s.Finite);
                Assert.Equal(v.Length == 0 ? null : v.Min(), s.Min);
                Assert.Equal(v.Length == 0 ? null : v.Max(), s.Max);
                double? mean = v.Length == 0 ? null : v.Sum() / v.Length;
                AssertClose(mean, s.Mean);
                AssertClose(v.Length < 2 ? null : Math.Sqrt(v.Sum(a => (a - mean!.Value) * (a - mean.Value)) / (v.Length - 1)), s.StdDev);
                Assert.Equal(PlainMedian(v), s.Median);
            }
            for (int k = 0; k < categorical; k++)
            {
                Assert.Equal(codes.Count(r => r[k] < 0), summary.Categorical[k].NullCount);
                Assert.Equal(codes.Select(r => r[k]).Where(c => c >= 0).Distinct().Count(), summary.Categorical[k].CategoryCount);
            }
        }
    }

    [Fact]
    public void Merging_random_splits_gives_one_pass_over_all_rows()
    {
        var random = new Random(612);
        foreach (var (cap, sample) in new[] { (FeatureStatistics.DefaultMedianCap, FeatureStatistics.DefaultSampleSize), (300, 300), (40, 40), (1000, 64) })
        {
            for (int trial = 0; trial < 10; trial++)
            {
                var (x, codes) = RandomRows(random, 2500, 3, 2);
                var whole = Accumulate(x, codes, 3, 2, [1024], cap, sample).Summarize();
                int parts = random.Next(2, 6);
                var cuts = Enumerable.Range(0, parts - 1).Select(_ => random.Next(0, x.Length)).Order().Prepend(0).Append(x.Length).ToArray();
                FeatureStatistics? merged = null;
                for (int p = 0; p < parts; p++)
                {
                    var part = Accumulate(x[cuts[p]..cuts[p + 1]], codes[cuts[p]..cuts[p + 1]], 3, 2, [random.Next(1, 900)], cap, sample);
                    if (merged is null) merged = part;
                    else merged.Merge(part);
                }
                var m = merged!.Summarize();
                Assert.Equal(whole.Rows, m.Rows);
                Assert.Equal(whole.MedianExact, m.MedianExact);
                for (int j = 0; j < 3; j++)
                {
                    Assert.Equal(whole.Numeric[j].Median, m.Numeric[j].Median);
                    Assert.Equal(whole.Numeric[j].Min, m.Numeric[j].Min);
                    Assert.Equal(whole.Numeric[j].Max, m.Numeric[j].Max);
                    Assert.Equal(whole.Numeric[j].NullCount, m.Numeric[j].NullCount);
                    AssertClose(whole.Numeric[j].Mean, m.Numeric[j].Mean);
                    AssertClose(whole.Numeric[j].StdDev, m.Numeric[j].StdDev);
                }
                Assert.Equal(whole.Categorical, m.Categorical);
            }
        }
    }

    [Fact]
    public void Above_the_cap_the_median_sample_is_deterministic_and_independent_of_row_order()
    {
        var random = new Random(613);
        var (x, codes) = RandomRows(random, 20000, 4, 0);
        // Exact up to 4000 rows, then a sample of at most 500 distinct rows.
        const int cap = 4000, sample = 500;
        var first = Accumulate(x, codes, 4, 0, [2048], cap, sample).Summarize();
        var again = Accumulate(x, codes, 4, 0, [2048], cap, sample).Summarize();
        var order = Enumerable.Range(0, x.Length).OrderBy(_ => random.Next()).ToArray();
        var shuffled = Accumulate(order.Select(i => x[i]).ToArray(), order.Select(i => codes[i]).ToArray(), 4, 0, [137, 2048, 5], cap, sample).Summarize();
        Assert.False(first.MedianExact);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(first.Numeric[j].Median, again.Numeric[j].Median);
            Assert.Equal(first.Numeric[j].Median, shuffled.Numeric[j].Median);
        }
        // The sample median is close in rank to the true median: continuous columns between the 45th and 55th
        // percentiles (a 500-row sample's median is that close with overwhelming probability).
        for (int j = 0; j < 4; j += 2)
        {
            var v = x.Select(r => r[j]).OfType<double>().Order().ToArray();
            double median = first.Numeric[j].Median!.Value;
            double rank = (double)v.Count(a => a < median) / v.Length;
            Assert.InRange(rank, 0.45, 0.55);
        }
    }

    [Theory]
    [InlineData(30_000)]
    [InlineData(3_000)]
    public void Parts_sharing_a_median_budget_merge_to_one_pass_below_and_above_the_cap(int rows)
    {
        // Three "threads" read interleaved parts; with a shared budget of 4000 exact rows a part switches to sampling
        // as soon as all of them together pass it, which must not change the merged medians (exact or sampled).
        var random = new Random(615);
        var (x, codes) = RandomRows(random, rows, 4, 0);
        const int cap = 4000;
        var whole = Accumulate(x, codes, 4, 0, [2048], cap, cap).Summarize();
        var budget = new MedianBudget(cap);
        var parts = Enumerable.Range(0, 3).Select(_ => new FeatureStatistics(4, 0, budget)).ToArray();
        for (int start = 0, b = 0; start < rows; start += 512, b++)
        {
            int n = Math.Min(512, rows - start);
            Accumulate(x[start..(start + n)], codes[start..(start + n)], parts[b % 3], [n]);
        }
        parts[0].Merge(parts[1]);
        parts[0].Merge(parts[2]);
        var merged = parts[0].Summarize();
        Assert.Equal(rows <= cap, whole.MedianExact);
        Assert.Equal(whole.MedianExact, merged.MedianExact);
        for (int j = 0; j < 4; j++) Assert.Equal(whole.Numeric[j].Median, merged.Numeric[j].Median);
    }

    [Fact]
    public void The_sampling_level_is_the_smallest_keeping_at_most_the_cap_of_distinct_hashes()
    {
        // Hashes with many duplicates and varied leading zeros, against the definition checked level by level.
        var random = new Random(616);
        foreach (int distinctValues in new[] { 50, 900, 5000 })
        {
            var pool = Enumerable.Range(0, distinctValues).Select(_ => (ulong)random.NextInt64() << 1 >> random.Next(12)).ToArray();
            var hashes = Enumerable.Range(0, 20_000).Select(_ => pool[random.Next(pool.Length)]).ToArray();
            foreach (int cap in new[] { 1, 40, 600, 1000, 6000 })
            {
                int expected = Enumerable.Range(0, 65).First(level =>
                    hashes.Where(h => System.Numerics.BitOperations.LeadingZeroCount(h) >= level).Distinct().Count() <= cap);
                Assert.Equal(expected, MedianSample.SampleLevel(hashes, cap));
            }
        }
    }

    [Fact]
    public void Weighted_median_by_selection_matches_the_median_of_the_expanded_sorted_values()
    {
        var random = new Random(617);
        foreach (int n in new[] { 1, 2, 15, 17, 100, 5000 })
        {
            foreach (int distinct in new[] { 3, 1000 })
            {
                var values = Enumerable.Range(0, n).Select(_ => (double)random.Next(distinct) - distinct / 2).ToArray();
                var counts = Enumerable.Range(0, n).Select(_ => (long)random.Next(1, 4)).ToArray();
                foreach (long nan in new long[] { 0, 1, 2 * n })
                {
                    // NaNs sort above every number, as in DuckDB.
                    var expanded = values.Zip(counts).SelectMany(p => Enumerable.Repeat(p.First, (int)p.Second)).Order()
                        .Concat(Enumerable.Repeat(double.NaN, (int)nan)).ToArray();
                    int t = expanded.Length, h = t / 2;
                    double? expected = t % 2 == 1 ? expanded[h]
                        : double.IsNaN(expanded[h]) && double.IsNaN(expanded[h - 1]) ? double.NaN
                        : expanded[h - 1] == expanded[h] ? expanded[h] : expanded[h - 1] + (expanded[h] - expanded[h - 1]) / 2;
                    Assert.Equal(expected, WeightedMedian.Of(values.ToArray(), counts.ToArray(), nan));
                }
            }
        }
        Assert.Null(WeightedMedian.Of([], [], 0));
    }

    [Fact]
    public void Exact_medians_over_several_storage_blocks_match_a_sort_whole_and_merged()
    {
        var random = new Random(614);
        var (x, codes) = RandomRows(random, 150_000, 2, 0);
        var whole = Accumulate(x, codes, 2, 0, [2048]);
        var merged = Accumulate(x[..70_001], codes[..70_001], 2, 0, [999]);
        merged.Merge(Accumulate(x[70_001..], codes[70_001..], 2, 0, [2048]));
        foreach (var summary in new[] { whole.Summarize(), merged.Summarize() })
        {
            Assert.True(summary.MedianExact);
            for (int j = 0; j < 2; j++)
                Assert.Equal(PlainMedian(x.Select(r => r[j]).OfType<double>()), summary.Numeric[j].Median);
        }
    }

    [Theory]
    [InlineData(16, FeatureStatistics.DefaultMedianCap, FeatureStatistics.DefaultSampleSize)]
    [InlineData(1, FeatureStatistics.DefaultMedianCap, FeatureStatistics.DefaultSampleSize)]
    [InlineData(32, 1 << 19, FeatureStatistics.DefaultSampleSize)]
    [InlineData(1000, 16777, 16777)]
    [InlineData(100_000, 1024, 1024)]
    public void Wide_inputs_bound_the_median_rows_by_values(int columns, int exactRows, int sampleRows)
    {
        Assert.Equal(exactRows, FeatureStatistics.Bounded(FeatureStatistics.DefaultMedianCap, columns));
        Assert.Equal(sampleRows, FeatureStatistics.Bounded(FeatureStatistics.DefaultSampleSize, columns));
    }

    [Fact]
    public void Low_cardinality_columns_keep_exact_medians_past_the_cap()
    {
        // 3000 rows of a 0/1 column (60% zeros, then 40% ones): only two distinct rows, so the sample keeps both with
        // their counts and the median is exact however far past the cap.
        var x = Enumerable.Range(0, 3000).Select(i => new double?[] { i < 1800 ? 0 : 1, i % 3 }).ToArray();
        var codes = x.Select(_ => Array.Empty<int>()).ToArray();
        var summary = Accumulate(x, codes, 2, 0, [256], cap: 100).Summarize();
        Assert.True(summary.MedianExact);
        Assert.Equal(0, summary.Numeric[0].Median);
        Assert.Equal(1, summary.Numeric[1].Median);
        // An even total whose middle pair straddles two values averages them, as DuckDB's median() does.
        var even = Enumerable.Range(0, 3000).Select(i => new double?[] { i < 1500 ? 2 : 5 }).ToArray();
        Assert.Equal(3.5, Accumulate(even, even.Select(_ => Array.Empty<int>()).ToArray(), 1, 0, [256], cap: 100).Summarize().Numeric[0].Median);
    }

    [Fact]
    public void Non_finite_values_mark_the_column_so_callers_fall_back_to_sql()
    {
        var x = new[] { new double?[] { 1, 2 }, [double.PositiveInfinity, 3], [2, null] };
        var summary = Accumulate(x, x.Select(_ => Array.Empty<int>()).ToArray(), 2, 0, [2]).Summarize();
        Assert.False(summary.Numeric[0].Finite);
        Assert.True(summary.Numeric[1].Finite);
        Assert.Equal(1, summary.Numeric[1].NullCount);
        Assert.Equal(2.5, summary.Numeric[1].Mean);
    }

    [Fact]
    public void All_null_and_single_value_columns_have_null_statistics_like_sql()
    {
        var x = new[] { new double?[] { null, 4 }, [null, null] };
        var s = Accumulate(x, x.Select(_ => Array.Empty<int>()).ToArray(), 2, 0, [8]).Summarize();
        Assert.Equal(new NumericSummary(null, null, null, null, null, 2, true), s.Numeric[0]);
        Assert.Equal(new NumericSummary(4, 4, 4, 4, null, 1, true), s.Numeric[1]);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(37)]
    [InlineData(7)]
    public void Columns_without_nulls_match_a_plain_computation_through_the_vector_paths(int batchSize)
    {
        // No NULLs, so every batch takes the dense (vectorized) moments; an offset column checks the centring.
        var random = new Random(batchSize);
        var x = Enumerable.Range(0, 5000).Select(_ => new double?[] { random.NextDouble() * 10 - 5, 1e6 + random.NextDouble(), random.Next(3) - 1 }).ToArray();
        var s = Accumulate(x, x.Select(_ => Array.Empty<int>()).ToArray(), 3, 0, [batchSize]).Summarize();
        for (int j = 0; j < 3; j++)
        {
            var v = x.Select(r => r[j]!.Value).ToArray();
            double mean = v.Average();
            Assert.Equal(v.Min(), s.Numeric[j].Min);
            Assert.Equal(v.Max(), s.Numeric[j].Max);
            AssertClose(mean, s.Numeric[j].Mean);
            AssertClose(Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / (v.Length - 1)), s.Numeric[j].StdDev);
            Assert.Equal(PlainMedian(v), s.Numeric[j].Median);
        }
    }

    [Theory]
    [InlineData(-0.0, 0.0, 1.0, -0.0, 1.0)]
    [InlineData(0.0, -0.0, -1.0, -1.0, 0.0)]
    [InlineData(0.0, 0.0, 3.0, 0.0, 3.0)]
    [InlineData(-0.0, -0.0, -2.0, -2.0, -0.0)]
    public void Signed_zeros_give_the_minimum_and_maximum_of_math_min_and_max(double a, double b, double c, double min, double max)
    {
        // Long enough for the vector paths; the zeros land in different lanes.
        var values = Enumerable.Range(0, 100).Select(i => i % 7 == 3 ? a : i % 7 == 5 ? b : c).ToArray();
        var x = values.Select(v => new double?[] { v }).ToArray();
        var s = Accumulate(x, x.Select(_ => Array.Empty<int>()).ToArray(), 1, 0, [64]).Summarize();
        Assert.Equal(BitConverter.DoubleToInt64Bits(values.Aggregate(Math.Min)), BitConverter.DoubleToInt64Bits(s.Numeric[0].Min!.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(values.Aggregate(Math.Max)), BitConverter.DoubleToInt64Bits(s.Numeric[0].Max!.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(min), BitConverter.DoubleToInt64Bits(s.Numeric[0].Min!.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(max), BitConverter.DoubleToInt64Bits(s.Numeric[0].Max!.Value));
    }
}
