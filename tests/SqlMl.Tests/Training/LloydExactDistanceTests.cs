using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// The last pass max_iterations allows writes each row's exact distance to its centroid (<see cref="KMeansRun.Exact"/>):
/// the same bits as <see cref="KMeansScoring.AssignedDistances"/> after a run without it, and the same model.
/// </summary>
public class LloydExactDistanceTests
{
    private static readonly double[][] Centers = KMeansTestData.SixCenters;

    [Theory]
    [InlineData(5, false, false, 20_011, true)]   // tiles (groups of 64 rows, then remainder tiles from the columns)
    [InlineData(6, true, false, 20_011, true)]    // one-hot coordinates
    [InlineData(6, true, true, 20_011, true)]     // COSINE: the root of 1 − cos
    [InlineData(21, false, false, 5_003, true)]   // row-by-row tallies and exact distances
    [InlineData(19, true, false, 5_003, true)]    // the same with one-hot coordinates
    [InlineData(4, true, false, 5_003, false)]    // the column path only
    [InlineData(3, false, true, 63, false)]     // small enough to converge before max_iterations
    public void The_fused_last_pass_gives_the_assigned_distances_of_a_separate_pass(int k, bool category, bool cosine, int rows, bool tiles)
    {
        lock (KMeansReferenceTests.KernelLock)
        {
            var distance = cosine ? KMeansDistance.Cosine : KMeansDistance.Euclidean;
            var data = KMeansTestData.Blobs(rows, Centers, spread: 2.5, seed: 7, nullRate: 0.03, category: category).Build(distance, tiles);
            Assert.Equal(tiles && DistanceKernel.FusedAssign, data.HasTiles);
            var initial = new double[k * data.Dimension];
            for (int c = 0; c < k; c++) data.CopyRow(c * 997 % rows, initial.AsSpan(c * data.Dimension, data.Dimension));
            var options = new KMeansOptions(k, KMeansInitMethod.Custom, "init", distance, true, 4, false, 0.01, false, 1, 0);

            var fused = KMeansLloyd.Run(data, initial, options, "m", 0, CancellationToken.None);
            var separate = KMeansLloyd.Run(data, initial, options, "m", 0, CancellationToken.None, fuseExact: false);
            // Only a run that reaches max_iterations fuses (the small data may converge first).
            Assert.Equal(fused.Iterations.Count == 4, fused.Exact);
            Assert.True(fused.Exact || rows < 1_000);
            Assert.False(separate.Exact);
            Assert.Equal(separate.Labels, fused.Labels);
            Assert.Equal(DoubleBits.Of(separate.Centroids), DoubleBits.Of(fused.Centroids));
            Assert.Equal(separate.Iterations.Select(i => i.Loss), fused.Iterations.Select(i => i.Loss));
            var assigned = KMeansScoring.AssignedDistances(data, separate.Centroids, k, separate.Labels, separate.Distance2);
            var actual = fused.Exact ? fused.Distance2 : KMeansScoring.AssignedDistances(data, fused.Centroids, k, fused.Labels, fused.Distance2);
            Assert.Equal(DoubleBits.Of(assigned.AsSpan(0, rows)), DoubleBits.Of(actual.AsSpan(0, rows)));
        }
    }

    [Fact]
    public void A_run_that_converges_before_max_iterations_leaves_the_distances_to_the_separate_pass()
    {
        lock (KMeansReferenceTests.KernelLock) Converges();
    }

    private static void Converges()
    {
        var data = KMeansTestData.Blobs(2_000, [[0, 0], [50, 50]], spread: 0.5, seed: 3).Build(KMeansDistance.Euclidean, tiles: true);
        var initial = new double[2 * data.Dimension];
        data.CopyRow(0, initial.AsSpan(0, 2));
        data.CopyRow(1, initial.AsSpan(2, 2));
        var options = new KMeansOptions(2, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, true, 50, false, 0.01, false, 1, 0);
        var run = KMeansLloyd.Run(data, initial, options, "m", 0, CancellationToken.None);
        Assert.True(run.Iterations.Count < 50);
        Assert.False(run.Exact);
    }

