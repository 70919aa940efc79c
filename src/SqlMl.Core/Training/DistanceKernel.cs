using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>Which SIMD width <see cref="DistanceKernel"/> uses; tests force each one against the plain reference.</summary>
internal enum KernelPath
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}

/// <summary>
/// The distance step of k-means, blocked like a matrix product: for a tile of <see cref="KMeansData.Tile"/> rows it
/// computes s[k][b] = ‖c_k‖² − 2·x_b·c_k for every centroid (the squared distance is ‖x_b‖² + s). The numeric part
/// is a register-tiled product (2 row vectors × 4 centroids of accumulators, the feature loop innermost, row data
/// and centroids in L1); one-hot features add their centroid coordinate by index. Because the block is exactly
/// C·Xᵀ plus a rank-one term, a BLAS GEMM or a GPU can take this step over without changing the callers.
/// </summary>
internal static unsafe partial class DistanceKernel
{
    private const int T = KMeansData.Tile;

    /// <summary>Forces a path (tests); <see cref="KernelPath.Auto"/> picks the widest the machine accelerates.</summary>
    public static KernelPath Path { get; set; } = KernelPath.Auto;

    internal static KernelPath Effective =>
        Path != KernelPath.Auto ? Path
        : Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : KernelPath.Scalar;

    /// <summary>
    /// Fills <paramref name="block"/> (Padded × Tile, centroid-major: block[k·Tile + b]) for rows r0 … r0 + Tile − 1 (r0 a
    /// multiple of the tile); on the AVX-512 path the rows come from the tiled copy when the data has one.
    /// It and its kernels are fully optimized at once: they serve the one-shot passes (k-means++ seeding, the final
    /// anomaly scores), too short for the runtime's tiering, which ran them as unoptimized code in a process's first
    /// trainings (same operations either way: the JIT does not reassociate or fuse floating-point arithmetic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(KMeansData data, PackedCentroids c, int r0, Span<double> block)
    {
        int kp = c.Padded;
        if (data.OneHot.Length == 0) block[..(kp * T)].Clear();
        else OneHotDots(data, c, r0, block);
        fixed (double* buf = block)
        {
            if (Effective == KernelPath.Vector512 && data.HasTiles)
            {
                // From the rows' tile of the tiled copy (r0 is a multiple of the tile): the same operations, the same bits.
                Tile512(new TileRows(data.Tiles + (long)(r0 / T) * data.TileStride), c.NumericCount, c.NumericPointer, c.Norm2Pointer, kp, buf);
                return;
            }
            double** cols = stackalloc double*[Math.Max(1, data.NumericPointers.Length)];
            for (int j = 0; j < data.NumericPointers.Length; j++) cols[j] = (double*)data.NumericPointers[j] + r0;
            switch (Effective)
            {
                case KernelPath.Vector512: Tile512(new ColumnRows(cols, 0), c.NumericCount, c.NumericPointer, c.Norm2Pointer, kp, buf); break;
                case KernelPath.Vector256: Tile256(cols, c.NumericCount, c.NumericPointer, c.Norm2Pointer, kp, buf); break;
                default: TileScalar(cols, c.NumericCount, c.NumericPointer, c.Norm2Pointer, kp, buf); break;
            }
        }
    }

