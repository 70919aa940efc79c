using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
    /// sense: Euclidean², or 1 − cos) are written per row; <see cref="Total"/> gets the sums. With
    /// <paramref name="exact"/>, <paramref name="distance2"/> gets each row's exact distance to its new centroid instead,
    /// the value <see cref="KMeansScoring.AssignedDistances"/> would give (same operations, same bits), computed while the
    /// row is in cache; the sums, loss and tallies are those of the squared distances as without it.
    /// </summary>
    public PassStats Run(PackedCentroids centroids, int[] labels, double[] distance2, CancellationToken cancellationToken, ExactDistances? exact = null)
    {
        // At most one worker per core: more only queue behind each other (and the thread pool would inject threads).
        var options = CoreParallelism.Options(cancellationToken);
        Parallel.For(0, _partials.Length, options, chunk =>
        {
            var stats = _partials[chunk];
            stats.Clear();
            int start = chunk * _chunkRows, end = Math.Min(_data.Rows, start + _chunkRows);
            Chunk(centroids, start, end, labels, distance2, stats, exact);
        });
        Total.Clear(keepSums: !_first);
        foreach (var p in _partials) Total.Add(p);
        _first = false;
        return Total;
    }

    /// <summary>Rows per group of <see cref="Groups"/>: four kernel tiles.</summary>
    private const int GroupRows = 4 * KMeansData.Tile;

    /// <summary>The most clusters whose tallies <see cref="Groups"/> adds with compare masks (beyond, row by row).</summary>
    private const int MaskedClusters = 16;

    /// <summary>
    /// Rows start … end − 1 (start a multiple of the tile, so tiles never straddle chunks). When the data has its tiled
    /// copy (<see cref="KMeansData.Tiles"/>), whole groups of <see cref="GroupRows"/> rows go through
    /// <see cref="Groups"/> first; the rest tile by tile from the columns: the fused kernel gives each row's nearest
    /// centroid, then the squared distances, their square roots and the loss are computed a vector at a time, and the
    /// per-cluster sums row by row while the tile is still in L1.
    /// </summary>
    private unsafe void Chunk(PackedCentroids centroids, int start, int end, int[] labels, double[] distance2, PassStats stats, ExactDistances? exact)
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
        var lengthSums = stats.LengthSums;
        long changed = 0;
        var loss = Vector256<double>.Zero;
        double tail = 0;
        fixed (double* sums = stats.Sums, norm2 = _data.Norm2, d2 = distance2)
        fixed (int* label = labels)
        fixed (double* len = _data.Length, model = exact?.Centroids, byCluster = exact?.ByCluster)
        {
            if (_data.HasTiles && DistanceKernel.FusedAssign)
            {
                int whole = start + (end - start) / GroupRows * GroupRows;
                tail += Groups(centroids, start, whole, block, label, d2, len, sums, stats, ref changed, exact, model, byCluster);
                start = whole;
            }
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
                    distanceSums[k] += root[b];
                    if (length is not null) lengthSums[k] += length[r];
                    int old = label[r];
                    if (old == k) continue;
                    label[r] = k;
                    changed++;
                    Move(r, old, k, sums, p, d, weight, oneHot, new ColumnCoordinates(cols));
                }
                if (exact is not null)
                    for (int b = 0; b < rows; b++)
                        d2[r0 + b] = model is null ? root[b] : KMeansScoring.Exact(new ColumnCoordinates(cols), r0 + b, label[r0 + b], model, d, p, exact.OneHotNorm2!, oneHot);
            }
        }
        stats.Changed = changed;
        stats.Loss = Vector256.Sum(loss) + tail;
    }

    /// <summary>
    /// Rows start … end − 1, a whole number of groups, read from the tiled copy. Per group the kernel fills the best
    /// value and centroid of its four tiles; the squared distances (‖x‖² from the tile), their roots and the loss are
    /// computed eight rows at a time, and the rows of those eight whose cluster changed are moved together
    /// (<see cref="BlockMoves"/>: their coordinates from the tile, still in L1, transposed to rows); then, for at most
    /// <see cref="MaskedClusters"/> clusters, each cluster's count, Σ distance and Σ length are added with one compare mask
    /// per eight rows (no per-row loads and stores of the tallies, no dependency between rows). Returns the group rows'
    /// Σ distance². The tallies and the loss are summed lane by lane, so they differ from the row-by-row sums in the last
    /// bits; labels, distances and coordinate sums are the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double Groups(PackedCentroids centroids, int start, int end, double[] block, int* label, double* d2, double* length, double* sums,
        PassStats stats, ref long changed, ExactDistances? exact, double* model, double* byCluster)
    {
        const int t = KMeansData.Tile, w = 8;
        int k = _clusters, p = _data.Numeric.Length, d = _data.Dimension, stride = _data.TileStride;
        double* tiles = _data.Tiles;
        var coordinates = new TileCoordinates(tiles, stride);
        var scale = Vector512.Create(_data.Distance == KMeansDistance.Cosine ? 0.5 : 1.0);
        var weight = _data.OneHotWeight;
        var oneHot = _data.OneHot;
        bool masked = k <= MaskedClusters;
        double* best = stackalloc double[GroupRows];
        long* index = stackalloc long[GroupRows];
        double* root = stackalloc double[GroupRows];
        // Per cluster, eight lanes each: count, Σ distance, Σ length.
        long* tallyN = stackalloc long[MaskedClusters * w];
        double* tallyR = stackalloc double[MaskedClusters * w];
        double* tallyL = stackalloc double[MaskedClusters * w];
        new Span<long>(tallyN, MaskedClusters * w).Clear();
        new Span<double>(tallyR, MaskedClusters * w).Clear();
        new Span<double>(tallyL, MaskedClusters * w).Clear();
        var loss = Vector512<double>.Zero;
        for (int g0 = start; g0 < end; g0 += GroupRows)
        {
            double* group = tiles + (long)(g0 / t) * stride;
            DistanceKernel.AssignTiles(_data, centroids, group, g0, GroupRows / t, block, best, index);
            for (int b = 0; b < GroupRows; b += w)
            {
                double* tile = group + b / t * stride;
                var v = Vector512.Max(Vector512.Load(tile + p * t + b % t) + Vector512.Load(best + b), Vector512<double>.Zero) * scale;
                v.Store(d2 + g0 + b);
                loss += v;
                Vector512.Sqrt(v).Store(root + b);
                var labels = Vector512.Load(index + b);
                uint moved = (uint)(~Vector512.Equals(Avx512F.ConvertToVector512Int64(Vector256.Load(label + g0 + b)), labels)).ExtractMostSignificantBits();
                if (moved == 0) continue;
                changed += BitOperations.PopCount(moved);
                BlockMoves.Numeric(tile + b % t, p, d, sums, label + g0 + b, index + b, moved);
                if (oneHot.Length > 0)
                    for (uint m = moved; m != 0; m &= m - 1)
                    {
                        int i = BitOperations.TrailingZeroCount(m), r = g0 + b + i;
                        MoveOneHot(r, label[r], (int)index[b + i], sums, p, d, weight, oneHot);
                    }
                Avx512F.ConvertToVector256Int32(labels).Store(label + g0 + b);
            }
            if (byCluster is not null)
                ExactGroup(group, stride, p, byCluster, index, d2 + g0, model, d, exact!.OneHotNorm2!, oneHot, g0);
            else if (exact is not null)
                for (int b = 0; b < GroupRows; b++)
                    d2[g0 + b] = model is null ? root[b] : KMeansScoring.Exact(coordinates, g0 + b, (int)index[b], model, d, p, exact.OneHotNorm2!, oneHot);
            if (!masked)
            {
                for (int b = 0; b < GroupRows; b++)
                {
                    int c = (int)index[b];
                    stats.Counts[c]++;
                    stats.DistanceSums[c] += root[b];
                    if (length is not null) stats.LengthSums[c] += length[g0 + b];
                }
                continue;
            }
            for (int c = 0; c < k; c++)
            {
                var id = Vector512.Create((long)c);
                var n = Vector512.Load(tallyN + c * w);
                var r = Vector512.Load(tallyR + c * w);
                var l = Vector512.Load(tallyL + c * w);
                for (int b = 0; b < GroupRows; b += w)
                {
                    var eq = Vector512.Equals(Vector512.Load(index + b), id);
                    n -= eq;
                    r += Vector512.Load(root + b) & eq.AsDouble();
                    if (length is not null) l += Vector512.Load(length + g0 + b) & eq.AsDouble();
                }
                n.Store(tallyN + c * w);
                r.Store(tallyR + c * w);
                l.Store(tallyL + c * w);
            }
        }
        if (masked)
        {
            for (int c = 0; c < k; c++)
            {
                stats.Counts[c] += Vector512.Sum(Vector512.Load(tallyN + c * w));
                stats.DistanceSums[c] += Vector512.Sum(Vector512.Load(tallyR + c * w));
                stats.LengthSums[c] += Vector512.Sum(Vector512.Load(tallyL + c * w));
            }
        }
        return Vector512.Sum(loss);
    }

    /// <summary>
    /// <see cref="KMeansScoring.Exact{TCoordinate}"/> for the <see cref="GroupRows"/> rows of a group, eight at a time: for
    /// each feature in order, the rows' values (one load from the tile) less their centroids' coordinates (a permute of
    /// the feature's 16 coordinates in <paramref name="byCluster"/>, <see cref="ExactDistances.ByCluster"/>, by the rows'
    /// labels), squared and added as separate roundings, as the scalar loop does; the one-hot block per row after
    /// (<see cref="KMeansScoring.AddOneHot"/>); then the square root. Fully optimized at once: it runs in one pass per
    /// training, thousands of calls too few for tiering to leave its first-tier code, where every vector operation is a
    /// call (measured: 20–40 ms more per CREATE MODEL at 1M × 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExactGroup(double* group, int stride, int p, double* byCluster, long* index, double* result, double* model, int d,
        double[] oneHotNorm2, int[][] oneHot, int g0)
    {
        const int t = KMeansData.Tile, w = 8;
        double* sums = stackalloc double[w];
        for (int b = 0; b < GroupRows; b += w)
        {
            double* rows = group + b / t * stride + b % t;
            var labels = Vector512.Load(index + b);
            var s = Vector512<double>.Zero;
            for (int j = 0; j < p; j++)
            {
                double* coordinates = byCluster + j * ExactDistances.VectorClusters;
                var c = Avx512F.PermuteVar8x64x2(Vector512.Load(coordinates), labels, Vector512.Load(coordinates + w));
                var diff = Vector512.Load(rows + j * t) - c;
                s += diff * diff;
            }
            if (oneHot.Length > 0)
            {
                s.Store(sums);
                for (int i = 0; i < w; i++)
                {
                    int a = (int)index[b + i];
                    sums[i] = KMeansScoring.AddOneHot(sums[i], g0 + b + i, a, model + (long)a * d, p, oneHotNorm2, oneHot);
                }
                s = Vector512.Load(sums);
            }
            Vector512.Sqrt(Vector512.Max(s, Vector512<double>.Zero)).Store(result + b);
        }
    }

    /// <summary>Row <paramref name="r"/> moves from cluster <paramref name="old"/> (none before the first pass: −1) to
    /// <paramref name="k"/>: its coordinates (numeric ones from <paramref name="x"/>(j, r)) leave the old cluster's sums and
    /// join the new one's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Move<TCoordinate>(int r, int old, int k, double* sums, int p, int d, double[]? weight, int[][] oneHot, TCoordinate x)
        where TCoordinate : struct, IRowCoordinates
    {
        double* to = sums + (long)k * d;
        for (int j = 0; j < p; j++) to[j] += x.At(j, r);
        if (old >= 0)
        {
            double* from = sums + (long)old * d;
            for (int j = 0; j < p; j++) from[j] -= x.At(j, r);
        }
        MoveOneHot(r, old, k, sums, p, d, weight, oneHot);
    }

    /// <summary>The one-hot part of <see cref="Move{TCoordinate}"/>: row <paramref name="r"/>'s weight leaves its category's
    /// coordinate in cluster <paramref name="old"/>'s sums (none when −1) and joins it in cluster <paramref name="k"/>'s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MoveOneHot(int r, int old, int k, double* sums, int p, int d, double[]? weight, int[][] oneHot)
    {
        if (oneHot.Length == 0) return;
        double w = weight is null ? 1 : weight[r];
        double* to = sums + (long)k * d;
        foreach (var col in oneHot) to[p + col[r]] += w;
        if (old < 0) return;
        double* from = sums + (long)old * d;
        foreach (var col in oneHot) from[p + col[r]] -= w;
    }
}

