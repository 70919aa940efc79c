using System.Numerics;
using System.Runtime.CompilerServices;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>The training rows' anomaly scores for a finished model (ML.DETECT_ANOMALIES' cutoffs).</summary>
internal static class KMeansScoring
{
    private const int ChunkRows = 8192;

    /// <summary>
    /// Each row's anomaly score: min over clusters of distance ÷ the cluster's RMS radius (a cluster of radius 0
    /// gives 0 for a row on its centroid and +∞ otherwise). The distance to the row's own centroid is the exact
    /// <paramref name="assigned"/> one; the others come from the blocked kernel (‖x‖² + ‖c‖² − 2x·c), whose rounding only
    /// matters for rows very close to a centroid they are not assigned to. The scores overwrite
    /// <paramref name="assigned"/> (each row's after its own distance is read), which is returned: no fresh 8 MB per
    /// million rows to fault in.
    /// </summary>
    public static double[] NormalizedDistances(KMeansData data, double[] centroids, int k, double[] rms, int[] labels, double[] assigned, CancellationToken cancellationToken)
    {
        var scores = assigned;
        var packed = PackedCentroids.Pack(centroids, k, data.Numeric.Length, data.OneHotWidth, data.Distance);
        // Squared ratios are compared (one square root per row); a radius-0 cluster only matches rows exactly on it,
        // which the exact own-cluster distance below catches.
        var inverse2 = rms.Select(r => r > 0 ? 1 / (r * r) : double.PositiveInfinity).ToArray();
        double half = data.Distance == KMeansDistance.Cosine ? 0.5 : 1;
        int chunks = (data.Rows + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, chunks, CoreParallelism.Options(cancellationToken), chunk => ScoreChunk(data, packed, k, inverse2, half, labels, assigned, scores, chunk));
        return scores;
    }

    /// <summary>The scores of the rows of chunk <paramref name="chunk"/> (<see cref="NormalizedDistances"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScoreChunk(KMeansData data, PackedCentroids packed, int k, double[] inverse2, double half, int[] labels, double[] assigned, double[] scores, int chunk)
    {
        const int t = KMeansData.Tile;
        int w = Vector<double>.Count;
        var block = new double[packed.Padded * t];
        Span<double> best = stackalloc double[t];
        int start = chunk * ChunkRows, end = Math.Min(data.Rows, start + ChunkRows);
        // With the tiled copy: the fused kernel, per centroid its factor (+∞: left out, as padding centroids are).
        bool fused = data.HasTiles && DistanceKernel.FusedAssign;
        Span<double> factors = stackalloc double[packed.Padded];
        for (int c = 0; c < factors.Length; c++) factors[c] = c < k && !double.IsPositiveInfinity(inverse2[c]) ? inverse2[c] * half : double.PositiveInfinity;
        for (int r0 = start; r0 < end; r0 += t)
        {
            if (fused)
            {
                fixed (double* f = factors, b = best)
                    DistanceKernel.ScoreTile(data, packed, data.Tiles + (long)(r0 / t) * data.TileStride, r0, block, f, b);
            }
            else
            {
                DistanceKernel.Tile(data, packed, r0, block);
                var norm2 = data.Norm2.AsSpan(r0, t);
                best.Fill(double.PositiveInfinity);
                for (int c = 0; c < k; c++)
                {
                    if (double.IsPositiveInfinity(inverse2[c])) continue;
                    var factor = new Vector<double>(inverse2[c] * half);
                    var s = block.AsSpan(c * t, t);
                    for (int b = 0; b < t; b += w)
                    {
                        var ratio2 = Vector.Max(new Vector<double>(norm2[b..]) + new Vector<double>(s[b..]), Vector<double>.Zero) * factor;
                        Vector.Min(new Vector<double>(best[b..]), ratio2).CopyTo(best[b..]);
                    }
                }
            }
            int rows = Math.Min(t, end - r0);
            for (int b = 0; b < rows; b++)
            {
                int r = r0 + b;
                double own = assigned[r], r2 = inverse2[labels[r]];
                double exact = double.IsPositiveInfinity(r2) ? (own == 0 ? 0 : double.PositiveInfinity) : own * own * r2;
                scores[r] = Math.Sqrt(Math.Min(best[b], exact));
            }
        }
    }

    /// <summary>
    /// Per cluster: its rows, their mean distance to the centroid and its RMS radius (0 for an empty cluster); and the sum
    /// of every row's squared distance (ML.EVALUATE's mean_squared_distance × rows), over the first <paramref name="rows"/>
    /// rows. Sums run in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (long[] Sizes, double[] MeanDistances, double[] Rms, double SumOfSquares) ClusterRadii(int[] labels, double[] assigned, int k, int rows)
    {
        var sizes = new long[k];
        var meanDistances = new double[k];
        var rms = new double[k];
        double squares = 0;
        for (int r = 0; r < rows; r++)
        {
            int c = labels[r];
            double a = assigned[r];
            sizes[c]++;
            meanDistances[c] += a;
            rms[c] += a * a;
            squares += a * a;
        }
        for (int c = 0; c < k; c++)
        {
            meanDistances[c] = sizes[c] > 0 ? meanDistances[c] / sizes[c] : 0;
            rms[c] = sizes[c] > 0 ? Math.Sqrt(rms[c] / sizes[c]) : 0;
        }
        return (sizes, meanDistances, rms, squares);
    }

