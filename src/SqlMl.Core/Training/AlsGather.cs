using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// The gather step of ALS: copies (or scales) the fixed side's factor rows of one user's items (or one item's users)
/// into a contiguous block for <see cref="AlsKernels.AddGram"/>, and accumulates the right-hand side on the way.
/// Rows have stride <c>stride</c> (a multiple of 8, zero padded); sums over whole chunks of 4 vectors stay in
/// registers while the entries stream by.
/// </summary>
internal static unsafe class AlsGather
{
    private const int Lanes = 8;

    /// <summary>
    /// Explicit ALS gather: for each entry e, copies row <c>others[e]</c> of <paramref name="fixedRows"/> (stride
    /// <paramref name="stride"/>) to row e of <paramref name="dst"/>, and with t = values[e] − global −
    /// fixedIntercepts[others[e]] adds t·row to <paramref name="rhs"/> and row to <paramref name="sum"/>. Returns Σ t,
    /// and Σ t² in <paramref name="targetSquares"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double GatherExplicit(ReadOnlySpan<double> fixedRows, ReadOnlySpan<double> fixedIntercepts, ReadOnlySpan<int> others,
        ReadOnlySpan<double> values, double global, int stride, Span<double> dst, Span<double> rhs, Span<double> sum, out double targetSquares)
    {
        if (dst.Length < others.Length * stride || rhs.Length < stride || sum.Length < stride || values.Length < others.Length) throw new ArgumentException("bad gather shapes");
        double targetSum = 0;
        targetSquares = 0;
        var targets = others.Length <= 256 ? stackalloc double[others.Length] : new double[others.Length];
        for (int e = 0; e < others.Length; e++)
        {
            int other = others[e];
            if ((uint)other >= (uint)fixedIntercepts.Length || (long)(other + 1) * stride > fixedRows.Length) throw new ArgumentOutOfRangeException(nameof(others));
            targets[e] = values[e] - global - fixedIntercepts[other];
            targetSum += targets[e];
            targetSquares += targets[e] * targets[e];
        }
        fixed (double* f = fixedRows)
        fixed (double* d = dst)
        fixed (double* r = rhs)
        fixed (double* s = sum)
        fixed (int* idx = others)
        fixed (double* t = targets)
        {
            int c0 = 0;
            // Whole chunks of 4 vectors: the sums stay in registers while the entries stream by.
            for (; c0 + 4 * Lanes <= stride; c0 += 4 * Lanes)
            {
                Vector512<double> r0 = Vector512.Load(r + c0), r1 = Vector512.Load(r + c0 + 8), r2 = Vector512.Load(r + c0 + 16), r3 = Vector512.Load(r + c0 + 24);
                Vector512<double> s0 = Vector512.Load(s + c0), s1 = Vector512.Load(s + c0 + 8), s2 = Vector512.Load(s + c0 + 16), s3 = Vector512.Load(s + c0 + 24);
                for (int e = 0; e < others.Length; e++)
                {
                    double* src = f + (long)idx[e] * stride + c0, to = d + (long)e * stride + c0;
                    var vt = Vector512.Create(t[e]);
                    var v0 = Vector512.Load(src); var v1 = Vector512.Load(src + 8); var v2 = Vector512.Load(src + 16); var v3 = Vector512.Load(src + 24);
                    v0.Store(to); v1.Store(to + 8); v2.Store(to + 16); v3.Store(to + 24);
                    r0 = Vector512.FusedMultiplyAdd(vt, v0, r0); r1 = Vector512.FusedMultiplyAdd(vt, v1, r1);
                    r2 = Vector512.FusedMultiplyAdd(vt, v2, r2); r3 = Vector512.FusedMultiplyAdd(vt, v3, r3);
                    s0 += v0; s1 += v1; s2 += v2; s3 += v3;
                }
                r0.Store(r + c0); r1.Store(r + c0 + 8); r2.Store(r + c0 + 16); r3.Store(r + c0 + 24);
                s0.Store(s + c0); s1.Store(s + c0 + 8); s2.Store(s + c0 + 16); s3.Store(s + c0 + 24);
            }
            for (; c0 < stride; c0 += Lanes)
            {
                var r0 = Vector512.Load(r + c0);
                var s0 = Vector512.Load(s + c0);
                for (int e = 0; e < others.Length; e++)
                {
                    var v = Vector512.Load(f + (long)idx[e] * stride + c0);
                    v.Store(d + (long)e * stride + c0);
                    r0 = Vector512.FusedMultiplyAdd(Vector512.Create(t[e]), v, r0);
                    s0 += v;
                }
                r0.Store(r + c0);
                s0.Store(s + c0);
            }
        }
        return targetSum;
    }

    /// <summary>
    /// Implicit ALS gather: row e of <paramref name="dst"/> = √(α|v|) · fixed row <c>others[e]</c> (its weighted
    /// outer product goes into the Gram matrix), and for v &gt; 0, rhs += (1 + α|v|) · fixed row. Returns Σ_{v &gt; 0} (1 + α|v|).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double GatherImplicit(ReadOnlySpan<double> fixedRows, int fixedCount, ReadOnlySpan<int> others, ReadOnlySpan<double> values,
        double alpha, int stride, Span<double> dst, Span<double> rhs)
    {
        if (dst.Length < others.Length * stride || rhs.Length < stride || values.Length < others.Length || fixedRows.Length < fixedCount * stride) throw new ArgumentException("bad gather shapes");
        int n = others.Length;
        double confidence = 0;
        var scales = n <= 256 ? stackalloc double[2 * n] : new double[2 * n];
        for (int e = 0; e < n; e++)
        {
            if ((uint)others[e] >= (uint)fixedCount) throw new ArgumentOutOfRangeException(nameof(others));
            double v = values[e], w = alpha * Math.Abs(v);
            scales[2 * e] = Math.Sqrt(w);
            scales[2 * e + 1] = v > 0 ? 1 + w : 0;
            confidence += scales[2 * e + 1];
        }
        fixed (double* f = fixedRows)
        fixed (double* d = dst)
        fixed (double* r = rhs)
        fixed (int* idx = others)
        fixed (double* w = scales)
        {
            int c0 = 0;
            for (; c0 + 4 * Lanes <= stride; c0 += 4 * Lanes)
            {
                Vector512<double> r0 = Vector512.Load(r + c0), r1 = Vector512.Load(r + c0 + 8), r2 = Vector512.Load(r + c0 + 16), r3 = Vector512.Load(r + c0 + 24);
                for (int e = 0; e < n; e++)
                {
                    double* src = f + (long)idx[e] * stride + c0, to = d + (long)e * stride + c0;
                    var scale = Vector512.Create(w[2 * e]);
                    var conf = Vector512.Create(w[2 * e + 1]);
                    var v0 = Vector512.Load(src); var v1 = Vector512.Load(src + 8); var v2 = Vector512.Load(src + 16); var v3 = Vector512.Load(src + 24);
                    (v0 * scale).Store(to); (v1 * scale).Store(to + 8); (v2 * scale).Store(to + 16); (v3 * scale).Store(to + 24);
                    r0 = Vector512.FusedMultiplyAdd(conf, v0, r0); r1 = Vector512.FusedMultiplyAdd(conf, v1, r1);
                    r2 = Vector512.FusedMultiplyAdd(conf, v2, r2); r3 = Vector512.FusedMultiplyAdd(conf, v3, r3);
                }
                r0.Store(r + c0); r1.Store(r + c0 + 8); r2.Store(r + c0 + 16); r3.Store(r + c0 + 24);
            }
            for (; c0 < stride; c0 += Lanes)
            {
                var r0 = Vector512.Load(r + c0);
                for (int e = 0; e < n; e++)
                {
                    var v = Vector512.Load(f + (long)idx[e] * stride + c0);
                    (v * Vector512.Create(w[2 * e])).Store(d + (long)e * stride + c0);
                    r0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[2 * e + 1]), v, r0);
                }
                r0.Store(r + c0);
            }
        }
        return confidence;
    }

    /// <summary>dots[e] = row · rows[others[e]] (all of stride <paramref name="stride"/>, zero padded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<double> row, ReadOnlySpan<double> rows, int rowCount, ReadOnlySpan<int> others, int stride, Span<double> dots)
    {
        if (row.Length < stride || rows.Length < rowCount * stride || dots.Length < others.Length) throw new ArgumentException("bad dot shapes");
        fixed (double* x = row)
        fixed (double* m = rows)
        {
            for (int e = 0; e < others.Length; e++)
            {
                int other = others[e];
                if ((uint)other >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(others));
                double* y = m + (long)other * stride;
                var acc = Vector512<double>.Zero;
                for (int c = 0; c < stride; c += Lanes) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + c), Vector512.Load(y + c), acc);
                dots[e] = Vector512.Sum(acc);
            }
        }
    }

}
