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
        var options = new ParallelOptions { CancellationToken = cancellationToken };
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

    private unsafe void Chunk(PackedCentroids centroids, int start, int end, int[] labels, double[] distance2, PassStats stats)
    {
        const int t = KMeansData.Tile;
        var block = new double[centroids.Padded * t];
        Span<double> best = stackalloc double[t];
        Span<int> index = stackalloc int[t];
        int p = _data.Numeric.Length, d = _data.Dimension;
        double** cols = stackalloc double*[Math.Max(1, p)];
        for (int j = 0; j < p; j++) cols[j] = (double*)_data.NumericPointers[j];
        bool cosine = _data.Distance == KMeansDistance.Cosine;
        var norm2 = _data.Norm2;
        var weight = _data.OneHotWeight;
        var length = _data.Length;
        var oneHot = _data.OneHot;
        var counts = stats.Counts;
        var distanceSums = stats.DistanceSums;
        var distance2Sums = stats.Distance2Sums;
        long changed = 0;
        double loss = 0;
        fixed (double* sums = stats.Sums)
        {
            for (int r0 = start; r0 < end; r0 += t)
            {
                DistanceKernel.Assign(_data, centroids, r0, block, best, index);
                int rows = Math.Min(t, end - r0);
                for (int b = 0; b < rows; b++)
                {
                    int r = r0 + b, k = index[b];
                    double d2 = Math.Max(norm2[r] + best[b], 0);
                    if (cosine) d2 *= 0.5;
                    distance2[r] = d2;
                    loss += d2;
                    counts[k]++;
                    distance2Sums[k] += d2;
                    distanceSums[k] += Math.Sqrt(d2);
                    if (length is not null) stats.LengthSums[k] += length[r];
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
        stats.Loss = loss;
    }
}
