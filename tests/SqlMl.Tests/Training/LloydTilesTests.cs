using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// The Lloyd pass over <see cref="KMeansData.Tiles"/> (whole groups of four tiles, masked tallies up to 16 clusters)
/// against the same pass over the columns: the same labels, squared distances and (EUCLIDEAN) centroids bit for bit,
/// and the same losses, cluster radii and COSINE centroid lengths up to the order of their sums; then the final scoring
/// (assigned distances, anomaly scores) from the tiles against the columns, bit for bit.
/// </summary>
public class LloydTilesTests
{
    private static readonly double[][] Centers = KMeansTestData.SixCenters;

    [Theory]
    [InlineData(5, false, false)]   // masked tallies, numeric only
    [InlineData(6, true, false)]    // masked tallies, one-hot coordinates
    [InlineData(6, true, true)]     // COSINE: Σ length tallies, one-hot weights
    [InlineData(16, false, false)]  // the most clusters with masked tallies
    [InlineData(21, true, false)]   // row-by-row tallies inside the groups
    [InlineData(17, false, false, 1_000)]  // one past the masked tallies; one chunk, remainder tiles after the groups
    [InlineData(1, false, false, 1_000)]
    [InlineData(3, true, true, 63)]        // no whole group of 64 rows: the column path only
    [InlineData(2, false, false, 17)]
    public void Tiles_and_columns_give_the_same_run(int k, bool category, bool cosine, int rows = 20_011)
    {
        // KMeansReferenceTests forces other kernel paths (a static setting) under this lock.
        lock (KMeansReferenceTests.KernelLock) SameRun(k, category, cosine, rows, KernelPath.Auto);
    }

