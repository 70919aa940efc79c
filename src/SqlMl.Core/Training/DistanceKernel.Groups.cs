using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SqlMl.Training;

/// <summary>The assignment step with per-group minima, for <see cref="LloydBounds"/>.</summary>
internal static unsafe partial class DistanceKernel
{
    /// <summary>
    /// <see cref="Assign512"/> (same operations, so the same best and index bits) for a tile of numeric rows, which also
    /// keeps, per group of 8 centroids g and row b, the smallest s in the group (<c>groupMin[g·Tile + b]</c>) and the
    /// second smallest (<c>groupSecond[g·Tile + b]</c>; equal to the smallest on a tie).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AssignGroups512(double** cols, int r0, int p, double* cnum, double* cn, int kp, double* best, long* index, double* groupMin, double* groupSecond)
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
            a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = Vector512<double>.Zero;
            a40 = a41 = a50 = a51 = a60 = a61 = a70 = a71 = Vector512<double>.Zero;
            double* cj = cnum + kt;
            for (int j = 0; j < p; j++, cj += kp)
            {
                double* x = cols[j] + r0;
                var x0 = Vector512.Load(x);
                var x1 = Vector512.Load(x + 8);
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
            var g0 = Vector512.Create(double.PositiveInfinity);
            var g1 = g0;
            var h0 = g0;
            var h1 = g0;
            MinGroup(a00, a01, minus2, n[0], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a10, a11, minus2, n[1], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a20, a21, minus2, n[2], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a30, a31, minus2, n[3], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a40, a41, minus2, n[4], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a50, a51, minus2, n[5], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a60, a61, minus2, n[6], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            MinGroup(a70, a71, minus2, n[7], ref kv, ref m0, ref m1, ref i0, ref i1, ref g0, ref g1, ref h0, ref h1);
            double* gm = groupMin + kt * 2, gs = groupSecond + kt * 2;
            g0.Store(gm);
            g1.Store(gm + 8);
            h0.Store(gs);
            h1.Store(gs + 8);
        }
        m0.Store(best);
        m1.Store(best + 8);
        i0.Store(index);
        i1.Store(index + 8);
    }

    /// <summary><see cref="Min"/>, and the group's smallest (g) and second smallest (h) s per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MinGroup(Vector512<double> dot0, Vector512<double> dot1, Vector512<double> minus2, double norm2, ref Vector512<long> kv,
        ref Vector512<double> m0, ref Vector512<double> m1, ref Vector512<long> i0, ref Vector512<long> i1,
        ref Vector512<double> g0, ref Vector512<double> g1, ref Vector512<double> h0, ref Vector512<double> h1)
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
        h0 = Avx512F.Min(h0, Avx512F.Max(g0, s0));
        h1 = Avx512F.Min(h1, Avx512F.Max(g1, s1));
        g0 = Avx512F.Min(g0, s0);
        g1 = Avx512F.Min(g1, s1);
    }
}
