using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Distance bounds that let a Lloyd pass skip most of the distance computations and still assign every row exactly as
/// the full kernel (<see cref="DistanceKernel.Assign"/>) does, bit for bit.
/// <para>
/// Each row keeps lower bounds on its distance to the centroids it is not assigned to, one per group of 8 consecutive
/// centroids (as Yinyang k-means does; the row's own group's bound leaves its own centroid out). A bound is stored as "bound + the group's accumulated drift at the time", so that when the centroids move, a bound
/// loses the distance its centroids have moved (the triangle inequality) without being rewritten. Every pass computes
/// the row's exact distance to its own centroid (the iteration's loss and cluster radii need it anyway); a group whose
/// bound exceeds it, with a margin that covers the floating-point error of the kernel's s = ‖c‖² − 2·x·c, cannot hold
/// a nearer centroid, nor one the kernel would compute as equally near, and is skipped. The others are computed with
/// the kernel's own operation sequence (a fused multiply-add chain over the features from 0, then fma(dot, −2, ‖c‖²)),
/// so the chosen centroid (lowest index on ties) and its s are the kernel's.
/// </para>
/// <para>
/// Used for more than 8 clusters, EUCLIDEAN distance, numeric features and AVX-512 (<see cref="Applies"/>). With 8 or
/// fewer the full kernel is as cheap as the row's own distance plus the bound test (measured, benchmarks/README.md). COSINE is excluded because the
/// packed centroids carry ‖c‖² = 1 by definition (a zero centroid too), which is not a metric the bounds can rely on;
/// one-hot features and other vector widths keep the full kernel.
/// </para>
/// </summary>
internal sealed unsafe class LloydBounds
{
    /// <summary>Relative slack on every stored or drifted bound: covers the rounding of its additions and square roots.</summary>
    private const double Slack = 1e-12;

    /// <summary>Open rows from which a tile is cheaper through the whole-tile kernel than row by row.</summary>
    internal static int OpenRowsForWhole { get; set; } = 4;

    private readonly KMeansData _data;
    private readonly int _clusters;
    private readonly int _padded;
    private readonly int _features;
    private readonly int _groups;
    private readonly double _maxRowNorm;
    private readonly double[] _bounds;
    private readonly double[] _drift;
    private readonly double[] _previous;
    private bool _started;
    private double _allowance;
    private double _absoluteSlack;
    private double _maxCentroidNorm;
    private double _maxDrift;

    /// <summary>Forces the bounds off (tests compare both ways); null means automatic (<see cref="Applies"/>).</summary>
    internal static bool? Enabled { get; set; }

    public LloydBounds(KMeansData data, int clusters)
    {
        _data = data;
        _clusters = clusters;
        _padded = (clusters + 7) / 8 * 8;
        _features = data.Numeric.Length;
        _groups = _padded / 8;
        _bounds = GC.AllocateUninitializedArray<double>(data.PaddedRows * _groups, pinned: true);
        _drift = GC.AllocateArray<double>(_groups, pinned: true);
        _previous = new double[_features * _padded];
        double max = 0;
        foreach (double v in data.Norm2.AsSpan(0, data.Rows)) max = Math.Max(max, v);
        _maxRowNorm = Math.Sqrt(max) * (1 + Slack);
    }

    /// <summary>Whether the bounds serve <paramref name="data"/> (more than 8 clusters, EUCLIDEAN, numeric features only, AVX-512).</summary>
    public static bool Applies(KMeansData data, int clusters) =>
        clusters > 8 && Avx512F.IsSupported && (Enabled ?? (data.Distance == KMeansDistance.Euclidean && data.OneHot.Length == 0 && data.Numeric.Length > 0
                    && DistanceKernel.Effective == KernelPath.Vector512 && Vector512.IsHardwareAccelerated));

