using System.Runtime.Intrinsics;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// One assignment pass of Lloyd's algorithm over the whole matrix: each row goes to its nearest centroid (lowest
/// index on ties), and the sums the next update needs are kept up to date in the same pass (only rows that change
/// cluster move their coordinates between the sums). Rows are split into a fixed
/// number of chunks that depends only on the data's size, processed in parallel, and their sums are added in chunk
/// order, so results do not depend on thread scheduling.
/// </summary>
internal sealed class LloydPass
{
    private const int MinChunkRows = 4096;
    private const long MaxPartialDoubles = 4_000_000;
    private readonly KMeansData _data;
    private readonly int _clusters;
    private readonly int _chunkRows;
    private readonly PassStats[] _partials;

    public LloydPass(KMeansData data, int clusters)
    {
        _data = data;
        _clusters = clusters;
        long perChunk = (long)clusters * (data.Dimension + 4);
        int chunks = (int)Math.Clamp(Math.Min(64, (data.Rows + MinChunkRows - 1) / MinChunkRows), 1, Math.Max(1, MaxPartialDoubles / perChunk));
        _chunkRows = ((data.Rows + chunks - 1) / chunks + KMeansData.Tile - 1) / KMeansData.Tile * KMeansData.Tile;
        _partials = Enumerable.Range(0, (data.Rows + _chunkRows - 1) / _chunkRows).Select(_ => new PassStats(clusters, data.Dimension)).ToArray();
        Total = new PassStats(clusters, data.Dimension);
    }

    /// <summary>
    /// The reduced sums of the last <see cref="Run"/>. The coordinate sums carry over between passes: a pass only moves
    /// the rows that change cluster (the first pass moves every row in from cluster −1).
    /// </summary>
    public PassStats Total { get; }

    private bool _first = true;

    /// <summary>
    /// Assigns every row: <paramref name="labels"/> and <paramref name="distance2"/> (squared distance in the model's
    /// sense: Euclidean², or 1 − cos) are written per row; <see cref="Total"/> gets the sums.
    /// </summary>
    public PassStats Run(PackedCentroids centroids, int[] labels, double[] distance2, CancellationToken cancellationToken)
    {
        // At most one worker per core: more only queue behind each other (and the thread pool would inject threads).
        var options = CoreParallelism.Options(cancellationToken);
        Parallel.For(0, _partials.Length, options, chunk =>
        {
            var stats = _partials[chunk];
            stats.Clear();
            int start = chunk * _chunkRows, end = Math.Min(_data.Rows, start + _chunkRows);
            Chunk(centroids, start, end, labels, distance2, stats);
        });
        Total.Clear(keepSums: !_first);
        foreach (var p in _partials) Total.Add(p);
        _first = false;
        return Total;
    }

    /// <summary>
    /// Rows start … end − 1 (start a multiple of the tile, so tiles never straddle chunks), tile by tile: the fused
    /// kernel gives each row's nearest centroid, then the squared distances, their square roots and the loss are
    /// computed a vector at a time, and the per-cluster sums row by row while the tile is still in L1.
    /// </summary>
    private unsafe void Chunk(PackedCentroids centroids, int start, int end, int[] labels, double[] distance2, PassStats stats)
    {
        const int t = KMeansData.Tile;
        var block = new double[centroids.Padded * t];
        double* best = stackalloc double[t];
        long* index = stackalloc long[t];
        double* root = stackalloc double[t];
        int p = _data.Numeric.Length, d = _data.Dimension;
        double** cols = stackalloc double*[Math.Max(1, p)];
        for (int j = 0; j < p; j++) cols[j] = (double*)_data.NumericPointers[j];
        var scale = Vector256.Create(_data.Distance == KMeansDistance.Cosine ? 0.5 : 1.0);
        var weight = _data.OneHotWeight;
        var length = _data.Length;
        var oneHot = _data.OneHot;
        var counts = stats.Counts;
        var distanceSums = stats.DistanceSums;
        var distance2Sums = stats.Distance2Sums;
        var lengthSums = stats.LengthSums;
        long changed = 0;
        var loss = Vector256<double>.Zero;
        double tail = 0;
        fixed (double* sums = stats.Sums, norm2 = _data.Norm2, d2 = distance2)
        {
            for (int r0 = start; r0 < end; r0 += t)
            {
                DistanceKernel.Assign(_data, centroids, cols, r0, block, best, index);
                int rows = Math.Min(t, end - r0);
                for (int b = 0; b < t; b += Vector256<double>.Count)
                {
                    // The padding rows after the last row are computed too (their values are never read).
                    var v = Vector256.Max(Vector256.Load(norm2 + r0 + b) + Vector256.Load(best + b), Vector256<double>.Zero) * scale;
                    v.Store(d2 + r0 + b);
                    Vector256.Sqrt(v).Store(root + b);
                    if (rows == t) loss += v;
                }
                for (int b = 0; b < rows; b++)
                {
                    int r = r0 + b, k = (int)index[b];
                    if (rows < t) tail += d2[r];
                    counts[k]++;
                    distance2Sums[k] += d2[r];
                    distanceSums[k] += root[b];
                    if (length is not null) lengthSums[k] += length[r];
                    int old = labels[r];
                    if (old == k) continue;
                    changed++;
                    labels[r] = k;
                    double w = weight is null ? 1 : weight[r];
                    double* to = sums + (long)k * d;
                    for (int j = 0; j < p; j++) to[j] += cols[j][r];
                    foreach (var col in oneHot) to[p + col[r]] += w;
                    if (old < 0) continue;
                    double* from = sums + (long)old * d;
                    for (int j = 0; j < p; j++) from[j] -= cols[j][r];
                    foreach (var col in oneHot) from[p + col[r]] -= w;
                }
            }
        }
        stats.Changed = changed;
        stats.Loss = Vector256.Sum(loss) + tail;
    }
}
