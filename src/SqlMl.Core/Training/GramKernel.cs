using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// The register-tiled kernel behind <see cref="MomentAccumulator"/>'s XᵀX: one 4×4 tile of column-pair dot products
/// over column-major data (rows padded to a multiple of 8), 16 vector accumulators so every loaded vector feeds 4 FMAs.
/// Vector512 and Vector256 paths, and a scalar one that doubles as the reference.
/// </summary>
internal static class GramKernel
{
    public const int Tile = 4;

    public static void Tile4x4(double[][] cols, int a0, int b0, int rows, Span<double> tile)
    {
        ReadOnlySpan<double> a0s = cols[a0].AsSpan(0, rows), a1s = cols[a0 + 1].AsSpan(0, rows),
            a2s = cols[a0 + 2].AsSpan(0, rows), a3s = cols[a0 + 3].AsSpan(0, rows);
        ReadOnlySpan<double> b0s = cols[b0].AsSpan(0, rows), b1s = cols[b0 + 1].AsSpan(0, rows),
            b2s = cols[b0 + 2].AsSpan(0, rows), b3s = cols[b0 + 3].AsSpan(0, rows);
        if (Vector512.IsHardwareAccelerated)
        {
            Kernel512(a0s, a1s, a2s, a3s, b0s, b1s, b2s, b3s, rows, tile);
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Kernel256(a0s, a1s, a2s, a3s, b0s, b1s, b2s, b3s, rows, tile);
            return;
        }
        tile.Clear();
        for (int r = 0; r < rows; r++)
        {
            double x0 = a0s[r], x1 = a1s[r], x2 = a2s[r], x3 = a3s[r];
            double y0 = b0s[r], y1 = b1s[r], y2 = b2s[r], y3 = b3s[r];
            tile[0] += x0 * y0; tile[1] += x0 * y1; tile[2] += x0 * y2; tile[3] += x0 * y3;
            tile[4] += x1 * y0; tile[5] += x1 * y1; tile[6] += x1 * y2; tile[7] += x1 * y3;
            tile[8] += x2 * y0; tile[9] += x2 * y1; tile[10] += x2 * y2; tile[11] += x2 * y3;
            tile[12] += x3 * y0; tile[13] += x3 * y1; tile[14] += x3 * y2; tile[15] += x3 * y3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(ReadOnlySpan<double> x0s, ReadOnlySpan<double> x1s, ReadOnlySpan<double> x2s, ReadOnlySpan<double> x3s,
        ReadOnlySpan<double> y0s, ReadOnlySpan<double> y1s, ReadOnlySpan<double> y2s, ReadOnlySpan<double> y3s, int rows, Span<double> tile)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x0s), x1 = ref MemoryMarshal.GetReference(x1s),
            x2 = ref MemoryMarshal.GetReference(x2s), x3 = ref MemoryMarshal.GetReference(x3s);
        ref double y0 = ref MemoryMarshal.GetReference(y0s), y1 = ref MemoryMarshal.GetReference(y1s),
            y2 = ref MemoryMarshal.GetReference(y2s), y3 = ref MemoryMarshal.GetReference(y3s);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        for (nuint r = 0; r < (nuint)rows; r += 8)
        {
            var a0 = Vector512.LoadUnsafe(ref x0, r);
            var a1 = Vector512.LoadUnsafe(ref x1, r);
            var a2 = Vector512.LoadUnsafe(ref x2, r);
            var a3 = Vector512.LoadUnsafe(ref x3, r);
            var b0 = Vector512.LoadUnsafe(ref y0, r);
            var b1 = Vector512.LoadUnsafe(ref y1, r);
            var b2 = Vector512.LoadUnsafe(ref y2, r);
            var b3 = Vector512.LoadUnsafe(ref y3, r);
            s00 = Vector512.FusedMultiplyAdd(a0, b0, s00); s01 = Vector512.FusedMultiplyAdd(a0, b1, s01); s02 = Vector512.FusedMultiplyAdd(a0, b2, s02); s03 = Vector512.FusedMultiplyAdd(a0, b3, s03);
            s10 = Vector512.FusedMultiplyAdd(a1, b0, s10); s11 = Vector512.FusedMultiplyAdd(a1, b1, s11); s12 = Vector512.FusedMultiplyAdd(a1, b2, s12); s13 = Vector512.FusedMultiplyAdd(a1, b3, s13);
            s20 = Vector512.FusedMultiplyAdd(a2, b0, s20); s21 = Vector512.FusedMultiplyAdd(a2, b1, s21); s22 = Vector512.FusedMultiplyAdd(a2, b2, s22); s23 = Vector512.FusedMultiplyAdd(a2, b3, s23);
            s30 = Vector512.FusedMultiplyAdd(a3, b0, s30); s31 = Vector512.FusedMultiplyAdd(a3, b1, s31); s32 = Vector512.FusedMultiplyAdd(a3, b2, s32); s33 = Vector512.FusedMultiplyAdd(a3, b3, s33);
        }
        tile[0] = Vector512.Sum(s00); tile[1] = Vector512.Sum(s01); tile[2] = Vector512.Sum(s02); tile[3] = Vector512.Sum(s03);
        tile[4] = Vector512.Sum(s10); tile[5] = Vector512.Sum(s11); tile[6] = Vector512.Sum(s12); tile[7] = Vector512.Sum(s13);
        tile[8] = Vector512.Sum(s20); tile[9] = Vector512.Sum(s21); tile[10] = Vector512.Sum(s22); tile[11] = Vector512.Sum(s23);
        tile[12] = Vector512.Sum(s30); tile[13] = Vector512.Sum(s31); tile[14] = Vector512.Sum(s32); tile[15] = Vector512.Sum(s33);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(ReadOnlySpan<double> x0s, ReadOnlySpan<double> x1s, ReadOnlySpan<double> x2s, ReadOnlySpan<double> x3s,
        ReadOnlySpan<double> y0s, ReadOnlySpan<double> y1s, ReadOnlySpan<double> y2s, ReadOnlySpan<double> y3s, int rows, Span<double> tile)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x0s), x1 = ref MemoryMarshal.GetReference(x1s),
            x2 = ref MemoryMarshal.GetReference(x2s), x3 = ref MemoryMarshal.GetReference(x3s);
        ref double y0 = ref MemoryMarshal.GetReference(y0s), y1 = ref MemoryMarshal.GetReference(y1s),
            y2 = ref MemoryMarshal.GetReference(y2s), y3 = ref MemoryMarshal.GetReference(y3s);
        Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        for (nuint r = 0; r < (nuint)rows; r += 4)
        {
            var a0 = Vector256.LoadUnsafe(ref x0, r);
            var a1 = Vector256.LoadUnsafe(ref x1, r);
            var a2 = Vector256.LoadUnsafe(ref x2, r);
            var a3 = Vector256.LoadUnsafe(ref x3, r);
            var b0 = Vector256.LoadUnsafe(ref y0, r);
            var b1 = Vector256.LoadUnsafe(ref y1, r);
            var b2 = Vector256.LoadUnsafe(ref y2, r);
            var b3 = Vector256.LoadUnsafe(ref y3, r);
            s00 = Vector256.FusedMultiplyAdd(a0, b0, s00); s01 = Vector256.FusedMultiplyAdd(a0, b1, s01); s02 = Vector256.FusedMultiplyAdd(a0, b2, s02); s03 = Vector256.FusedMultiplyAdd(a0, b3, s03);
            s10 = Vector256.FusedMultiplyAdd(a1, b0, s10); s11 = Vector256.FusedMultiplyAdd(a1, b1, s11); s12 = Vector256.FusedMultiplyAdd(a1, b2, s12); s13 = Vector256.FusedMultiplyAdd(a1, b3, s13);
            s20 = Vector256.FusedMultiplyAdd(a2, b0, s20); s21 = Vector256.FusedMultiplyAdd(a2, b1, s21); s22 = Vector256.FusedMultiplyAdd(a2, b2, s22); s23 = Vector256.FusedMultiplyAdd(a2, b3, s23);
            s30 = Vector256.FusedMultiplyAdd(a3, b0, s30); s31 = Vector256.FusedMultiplyAdd(a3, b1, s31); s32 = Vector256.FusedMultiplyAdd(a3, b2, s32); s33 = Vector256.FusedMultiplyAdd(a3, b3, s33);
        }
        tile[0] = Vector256.Sum(s00); tile[1] = Vector256.Sum(s01); tile[2] = Vector256.Sum(s02); tile[3] = Vector256.Sum(s03);
        tile[4] = Vector256.Sum(s10); tile[5] = Vector256.Sum(s11); tile[6] = Vector256.Sum(s12); tile[7] = Vector256.Sum(s13);
        tile[8] = Vector256.Sum(s20); tile[9] = Vector256.Sum(s21); tile[10] = Vector256.Sum(s22); tile[11] = Vector256.Sum(s23);
        tile[12] = Vector256.Sum(s30); tile[13] = Vector256.Sum(s31); tile[14] = Vector256.Sum(s32); tile[15] = Vector256.Sum(s33);
    }
}
