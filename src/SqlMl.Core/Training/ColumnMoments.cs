using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// Mean, sample standard deviation (n − 1; 0 for fewer than two values) and count of a numeric column's non-NULL
/// values, NaN marking NULL (the in-memory columns of <see cref="NumericColumnBlocks"/>). All NULL: (NaN, 0, 0).
/// </summary>
/// <remarks>
/// The NULL-free path sums in blocks of <see cref="BlockValues"/> values (16 vector lanes each, combined pairwise), and
/// the block sums pairwise (<see cref="PairwiseSum"/>): the rounding error grows with about log₂(n) instead of n. Its own
/// loops, not <c>TensorPrimitives</c>: <c>System.Numerics.Tensors</c> ships as IL only, so its generic methods ran as
/// tier-0 code in a process's first trainings (3–8× slower on a 1M-row column).
/// </remarks>
internal static class ColumnMoments
{
    /// <summary>Values per block: each of the 16 lanes adds 64 of them in order.</summary>
    internal const int BlockValues = 1024;

    /// <summary>Of every row of <paramref name="values"/>; vectorized when no value is NULL. Fully optimized at once:
    /// it runs a few times per training over millions of values, too few calls to leave tier-0 code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double StdDev, long Count) Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return (double.NaN, 0, 0);
        double total = Sum(values, 0, squares: false);
        if (double.IsNaN(total)) return Of(values, default);
        int rows = values.Length;
        double average = total / rows;
        double squares = Sum(values, average, squares: true);
        return (average, rows > 1 ? Math.Sqrt(squares / (rows - 1)) : 0, rows);
    }

    /// <summary>Of the rows whose <paramref name="exclude"/> entry is false (empty: every row), in two scalar passes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double StdDev, long Count) Of(ReadOnlySpan<double> values, ReadOnlySpan<bool> exclude)
    {
        double sum = 0;
        long count = 0;
        for (int r = 0; r < values.Length; r++)
            if ((exclude.IsEmpty || !exclude[r]) && !double.IsNaN(values[r])) { sum += values[r]; count++; }
        if (count == 0) return (double.NaN, 0, 0);
        double mean = sum / count, ss = 0;
        for (int r = 0; r < values.Length; r++)
            if ((exclude.IsEmpty || !exclude[r]) && !double.IsNaN(values[r])) ss += (values[r] - mean) * (values[r] - mean);
        return (mean, count > 1 ? Math.Sqrt(ss / (count - 1)) : 0, count);
    }

    /// <summary>
    /// Σ v (<paramref name="squares"/> false) or Σ (v − <paramref name="center"/>)² over <paramref name="values"/>: each
    /// block's sum (<see cref="BlockSum"/>) goes into a pairwise cascade over the blocks. A NaN anywhere gives NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<double> values, double center, bool squares)
    {
        var cascade = new PairwiseSum();
        int blocks = (values.Length + BlockValues - 1) / BlockValues;
        for (int b = 0; b < blocks; b++)
        {
            int start = b * BlockValues;
            var block = values.Slice(start, Math.Min(BlockValues, values.Length - start));
            cascade.Add(squares ? BlockSum(block, center, true) : BlockSum(block, 0, false));
        }
        return cascade.Total;
    }

    /// <summary>The sum of one block (at most <see cref="BlockValues"/> values): four 4-lane accumulators, combined
    /// pairwise, then the lanes pairwise, then the scalar tail in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BlockSum(ReadOnlySpan<double> block, double center, bool squares)
    {
        const int w = 4;
        ref double start = ref MemoryMarshal.GetReference(block);
        var c = Vector256.Create(center);
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= block.Length - 4 * w; i += 4 * w)
        {
            var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
            var v1 = Vector256.LoadUnsafe(ref start, (nuint)(i + w));
            var v2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 2 * w));
            var v3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 3 * w));
            if (squares)
            {
                v0 -= c; v1 -= c; v2 -= c; v3 -= c;
                a0 = Vector256.FusedMultiplyAdd(v0, v0, a0);
                a1 = Vector256.FusedMultiplyAdd(v1, v1, a1);
                a2 = Vector256.FusedMultiplyAdd(v2, v2, a2);
                a3 = Vector256.FusedMultiplyAdd(v3, v3, a3);
            }
            else
            {
                a0 += v0; a1 += v1; a2 += v2; a3 += v3;
            }
        }
        var lanes = (a0 + a1) + (a2 + a3);
        double sum = (lanes.GetElement(0) + lanes.GetElement(1)) + (lanes.GetElement(2) + lanes.GetElement(3));
        for (; i < block.Length; i++)
        {
            double v = Unsafe.Add(ref start, i);
            sum = squares ? Math.FusedMultiplyAdd(v - center, v - center, sum) : sum + v;
        }
        return sum;
    }

    /// <summary>Pairwise summation of a stream of values (binary-counter cascade): value i is added to the partial sums
    /// of the complete power-of-two groups before it, so every value passes through about log₂(count) additions.</summary>
    private struct PairwiseSum
    {
        private Levels _levels;
        private long _count;

        [InlineArray(64)]
        private struct Levels
        {
            private double _element;
        }

        /// <summary>Adds the next value.</summary>
        public void Add(double value)
        {
            int level = 0;
            for (long c = _count; (c & 1) != 0; c >>= 1) value = _levels[level++] + value;
            _levels[level] = value;
            _count++;
        }

        /// <summary>The sum of every value added (the partial groups, smallest first).</summary>
        public readonly double Total
        {
            get
            {
                double total = 0;
                int level = 0;
                for (long c = _count; c != 0; c >>= 1, level++)
                    if ((c & 1) != 0) total += _levels[level];
                return total;
            }
        }
    }
}
