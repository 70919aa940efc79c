using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SqlMl.Training;

/// <summary>The anomaly-score step: the distance tile with a scaled minimum over centroids folded in.</summary>
internal static unsafe partial class DistanceKernel
{
    /// <summary>
    /// For the 16 rows of one tile of <see cref="KMeansData.Tiles"/> (<paramref name="tile"/>; rows r0 … r0 + 15):
    /// best[b] = min over centroids c with a finite <paramref name="factors"/>[c] of max(‖x_b‖² + s, 0) · factors[c],
    /// s = ‖c‖² − 2·x_b·c (+∞ when every factor is infinite). The same products as <see cref="Tile"/> (<see cref="Dots4"/>) followed by the
    /// per-centroid loop of the anomaly scores (<see cref="KMeansScoring.NormalizedDistances"/>), so the same bits, with
    /// the running minimum kept in registers instead of a block of Padded × 16 values stored and read back.
    /// <paramref name="factors"/> has <see cref="PackedCentroids.Padded"/> entries (+∞ past the last centroid);
    /// <paramref name="block"/> is scratch for the one-hot part. Only when <see cref="FusedAssign"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScoreTile(KMeansData data, PackedCentroids c, double* tile, int r0, Span<double> block, double* factors, double* best)
    {
        bool oneHot = data.OneHot.Length > 0;
        if (oneHot) OneHotDots(data, c, r0, block);
        int p = c.NumericCount, kp = c.Padded;
        double* cnum = c.NumericPointer, cn = c.Norm2Pointer;
        var rows = new TileRows(tile);
        var n0 = Vector512.Load(tile + p * T);
        var n1 = Vector512.Load(tile + p * T + 8);
        var minus2 = Vector512.Create(-2.0);
        var m0 = Vector512.Create(double.PositiveInfinity);
        var m1 = m0;
        fixed (double* init = block)
        {
            for (int kt = 0; kt < kp; kt += 4)
            {
                Dots4(rows, p, cnum + kt, kp, oneHot ? init + kt * T : null,
                    out var a00, out var a01, out var a10, out var a11, out var a20, out var a21, out var a30, out var a31);
                ScaledMin(a00, a01, minus2, cn[kt], factors[kt], n0, n1, ref m0, ref m1);
                ScaledMin(a10, a11, minus2, cn[kt + 1], factors[kt + 1], n0, n1, ref m0, ref m1);
                ScaledMin(a20, a21, minus2, cn[kt + 2], factors[kt + 2], n0, n1, ref m0, ref m1);
                ScaledMin(a30, a31, minus2, cn[kt + 3], factors[kt + 3], n0, n1, ref m0, ref m1);
            }
        }
        m0.Store(best);
        m1.Store(best + 8);
    }

    /// <summary>s = ‖c‖² − 2·dot for both row vectors, then the running minimum of max(‖x‖² + s, 0) · factor; nothing for an
    /// infinite factor (a centroid left out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaledMin(Vector512<double> dot0, Vector512<double> dot1, Vector512<double> minus2, double norm2, double factor,
        Vector512<double> n0, Vector512<double> n1, ref Vector512<double> m0, ref Vector512<double> m1)
    {
        if (double.IsPositiveInfinity(factor)) return;
        var norm = Vector512.Create(norm2);
        var f = Vector512.Create(factor);
        var s0 = Avx512F.FusedMultiplyAdd(dot0, minus2, norm);
        var s1 = Avx512F.FusedMultiplyAdd(dot1, minus2, norm);
        m0 = Vector512.Min(m0, Vector512.Max(n0 + s0, Vector512<double>.Zero) * f);
        m1 = Vector512.Min(m1, Vector512.Max(n1 + s1, Vector512<double>.Zero) * f);
    }
}
