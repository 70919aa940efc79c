using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>BracketedMedian (exact medians of blocked columns without a copy) against ExactMedian over a plain copy.</summary>
public class BracketedMedianTests
{
    private const ulong NullBits = 0x7FF4_0000_5EED_0001;
    private const int BlockSize = 1 << 12;

    private static double? Reference(double[] column) =>
        ExactMedian.Of(column.Where(v => BitConverter.DoubleToUInt64Bits(v) != NullBits).ToArray());

    private static List<double[]> Blocks(double[] column) =>
        column.Chunk(BlockSize).Select(c => c.Concat(new double[BlockSize - c.Length]).ToArray()).ToList();

    [Theory]
    [InlineData("random", 50_001)]
    [InlineData("random", 50_000)]
    [InlineData("sorted", 40_000)]
    [InlineData("descending", 40_001)]
    [InlineData("duplicates", 60_000)]
    [InlineData("nulls", 45_000)]
    [InlineData("nan-heavy", 30_000)]
    [InlineData("periodic", 70_000)]
    [InlineData("small", 999)]
    public void Equals_exact_median_over_a_copy(string kind, int rows)
    {
        var random = new Random(rows);
        double Null = BitConverter.UInt64BitsToDouble(NullBits);
        var column = Enumerable.Range(0, rows).Select(i => kind switch
        {
            "sorted" => i * 0.5,
            "descending" => -i * 0.25,
            "duplicates" => random.Next(3),
            "nulls" => random.Next(3) == 0 ? Null : random.NextDouble(),
            "nan-heavy" => random.Next(5) < 3 ? double.NaN : random.Next(4) == 0 ? double.PositiveInfinity : random.NextDouble(),
            "periodic" => i % BlockSize * 1.0 + (i / BlockSize) * 1e-6,
            _ => random.NextDouble() * 1000 - 500,
        }).ToArray();
        Assert.Equal(Reference(column), BracketedMedian.Of(Blocks(column), rows, BlockSize, NullBits));
    }

    [Fact]
    public void All_null_is_null()
    {
        var column = Enumerable.Repeat(BitConverter.UInt64BitsToDouble(NullBits), 20_000).ToArray();
        Assert.Null(BracketedMedian.Of(Blocks(column), column.Length, BlockSize, NullBits));
    }
}
