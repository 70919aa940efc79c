using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// The small dense algebra of ALS, per user or item: Gram matrices of gathered factor rows and Cholesky solves of
/// the rank-d normal equations. Matrices are row-major with a row stride <c>ld</c> that is a multiple of 8
/// (<see cref="Stride"/>), zero beyond column d, so every row is a whole number of Vector512&lt;double&gt; and
/// kernels need no tail loops. Only the upper triangle (column ≥ row) of a Gram matrix is meaningful.
/// The <c>*Scalar</c> methods are plain reference implementations, kept for tests.
/// </summary>
internal static unsafe class AlsKernels
{
    private const int Lanes = 8;

    /// <summary>The row stride for d columns: d rounded up to a multiple of 8.</summary>
    public static int Stride(int d) => (d + Lanes - 1) & ~(Lanes - 1);

    /// <summary>
    /// gram += Σ_r rows[r]ᵀ·rows[r] over the first <paramref name="n"/> rows of width <paramref name="rowStride"/>
    /// (zero beyond <paramref name="columns"/>), into the upper triangle of gram (stride <paramref name="gramStride"/>
    /// ≥ rowStride, at least rowStride rows). Register-blocked: 4 Gram rows × 4 vectors of 8 columns stay in 16
    /// registers while the rows stream by; blocks left of the diagonal are skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddGram(ReadOnlySpan<double> rows, int n, int rowStride, int columns, Span<double> gram, int gramStride) =>
        Gram(rows, n, rowStride, columns, gram, gramStride, overwrite: false, default);

    /// <summary>
    /// Like <see cref="AddGram"/>, but the blocks it computes start from <paramref name="initial"/> (same layout; empty
    /// = zeros) instead of gram's current values, so gram needs no clearing or copying first. Entries outside those
    /// blocks (left of the diagonal's 8-column chunk, rows from <paramref name="columns"/> rounded up to 4) are left as
    /// they were.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SetGram(ReadOnlySpan<double> rows, int n, int rowStride, int columns, Span<double> gram, int gramStride, ReadOnlySpan<double> initial) =>
        Gram(rows, n, rowStride, columns, gram, gramStride, overwrite: true, initial);

    private static void Gram(ReadOnlySpan<double> rows, int n, int rowStride, int columns, Span<double> gram, int gramStride, bool overwrite, ReadOnlySpan<double> initial)
    {
        if (n == 0 && !overwrite) return;
        if (rows.Length < n * rowStride || rowStride % Lanes != 0 || gramStride < rowStride || gram.Length < rowStride * gramStride || columns > rowStride
            || (!initial.IsEmpty && initial.Length < gram.Length))
            throw new ArgumentException("bad Gram shapes");
        fixed (double* p = rows)
        fixed (double* g = gram)
        fixed (double* i = initial)
        {
            // Where each block's accumulators start: gram itself, the initial matrix, or (null) zeros.
            double* start = overwrite ? i : g;
            for (int j0 = 0; j0 < columns; j0 += 4)
            {
                int c0 = j0 & ~(Lanes - 1);
                for (; c0 + 4 * Lanes <= rowStride; c0 += 4 * Lanes) Block4x4(p, n, rowStride, j0, c0, g, gramStride, start);
                for (; c0 < rowStride; c0 += Lanes) Block4x1(p, n, rowStride, j0, c0, g, gramStride, start);
            }
        }
    }

