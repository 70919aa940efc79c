using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>MedianBracket: the sample positions of the bracketed medians and their pivots.</summary>
public class MedianBracketTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(4096)]
    [InlineData(100_003)]
    [InlineData(1_000_000)]
    public void Positions_are_one_per_stride_ascending_and_in_range(long length)
    {
        var positions = MedianBracket.Positions(length);
        long stride = Math.Max(1, length / MedianBracket.SampleSize);
        long strides = (length + stride - 1) / stride;
        // One per stride; the last, partial stride may draw an offset past the end.
        Assert.InRange(positions.Count, Math.Max(0, strides - 1), strides);
        for (int i = 0; i < positions.Count; i++)
        {
            Assert.InRange(positions[i], i * stride, Math.Min(length, (i + 1) * stride) - 1);
        }
        Assert.Equal(positions, MedianBracket.Positions(length));
    }

    [Fact]
    public void Positions_do_not_alias_with_a_period_that_divides_the_stride()
    {
        // Rows repeating every 100 (the KMEANS benchmark's blobs): a plain stride of 200 would always see the same phase.
        var phases = MedianBracket.Positions(819_200).Select(p => p % 100).Distinct().Count();
        Assert.True(phases > 50, $"only {phases} of 100 phases sampled");
    }

    [Fact]
    public void Pivots_enclose_the_rank_and_refuse_NaN()
    {
        var sorted = Enumerable.Range(0, 4096).Select(i => (double)i).ToList();
        var (below, above) = MedianBracket.Pivots(sorted, 50_000, 100_000)!.Value;
        Assert.True(below < 2048 && 2048 < above);
        Assert.Null(MedianBracket.Pivots(Enumerable.Repeat(double.NaN, 4096).ToList(), 50_000, 100_000));
    }
}