    /// <summary>What <see cref="KMeansLloyd.Run"/> relies on when the fused last pass leaves a cluster empty: the pass run
    /// again with the same centroids (no exact distances) gives back the squared distances and the same sums.</summary>
    [Fact]
    public void The_pass_run_again_without_exact_distances_restores_the_squared_distances()
    {
        lock (KMeansReferenceTests.KernelLock)
        {
            const int k = 6;
            var data = KMeansTestData.Blobs(20_011, Centers, spread: 2.5, seed: 9, category: true).Build(KMeansDistance.Euclidean, tiles: true);
            var initial = new double[k * data.Dimension];
            for (int c = 0; c < k; c++) data.CopyRow(c * 991, initial.AsSpan(c * data.Dimension, data.Dimension));
            var packed = PackedCentroids.Pack(initial, k, data.Numeric.Length, data.OneHotWidth, data.Distance);
            var exact = ExactDistances.For(data, initial, k);

            var (labelsA, d2A, passA) = FirstPass(data, k, packed);
            passA.Run(packed, labelsA, d2A, CancellationToken.None, exact);
            var withExact = (double[])d2A.Clone();
            var statsA = passA.Run(packed, labelsA, d2A, CancellationToken.None);

            var (labelsB, d2B, passB) = FirstPass(data, k, packed);
            var statsB = passB.Run(packed, labelsB, d2B, CancellationToken.None);

            Assert.NotEqual(DoubleBits.Of(d2B.AsSpan(0, data.Rows)), DoubleBits.Of(withExact.AsSpan(0, data.Rows)));
            Assert.Equal(DoubleBits.Of(d2B.AsSpan(0, data.Rows)), DoubleBits.Of(d2A.AsSpan(0, data.Rows)));
            Assert.Equal(labelsB, labelsA);
            Assert.Equal(DoubleBits.Of(statsB.Sums), DoubleBits.Of(statsA.Sums));
            Assert.Equal(statsB.Counts, statsA.Counts);
            Assert.Equal(DoubleBits.Of(statsB.DistanceSums), DoubleBits.Of(statsA.DistanceSums));
            Assert.Equal(statsB.Loss, statsA.Loss);
            Assert.Equal(0, statsA.Changed);
        }
    }

    /// <summary>End to end: the model, its metrics and ML.TRAINING_INFO are the same with and without the fused pass.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void The_trained_model_is_the_same_bytes(bool category, bool cosine)
    {
        var data = KMeansTestData.Blobs(9_000, Centers, spread: 2.5, seed: 11, nullRate: 0.02, category: category, initRows: 6);
        var options = new KMeansOptions(null, KMeansInitMethod.Custom, "init", cosine ? KMeansDistance.Cosine : KMeansDistance.Euclidean, true, 5, false, 0.01, false, 1, 0);
        lock (KMeansReferenceTests.KernelLock) AssertSameModel(data, options);
    }