    private static Vector512<double> Start(double* start, long offset) => start == null ? Vector512<double>.Zero : Vector512.Load(start + offset);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4(double* rows, int n, int ld, int j0, int c0, double* gram, int lg, double* start)
    {
        long o0 = (long)j0 * lg + c0, o1 = o0 + lg, o2 = o1 + lg, o3 = o2 + lg;
        double* g0 = gram + o0, g1 = gram + o1, g2 = gram + o2, g3 = gram + o3;
        Vector512<double> a00 = Start(start, o0), a01 = Start(start, o0 + 8), a02 = Start(start, o0 + 16), a03 = Start(start, o0 + 24);
        Vector512<double> a10 = Start(start, o1), a11 = Start(start, o1 + 8), a12 = Start(start, o1 + 16), a13 = Start(start, o1 + 24);
        Vector512<double> a20 = Start(start, o2), a21 = Start(start, o2 + 8), a22 = Start(start, o2 + 16), a23 = Start(start, o2 + 24);
        Vector512<double> a30 = Start(start, o3), a31 = Start(start, o3 + 8), a32 = Start(start, o3 + 16), a33 = Start(start, o3 + 24);
        double* row = rows;
        for (int r = 0; r < n; r++, row += ld)
        {
            var v0 = Vector512.Load(row + c0);
            var v1 = Vector512.Load(row + c0 + 8);
            var v2 = Vector512.Load(row + c0 + 16);
            var v3 = Vector512.Load(row + c0 + 24);
            var s = Vector512.Create(row[j0]);
            a00 = Vector512.FusedMultiplyAdd(s, v0, a00); a01 = Vector512.FusedMultiplyAdd(s, v1, a01);
            a02 = Vector512.FusedMultiplyAdd(s, v2, a02); a03 = Vector512.FusedMultiplyAdd(s, v3, a03);
            s = Vector512.Create(row[j0 + 1]);
            a10 = Vector512.FusedMultiplyAdd(s, v0, a10); a11 = Vector512.FusedMultiplyAdd(s, v1, a11);
            a12 = Vector512.FusedMultiplyAdd(s, v2, a12); a13 = Vector512.FusedMultiplyAdd(s, v3, a13);
            s = Vector512.Create(row[j0 + 2]);
            a20 = Vector512.FusedMultiplyAdd(s, v0, a20); a21 = Vector512.FusedMultiplyAdd(s, v1, a21);
            a22 = Vector512.FusedMultiplyAdd(s, v2, a22); a23 = Vector512.FusedMultiplyAdd(s, v3, a23);
            s = Vector512.Create(row[j0 + 3]);
            a30 = Vector512.FusedMultiplyAdd(s, v0, a30); a31 = Vector512.FusedMultiplyAdd(s, v1, a31);
            a32 = Vector512.FusedMultiplyAdd(s, v2, a32); a33 = Vector512.FusedMultiplyAdd(s, v3, a33);
        }
        a00.Store(g0); a01.Store(g0 + 8); a02.Store(g0 + 16); a03.Store(g0 + 24);
        a10.Store(g1); a11.Store(g1 + 8); a12.Store(g1 + 16); a13.Store(g1 + 24);
        a20.Store(g2); a21.Store(g2 + 8); a22.Store(g2 + 16); a23.Store(g2 + 24);
        a30.Store(g3); a31.Store(g3 + 8); a32.Store(g3 + 16); a33.Store(g3 + 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x1(double* rows, int n, int ld, int j0, int c0, double* gram, int lg, double* start)
    {
        long o = (long)j0 * lg + c0;
        double* g0 = gram + o;
        Vector512<double> a0 = Start(start, o), a1 = Start(start, o + lg), a2 = Start(start, o + 2 * lg), a3 = Start(start, o + 3 * lg);
        double* row = rows;
        for (int r = 0; r < n; r++, row += ld)
        {
            var v = Vector512.Load(row + c0);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j0]), v, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j0 + 1]), v, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j0 + 2]), v, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j0 + 3]), v, a3);
        }
        a0.Store(g0); a1.Store(g0 + lg); a2.Store(g0 + 2 * lg); a3.Store(g0 + 3 * lg);
    }

    /// <summary>Σ a[c]·b[c] over a whole number of vectors (rows padded with zeros).</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        fixed (double* x = a)
        fixed (double* y = b)
        {
            var acc = Vector512<double>.Zero;
            for (int c = 0; c + Lanes <= a.Length; c += Lanes) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + c), Vector512.Load(y + c), acc);
            return Vector512.Sum(acc);
        }
    }

    /// <summary>
    /// Solves A·x = b for symmetric positive definite A given by its upper triangle (d × d, stride ld): right-looking
    /// Cholesky A = UᵀU in panels of 4 rows (each panel's rank-4 update of the rows below is one pass of 4 FMAs per
    /// vector), with the forward solve Uᵀy = b folded in, then U·x = y by vectorized row dots. A and b are destroyed;
    /// x (length ld, zero beyond d) receives the solution. Entries left of the diagonal are scratch. Returns false
    /// when A is not numerically positive definite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CholeskySolve(Span<double> a, int d, int ld, Span<double> b, Span<double> x)
    {
        if (a.Length < d * ld || b.Length < d || x.Length < ld || ld % Lanes != 0) throw new ArgumentException("bad Cholesky shapes");
        fixed (double* m = a)
        fixed (double* y = b)
        fixed (double* sol = x)
        {
            for (int j0 = 0; j0 < d; j0 += 4)
            {
                int panel = Math.Min(4, d - j0);
                if (!FactorPanel(m, y, d, ld, j0, panel)) return false;
                if (panel == 4) UpdateBelow(m, y, d, ld, j0);
            }
            // Back substitution: sol[c] is still 0 for c ≤ j, so whole aligned vectors give Σ_{c>j} U[j,c]·x[c].
            new Span<double>(sol, ld).Clear();
            for (int j = d - 1; j >= 0; j--)
            {
                double* rj = m + j * ld;
                var acc = Vector512<double>.Zero;
                for (int c = j & ~(Lanes - 1); c < ld; c += Lanes)
                    acc = Vector512.FusedMultiplyAdd(Vector512.Load(rj + c), Vector512.Load(sol + c), acc);
                sol[j] = (y[j] - Vector512.Sum(acc)) / rj[j];
            }
        }
        return true;
    }

    /// <summary>Factors rows j0 .. j0 + panel − 1 (already updated by the panels above) and applies them to each other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FactorPanel(double* m, double* y, int d, int ld, int j0, int panel)
    {
        for (int j = j0; j < j0 + panel; j++)
        {
            double* rj = m + j * ld;
            double pivot = rj[j];
            if (!(pivot > 0) || !double.IsFinite(pivot)) return false;
            double s = Math.Sqrt(pivot);
            var inv = Vector512.Create(1 / s);
            for (int c = j & ~(Lanes - 1); c < ld; c += Lanes) (Vector512.Load(rj + c) * inv).Store(rj + c);
            rj[j] = s;
            double yj = y[j] /= s;
            // Rows below the panel get its rank-4 update in UpdateBelow (a partial panel is the last one: none are below).
            for (int i = j + 1; i < j0 + panel; i++)
            {
                double f = rj[i];
                y[i] -= yj * f;
                var negated = Vector512.Create(-f);
                double* ri = m + i * ld;
                for (int c = i & ~(Lanes - 1); c < ld; c += Lanes)
                    Vector512.FusedMultiplyAdd(negated, Vector512.Load(rj + c), Vector512.Load(ri + c)).Store(ri + c);
            }
        }
        return true;
    }

    /// <summary>Rank-4 update of every row below a full panel: row_i −= Σ_q U[j0+q, i] · row_{j0+q}, and y likewise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateBelow(double* m, double* y, int d, int ld, int j0)
    {
        double* r0 = m + j0 * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
        double y0 = y[j0], y1 = y[j0 + 1], y2 = y[j0 + 2], y3 = y[j0 + 3];
        for (int i = j0 + 4; i < d; i++)
        {
            double f0 = r0[i], f1 = r1[i], f2 = r2[i], f3 = r3[i];
            y[i] -= f0 * y0 + f1 * y1 + f2 * y2 + f3 * y3;
            Vector512<double> n0 = Vector512.Create(-f0), n1 = Vector512.Create(-f1), n2 = Vector512.Create(-f2), n3 = Vector512.Create(-f3);
            double* ri = m + i * ld;
            for (int c = i & ~(Lanes - 1); c < ld; c += Lanes)
            {
                var v = Vector512.Load(ri + c);
                v = Vector512.FusedMultiplyAdd(n0, Vector512.Load(r0 + c), v);
                v = Vector512.FusedMultiplyAdd(n1, Vector512.Load(r1 + c), v);
                v = Vector512.FusedMultiplyAdd(n2, Vector512.Load(r2 + c), v);
                Vector512.FusedMultiplyAdd(n3, Vector512.Load(r3 + c), v).Store(ri + c);
            }
        }
    }

    /// <summary>Reference: gram[j, c] += Σ_r rows[r, j]·rows[r, c] for j ≤ c &lt; columns.</summary>
    public static void AddGramScalar(ReadOnlySpan<double> rows, int n, int rowStride, int columns, Span<double> gram, int gramStride)
    {
        for (int r = 0; r < n; r++)
            for (int j = 0; j < columns; j++)
                for (int c = j; c < columns; c++)
                    gram[j * gramStride + c] += rows[r * rowStride + j] * rows[r * rowStride + c];
    }

    /// <summary>Reference: textbook Cholesky–Banachiewicz on the upper triangle, then two triangular solves.</summary>
    public static bool CholeskySolveScalar(ReadOnlySpan<double> a, int d, int ld, Span<double> b)
    {
        var l = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[j * ld + i];
                for (int k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
                if (i == j)
                {
                    if (!(sum > 0)) return false;
                    l[i * d + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i * d + j] = sum / l[j * d + j];
                }
            }
        }
        for (int i = 0; i < d; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i * d + k] * b[k];
            b[i] = sum / l[i * d + i];
        }
        for (int i = d - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int k = i + 1; k < d; k++) sum -= l[k * d + i] * b[k];
            b[i] = sum / l[i * d + i];
        }
        return true;
    }
}
