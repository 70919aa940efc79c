using System.Numerics;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Distances of training rows to a finished model's centroids, computed the way ML.PREDICT and ML.DETECT_ANOMALIES
/// compute them in SQL: EUCLIDEAN from coordinate differences (not the ‖x‖² + ‖c‖² − 2x·c expansion, so a row on
/// its centroid is at distance 0), COSINE as √(1 − x̂·ĉ).
/// </summary>
internal static class KMeansScoring
{
    private const int ChunkRows = 8192;

    /// <summary>
    /// Each row's anomaly score: min over clusters of distance ÷ the cluster's RMS radius (a cluster of radius 0
    /// gives 0 for a row on its centroid and +∞ otherwise).
    /// </summary>
    public static double[] NormalizedDistances(KMeansData data, double[] centroids, int k, double[] rms, CancellationToken cancellationToken)
    {
        var scores = new double[data.Rows];
        ForEachChunk(data, centroids, k, cancellationToken, (start, distances, count) =>
        {
            for (int r = 0; r < count; r++)
            {
                double best = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    double dist = distances[c * ChunkRows + r];
                    double ratio = rms[c] > 0 ? dist / rms[c] : dist == 0 ? 0 : double.PositiveInfinity;
                    if (ratio < best) best = ratio;
                }
                scores[start + r] = best;
            }
        });
        return scores;
    }

    /// <summary>
    /// Each row's distance to the centroid it is assigned to (EUCLIDEAN from differences; COSINE from the run's
    /// <paramref name="distance2"/>, which is already 1 − cos).
    /// </summary>
    public static double[] AssignedDistances(KMeansData data, double[] centroids, int[] labels, double[] distance2)
    {
        var result = new double[data.Rows];
        int p = data.Numeric.Length, d = data.Dimension;
        Parallel.For(0, (data.Rows + ChunkRows - 1) / ChunkRows, chunk =>
        {
            int start = chunk * ChunkRows, end = Math.Min(data.Rows, start + ChunkRows);
            for (int r = start; r < end; r++)
            {
                if (data.Distance == KMeansDistance.Cosine)
                {
                    result[r] = Math.Sqrt(distance2[r]);
                    continue;
                }
                var c = centroids.AsSpan(labels[r] * d, d);
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    double diff = data.Numeric[j][r] - c[j];
                    s += diff * diff;
                }
                if (data.OneHot.Length > 0)
                {
                    for (int i = p; i < d; i++) s += c[i] * c[i];
                    foreach (var col in data.OneHot)
                    {
                        double v = c[p + col[r]];
                        s += (1 - v) * (1 - v) - v * v;
                    }
                }
                result[r] = Math.Sqrt(Math.Max(s, 0));
            }
        });
        return result;
    }

    /// <summary>Distances of every row to every centroid, chunk by chunk (centroid-major within a chunk).</summary>
    private static void ForEachChunk(KMeansData data, double[] centroids, int k, CancellationToken cancellationToken, Action<int, double[], int> consume)
    {
        int chunks = (data.Rows + ChunkRows - 1) / ChunkRows;
        var packed = data.Distance == KMeansDistance.Cosine
            ? PackedCentroids.Pack(centroids, k, data.Numeric.Length, data.OneHotWidth, KMeansDistance.Cosine)
            : null;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            int start = chunk * ChunkRows, count = Math.Min(ChunkRows, data.Rows - start);
            var distances = new double[k * ChunkRows];
            if (packed is null) Euclidean(data, centroids, k, start, count, distances);
            else Cosine(data, packed, start, count, distances);
            consume(start, distances, count);
        });
    }

    private static void Euclidean(KMeansData data, double[] centroids, int k, int start, int count, double[] distances)
    {
        int p = data.Numeric.Length, d = data.Dimension, w = Vector<double>.Count;
        for (int c = 0; c < k; c++)
        {
            var acc = distances.AsSpan(c * ChunkRows, count);
            acc.Clear();
            var centroid = centroids.AsSpan(c * d, d);
            for (int j = 0; j < p; j++)
            {
                var x = data.Numeric[j].AsSpan(start, count);
                var cv = new Vector<double>(centroid[j]);
                int r = 0;
                for (; r <= count - w; r += w)
                {
                    var diff = new Vector<double>(x[r..]) - cv;
                    (new Vector<double>(acc[r..]) + diff * diff).CopyTo(acc[r..]);
                }
                for (; r < count; r++) acc[r] += (x[r] - centroid[j]) * (x[r] - centroid[j]);
            }
            if (data.OneHot.Length > 0)
            {
                double norm2 = 0;
                for (int i = p; i < d; i++) norm2 += centroid[i] * centroid[i];
                for (int r = 0; r < count; r++)
                {
                    double s = norm2;
                    foreach (var col in data.OneHot)
                    {
                        double v = centroid[p + col[start + r]];
                        s += (1 - v) * (1 - v) - v * v;
                    }
                    acc[r] += s;
                }
            }
            for (int r = 0; r < count; r++) acc[r] = Math.Sqrt(Math.Max(acc[r], 0));
        }
    }

    private static void Cosine(KMeansData data, PackedCentroids packed, int start, int count, double[] distances)
    {
        const int t = KMeansData.Tile;
        var block = new double[packed.Padded * t];
        for (int r0 = start; r0 < start + count; r0 += t)
        {
            DistanceKernel.Tile(data, packed, r0, block);
            int rows = Math.Min(t, start + count - r0);
            for (int c = 0; c < packed.Count; c++)
                for (int b = 0; b < rows; b++)
                    distances[c * ChunkRows + r0 - start + b] = Math.Sqrt(Math.Max((data.Norm2[r0 + b] + block[c * t + b]) * 0.5, 0));
        }
    }
}
