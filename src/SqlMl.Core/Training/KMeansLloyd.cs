using System.Diagnostics;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>The outcome of Lloyd iterations from one starting point.</summary>
/// <param name="Centroids">The model's centroids.</param>
/// <param name="Labels">Each row's cluster.</param>
/// <param name="Distance2">Each row's squared distance (as the last pass computed it); or, when <paramref name="Exact"/>, its exact distance.</param>
/// <param name="Loss">The last pass's mean squared distance.</param>
/// <param name="Iterations">ML.TRAINING_INFO's rows.</param>
/// <param name="Exact">Whether <paramref name="Distance2"/> holds the exact distances of <see cref="KMeansScoring.AssignedDistances"/>.</param>
internal sealed record KMeansRun(double[] Centroids, int[] Labels, double[] Distance2, double Loss, IReadOnlyList<IterationInfo> Iterations, bool Exact = false);

/// <summary>
/// Lloyd's algorithm from given centroids. An iteration moves each centroid to the mean of its rows (COSINE: the mean
/// of the unit-scaled rows, whose direction is the best one for Σ(1 − cos)) and reassigns every row; its loss is the
/// mean squared distance to the new centroids (COSINE: mean of 1 − cos). Stops after max_iterations, when no row
/// changes cluster, or with early_stop when the loss improved by less than min_rel_progress (relative). A cluster
/// left empty is moved onto the row farthest from its centroid (as scikit-learn does); an iteration that ends with an
/// empty cluster is always followed by another, so a model never keeps an empty cluster.
/// </summary>
internal static class KMeansLloyd
{
    /// <summary>
    /// Runs Lloyd's iterations. The pass of the last iteration max_iterations allows also computes each row's exact
    /// distance (<see cref="KMeansRun.Exact"/>; <paramref name="fuseExact"/> false leaves that to the caller, for tests),
    /// saving <see cref="KMeansScoring.AssignedDistances"/> a read of every row; if that pass leaves a cluster empty, it is
    /// run again without (the same labels and sums) so the empty cluster's repair sees the squared distances.
    /// </summary>
    public static KMeansRun Run(KMeansData data, double[] initial, KMeansOptions options, string modelName, int trainingRun, CancellationToken cancellationToken,
        IProgress<IterationInfo>? progress = null, bool fuseExact = true)
    {
        int d = data.Dimension, k = initial.Length / d, n = data.Rows;
        var centroids = (double[])initial.Clone();
        var lengths = new double[k];
        for (int c = 0; c < k; c++) lengths[c] = Norm(centroids.AsSpan(c * d, d));
        var labels = new int[data.PaddedRows];
        Array.Fill(labels, -1);
        var distance2 = new double[data.PaddedRows];
        var pass = new LloydPass(data, k);
        var packed = PackedCentroids.Pack(centroids, k, data.Numeric.Length, data.OneHotWidth, data.Distance);
        var stats = pass.Run(packed, labels, distance2, cancellationToken);
        double previous = stats.Loss / n;
        var iterations = new List<IterationInfo>();
        int repairs = 0;
        for (int it = 0; ; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            Update(data, centroids, lengths, stats, distance2, k, modelName);
            packed.Update(centroids, data.Distance);
            var exact = fuseExact && it + 1 >= options.MaxIterations ? ExactDistances.For(data, centroids, k) : null;
            stats = pass.Run(packed, labels, distance2, cancellationToken, exact);
            double loss = stats.Loss / n;
            iterations.Add(new IterationInfo(it, loss, null, null, clock.ElapsedMilliseconds)
            {
                ClusterInfo = Enumerable.Range(0, k)
                    .Select(c => new ClusterInfo(c + 1, stats.Counts[c] > 0 ? stats.DistanceSums[c] / stats.Counts[c] : 0, stats.Counts[c])).ToList(),
                TrainingRun = trainingRun,
            });
            progress?.Report(iterations[^1]);
            if (Array.IndexOf(stats.Counts, 0L) >= 0)
            {
                // Same centroids: no row moves, and the squared distances are back for Relocate.
                if (exact is not null) stats = pass.Run(packed, labels, distance2, cancellationToken);
                if (++repairs > k + 10)
                    throw Errors.Training($"CREATE MODEL {modelName}: k-means keeps leaving a cluster empty; the training rows have too few distinct points for num_clusters = {k}.");
                continue;
            }
            bool converged = stats.Changed == 0;
            bool stalled = options.EarlyStop && previous - loss < options.MinRelProgress * previous;
            if (converged || stalled || it + 1 >= options.MaxIterations)
            {
                var model = ModelCentroids(centroids, lengths, k, d, data.Distance);
                return new KMeansRun(model, labels, distance2, stats.Loss / n, iterations, Exact: exact is not null);
            }
            previous = loss;
        }
    }

