using SqlMl.Models;

namespace SqlMl.Tests.Training;

/// <summary><see cref="NonNegativeSort"/> against <see cref="Array.Sort{T}(T[])"/>.</summary>
public class NonNegativeSortTests
{
    private static double[] Values(int n, int seed, bool negative)
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
        }
        return values;
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(50_000, false)]
    [InlineData(50_000, true)]
    public void Sorts_a_range_like_a_comparison_sort(int n, bool negative)
    {
        var values = Values(n, n, negative);
        var expected = (double[])values.Clone();
        int start = n / 10, length = n - 2 * start;
        Array.Sort(expected, start, length);
        NonNegativeSort.Sort(values, start, length);
        for (int i = 0; i < n; i++)
            Assert.True(expected[i] == values[i], $"position {i}: expected {expected[i]:R}, got {values[i]:R}");
    }
}