    /// <summary>Wide data (300 features: the transposed centroids of <see cref="ExactDistances.ByCluster"/> are 38 KB, once
    /// kept on the stack) trains the same both ways.</summary>
    [Fact]
    public void Wide_data_trains_the_same_with_and_without_the_fused_pass()
    {
        var random = new Random(5);
        double[][] centers = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 4).ToArray()).ToArray();
        var data = KMeansTestData.Blobs(256, centers, spread: 1, seed: 6, initRows: 3);
        var options = new KMeansOptions(null, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, true, 3, false, 0.01, false, 1, 0);
        lock (KMeansReferenceTests.KernelLock) AssertSameModel(data, options);
    }

    /// <summary>
    /// Many small trainings, seeded: RANDOM and KMEANS++ with one to three runs, early stop on and off (so some runs stop
    /// exactly at max_iterations, some before), COSINE, a categorical feature, 2–20 clusters, 1–3 iterations (some end
    /// with a repaired empty cluster): the same model bytes, metrics and losses with and without the fused pass.
    /// </summary>
    [Fact]
    public void Random_small_trainings_give_the_same_model_bytes()
    {
        var random = new Random(2026);
        lock (KMeansReferenceTests.KernelLock)
        {
            for (int trial = 0; trial < 60; trial++)
            {
                int rows = random.Next(64, 400), k = random.Next(2, 21);
                var data = KMeansTestData.Blobs(rows, Centers, spread: 1 + 3 * random.NextDouble(), seed: trial, nullRate: 0.05 * random.NextDouble(), category: random.Next(2) == 0);
                var options = new KMeansOptions(k, random.Next(2) == 0 ? KMeansInitMethod.Random : KMeansInitMethod.KMeansPlusPlus, null,
                    random.Next(3) == 0 ? KMeansDistance.Cosine : KMeansDistance.Euclidean, random.Next(4) != 0, random.Next(1, 4), random.Next(2) == 0, 0.01, false,
                    random.Next(1, 4), trial);
                AssertSameModel(data, options);
            }
        }
    }

    /// <summary>
    /// Small trainings on a few distinct grid points (one run each, so the last pass is fused): with COSINE, rows on the
    /// same ray tie, and some runs end their last pass with an empty cluster, which KMeansLloyd repairs after running the
    /// pass again without exact distances. The same model bytes, metrics and losses with and without the fused pass.
    /// </summary>
    [Fact]
    public void Small_trainings_on_grid_points_with_repaired_empty_clusters_give_the_same_model_bytes()
    {
        lock (KMeansReferenceTests.KernelLock)
        {
            for (int trial = 0; trial < 220; trial++)
            {
                var random = new Random(trial);
                int rows = random.Next(64, 400), k = random.Next(2, 21);
                var init = random.Next(2) == 0 ? KMeansInitMethod.Random : KMeansInitMethod.KMeansPlusPlus;
                var distance = random.Next(3) == 0 ? KMeansDistance.Cosine : KMeansDistance.Euclidean;
                bool standardize = random.Next(4) != 0;
                int iterations = random.Next(1, 4), distinct = random.Next(3, 12);
                var points = Enumerable.Range(0, distinct).Select(_ => new double[] { random.Next(5), random.Next(5) }).ToArray();
                var data = new KMeansTestData(
                    [Enumerable.Range(0, rows).Select(_ => (double?)points[random.Next(distinct)][0]).ToArray(),
                     Enumerable.Range(0, rows).Select(_ => (double?)points[random.Next(distinct)][1]).ToArray()], []);
                var options = new KMeansOptions(Math.Min(k, distinct), init, null, distance, standardize, iterations, false, 0.01, false, 1, trial);
                SqlMlException? fusedError = null, separateError = null;
                try
                {
                    AssertSameModel(data, options);
                }
                catch (SqlMlException)
                {
                    // Too few distinct points for k: both ways must refuse it alike.
                    try { KMeansTrainer.Train(data.AsTrainingData(), options, "m"); } catch (SqlMlException e) { fusedError = e; }
                    try { KMeansTrainer.Train(data.AsTrainingData(), options, "m", fuseExact: false); } catch (SqlMlException e) { separateError = e; }
                    Assert.Equal(separateError?.Message, fusedError?.Message);
                }
            }
        }
    }

    private static void AssertSameModel(KMeansTestData data, KMeansOptions options)
    {
        var fused = KMeansTrainer.Train(data.AsTrainingData(), options, "m");
        var separate = KMeansTrainer.Train(data.AsTrainingData(), options, "m", fuseExact: false);
        Assert.Equal(Payload(separate.Model), Payload(fused.Model));
        Assert.Equal(separate.Metrics.Values, fused.Metrics.Values);
        Assert.Equal(separate.Report.Iterations.Select(i => i.Loss), fused.Report.Iterations.Select(i => i.Loss));
    }

    private static (int[] Labels, double[] Distance2, LloydPass Pass) FirstPass(KMeansData data, int k, PackedCentroids packed)
    {
        var labels = new int[data.PaddedRows];
        Array.Fill(labels, -1);
        var d2 = new double[data.PaddedRows];
        var pass = new LloydPass(data, k);
        pass.Run(packed, labels, d2, CancellationToken.None);
        return (labels, d2, pass);
    }

    private static byte[] Payload(SqlMl.Models.KMeansModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) model.WriteTo(writer);
        return stream.ToArray();
    }
}