    /// <summary>Centroids as the model stores them: for COSINE the mean direction scaled to the mean row length.</summary>
    private static double[] ModelCentroids(double[] centroids, double[] lengths, int k, int d, KMeansDistance distance)
    {
        var result = (double[])centroids.Clone();
        if (distance != KMeansDistance.Cosine) return result;
        for (int c = 0; c < k; c++)
        {
            var row = result.AsSpan(c * d, d);
            double norm = Norm(row);
            double factor = norm > 0 ? lengths[c] / norm : 0;
            for (int i = 0; i < d; i++) row[i] *= factor;
        }
        return result;
    }

    private static void Update(KMeansData data, double[] centroids, double[] lengths, PassStats stats, double[] distance2, int k, string modelName)
    {
        int d = data.Dimension;
        var empty = new List<int>();
        for (int c = 0; c < k; c++)
        {
            long count = stats.Counts[c];
            if (count == 0)
            {
                empty.Add(c);
                continue;
            }
            for (int i = 0; i < d; i++) centroids[c * d + i] = stats.Sums[c * d + i] / count;
            lengths[c] = stats.LengthSums[c] / count;
        }
        if (empty.Count > 0) Relocate(data, centroids, lengths, distance2, empty, k, modelName);
    }

    /// <summary>Moves each empty cluster's centroid onto the row farthest from its own centroid (distinct rows each time).</summary>
    private static void Relocate(KMeansData data, double[] centroids, double[] lengths, double[] distance2, List<int> empty, int k, string modelName)
    {
        int d = data.Dimension, n = data.Rows;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = distance2.AsSpan(0, n).ToArray();
        Array.Sort(keys, order);
        var taken = new List<int>();
        int next = n - 1;
        foreach (int c in empty)
        {
            while (next >= 0 && taken.Exists(t => data.RowDistance2(t, order[next]) == 0)) next--;
            if (next < 0 || keys[next] <= 1e-12 * (1 + data.Norm2[order[next]]))
            {
                int distinct = DistinctRows(data);
                if (distinct < k) throw Errors.KMeansTooFewPoints(modelName, k, distinct);
                if (next < 0) next = n - 1;
            }
            int row = order[next--];
            taken.Add(row);
            data.CopyRow(row, centroids.AsSpan(c * d, d));
            lengths[c] = data.Length?[row] ?? 0;
        }
    }

    /// <summary>The number of distinct training rows (exact comparison of their coordinates).</summary>
    public static int DistinctRows(KMeansData data)
    {
        var seen = new HashSet<int>(new RowComparer(data));
        for (int r = 0; r < data.Rows; r++) seen.Add(r);
        return seen.Count;
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }

    private sealed class RowComparer(KMeansData data) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => data.RowDistance2(a, b) == 0;

        public int GetHashCode(int row)
        {
            var h = new HashCode();
            foreach (var col in data.Numeric) h.Add(col[row]);
            foreach (var col in data.OneHot) h.Add(col[row]);
            h.Add(data.OneHotWeight?[row] ?? 1);
            return h.ToHashCode();
        }
    }
}