    /// <summary>
    /// Called once before each pass with that pass's centroids: adds each group's drift since the previous pass (the
    /// largest distance one of its centroids moved) and sets the error allowance for this pass.
    /// </summary>
    public void Advance(PackedCentroids c)
    {
        int kp = _padded, p = _features;
        var moved = new double[_padded];
        double maxNorm2 = 0;
        for (int k = 0; k < _clusters; k++)
        {
            maxNorm2 = Math.Max(maxNorm2, c.Norm2[k]);
            if (!_started) continue;
            double s = 0;
            for (int j = 0; j < p; j++)
            {
                double v = c.Numeric[j * kp + k] - _previous[j * kp + k];
                s += v * v;
            }
            moved[k] = Math.Sqrt(s) * (1 + Slack);
        }
        for (int g = 0; g < _groups; g++)
        {
            double m = 0;
            for (int k = g * 8; k < g * 8 + 8; k++) m = Math.Max(m, moved[k]);
            _drift[g] += m;
            _maxDrift = Math.Max(_maxDrift, _drift[g]);
        }
        _maxCentroidNorm = Math.Max(_maxCentroidNorm, Math.Sqrt(maxNorm2) * (1 + Slack));
        double reach = _maxRowNorm + _maxCentroidNorm;
        // |computed − exact| of ‖x‖² + s is at most about (p + 2)·2⁻⁵³·(‖x‖ + ‖c‖)² for the row and any centroid;
        // the allowance covers that for both the bound's centroid and the row's own one, eight times over.
        _allowance = 16.0 * (p + 4) * Math.ScaleB(1, -53) * reach * reach;
        _absoluteSlack = Slack * (reach + _maxDrift);
        for (int i = 0; i < _previous.Length; i++) _previous[i] = c.Numeric[i];
        _started = true;
    }

