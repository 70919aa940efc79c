using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// The fast paths of one Lloyd assignment pass (<see cref="LloydPass"/>) against the plain ones: every label, every squared
/// distance and every per-cluster sum must be the same bits.
/// </summary>
public class KMeansLloydPassTests
{
    internal static KMeansData Matrix(KMeansTestData data, KMeansDistance distance, bool standardize)
    {
        var raw = KMeansRawData.Read(data.AsTrainingData(), "m", false, CancellationToken.None);
        return KMeansData.Build(raw, KMeansEncoding.FromData(raw, distance, standardize), distance);
    }

    internal static double[] Centroids(KMeansData data, int k, int seed)
    {
        var rnd = new Random(seed);
        var c = new double[k * data.Dimension];
        for (int i = 0; i < k; i++) data.CopyRow(rnd.Next(data.Rows), c.AsSpan(i * data.Dimension, data.Dimension));
        return c;
    }

    /// <summary>Two passes (the first moves every row in, the second from slightly moved centroids), returning labels, distances and sums.</summary>
    internal static (int[] Labels, double[] Distance2, PassStats Stats) TwoPasses(KMeansData data, double[] centroids, int k)
    {
        var pass = new LloydPass(data, k);
        var labels = new int[data.PaddedRows];
        Array.Fill(labels, -1);
        var d2 = new double[data.PaddedRows];
        var packed = PackedCentroids.Pack(centroids, k, data.Numeric.Length, data.OneHotWidth, data.Distance);
        pass.Run(packed, labels, d2, CancellationToken.None);
        var moved = centroids.Select((v, i) => v + 0.05 * Math.Sin(i)).ToArray();
        packed.Update(moved, data.Distance);
        var stats = pass.Run(packed, labels, d2, CancellationToken.None);
        return (labels, d2, stats);
    }

    internal static void AssertSameBits((int[] Labels, double[] Distance2, PassStats Stats) expected, (int[] Labels, double[] Distance2, PassStats Stats) actual, int rows)
    {
        Assert.Equal(expected.Labels.AsSpan(0, rows).ToArray(), actual.Labels.AsSpan(0, rows).ToArray());
        for (int r = 0; r < rows; r++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Distance2[r]), BitConverter.DoubleToInt64Bits(actual.Distance2[r]));
        Assert.Equal(expected.Stats.Counts, actual.Stats.Counts);
        Assert.Equal(Bits(expected.Stats.Sums), Bits(actual.Stats.Sums));
        Assert.Equal(Bits(expected.Stats.DistanceSums), Bits(actual.Stats.DistanceSums));
        Assert.Equal(Bits(expected.Stats.Distance2Sums), Bits(actual.Stats.Distance2Sums));
        Assert.Equal(Bits(expected.Stats.LengthSums), Bits(actual.Stats.LengthSums));
        Assert.Equal(expected.Stats.Changed, actual.Stats.Changed);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Stats.Loss), BitConverter.DoubleToInt64Bits(actual.Stats.Loss));
    }

    private static long[] Bits(double[] v) => v.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [InlineData(2, "Euclidean", false)]
    [InlineData(5, "Euclidean", true)]
    [InlineData(8, "Euclidean", false)]
    [InlineData(7, "Cosine", false)]
    [InlineData(8, "Cosine", true)]
    public void Lane_tally_gives_the_scalar_tally_bits(int k, string distanceName, bool category)
    {
        var distance = Enum.Parse<KMeansDistance>(distanceName);
        var rnd = new Random(k);
        double[][] centers = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, 4).Select(_ => rnd.NextDouble() * 6 - 3).ToArray()).ToArray();
        // 20,011 rows: several chunks, several lane blocks, and a partial last tile.
        var source = KMeansTestData.Blobs(20_011, centers, spread: 1.5, seed: k, nullRate: 0.01, category: category);
        var data = Matrix(source, distance, standardize: true);
        var centroids = Centroids(data, k, seed: 3);
        lock (KMeansReferenceTests.KernelLock)
        {
            bool saved = LloydPass.LaneTally;
            try
            {
                LloydPass.LaneTally = false;
                var scalar = TwoPasses(data, centroids, k);
                LloydPass.LaneTally = true;
                var lanes = TwoPasses(data, centroids, k);
                AssertSameBits(scalar, lanes, data.Rows);
                Assert.True(scalar.Stats.Changed > 0, "the second pass should move some rows");
            }
            finally
            {
                LloydPass.LaneTally = saved;
            }
        }
    }
}
