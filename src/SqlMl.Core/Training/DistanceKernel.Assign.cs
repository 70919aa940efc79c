using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SqlMl.Training;

/// <summary>The assignment step: the distance tile with the arg-min over centroids folded in.</summary>
internal static unsafe partial class DistanceKernel
{
    /// <summary>
    /// For rows r0 … r0 + Tile − 1: best[b] = min over centroids of s = ‖c‖² − 2·x_b·c and index[b] its centroid
    /// (the first on ties). <paramref name="cols"/> holds the numeric columns' base addresses (row 0), computed once
    /// per chunk by the caller. On AVX-512 the product and the arg-min are fused and the running minimum stays in
    /// registers; <paramref name="block"/> (Padded × Tile doubles) is scratch for the one-hot part and other paths.
    /// It is fully optimized from its first call, with <see cref="Assign512{TRows}"/> inlined: a process's first training
    /// would otherwise run the kernel as unoptimized code until the runtime's tiering caught up (about a third of a
    /// cold <c>sqlml</c> run's iterations at 1M rows; an optimized but not inlined Assign512 is slower still).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Assign(KMeansData data, PackedCentroids c, double** cols, int r0, Span<double> block, double* best, long* index)
    {
        if (!FusedAssign)
        {
            Tile(data, c, r0, block);
            ArgMin(block, c.Count, new Span<double>(best, T), new Span<long>(index, T));
            return;
        }
        bool oneHot = data.OneHot.Length > 0;
        if (oneHot) OneHotDots(data, c, r0, block);
        fixed (double* buf = block)
            Assign512(new ColumnRows(cols, r0), c.NumericCount, c.NumericPointer, c.Norm2Pointer, c.Padded, oneHot ? buf : null, best, index);
    }

    /// <summary>Whether <see cref="Assign"/> and <see cref="AssignTiles"/> run the fused AVX-512 kernel.</summary>
    public static bool FusedAssign => Effective == KernelPath.Vector512 && Avx512F.IsSupported;

    /// <summary>
    /// <see cref="Assign"/> for the <paramref name="count"/> tiles of rows r0 … r0 + count·Tile − 1, read from their tiles of
    /// <see cref="KMeansData.Tiles"/> (<paramref name="tiles"/>: the first; feature j's 16 values at j·16) instead of the
    /// columns: the same operations in the same order, so the same bits. best and index get count·Tile entries. Only
    /// when <see cref="FusedAssign"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AssignTiles(KMeansData data, PackedCentroids c, double* tiles, int r0, int count, Span<double> block, double* best, long* index)
    {
        bool oneHot = data.OneHot.Length > 0;
        int p = c.NumericCount, kp = c.Padded, stride = data.TileStride;
        double* cnum = c.NumericPointer, cn = c.Norm2Pointer;
        fixed (double* buf = block)
        {
            for (int q = 0; q < count; q++)
            {
                if (oneHot) OneHotDots(data, c, r0 + q * T, block);
                Assign512(new TileRows(tiles + (long)q * stride), p, cnum, cn, kp, oneHot ? buf : null, best + q * T, index + q * T);
            }
        }
    }

    /// <summary>Where the kernel reads feature j of a tile's 16 rows (two vectors: <c>half</c> 0 and 8).</summary>
    private interface ITileRows
    {
        Vector512<double> Load(int j, int half);
    }

    /// <summary>From the column arrays: column j at row r0.</summary>
    private readonly struct ColumnRows(double** cols, int r0) : ITileRows
    {
        public Vector512<double> Load(int j, int half) => Vector512.Load(cols[j] + r0 + half);
    }

    /// <summary>From one contiguous tile: feature j at j·16.</summary>
    private readonly struct TileRows(double* tile) : ITileRows
    {
        public Vector512<double> Load(int j, int half) => Vector512.Load(tile + j * T + half);
    }