    /// <summary>
    /// For rows r0 … r0 + Tile − 1 (their current clusters in <paramref name="labels"/>, −1 for none): best[b] = s of the
    /// row's nearest centroid and index[b] that centroid, as <see cref="DistanceKernel.Assign"/> computes them. The own
    /// centroids' s come first, 8 rows at a time, then each group's bounds for 8 rows at a time (bounds are stored
    /// tile by tile, group-major: <c>[(tile·G + g)·Tile + b]</c>); rows whose bounds all hold are done. When most of the
    /// tile is open, the whole tile is computed by <see cref="DistanceKernel.AssignGroups512"/> and every bound renewed;
    /// otherwise the open rows get their open groups computed one row at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Assign(PackedCentroids c, double** cols, double* norm2, int r0, int* labels, double* best, long* index)
    {
        const int t = KMeansData.Tile;
        int groups = _groups;
        double* ownS = stackalloc double[t];
        ulong* needs = stackalloc ulong[t];
        fixed (double* bounds0 = _bounds, drift0 = _drift)
            if (Vector512.LessThan(Vector512.Load(labels + r0), Vector512<int>.Zero) == Vector512<int>.AllBitsSet)
            {
                Whole(c, cols, norm2, r0, best, index, bounds0 + (long)(r0 / t) * groups * t, drift0);
                return;
            }
        OwnDistances(c, cols, r0, labels, ownS);
        OwnDistances(c, cols, r0 + 8, labels, ownS + 8);
        var allowance = Vector512.Create(_allowance);
        var slack = Vector512.Create(_absoluteSlack);
        ulong all = (1UL << groups) - 1;
        int work = 0;
        fixed (double* bounds = _bounds, drift = _drift)
        {
            double* tile = bounds + (long)(r0 / t) * groups * t;
            for (int h = 0; h < t; h += 8)
            {
                var threshold = Vector512.Load(norm2 + r0 + h) + Vector512.Load(ownS + h) + allowance;
                for (int b = h; b < h + 8; b++) needs[b] = labels[r0 + b] < 0 ? all : 0;
                for (int g = 0; g < groups; g++)
                {
                    var lower = Vector512.Max(Vector512.Load(tile + g * t + h) - Vector512.Create(drift[g]) - slack, Vector512<double>.Zero);
                    for (ulong bits = Vector512.LessThanOrEqual(lower * lower, threshold).ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                        needs[h + BitOperations.TrailingZeroCount(bits)] |= 1UL << g;
                }
            }
            for (int b = 0; b < t; b++) work += needs[b] != 0 ? 1 : 0;
            if (work >= OpenRowsForWhole)
            {
                Whole(c, cols, norm2, r0, best, index, tile, drift);
                return;
            }
            double* s = stackalloc double[_padded];
            for (int b = 0; b < t; b++)
            {
                int r = r0 + b;
                if (needs[b] == 0)
                {
                    best[b] = ownS[b];
                    index[b] = labels[r];
                    continue;
                }
                GroupDistances(c, cols, r, needs[b], s);
                Choose(norm2[r], labels[r], ownS[b], needs[b], s, tile + b, drift, best + b, index + b);
            }
        }
    }

    /// <summary>The whole tile through the kernel; every bound of every row renewed from the group minima.</summary>
    private void Whole(PackedCentroids c, double** cols, double* norm2, int r0, double* best, long* index, double* tile, double* drift)
    {
        const int t = KMeansData.Tile;
        int groups = _groups;
        double* groupMin = stackalloc double[groups * t];
        double* groupSecond = stackalloc double[groups * t];
        DistanceKernel.AssignGroups512(cols, r0, _features, c.NumericPointer, c.Norm2Pointer, _padded, best, index, groupMin, groupSecond);
        var allowance = Vector512.Create(_allowance);
        for (int h = 0; h < t; h += 8)
        {
            var rowNorm2 = Vector512.Load(norm2 + r0 + h);
            var ownGroup = Vector512.ShiftRightLogical(Vector512.Load(index + h), 3);
            for (int g = 0; g < groups; g++)
            {
                var nearest = Vector512.ConditionalSelect(Vector512.Equals(ownGroup, Vector512.Create((long)g)).AsDouble(),
                    Vector512.Load(groupSecond + g * t + h), Vector512.Load(groupMin + g * t + h));
                var d2 = Vector512.Max(rowNorm2 + nearest - allowance, Vector512<double>.Zero);
                (Vector512.Sqrt(d2) + Vector512.Create(drift[g])).Store(tile + g * t + h);
            }
        }
    }

    /// <summary>
    /// s of each of rows r … r + 7 to its own centroid, with the kernel's operations (rows without a cluster get
    /// centroid 0's). The own centroid's coordinate is picked per row by a permute from the feature's 8-centroid slices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OwnDistances(PackedCentroids c, double** cols, int r, int* labels, double* ownS)
    {
        double* cnum = c.NumericPointer, cn = c.Norm2Pointer;
        int kp = _padded, p = _features;
        var own = Vector512.Max(Avx512F.ConvertToVector512Int64(Vector256.Load(labels + r)), Vector512<long>.Zero);
        var dot = Vector512<double>.Zero;
        int pairs = (kp + 15) / 16;
        var pairOf = Vector512.ShiftRightLogical(own, 4);
        for (int j = 0; j < p; j++)
            dot = Vector512.FusedMultiplyAdd(Vector512.Load(cols[j] + r), Pick(cnum + j * kp, kp, pairs, own, pairOf), dot);
        Vector512.FusedMultiplyAdd(dot, Vector512.Create(-2.0), Pick(cn, kp, pairs, own, pairOf)).Store(ownS);
    }

    /// <summary>values[own[i]] per lane, for a table of <paramref name="kp"/> values (a multiple of 8), 16 at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Pick(double* values, int kp, int pairs, Vector512<long> own, Vector512<long> pairOf)
    {
        var result = Vector512<double>.Zero;
        for (int q = 0; q < pairs; q++)
        {
            var low = Vector512.Load(values + q * 16);
            var high = q * 16 + 8 < kp ? Vector512.Load(values + q * 16 + 8) : low;
            var picked = Avx512F.PermuteVar8x64x2(low, own, high);
            result = Vector512.ConditionalSelect(Vector512.Equals(pairOf, Vector512.Create((long)q)).AsDouble(), picked, result);
        }
        return result;
    }

    /// <summary>s of row <paramref name="r"/> to every centroid of the groups in <paramref name="need"/>, into s[kt …].</summary>
    private void GroupDistances(PackedCentroids c, double** cols, int r, ulong need, double* s)
    {
        double* cnum = c.NumericPointer, cn = c.Norm2Pointer;
        int kp = _padded, p = _features;
        for (ulong bits = need; bits != 0; bits &= bits - 1)
        {
            int kt = BitOperations.TrailingZeroCount(bits) * 8;
            var dot = Vector512<double>.Zero;
            double* cj = cnum + kt;
            for (int j = 0; j < p; j++, cj += kp) dot = Vector512.FusedMultiplyAdd(Vector512.Create(cols[j][r]), Vector512.Load(cj), dot);
            Vector512.FusedMultiplyAdd(dot, Vector512.Create(-2.0), Vector512.Load(cn + kt)).Store(s + kt);
        }
    }

    /// <summary>
    /// The nearest of the own centroid and the computed groups' centroids (lowest index on ties) becomes the row's
    /// cluster; the computed groups' bounds are renewed, and when the row leaves its cluster the old centroid enters its
    /// group's bound.
    /// </summary>
    private void Choose(double rowNorm2, int own, double ownS, ulong need, double* s, double* rowBounds, double* drift, double* best, long* index)
    {
        var iota = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var minimum = Vector512.Create(double.PositiveInfinity);
        var at = Vector512<long>.Zero;
        for (ulong bits = need; bits != 0; bits &= bits - 1)
        {
            int kt = BitOperations.TrailingZeroCount(bits) * 8;
            var v = Vector512.Load(s + kt);
            var less = Vector512.LessThan(v, minimum);
            minimum = Vector512.Min(v, minimum);
            at = Vector512.ConditionalSelect(less.AsInt64(), iota + Vector512.Create((long)kt), at);
        }
        double bestS = MinOf(minimum);
        var ties = Vector512.Equals(minimum, Vector512.Create(bestS)).AsInt64();
        int chosen = (int)MinOf(Vector512.ConditionalSelect(ties, at, Vector512.Create(long.MaxValue)));
        bestS = s[chosen];
        if (own >= 0 && (ownS < bestS || (ownS == bestS && own < chosen)))
        {
            bestS = ownS;
            chosen = own;
        }
        *best = bestS;
        *index = chosen;
        const int t = KMeansData.Tile;
        double allowance = _allowance;
        var infinity = Vector512.Create(double.PositiveInfinity);
        var chosenLane = Vector512.Create((long)chosen);
        for (ulong bits = need; bits != 0; bits &= bits - 1)
        {
            int g = BitOperations.TrailingZeroCount(bits), kt = g * 8;
            var v = Vector512.ConditionalSelect(Vector512.Equals(iota + Vector512.Create((long)kt), chosenLane).AsDouble(), infinity, Vector512.Load(s + kt));
            rowBounds[g * t] = Lower(rowNorm2 + MinOf(v), allowance) + drift[g];
        }
        if (own >= 0 && chosen != own && (need & (1UL << (own / 8))) == 0)
        {
            int g = own / 8;
            rowBounds[g * t] = Math.Min(rowBounds[g * t], Lower(rowNorm2 + ownS, allowance) + drift[g]);
        }
    }

    /// <summary>The smallest lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MinOf(Vector512<double> v)
    {
        var m = Vector256.Min(v.GetLower(), v.GetUpper());
        var h = Vector128.Min(m.GetLower(), m.GetUpper());
        return Math.Min(h.GetElement(0), h.GetElement(1));
    }

    /// <summary>The smallest lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long MinOf(Vector512<long> v)
    {
        var m = Vector256.Min(v.GetLower(), v.GetUpper());
        var h = Vector128.Min(m.GetLower(), m.GetUpper());
        return Math.Min(h.GetElement(0), h.GetElement(1));
    }

    /// <summary>A lower bound on the exact distance whose computed square is <paramref name="d2"/>.</summary>
    private static double Lower(double d2, double allowance) => Math.Sqrt(Math.Max(d2 - allowance, 0));
}
