using SqlMl.Evaluation;

namespace SqlMl.Tests.Training;

/// <summary><see cref="DoubleRadixSort"/> on ranges against <see cref="Array.Sort{T}(T[], int, int)"/> (the whole-array case is in ClassificationMetricsTests).</summary>
public class DoubleRadixSortTests
{
    private static double[] Values(int n, int seed, bool negative, bool nan = false)
    {
        var rnd = new Random(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (i % 7) switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => double.PositiveInfinity,
                3 => Math.Round(rnd.NextDouble() * 4, 1), // many ties
                4 => rnd.NextDouble() * 1e-300,
                5 => rnd.NextDouble() * 1e300,
                _ => rnd.NextDouble() * 100,
            };
            if (negative && i % 11 == 0) values[i] = -values[i] - 1;
            if (nan && i % 13 == 0) values[i] = double.NaN;
        }
        return values;
    }

    [Theory]
    [InlineData(10, false, false)]
    [InlineData(50_000, false, false)]
    [InlineData(50_000, true, false)]
    [InlineData(50_000, true, true)]
    public void Sorts_a_range_like_a_comparison_sort(int n, bool negative, bool nan)
    {
        var values = Values(n, n, negative, nan);
        var expected = (double[])values.Clone();
        int start = n / 10, length = n - 2 * start;
        Array.Sort(expected, start, length);
        DoubleRadixSort.Sort(values, start, length);
        for (int i = 0; i < n; i++)
            Assert.True(expected[i] == values[i] || double.IsNaN(expected[i]) && double.IsNaN(values[i]), $"position {i}: expected {expected[i]:R}, got {values[i]:R}");
    }

    [Theory]
    [InlineData(3)]   // integers: the lowest 16-bit digit is the same for all, so three passes move values (odd)
    [InlineData(4)]
    public void Sorts_a_span_with_a_given_spare_buffer_whatever_the_number_of_passes(int passes)
    {
        var rnd = new Random(passes);
        var values = Enumerable.Range(0, 20_000).Select(_ => passes == 3 ? (double)rnd.Next(-5000, 5000) : rnd.NextDouble() - 0.5).ToArray();
        var expected = values.Order().ToArray();
        var spare = new ulong[values.Length + 3];
        DoubleRadixSort.Sort(values.AsSpan(), spare);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData(0)] // every value within one float step of 1: one run of equal float keys, sorted by the 64-bit passes
    [InlineData(1)] // runs of 2..40 values per float step (insertion and comparison sorts), mixed with spread-out values
    [InlineData(2)] // beyond float's range (±Infinity as float keys) and below it (denormals and zeros)
    [InlineData(3)] // six runs of about 5,000 values each within one float step: the 64-bit passes once per run
    public void Sorts_values_that_round_to_the_same_float(int kind)
    {
        var rnd = new Random(kind + 100);
        var values = new double[30_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = kind switch
            {
                0 => 1 + rnd.NextDouble() * 1e-9,
                1 => i % 3 == 0 ? rnd.NextDouble() * 50 : 1 + rnd.Next(1_000) * 1e-4 + rnd.Next(40) * 1e-15,
                3 => 1 + rnd.Next(6) * 1e-3 + rnd.NextDouble() * 1e-10,
                _ => (i % 4) switch
                {
                    0 => rnd.NextDouble() * 1e300 + 1e39,
                    1 => -rnd.NextDouble() * 1e300 - 1e39,
                    2 => rnd.NextDouble() * 1e-310 * (rnd.Next(2) * 2 - 1),
                    _ => rnd.Next(3) - 1.0,
                },
            };
        }
        var expected = values.Order().ToArray();
        DoubleRadixSort.Sort(values);
        Assert.Equal(expected, values);
    }
}