    /// <summary>
    /// The AVX-512 product of <see cref="Tile512"/> with the arg-min folded in: 8 centroids × 2 row vectors of
    /// accumulators, the feature loop innermost; then per centroid s = ‖c‖² − 2·dot, the running minimum and, under the
    /// compare mask, its index (ties keep the lower index; padding centroids have ‖c‖² = +∞ and never win).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Assign512<TRows>(TRows rows, int p, double* cnum, double* cn, int kp, double* init, double* best, long* index)
        where TRows : struct, ITileRows
    {
        var minus2 = Vector512.Create(-2.0);
        var m0 = Vector512.Create(double.PositiveInfinity);
        var m1 = m0;
        var i0 = Vector512<long>.Zero;
        var i1 = i0;
        var kv = Vector512<long>.Zero;
        for (int kt = 0; kt < kp; kt += 8)
        {
            Vector512<double> a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71;
            if (init is null)
            {
                a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = Vector512<double>.Zero;
                a40 = a41 = a50 = a51 = a60 = a61 = a70 = a71 = Vector512<double>.Zero;
            }
            else
            {
                double* o = init + kt * T;
                a00 = Vector512.Load(o); a01 = Vector512.Load(o + 8);
                a10 = Vector512.Load(o + 16); a11 = Vector512.Load(o + 24);
                a20 = Vector512.Load(o + 32); a21 = Vector512.Load(o + 40);
                a30 = Vector512.Load(o + 48); a31 = Vector512.Load(o + 56);
                a40 = Vector512.Load(o + 64); a41 = Vector512.Load(o + 72);
                a50 = Vector512.Load(o + 80); a51 = Vector512.Load(o + 88);
                a60 = Vector512.Load(o + 96); a61 = Vector512.Load(o + 104);
                a70 = Vector512.Load(o + 112); a71 = Vector512.Load(o + 120);
            }
            double* cj = cnum + kt;
            for (int j = 0; j < p; j++, cj += kp)
            {
                var x0 = rows.Load(j, 0);
                var x1 = rows.Load(j, 8);
                var c = Vector512.Create(cj[0]);
                a00 = Vector512.FusedMultiplyAdd(x0, c, a00);
                a01 = Vector512.FusedMultiplyAdd(x1, c, a01);
                c = Vector512.Create(cj[1]);
                a10 = Vector512.FusedMultiplyAdd(x0, c, a10);
                a11 = Vector512.FusedMultiplyAdd(x1, c, a11);
                c = Vector512.Create(cj[2]);
                a20 = Vector512.FusedMultiplyAdd(x0, c, a20);
                a21 = Vector512.FusedMultiplyAdd(x1, c, a21);
                c = Vector512.Create(cj[3]);
                a30 = Vector512.FusedMultiplyAdd(x0, c, a30);
                a31 = Vector512.FusedMultiplyAdd(x1, c, a31);
                c = Vector512.Create(cj[4]);
                a40 = Vector512.FusedMultiplyAdd(x0, c, a40);
                a41 = Vector512.FusedMultiplyAdd(x1, c, a41);
                c = Vector512.Create(cj[5]);
                a50 = Vector512.FusedMultiplyAdd(x0, c, a50);
                a51 = Vector512.FusedMultiplyAdd(x1, c, a51);
                c = Vector512.Create(cj[6]);
                a60 = Vector512.FusedMultiplyAdd(x0, c, a60);
                a61 = Vector512.FusedMultiplyAdd(x1, c, a61);
                c = Vector512.Create(cj[7]);
                a70 = Vector512.FusedMultiplyAdd(x0, c, a70);
                a71 = Vector512.FusedMultiplyAdd(x1, c, a71);
            }
            double* n = cn + kt;
            Min(a00, a01, minus2, n[0], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a10, a11, minus2, n[1], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a20, a21, minus2, n[2], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a30, a31, minus2, n[3], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a40, a41, minus2, n[4], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a50, a51, minus2, n[5], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a60, a61, minus2, n[6], ref kv, ref m0, ref m1, ref i0, ref i1);
            Min(a70, a71, minus2, n[7], ref kv, ref m0, ref m1, ref i0, ref i1);
        }
        m0.Store(best);
        m1.Store(best + 8);
        i0.Store(index);
        i1.Store(index + 8);
    }

    /// <summary>
    /// s = ‖c_k‖² − 2·dot for both row vectors; where s is below the running minimum (a compare mask) the index becomes
    /// <paramref name="kv"/>; the minimum itself is vminpd (equal values keep the old one, NaN cannot occur). Then k + 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Min(Vector512<double> dot0, Vector512<double> dot1, Vector512<double> minus2, double norm2, ref Vector512<long> kv,
        ref Vector512<double> m0, ref Vector512<double> m1, ref Vector512<long> i0, ref Vector512<long> i1)
    {
        var norm = Vector512.Create(norm2);
        var s0 = Avx512F.FusedMultiplyAdd(dot0, minus2, norm);
        var s1 = Avx512F.FusedMultiplyAdd(dot1, minus2, norm);
        var lt0 = Avx512F.CompareLessThan(s0, m0).AsInt64();
        var lt1 = Avx512F.CompareLessThan(s1, m1).AsInt64();
        m0 = Avx512F.Min(s0, m0);
        m1 = Avx512F.Min(s1, m1);
        i0 = Avx512F.BlendVariable(i0, kv, lt0);
        i1 = Avx512F.BlendVariable(i1, kv, lt1);
        kv += Vector512<long>.One;
    }
}
