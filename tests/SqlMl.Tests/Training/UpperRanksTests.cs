using SqlMl.Evaluation;

namespace SqlMl.Tests.Training;

/// <summary><see cref="UpperRanks"/> against a full sort of the same values.</summary>
public class UpperRanksTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "uniform", 1 << 16 }, { "uniform", 300_001 }, { "skewed", 1_000_000 }, { "sorted", 200_000 },
        { "descending", 200_000 }, { "ties", 500_000 }, { "zeros", 100_000 }, { "infinity", 150_001 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_upper_rank_holds_the_value_of_a_full_sort(string shape, int n)
    {
        var values = Values(shape, n);
        var copy = (double[])values.Clone();
        var sorted = values.Order().ToArray();
        int from = n - n / 2 - 1;

        var upper = UpperRanks.TrySort(values, n, from);

        if (upper is null)
        {
            Assert.Equal(copy, values); // left unchanged when declined
            // Declined only where the pivots cannot split the values (the caller then sorts serially).
            Assert.True(shape is "ties" or "zeros", $"{shape}: declined");
            return;
        }
        for (int r = from; r < n; r++)
            Assert.True(BitConverter.DoubleToInt64Bits(sorted[r] + 0.0) == BitConverter.DoubleToInt64Bits(upper[r] + 0.0), $"rank {r}: {sorted[r]:R} vs {upper[r]:R}");
    }

    [Fact]
    public void Only_the_first_count_values_are_ranked_and_used_as_scratch()
    {
        var values = Values("uniform", 100_000).Concat(Enumerable.Repeat(1e9, 50)).ToArray();
        var sorted = values.Take(100_000).Order().ToArray();
        var upper = UpperRanks.TrySort(values, 100_000, 40_000);
        Assert.NotNull(upper);
        for (int r = 40_000; r < 100_000; r++) Assert.Equal(sorted[r], upper[r]);
        Assert.All(values[100_000..], v => Assert.Equal(1e9, v));
    }

    [Fact]
    public void Small_arrays_and_NaN_are_left_to_the_serial_path()
    {
        Assert.Null(UpperRanks.TrySort(Values("uniform", 1000), 1000, 499));
        var withNaN = Values("uniform", 100_000);
        withNaN[77_777] = double.NaN;
        Assert.Null(UpperRanks.TrySort(withNaN, withNaN.Length, 49_999));
    }

    private static double[] Values(string shape, int n)
    {
        var rng = new Random(n);
        return Enumerable.Range(0, n).Select(i => shape switch
        {
            "uniform" => rng.NextDouble() * 10,
            "skewed" => Math.Exp(rng.NextDouble() * 8) / (1 + rng.Next(100)),
            "sorted" => i * 0.5,
            "descending" => (n - i) * 0.25,
            "ties" => rng.Next(7),
            "zeros" => i % 10 == 0 ? rng.NextDouble() : 0,
            _ => i % 1000 == 0 ? double.PositiveInfinity : rng.NextDouble(),
        }).ToArray();
    }
}
