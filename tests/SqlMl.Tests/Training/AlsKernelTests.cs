using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>The SIMD kernels of ALS against their scalar reference implementations and plain loops.</summary>
public class AlsKernelTests
{
    private static double[] Random(int n, int seed)
    {
        var rnd = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rnd.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>n rows of width stride, random in the first <paramref name="columns"/> entries, zero after.</summary>
    private static double[] Rows(int n, int stride, int columns, int seed)
    {
        var values = Random(n * stride, seed);
        for (int r = 0; r < n; r++)
            for (int c = columns; c < stride; c++) values[r * stride + c] = 0;
        return values;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(8, 64)]
    [InlineData(13, 17)]
    [InlineData(32, 70)]
    [InlineData(33, 2)]
    [InlineData(100, 9)]
    public void Gram_kernel_matches_the_scalar_upper_triangle(int columns, int n)
    {
        int stride = AlsKernels.Stride(columns), gramStride = AlsKernels.Stride(columns + 1);
        var rows = Rows(n, stride, columns, columns * 31 + n);
        var start = Random(gramStride * gramStride, 3);
        var fast = (double[])start.Clone();
        var plain = (double[])start.Clone();
        AlsKernels.AddGram(rows, n, stride, columns, fast, gramStride);
        AlsKernels.AddGramScalar(rows, n, stride, columns, plain, gramStride);
        for (int j = 0; j < columns; j++)
            for (int c = j; c < columns; c++)
                Assert.True(Math.Abs(fast[j * gramStride + c] - plain[j * gramStride + c]) < 1e-12, $"gram[{j},{c}]");
    }

    [Theory]
    [InlineData(3, 5, true)]
    [InlineData(32, 70, false)]
    [InlineData(20, 9, true)]
    public void Set_gram_starts_from_the_initial_matrix_or_zeros_instead_of_the_old_values(int columns, int n, bool withInitial)
    {
        int stride = AlsKernels.Stride(columns), gramStride = AlsKernels.Stride(columns + 1);
        var rows = Rows(n, stride, columns, 7);
        var initial = withInitial ? Random(gramStride * gramStride, 8) : null;
        var gram = Random(gramStride * gramStride, 9); // stale values the kernel must not add to
        var expected = initial is null ? new double[gram.Length] : (double[])initial.Clone();
        AlsKernels.AddGramScalar(rows, n, stride, columns, expected, gramStride);
        AlsKernels.SetGram(rows, n, stride, columns, gram, gramStride, initial);
        for (int j = 0; j < columns; j++)
            for (int c = j; c < columns; c++)
                Assert.True(Math.Abs(gram[j * gramStride + c] - expected[j * gramStride + c]) < 1e-12, $"gram[{j},{c}]");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(33)]
    [InlineData(57)]
    [InlineData(201)]
    public void Cholesky_solve_matches_the_textbook_solution(int d)
    {
        int ld = AlsKernels.Stride(d);
        var m = Rows(d + 3, ld, d, d);
        var a = new double[ld * ld];
        AlsKernels.AddGramScalar(m, d + 3, ld, d, a, ld);
        for (int j = 0; j < d; j++) a[j * ld + j] += 0.5;
        var b = Random(ld, d + 1);
        for (int c = d; c < ld; c++) b[c] = 0;
        var expected = (double[])b.Clone();
        Assert.True(AlsKernels.CholeskySolveScalar(a, d, ld, expected));
        var x = new double[ld];
        Assert.True(AlsKernels.CholeskySolve((double[])a.Clone(), d, ld, (double[])b.Clone(), x));
        for (int c = 0; c < d; c++) Assert.True(Math.Abs(x[c] - expected[c]) < 1e-9 * (1 + Math.Abs(expected[c])), $"x[{c}] {x[c]} vs {expected[c]}");
        for (int c = d; c < ld; c++) Assert.Equal(0, x[c]);
        // the solution satisfies A x = b
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++) s += a[Math.Min(i, j) * ld + Math.Max(i, j)] * x[j];
            Assert.True(Math.Abs(s - b[i]) < 1e-9, $"row {i}");
        }
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(5, 3)]
    [InlineData(33, 8)]
    [InlineData(40, 5)]
    public void Batched_cholesky_solves_each_system_like_the_textbook_and_flags_the_indefinite_ones(int d, int count)
    {
        int ld = AlsKernels.Stride(d);
        var grams = new double[count][];
        var rhs = new double[count][];
        var expected = new double[count][];
        for (int l = 0; l < count; l++)
        {
            var m = Rows(d + 2, ld, d, 100 * d + l);
            grams[l] = new double[ld * ld];
            AlsKernels.AddGramScalar(m, d + 2, ld, d, grams[l], ld);
            for (int j = 0; j < d; j++) grams[l][j * ld + j] += 0.25;
            rhs[l] = Random(ld, l);
            if (l == 1) grams[l][0] = -1; // not positive definite
            expected[l] = (double[])rhs[l].Clone();
            Assert.Equal(l != 1, AlsKernels.CholeskySolveScalar(grams[l], d, ld, expected[l]));
        }
        int failed = new BatchedCholesky(d).Solve(grams, rhs, count, ld);
        Assert.Equal(count > 1 ? 0b10 : 0, failed);
        for (int l = 0; l < count; l++)
        {
            if (l == 1) continue;
            for (int c = 0; c < d; c++) Assert.True(Math.Abs(rhs[l][c] - expected[l][c]) < 1e-9 * (1 + Math.Abs(expected[l][c])), $"system {l}, x[{c}]");
        }
    }

    [Fact]
    public void Cholesky_refuses_a_matrix_that_is_not_positive_definite()
    {
        const int d = 3, ld = 8;
        var a = new double[ld * ld];
        a[0] = 1; a[1] = 2; a[ld + 1] = 1; a[2 * ld + 2] = 1; // [[1,2,0],[2,1,0],[0,0,1]] has eigenvalue -1
        Assert.False(AlsKernels.CholeskySolve(a, d, ld, new double[ld], new double[ld]));
        Assert.False(AlsKernels.CholeskySolveScalar(new double[ld * ld], d, ld, new double[ld]));
    }

    [Fact]
    public void Gather_kernels_copy_scale_and_accumulate_like_plain_loops()
    {
        const int rank = 11, count = 5, rowsCount = 9;
        int stride = AlsKernels.Stride(rank);
        var fixedRows = Rows(rowsCount, stride, rank, 1);
        var intercepts = Random(rowsCount, 2);
        int[] others = [4, 0, 8, 4, 2];
        double[] values = [3, -1, 0, 2.5, 1];
        var dst = new double[count * stride];
        var rhs = new double[stride];
        var sum = new double[stride];
        double t = AlsGather.GatherExplicit(fixedRows, intercepts, others, values, 0.75, stride, dst, rhs, sum, out double squares);
        double expectedT = 0, expectedSquares = 0;
        var expectedRhs = new double[stride];
        var expectedSum = new double[stride];
        for (int e = 0; e < count; e++)
        {
            double te = values[e] - 0.75 - intercepts[others[e]];
            expectedT += te;
            expectedSquares += te * te;
            for (int c = 0; c < stride; c++)
            {
                double v = fixedRows[others[e] * stride + c];
                Assert.Equal(v, dst[e * stride + c]);
                expectedRhs[c] += te * v;
                expectedSum[c] += v;
            }
        }
        Assert.Equal(expectedT, t, 12);
        Assert.Equal(expectedSquares, squares, 12);
        for (int c = 0; c < stride; c++)
        {
            Assert.Equal(expectedRhs[c], rhs[c], 12);
            Assert.Equal(expectedSum[c], sum[c], 12);
        }

        Array.Clear(rhs);
        double confidence = AlsGather.GatherImplicit(fixedRows, rowsCount, others, values, 2, stride, dst, rhs);
        Assert.Equal((1 + 2 * 3.0) + (1 + 2 * 2.5) + (1 + 2 * 1.0), confidence, 12);
        Array.Clear(expectedRhs);
        for (int e = 0; e < count; e++)
        {
            double w = 2 * Math.Abs(values[e]);
            for (int c = 0; c < stride; c++)
            {
                double v = fixedRows[others[e] * stride + c];
                Assert.Equal(Math.Sqrt(w) * v, dst[e * stride + c], 12);
                if (values[e] > 0) expectedRhs[c] += (1 + w) * v;
            }
        }
        for (int c = 0; c < stride; c++) Assert.Equal(expectedRhs[c], rhs[c], 12);

        var dots = new double[count];
        AlsGather.Dots(fixedRows.AsSpan(3 * stride, stride), fixedRows, rowsCount, others, stride, dots);
        for (int e = 0; e < count; e++)
            Assert.Equal(Enumerable.Range(0, rank).Sum(c => fixedRows[3 * stride + c] * fixedRows[others[e] * stride + c]), dots[e], 12);
    }

    [Fact]
    public void Rating_matrix_sorts_columns_within_rows_transposes_and_sums_duplicates()
    {
        int[] rows = [2, 0, 2, 1, 0, 2];
        int[] cols = [3, 1, 0, 2, 1, 3];
        double[] vals = [1, 2, 3, 4, 5, 6];
        var m = RatingMatrix.Build(3, 4, rows, cols, vals);
        Assert.Equal([0, 2, 3, 6], m.Offsets);
        Assert.Equal([1, 1, 2, 0, 3, 3], m.Indices);
        Assert.Equal([2.0, 5, 4, 3, 1, 6], m.Values);
        var merged = m.SumDuplicates();
        Assert.Equal([0, 1, 2, 4], merged.Offsets);
        Assert.Equal([1, 2, 0, 3], merged.Indices);
        Assert.Equal([7.0, 4, 3, 7], merged.Values);
        var t = merged.Transpose();
        Assert.Equal(4, t.Rows);
        Assert.Equal([0, 1, 2, 3, 4], t.Offsets);
        Assert.Equal([2, 0, 1, 2], t.Indices);
        Assert.Equal(3, m.MaxRowLength);
    }
}