    /// <summary>
    /// Each row's distance to the centroid it is assigned to, as ML.PREDICT computes it in SQL: EUCLIDEAN from coordinate
    /// differences (so a row on its centroid is at distance 0); COSINE from the run's <paramref name="distance2"/>,
    /// which is already 1 − cos. The distances overwrite the first rows of <paramref name="distance2"/> (no longer needed
    /// once the run is over), which is returned: no fresh 8 MB per million rows to fault in.
    /// </summary>
    public static unsafe double[] AssignedDistances(KMeansData data, double[] centroids, int k, int[] labels, double[] distance2)
    {
        var result = distance2;
        if (data.Distance == KMeansDistance.Cosine)
        {
            var span = distance2.AsSpan(0, data.Rows);
            System.Numerics.Tensors.TensorPrimitives.Sqrt(span, span);
            return result;
        }
        var oneHotNorm2 = OneHotNorm2(data, centroids, k);
        var options = CoreParallelism.Options();
        Parallel.For(0, (data.Rows + ChunkRows - 1) / ChunkRows, options, chunk => AssignedChunk(data, centroids, oneHotNorm2, labels, result, chunk));
        return result;
    }

    /// <summary>The assigned distances of the rows of chunk <paramref name="chunk"/> (<see cref="AssignedDistances"/>, EUCLIDEAN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AssignedChunk(KMeansData data, double[] centroids, double[] oneHotNorm2, int[] labels, double[] result, int chunk)
    {
        int p = data.Numeric.Length, d = data.Dimension;
        var pointers = data.NumericPointers;
        var oneHot = data.OneHot;
        int start = chunk * ChunkRows, end = Math.Min(data.Rows, start + ChunkRows);
        double** cols = stackalloc double*[Math.Max(1, p)];
        for (int j = 0; j < p; j++) cols[j] = (double*)pointers[j];
        // From the tiled copy when there is one: one contiguous run per 16 rows instead of a stream per column.
        int stride = data.TileStride;
        double* tiles = data.Tiles;
        fixed (double* all = centroids)
        {
            for (int r = start; r < end; r++)
                result[r] = tiles is not null
                    ? Exact(new TileCoordinates(tiles, stride), r, labels[r], all, d, p, oneHotNorm2, oneHot)
                    : Exact(new ColumnCoordinates(cols), r, labels[r], all, d, p, oneHotNorm2, oneHot);
        }
    }

    /// <summary>Per centroid, the squared norm of its one-hot block (<see cref="Exact{TCoordinate}"/>).</summary>
    public static double[] OneHotNorm2(KMeansData data, double[] centroids, int k)
    {
        int p = data.Numeric.Length, d = data.Dimension;
        var result = new double[k];
        for (int c = 0; c < k; c++)
            for (int i = p; i < d; i++) result[c] += centroids[c * d + i] * centroids[c * d + i];
        return result;
    }

    /// <summary>
    /// Row <paramref name="r"/>'s EUCLIDEAN distance to centroid <paramref name="a"/> (of <paramref name="centroids"/>,
    /// <paramref name="d"/> coordinates each), as <see cref="AssignedDistances"/> gives it: the numeric coordinates'
    /// squared differences in feature order, then the one-hot block from <paramref name="oneHotNorm2"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe double Exact<TCoordinate>(TCoordinate x, int r, int a, double* centroids, int d, int p, double[] oneHotNorm2, int[][] oneHot)
        where TCoordinate : struct, IRowCoordinates
    {
        double* c = centroids + (long)a * d;
        double s = Squares(x, r, c, p);
        if (oneHot.Length > 0) s = AddOneHot(s, r, a, c, p, oneHotNorm2, oneHot);
        return Math.Sqrt(Math.Max(s, 0));
    }

    /// <summary><paramref name="s"/> (row <paramref name="r"/>'s numeric squares) plus its one-hot block's squared distance to
    /// centroid <paramref name="a"/> (<paramref name="centroid"/>: its coordinates): the block's squared norm, then per
    /// categorical feature the correction for the row's own coordinate, in feature order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe double AddOneHot(double s, int r, int a, double* centroid, int p, double[] oneHotNorm2, int[][] oneHot)
    {
        s += oneHotNorm2[a];
        foreach (var col in oneHot)
        {
            double v = centroid[p + col[r]];
            s += (1 - v) * (1 - v) - v * v;
        }
        return s;
    }

    /// <summary>Σ (x_j − c_j)² over row <paramref name="r"/>'s <paramref name="p"/> numeric coordinates, in feature order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Squares<TCoordinate>(TCoordinate x, int r, double* c, int p)
        where TCoordinate : struct, IRowCoordinates
    {
        double s = 0;
        for (int j = 0; j < p; j++)
        {
            double diff = x.At(j, r) - c[j];
            s += diff * diff;
        }
        return s;
    }
}
