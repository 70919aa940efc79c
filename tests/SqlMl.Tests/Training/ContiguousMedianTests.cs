using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>ContiguousMedian (KMEANS' ML.FEATURE_INFO medians from the raw columns, NaN = NULL) against a plain sort.</summary>
public class ContiguousMedianTests
{
    /// <summary>The plain reference: drop the NULLs (NaN), sort, then the middle value or DuckDB's mean of the two.</summary>
    private static double? SortedMedian(double[] values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        int n = sorted.Length;
        if (n == 0) return null;
        if (n % 2 == 1) return sorted[n / 2];
        double lo = sorted[n / 2 - 1], hi = sorted[n / 2];
        return lo.Equals(hi) ? hi : lo + (hi - lo) / 2;
    }

    private static double? Median(double[] values) =>
        ContiguousMedian.Summarize(values, values.LongCount(v => !double.IsNaN(v))).Median;

    private static void AssertMatchesSort(double[] values)
    {
        var copy = values.ToArray();
        Assert.Equal(SortedMedian(values), Median(values));
        Assert.Equal(copy, values); // the column is not reordered
        var numbers = values.Where(v => !double.IsNaN(v)).ToArray();
        var (min, max, median) = ContiguousMedian.Summarize(values, numbers.Length);
        Assert.Equal(numbers.Length == 0 ? null : numbers.Min(), min);
        Assert.Equal(numbers.Length == 0 ? null : numbers.Max(), max);
        Assert.Equal(SortedMedian(values), median);
    }

    [Theory]
    [InlineData(40_001, 0.0)]
    [InlineData(40_000, 0.0)]
    [InlineData(40_000, 0.1)]
    [InlineData(33_333, 0.5)]
    public void Random_columns_with_nulls_match_a_sort(int rows, double nullRate)
    {
        var random = new Random(rows);
        var values = new double[rows];
        for (int i = 0; i < rows; i++)
            values[i] = random.NextDouble() < nullRate ? double.NaN : KMeansTestData.Gaussian(random) * 10 + 3;
        AssertMatchesSort(values);
    }

    [Fact]
    public void Duplicates_negative_zero_and_periodic_columns_match_a_sort()
    {
        int rows = 50_000;
        // Few distinct values: the middle ranks fall inside one run of equal values.
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => (double)(i * 7 % 10)).ToArray());
        // Even count whose middle pair is (−0, +0) or (0, 1); NULLs in between.
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? double.NaN : i % 2 == 0 ? -0.0 : i < rows / 2 ? 0.0 : 1.0).ToArray());
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => i < rows / 2 ? -1.0 : i % 3 == 0 ? -0.0 : 0.0).ToArray());
        // Periodic data (the benchmark repeats every 100 rows) and sorted or reverse-sorted columns.
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => (double)(i % 100) + i * 1e-9).ToArray());
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => (double)i).ToArray());
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => (double)(rows - i)).ToArray());
        // Outliers far from the rest.
        AssertMatchesSort(Enumerable.Range(0, rows).Select(i => i % 1000 == 0 ? 1e300 : i % 997 == 0 ? -1e300 : i * 0.5).ToArray());
    }

    [Fact]
    public void Small_and_empty_columns()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(1, 300);
            AssertMatchesSort(Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? double.NaN : random.Next(6) - 2.5).ToArray());
        }
        Assert.Null(Median([double.NaN, double.NaN]));
        Assert.Equal((null, null, null), ContiguousMedian.Summarize([double.NaN], 0));
        Assert.Null(Median([]));
        Assert.Equal(4.0, Median([double.NaN, 4.0]));
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(101)]
    public void Negative_zero_is_the_minimum_of_a_column_of_zeros(int rows)
    {
        // +0 first, −0 later, NULLs in between: the minimum is −0 and the maximum +0 (IEEE minimum and maximum).
        var values = Enumerable.Range(0, rows).Select(i => i % 7 == 3 ? double.NaN : i == rows - 2 ? -0.0 : 0.0).ToArray();
        var (min, max, median) = ContiguousMedian.Summarize(values, values.Count(v => !double.IsNaN(v)));
        Assert.True(double.IsNegative(min!.Value));
        Assert.False(double.IsNegative(max!.Value));
        Assert.Equal(0.0, median);
    }
}
