using System.Runtime.CompilerServices;
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
    /// Whether the per-cluster tallies of a pass with at most 8 centroids are kept in AVX-512 registers (one lane per
    /// cluster, see <see cref="ChunkLanes"/>); tests switch it off to compare with the scalar tally, which gives the same
    /// bits.
    /// </summary>
    internal static bool LaneTally { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Rows start … end − 1 (start a multiple of the tile, so tiles never straddle chunks), tile by tile: the fused
    /// kernel gives each row's nearest centroid, then the squared distances, their square roots and the loss are
    /// computed a vector at a time, and the per-cluster sums row by row while the tile is still in L1.
    /// </summary>
    private unsafe void Chunk(PackedCentroids centroids, int start, int end, int[] labels, double[] distance2, PassStats stats)
    {
        if (LaneTally && centroids.Padded == 8)
        {
            ChunkLanes(centroids, start, end, labels, distance2, stats);
            return;
        }
        const int t = KMeansData.Tile;
        var block = new double[centroids.Padded * t];
        double* best = stackalloc double[t];
        long* index = stackalloc long[t];
        double* root = stackalloc double[t];
        int p = _data.Numeric.Length;
        double** cols = stackalloc double*[Math.Max(1, p)];
        for (int j = 0; j < p; j++) cols[j] = (double*)_data.NumericPointers[j];
        var scale = Vector256.Create(_data.Distance == KMeansDistance.Cosine ? 0.5 : 1.0);
        var length = _data.Length;
        var counts = stats.Counts;
        var distanceSums = stats.DistanceSums;
        var distance2Sums = stats.Distance2Sums;
        var lengthSums = stats.LengthSums;
        long changed = 0;
        var loss = Vector256<double>.Zero;
        double tail = 0;
        fixed (double* sums = stats.Sums, norm2 = _data.Norm2, d2 = distance2)
        fixed (int* label = labels)
        {
            for (int r0 = start; r0 < end; r0 += t)
            {
                DistanceKernel.Assign(_data, centroids, cols, r0, block, best, index);
                int rows = Math.Min(t, end - r0);
                loss = Distances(norm2 + r0, best, scale, d2 + r0, root, rows == t, loss);
                for (int b = 0; b < rows; b++)
                {
                    int r = r0 + b, k = (int)index[b];
                    if (rows < t) tail += d2[r];
                    counts[k]++;
                    distance2Sums[k] += d2[r];
                    distanceSums[k] += root[b];
                    if (length is not null) lengthSums[k] += length[r];
                }
                changed += Move(cols, sums, label, r0, rows, index);
            }
        }
        stats.Changed = changed;
        stats.Loss = Vector256.Sum(loss) + tail;
    }

    /// <summary>
    /// <see cref="Chunk"/> for at most 8 centroids: each tally (count, Σ distance², Σ distance, COSINE's Σ length) is
    /// one register with a lane per cluster, and a row adds its value to its cluster's lane only (the other lanes add
    /// +0, which changes no sum of non-negative terms). Every cluster's sum thus gets the same additions in the same row
    /// order as the scalar tally — the same bits — without a load and store per row. The kernel runs over a block of
    /// <see cref="LaneBlock"/> rows first, then the tally over the block in a loop without calls (a call would push the
    /// tallies out of the registers, which the calling convention does not preserve).
    /// </summary>
    private unsafe void ChunkLanes(PackedCentroids centroids, int start, int end, int[] labels, double[] distance2, PassStats stats)
    {
        const int t = KMeansData.Tile;
        var block = new double[centroids.Padded * t];
        double* best = stackalloc double[t];
        long* index = stackalloc long[LaneBlock];
        double* root = stackalloc double[LaneBlock];
        int p = _data.Numeric.Length;
        double** cols = stackalloc double*[Math.Max(1, p)];
        for (int j = 0; j < p; j++) cols[j] = (double*)_data.NumericPointers[j];
        var scale = Vector256.Create(_data.Distance == KMeansDistance.Cosine ? 0.5 : 1.0);
        var tally = default(Lanes);
        long changed = 0;
        var loss = Vector256<double>.Zero;
        double tail = 0;
        fixed (double* sums = stats.Sums, norm2 = _data.Norm2, d2 = distance2, length = _data.Length)
        fixed (int* label = labels)
        {
            for (int s0 = start; s0 < end; s0 += LaneBlock)
            {
                int blockEnd = Math.Min(end, s0 + LaneBlock);
                for (int r0 = s0; r0 < blockEnd; r0 += t)
                {
                    DistanceKernel.Assign(_data, centroids, cols, r0, block, best, index + (r0 - s0));
                    int rows = Math.Min(t, end - r0);
                    loss = Distances(norm2 + r0, best, scale, d2 + r0, root + (r0 - s0), rows == t, loss);
                    for (int b = 0; b < rows && rows < t; b++) tail += d2[r0 + b];
                }
                Tally(ref tally, index, d2 + s0, root, length is null ? null : length + s0, blockEnd - s0);
                for (int r0 = s0; r0 < blockEnd; r0 += t)
                    changed += Move(cols, sums, label, r0, Math.Min(t, end - r0), index + (r0 - s0));
            }
        }
        tally.Store(stats, _clusters);
        stats.Changed = changed;
        stats.Loss = Vector256.Sum(loss) + tail;
    }

    /// <summary>Rows per block of <see cref="ChunkLanes"/> (a multiple of the tile; the block's indices and roots stay in L1).</summary>
    private const int LaneBlock = 512;

    /// <summary>Adds rows 0 … rows − 1 of a block to the lane tallies (in registers for the whole loop).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tally(ref Lanes tally, long* index, double* d2, double* root, double* length, int rows)
    {
        var lanes = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var count = tally.Count;
        Vector512<double> sum2 = tally.Sum2, sum1 = tally.Sum1, sumLength = tally.SumLength;
        if (length is null)
        {
            for (int b = 0; b < rows; b++)
            {
                var mask = Vector512.Equals(lanes, Vector512.Create(index[b]));
                count -= mask;
                sum2 += Vector512.Create(d2[b]) & mask.AsDouble();
                sum1 += Vector512.Create(root[b]) & mask.AsDouble();
            }
        }
        else
        {
            for (int b = 0; b < rows; b++)
            {
                var mask = Vector512.Equals(lanes, Vector512.Create(index[b]));
                count -= mask;
                sum2 += Vector512.Create(d2[b]) & mask.AsDouble();
                sum1 += Vector512.Create(root[b]) & mask.AsDouble();
                sumLength += Vector512.Create(length[b]) & mask.AsDouble();
            }
        }
        tally.Count = count;
        tally.Sum2 = sum2;
        tally.Sum1 = sum1;
        tally.SumLength = sumLength;
    }

    /// <summary>The lane tallies of <see cref="ChunkLanes"/>: lane k belongs to cluster k.</summary>
    private struct Lanes
    {
        public Vector512<long> Count;
        public Vector512<double> Sum2;
        public Vector512<double> Sum1;
        public Vector512<double> SumLength;

        /// <summary>Writes the first <paramref name="clusters"/> lanes into the (cleared) chunk stats.</summary>
        public readonly void Store(PassStats stats, int clusters)
        {
            for (int k = 0; k < clusters; k++)
            {
                stats.Counts[k] = Count.GetElement(k);
                stats.Distance2Sums[k] = Sum2.GetElement(k);
                stats.DistanceSums[k] = Sum1.GetElement(k);
                stats.LengthSums[k] = SumLength.GetElement(k);
            }
        }
    }

    /// <summary>
    /// Squared distances (‖x‖² + s, at least 0, halved for COSINE) of the tile's 16 rows into <paramref name="d2"/>, their
    /// roots into <paramref name="root"/>, and, for a full tile, the loss (the padding rows after the last row are
    /// computed too; their values are never read) added to <paramref name="loss"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Distances(double* norm2, double* best, Vector256<double> scale, double* d2, double* root, bool full, Vector256<double> loss)
    {
        for (int b = 0; b < KMeansData.Tile; b += Vector256<double>.Count)
        {
            var v = Vector256.Max(Vector256.Load(norm2 + b) + Vector256.Load(best + b), Vector256<double>.Zero) * scale;
            v.Store(d2 + b);
            Vector256.Sqrt(v).Store(root + b);
            if (full) loss += v;
        }
        return loss;
    }

    /// <summary>
    /// Relabels the tile's rows whose nearest centroid changed and moves their coordinates between the clusters' sums,
    /// in row order; returns how many changed. A full tile whose 16 labels all stay is recognized with one compare.
    /// </summary>
    private unsafe long Move(double** cols, double* sums, int* label, int r0, int rows, long* index)
    {
        if (rows == KMeansData.Tile && Vector512.IsHardwareAccelerated
            && Vector512.EqualsAll(Vector512.Narrow(Vector512.Load(index), Vector512.Load(index + 8)), Vector512.Load(label + r0)))
            return 0;
        int p = _data.Numeric.Length, d = _data.Dimension;
        var weight = _data.OneHotWeight;
        var oneHot = _data.OneHot;
        long changed = 0;
        for (int b = 0; b < rows; b++)
        {
            int r = r0 + b, k = (int)index[b];
            int old = label[r];
            if (old == k) continue;
            changed++;
            label[r] = k;
            double w = weight is null ? 1 : weight[r];
            double* to = sums + (long)k * d;
            for (int j = 0; j < p; j++) to[j] += cols[j][r];
            foreach (var col in oneHot) to[p + col[r]] += w;
            if (old < 0) continue;
            double* from = sums + (long)old * d;
            for (int j = 0; j < p; j++) from[j] -= cols[j][r];
            foreach (var col in oneHot) from[p + col[r]] -= w;
        }
        return changed;
    }
}