    /// <summary>Rows of 8 numeric features and more: moving rows transposes eight features of eight rows at a time
    /// (<see cref="BlockMoves"/>), then the features past the last multiple of eight one by one.</summary>
    [Theory]
    [InlineData(8, 5, false)]
    [InlineData(11, 7, true)]
    [InlineData(16, 8, false)]
    [InlineData(19, 21, true)]
    [InlineData(40, 6, false)]
    public void Tiles_and_columns_give_the_same_run_on_wide_rows(int features, int k, bool category)
    {
        var rnd = new Random(features);
        var centers = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, features).Select(_ => rnd.NextDouble() * 8 - 4).ToArray()).ToArray();
        lock (KMeansReferenceTests.KernelLock)
        {
            var (first, last) = SameRun(k, category, cosine: false, rows: 6_007, KernelPath.Auto, centers);
            // Rows left one cluster for another after the first pass (the subtraction from the old cluster's sums ran).
            Assert.True(first.Zip(last).Count(pair => pair.First != pair.Second) > 100);
        }
    }

    [Theory]
    [InlineData("Vector256")]
    [InlineData("Scalar")]
    public void Data_with_tiles_trains_like_the_columns_when_another_kernel_is_forced(string pathName)
    {
        lock (KMeansReferenceTests.KernelLock) SameRun(6, true, false, 5_003, Enum.Parse<KernelPath>(pathName));
    }

    /// <summary>Both runs compared (<see cref="Compare"/>); returns the tiled data's labels after the first pass and at the end.</summary>
    private static (int[] First, int[] Last) SameRun(int k, bool category, bool cosine, int rows, KernelPath path, double[][]? centers = null)
    {
        if (!DistanceKernel.FusedAssign) return ([], []); // the tiled copy and its kernels need AVX-512
        // By default 20,011 rows: five chunks of 4,016 rows (not whole groups of 64), a partial last tile.
        var data = KMeansTestData.Blobs(rows, centers ?? Centers, spread: 2.5, seed: 5, nullRate: 0.03, category: category);
        var distance = cosine ? KMeansDistance.Cosine : KMeansDistance.Euclidean;
        var tiled = data.Build(distance, tiles: true);
        var columns = data.Build(distance, tiles: false);
        Assert.True(tiled.HasTiles);
        Assert.False(columns.HasTiles);

        var initial = new double[k * tiled.Dimension];
        for (int c = 0; c < k; c++) tiled.CopyRow(c * 997 % rows, initial.AsSpan(c * tiled.Dimension, tiled.Dimension));
        DistanceKernel.Path = path; // after the tiles were made with the AVX-512 kernel in use
        try
        {
            var last = Compare(tiled, columns, initial, k, cosine, distance);
            var first = new int[tiled.PaddedRows];
            Array.Fill(first, -1);
            new LloydPass(tiled, k).Run(PackedCentroids.Pack(initial, k, tiled.Numeric.Length, tiled.OneHotWidth, distance), first, new double[tiled.PaddedRows], CancellationToken.None);
            return (first.AsSpan(0, tiled.Rows).ToArray(), last.AsSpan(0, tiled.Rows).ToArray());
        }
        finally
        {
            DistanceKernel.Path = KernelPath.Auto;
        }
    }

    /// <summary>Asserts both runs agree; returns the tiled run's final labels.</summary>
    private static int[] Compare(KMeansData tiled, KMeansData columns, double[] initial, int k, bool cosine, KMeansDistance distance)
    {
        var options = new KMeansOptions(k, KMeansInitMethod.Custom, "init", distance, true, 15, false, 0.01, false, 1, 0);
        var a = KMeansLloyd.Run(tiled, initial, options, "m", 0, CancellationToken.None);
        var b = KMeansLloyd.Run(columns, initial, options, "m", 0, CancellationToken.None);

        Assert.Equal(b.Labels, a.Labels);
        Assert.Equal(DoubleBits.Of(b.Distance2.AsSpan(0, tiled.Rows)), DoubleBits.Of(a.Distance2.AsSpan(0, tiled.Rows)));
        if (cosine)
        {
            // The model's COSINE centroids are scaled to the mean row length, a tally (summed lane by lane).
            for (int i = 0; i < a.Centroids.Length; i++) Assert.Equal(b.Centroids[i], a.Centroids[i], 1e-12 * (1 + Math.Abs(b.Centroids[i])));
        }
        else
        {
            Assert.Equal(DoubleBits.Of(b.Centroids), DoubleBits.Of(a.Centroids));
        }
        Assert.Equal(b.Iterations.Count, a.Iterations.Count);
        for (int i = 0; i < a.Iterations.Count; i++)
        {
            Assert.Equal(b.Iterations[i].Loss, a.Iterations[i].Loss, 1e-12 * b.Iterations[i].Loss);
            var ca = a.Iterations[i].ClusterInfo!;
            var cb = b.Iterations[i].ClusterInfo!;
            for (int c = 0; c < k; c++)
            {
                Assert.Equal(cb[c].ClusterSize, ca[c].ClusterSize);
                Assert.Equal(cb[c].ClusterRadius, ca[c].ClusterRadius, 1e-12 * (1 + cb[c].ClusterRadius));
            }
        }

        // The final scoring from the same centroids and labels: the same assigned distances and anomaly scores.
        var assignedA = KMeansScoring.AssignedDistances(tiled, a.Centroids, k, a.Labels, a.Distance2);
        var assignedB = KMeansScoring.AssignedDistances(columns, a.Centroids, k, a.Labels, b.Distance2);
        Assert.Equal(DoubleBits.Of(assignedB.AsSpan(0, tiled.Rows)), DoubleBits.Of(assignedA.AsSpan(0, tiled.Rows)));
        var rms = KMeansScoring.ClusterRadii(a.Labels, assignedA, k, tiled.Rows).Rms;
        var scoresA = KMeansScoring.NormalizedDistances(tiled, a.Centroids, k, rms, a.Labels, assignedA, CancellationToken.None);
        var scoresB = KMeansScoring.NormalizedDistances(columns, a.Centroids, k, rms, a.Labels, assignedB, CancellationToken.None);
        Assert.Equal(DoubleBits.Of(scoresB.AsSpan(0, tiled.Rows)), DoubleBits.Of(scoresA.AsSpan(0, tiled.Rows)));
        return a.Labels;
    }

    /// <summary>The fused scoring kernel (<see cref="DistanceKernel.ScoreTile"/>) against the column path bit for bit and
    /// against a plain reference (exact distances, clusters of radius 0 left out unless it is the row's own cluster), with
    /// several numeric features, one-hot ones, k not a multiple of the kernel's four or eight centroids, and rows lying
    /// exactly on the radius-0 cluster's centroid while assigned elsewhere (a kernel that did not leave that cluster out
    /// could give 0 · ∞ there).</summary>
    [Theory]
    [InlineData(5, false, false)]
    [InlineData(7, true, false)]
    [InlineData(6, true, true)]
    [InlineData(11, false, false)]
    public void Anomaly_scores_from_tiles_match_the_columns_with_a_cluster_of_radius_zero(int k, bool category, bool cosine)
    {
        lock (KMeansReferenceTests.KernelLock)
        {
            if (!DistanceKernel.FusedAssign) return; // the tiled copy and its kernels need AVX-512
            var data = KMeansTestData.Blobs(3_001, Centers, spread: 1.5, seed: 9, nullRate: 0.02, category: category);
            var distance = cosine ? KMeansDistance.Cosine : KMeansDistance.Euclidean;
            var tiled = data.Build(distance, tiles: true);
            var columns = data.Build(distance, tiles: false);
            int d = tiled.Dimension;
            var centroids = new double[k * d];
            for (int c = 0; c < k; c++) tiled.CopyRow(c * 211, centroids.AsSpan(c * d, d));
            var labels = new int[tiled.PaddedRows];
            for (int r = 0; r < tiled.Rows; r++) labels[r] = r % k;
            labels[211] = 2; // on cluster 1's centroid (radius 0), assigned elsewhere
            var rms = Enumerable.Range(0, k).Select(c => c == 1 ? 0 : 0.5 + c * 0.25).ToArray();
            var assigned = Enumerable.Range(0, tiled.PaddedRows).Select(r => r % 7 == 0 ? 0 : 0.1 * (r % 13)).ToArray();
            var scoresA = KMeansScoring.NormalizedDistances(tiled, centroids, k, rms, labels, (double[])assigned.Clone(), CancellationToken.None);
            var scoresB = KMeansScoring.NormalizedDistances(columns, centroids, k, rms, labels, (double[])assigned.Clone(), CancellationToken.None);
            Assert.Equal(DoubleBits.Of(scoresB.AsSpan(0, tiled.Rows)), DoubleBits.Of(scoresA.AsSpan(0, tiled.Rows)));

            double half = cosine ? 0.5 : 1;
            var row = new double[d];
            double maxNorm2 = Enumerable.Range(0, k).Max(c => centroids.AsSpan(c * d, d).ToArray().Sum(v => v * v));
            double minRms2 = rms.Where(v => v > 0).Min(v => v * v);
            for (int r = 0; r < tiled.Rows; r++)
            {
                tiled.CopyRow(r, row);
                double own = rms[labels[r]] > 0 ? assigned[r] / rms[labels[r]] : assigned[r] == 0 ? 0 : double.PositiveInfinity;
                double expected = own;
                for (int c = 0; c < k; c++)
                {
                    if (rms[c] == 0) continue;
                    double s = 0;
                    for (int i = 0; i < d; i++) s += (row[i] - centroids[c * d + i]) * (row[i] - centroids[c * d + i]);
                    expected = Math.Min(expected, Math.Sqrt(s * half) / rms[c]);
                }
                Assert.False(double.IsNaN(scoresA[r]), $"row {r}");
                // Other clusters' distances come from ‖x‖² + ‖c‖² − 2x·c: compared as squares, with that expansion's rounding.
                double rounding = 1e-12 * (1 + row.Sum(v => v * v) + maxNorm2) / minRms2;
                Assert.True(Math.Abs(scoresA[r] * scoresA[r] - expected * expected) <= 1e-9 * (1 + expected * expected) + rounding,
                    $"row {r}: {scoresA[r]:R}, reference {expected:R}");
            }
        }
    }

    [Fact]
    public unsafe void Each_tile_holds_its_rows_coordinates_then_their_squared_norms()
    {
        KMeansData data;
        lock (KMeansReferenceTests.KernelLock)
        {
            if (!DistanceKernel.FusedAssign) return;
            data = KMeansTestData.Blobs(1_000, Centers, spread: 1, seed: 2, nullRate: 0.1).Build(KMeansDistance.Euclidean, tiles: true);
        }
        int p = data.Numeric.Length, t = KMeansData.Tile;
        Assert.Equal(0, (long)data.Tiles % 64);
        var tiles = new ReadOnlySpan<double>(data.Tiles, data.PaddedRows / t * data.TileStride);
        for (int r = 0; r < data.PaddedRows; r++)
        {
            int at = r / t * data.TileStride + r % t;
            for (int j = 0; j < p; j++) Assert.Equal(data.Numeric[j][r], tiles[at + j * t]);
            Assert.Equal(data.Norm2[r], tiles[at + p * t]);
        }
    }
}
