using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary><see cref="ColumnMoments"/>'s blocked, pairwise sums against a plain compensated reference.</summary>
public class ColumnMomentsTests
{
    private const double Tolerance = 1e-12;

    /// <summary>Lengths around the vector width (16 per step), the block size (1024) and the pairwise cascade's powers of two.</summary>
    public static TheoryData<int, double> Shapes() => new()
    {
        { 1, 0 }, { 2, 0 }, { 15, 0 }, { 16, 3 }, { 17, -2 }, { 1023, 0 }, { 1024, 1e6 }, { 1025, -7.5 },
        { 3 * 1024 + 5, 0 }, { 64 * 1024, 1e8 }, { 100_003, 123.25 }, { 1_000_000, 5e5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Mean_and_stddev_equal_a_compensated_two_pass_reference(int n, double offset)
    {
        var rng = new Random(n);
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = offset + (rng.NextDouble() - 0.5) * 10 + (i % 100 == 0 ? 1e3 : 0);

        var (mean, stddev, count) = ColumnMoments.Of(values);
        var (refMean, refStdDev) = Reference(values);

        Assert.Equal(n, count);
        AssertClose(refMean, mean);
        if (n == 1) Assert.Equal(0, stddev);
        else AssertClose(refStdDev, stddev);
    }

    [Fact]
    public void A_null_anywhere_takes_the_scalar_path_over_the_non_null_values()
    {
        var values = new double[5000];
        for (int i = 0; i < values.Length; i++) values[i] = i % 9 == 0 ? double.NaN : Math.Sin(i) * 100;
        var kept = values.Where(v => !double.IsNaN(v)).ToArray();

        var (mean, stddev, count) = ColumnMoments.Of(values);
        var (refMean, refStdDev) = Reference(kept);

        Assert.Equal(kept.Length, count);
        AssertClose(refMean, mean);
        AssertClose(refStdDev, stddev);
    }

    [Fact]
    public void Empty_and_all_null_columns_have_no_mean()
    {
        Assert.Equal((double.NaN, 0.0, 0L), ColumnMoments.Of([]));
        Assert.Equal((double.NaN, 0.0, 0L), ColumnMoments.Of([double.NaN, double.NaN]));
    }

    [Fact]
    public void Constant_columns_have_their_value_as_mean_and_zero_stddev()
    {
        var values = Enumerable.Repeat(0.1, 70_001).ToArray();
        var (mean, stddev, _) = ColumnMoments.Of(values);
        AssertClose(0.1, mean);
        Assert.True(stddev < 1e-15, $"stddev {stddev}");
    }

    [Fact]
    public void The_blocked_sum_is_more_accurate_than_one_running_sum()
    {
        // 2^22 values of 0.1: a running double sum drifts by about 1e-10 relative; pairwise stays near 1e-15.
        var values = Enumerable.Repeat(0.1, 1 << 22).ToArray();
        double exact = (double)(0.1m * (1 << 22)), running = 0;
        foreach (double v in values) running += v;
        double blocked = ColumnMoments.Sum(values, 0, squares: false);
        Assert.True(Math.Abs(blocked - exact) <= Math.Abs(running - exact), $"blocked {blocked}, running {running}");
        Assert.True(Math.Abs(blocked - exact) / exact < 1e-14, $"blocked {blocked}, exact {exact}");
    }

    /// <summary>Plain two-pass moments with Neumaier-compensated sums (error about one rounding, independent of n).</summary>
    private static (double Mean, double StdDev) Reference(double[] values)
    {
        double mean = Compensated(values.Select(v => v)) / values.Length;
        double ss = Compensated(values.Select(v => (v - mean) * (v - mean)));
        return (mean, values.Length > 1 ? Math.Sqrt(ss / (values.Length - 1)) : 0);
    }

    private static double Compensated(IEnumerable<double> terms)
    {
        double sum = 0, correction = 0;
        foreach (double t in terms)
        {
            double next = sum + t;
            correction += Math.Abs(sum) >= Math.Abs(t) ? (sum - next) + t : (t - next) + sum;
            sum = next;
        }
        return sum + correction;
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Max(Math.Abs(expected), 1e-300), $"expected {expected:R}, got {actual:R}");
}
