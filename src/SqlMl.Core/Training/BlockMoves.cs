using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SqlMl.Training;

/// <summary>
/// The numeric part of moving rows between cluster sums, for eight rows of a tile at once (the tiled path of
/// <see cref="LloydPass"/>). A tile stores each feature's 16 rows side by side, so consecutive coordinates of one row
/// are 16 doubles apart, and the row-by-row move (<c>LloydPass.Move</c>, still used on the columns) made two strided
/// scalar loads and two scalar read-add-writes per coordinate. Here eight features of the eight rows are loaded as
/// eight vectors and transposed (three rounds of two-source shuffles), and each moving row then adds its eight
/// coordinates to its new cluster's sums and subtracts them from its old one's, four at a time. Every sum gets the same
/// additions and subtractions in the same row order as one row at a time (lanes are independent), so the sums are the
/// same bits. Features past the last multiple of eight go one by one.
/// </summary>
internal static unsafe class BlockMoves
{
    /// <summary>Rows per block: one 512-bit vector of a tile's feature. AVX-512 only (the tiled path needs it).</summary>
    public const int Rows = 8;

    /// <summary>
    /// For each row i of the block whose bit is set in <paramref name="moved"/>: its numeric coordinates
    /// (<paramref name="rows"/>: feature j of row i at j·16 + i) join cluster <paramref name="to"/>[i]'s sums and, when
    /// <paramref name="from"/>[i] ≥ 0, leave cluster <paramref name="from"/>[i]'s (<paramref name="sums"/>: cluster c's at
    /// c·<paramref name="d"/>), rows in ascending order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Numeric(double* rows, int p, int d, double* sums, int* from, long* to, uint moved)
    {
        const int t = KMeansData.Tile;
        double* block = stackalloc double[Rows * Rows];
        int j0 = 0;
        for (; j0 + Rows <= p; j0 += Rows)
        {
            Transpose(rows + j0 * t, block);
            for (uint m = moved; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                var x0 = Vector256.Load(block + i * Rows);
                var x1 = Vector256.Load(block + i * Rows + 4);
                double* add = sums + to[i] * d + j0;
                (Vector256.Load(add) + x0).Store(add);
                (Vector256.Load(add + 4) + x1).Store(add + 4);
                if (from[i] < 0) continue;
                double* sub = sums + (long)from[i] * d + j0;
                (Vector256.Load(sub) - x0).Store(sub);
                (Vector256.Load(sub + 4) - x1).Store(sub + 4);
            }
        }
        for (; j0 < p; j0++)
        {
            for (uint m = moved; m != 0; m &= m - 1)
            {
                int i = BitOperations.TrailingZeroCount(m);
                double x = rows[j0 * t + i];
                sums[to[i] * d + j0] += x;
                if (from[i] >= 0) sums[(long)from[i] * d + j0] -= x;
            }
        }
    }

    /// <summary>
    /// <paramref name="block"/>[i·8 + j] = <paramref name="features"/>[j·16 + i] for i, j &lt; 8: eight rows' eight
    /// features, row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(double* features, double* block)
    {
        const int t = KMeansData.Tile;
        var a0 = Vector512.Load(features);
        var a1 = Vector512.Load(features + t);
        var a2 = Vector512.Load(features + 2 * t);
        var a3 = Vector512.Load(features + 3 * t);
        var a4 = Vector512.Load(features + 4 * t);
        var a5 = Vector512.Load(features + 5 * t);
        var a6 = Vector512.Load(features + 6 * t);
        var a7 = Vector512.Load(features + 7 * t);
        // Pairs of features: rows 0, 2, 4, 6 (low) and 1, 3, 5, 7 (high).
        var t0 = Avx512F.UnpackLow(a0, a1);
        var t1 = Avx512F.UnpackHigh(a0, a1);
        var t2 = Avx512F.UnpackLow(a2, a3);
        var t3 = Avx512F.UnpackHigh(a2, a3);
        var t4 = Avx512F.UnpackLow(a4, a5);
        var t5 = Avx512F.UnpackHigh(a4, a5);
        var t6 = Avx512F.UnpackLow(a6, a7);
        var t7 = Avx512F.UnpackHigh(a6, a7);
        // Four features: rows (0, 4), (2, 6), (1, 5), (3, 7).
        var low = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
        var high = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        var u0 = Avx512F.PermuteVar8x64x2(t0, low, t2);
        var u2 = Avx512F.PermuteVar8x64x2(t0, high, t2);
        var u1 = Avx512F.PermuteVar8x64x2(t1, low, t3);
        var u3 = Avx512F.PermuteVar8x64x2(t1, high, t3);
        var u4 = Avx512F.PermuteVar8x64x2(t4, low, t6);
        var u6 = Avx512F.PermuteVar8x64x2(t4, high, t6);
        var u5 = Avx512F.PermuteVar8x64x2(t5, low, t7);
        var u7 = Avx512F.PermuteVar8x64x2(t5, high, t7);
        // Eight features: the low halves make rows 0–3, the high halves rows 4–7.
        Half(Avx512F.Shuffle4x128(u0, u4, 0x44), block);
        Half(Avx512F.Shuffle4x128(u1, u5, 0x44), block + Rows);
        Half(Avx512F.Shuffle4x128(u2, u6, 0x44), block + 2 * Rows);
        Half(Avx512F.Shuffle4x128(u3, u7, 0x44), block + 3 * Rows);
        Half(Avx512F.Shuffle4x128(u0, u4, 0xEE), block + 4 * Rows);
        Half(Avx512F.Shuffle4x128(u1, u5, 0xEE), block + 5 * Rows);
        Half(Avx512F.Shuffle4x128(u2, u6, 0xEE), block + 6 * Rows);
        Half(Avx512F.Shuffle4x128(u3, u7, 0xEE), block + 7 * Rows);
    }

    /// <summary>Stores <paramref name="row"/> as two 256-bit halves, the width it is read back with.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Half(Vector512<double> row, double* at)
    {
        row.GetLower().Store(at);
        row.GetUpper().Store(at + 4);
    }
}