    /// <summary>Per row of the tile, the smallest s over the first <paramref name="count"/> centroids and its index (first
    /// on ties). Only the paths without the fused AVX-512 kernel (<see cref="Assign"/>) use it.</summary>
    public static void ArgMin(ReadOnlySpan<double> block, int count, Span<double> best, Span<long> index)
    {
        for (int r = 0; r < T; r++)
        {
            double m = double.PositiveInfinity;
            int at = 0;
            for (int k = 0; k < count; k++)
            {
                double s = block[k * T + r];
                if (s < m) { m = s; at = k; }
            }
            best[r] = m;
            index[r] = at;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneHotDots(KMeansData data, PackedCentroids c, int r0, Span<double> block)
    {
        int kp = c.Padded;
        block[..(kp * T)].Clear();
        var oneHot = c.OneHot;
        var weight = data.OneHotWeight;
        for (int b = 0; b < T; b++)
        {
            int r = r0 + b;
            double w = weight is null ? 1 : weight[r];
            foreach (var col in data.OneHot)
            {
                int at = col[r] * kp;
                for (int k = 0; k < kp; k++) block[k * T + b] += w * oneHot[at + k];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<TRows>(TRows rows, int p, double* cnum, double* cn, int kp, double* buf)
        where TRows : struct, ITileRows
    {
        var minus2 = Vector512.Create(-2.0);
        for (int kt = 0; kt < kp; kt += 4)
        {
            double* o = buf + kt * T;
            Dots4(rows, p, cnum + kt, kp, o, out var a00, out var a01, out var a10, out var a11, out var a20, out var a21, out var a30, out var a31);
            Vector512.FusedMultiplyAdd(a00, minus2, Vector512.Create(cn[kt])).Store(o);
            Vector512.FusedMultiplyAdd(a01, minus2, Vector512.Create(cn[kt])).Store(o + 8);
            Vector512.FusedMultiplyAdd(a10, minus2, Vector512.Create(cn[kt + 1])).Store(o + 16);
            Vector512.FusedMultiplyAdd(a11, minus2, Vector512.Create(cn[kt + 1])).Store(o + 24);
            Vector512.FusedMultiplyAdd(a20, minus2, Vector512.Create(cn[kt + 2])).Store(o + 32);
            Vector512.FusedMultiplyAdd(a21, minus2, Vector512.Create(cn[kt + 2])).Store(o + 40);
            Vector512.FusedMultiplyAdd(a30, minus2, Vector512.Create(cn[kt + 3])).Store(o + 48);
            Vector512.FusedMultiplyAdd(a31, minus2, Vector512.Create(cn[kt + 3])).Store(o + 56);
        }
    }

    /// <summary>
    /// The dot products of a tile's 16 rows with four centroids (<paramref name="cj"/>: the first's coordinate of feature
    /// 0; feature j's four coordinates at j·<paramref name="kp"/>): per centroid two row vectors of accumulators, started
    /// from <paramref name="init"/> (16 values per centroid: the one-hot part, or zeros) or, when it is null, from zero,
    /// then x_j · c_j added for each feature in order (fused multiply-adds). Shared by <see cref="Tile512"/> and
    /// <see cref="ScoreTile"/>, so both give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dots4<TRows>(TRows rows, int p, double* cj, int kp, double* init,
        out Vector512<double> a00, out Vector512<double> a01, out Vector512<double> a10, out Vector512<double> a11,
        out Vector512<double> a20, out Vector512<double> a21, out Vector512<double> a30, out Vector512<double> a31)
        where TRows : struct, ITileRows
    {
        if (init is null)
        {
            a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = Vector512<double>.Zero;
        }
        else
        {
            a00 = Vector512.Load(init); a01 = Vector512.Load(init + 8);
            a10 = Vector512.Load(init + 16); a11 = Vector512.Load(init + 24);
            a20 = Vector512.Load(init + 32); a21 = Vector512.Load(init + 40);
            a30 = Vector512.Load(init + 48); a31 = Vector512.Load(init + 56);
        }
        for (int j = 0; j < p; j++, cj += kp)
        {
            var x0 = rows.Load(j, 0);
            var x1 = rows.Load(j, 8);
            var c0 = Vector512.Create(cj[0]);
            a00 = Vector512.FusedMultiplyAdd(x0, c0, a00);
            a01 = Vector512.FusedMultiplyAdd(x1, c0, a01);
            var c1 = Vector512.Create(cj[1]);
            a10 = Vector512.FusedMultiplyAdd(x0, c1, a10);
            a11 = Vector512.FusedMultiplyAdd(x1, c1, a11);
            var c2 = Vector512.Create(cj[2]);
            a20 = Vector512.FusedMultiplyAdd(x0, c2, a20);
            a21 = Vector512.FusedMultiplyAdd(x1, c2, a21);
            var c3 = Vector512.Create(cj[3]);
            a30 = Vector512.FusedMultiplyAdd(x0, c3, a30);
            a31 = Vector512.FusedMultiplyAdd(x1, c3, a31);
        }
    }

    /// <summary>AVX2 has 16 registers: 4 row vectors × 2 centroids of accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256(double** cols, int p, double* cnum, double* cn, int kp, double* buf)
    {
        var minus2 = Vector256.Create(-2.0);
        for (int kt = 0; kt < kp; kt += 2)
        {
            double* o = buf + kt * T;
            Vector256<double> a00 = Vector256.Load(o), a01 = Vector256.Load(o + 4), a02 = Vector256.Load(o + 8), a03 = Vector256.Load(o + 12);
            Vector256<double> a10 = Vector256.Load(o + 16), a11 = Vector256.Load(o + 20), a12 = Vector256.Load(o + 24), a13 = Vector256.Load(o + 28);
            double* cj = cnum + kt;
            for (int j = 0; j < p; j++, cj += kp)
            {
                double* x = cols[j];
                var x0 = Vector256.Load(x);
                var x1 = Vector256.Load(x + 4);
                var x2 = Vector256.Load(x + 8);
                var x3 = Vector256.Load(x + 12);
                var c0 = Vector256.Create(cj[0]);
                a00 = Vector256.FusedMultiplyAdd(x0, c0, a00);
                a01 = Vector256.FusedMultiplyAdd(x1, c0, a01);
                a02 = Vector256.FusedMultiplyAdd(x2, c0, a02);
                a03 = Vector256.FusedMultiplyAdd(x3, c0, a03);
                var c1 = Vector256.Create(cj[1]);
                a10 = Vector256.FusedMultiplyAdd(x0, c1, a10);
                a11 = Vector256.FusedMultiplyAdd(x1, c1, a11);
                a12 = Vector256.FusedMultiplyAdd(x2, c1, a12);
                a13 = Vector256.FusedMultiplyAdd(x3, c1, a13);
            }
            var n0 = Vector256.Create(cn[kt]);
            var n1 = Vector256.Create(cn[kt + 1]);
            Vector256.FusedMultiplyAdd(a00, minus2, n0).Store(o);
            Vector256.FusedMultiplyAdd(a01, minus2, n0).Store(o + 4);
            Vector256.FusedMultiplyAdd(a02, minus2, n0).Store(o + 8);
            Vector256.FusedMultiplyAdd(a03, minus2, n0).Store(o + 12);
            Vector256.FusedMultiplyAdd(a10, minus2, n1).Store(o + 16);
            Vector256.FusedMultiplyAdd(a11, minus2, n1).Store(o + 20);
            Vector256.FusedMultiplyAdd(a12, minus2, n1).Store(o + 24);
            Vector256.FusedMultiplyAdd(a13, minus2, n1).Store(o + 28);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileScalar(double** cols, int p, double* cnum, double* cn, int kp, double* buf)
    {
        for (int k = 0; k < kp; k++)
        {
            double* o = buf + k * T;
            for (int b = 0; b < T; b++)
            {
                double dot = o[b];
                for (int j = 0; j < p; j++) dot = Math.FusedMultiplyAdd(cols[j][b], cnum[j * kp + k], dot);
                o[b] = Math.FusedMultiplyAdd(dot, -2, cn[k]);
            }
        }
    }
}
