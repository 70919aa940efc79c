using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// The exact median (and minimum and maximum) of an in-memory column whose NULLs are NaN (k-means' raw columns, where a real NaN is refused),
/// as DuckDB's <c>median()</c> gives it (<see cref="ExactMedian"/>), without copying or reordering the column: a
/// sample of about 4096 values (<see cref="MedianBracket"/>) brackets the middle ranks between two pivots (±2√m sample positions), one
/// vectorized pass counts the values below the lower pivot and collects the few between the pivots, and selection
/// within those gives the middle values. When the bracket misses (an adversarial order) it copies the column's
/// values and selects among all of them.
/// </summary>
internal static class ContiguousMedian
{
    /// <summary>
    /// The minimum, maximum and median of the non-NaN values of <paramref name="values"/>, of which there are
    /// <paramref name="count"/> (all null when there are none), in the same pass: −0 counts as below +0, as in
    /// <see cref="System.Numerics.Tensors.TensorPrimitives.Min{T}(ReadOnlySpan{T})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double? Min, double? Max, double? Median) Summarize(ReadOnlySpan<double> values, long count)
    {
        if (count == 0) return (null, null, null);
        int n = (int)count, hi = n / 2;
        bool even = n % 2 == 0;
        int lo = even ? hi - 1 : hi;
        if (n >= 4 * MedianBracket.SampleSize && Bracket(values, hi, n) is var (below, above))
        {
            // Pooled: a fresh large array per column would be a large-object-heap allocation, each a step towards a
            // full garbage collection.
            var buffer = ArrayPool<double>.Shared.Rent(n / 8);
            try
            {
                if (Collect(values, below, above, buffer.AsSpan(0, n / 8)) is var (inside, less, min, max)
                    && inside >= 0 && less <= lo && hi < less + inside)
                    return (min, max, ExactMedian.MiddleBetween(buffer.AsSpan(0, inside), hi - less, even, below, above));
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }
        var all = ArrayPool<double>.Shared.Rent(n);
        try
        {
            int k = 0;
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in values)
            {
                if (double.IsNaN(v)) continue;
                all[k++] = v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            return (min, max, ExactMedian.Of(all.AsSpan(0, k)));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(all);
        }
    }

    /// <summary>Pivots around rank <paramref name="rank"/> of <paramref name="n"/>, selected
    /// (<see cref="MedianBracket.PivotsOf"/>) from the sample of the non-NaN values at <see cref="MedianBracket.Positions"/>.</summary>
    private static (double Below, double Above)? Bracket(ReadOnlySpan<double> values, int rank, int n)
    {
        var positions = MedianBracket.Positions(values.Length);
        var sample = new double[positions.Count];
        int m = 0;
        foreach (long r in positions)
            if (!double.IsNaN(values[(int)r])) sample[m++] = values[(int)r];
        if (m < MedianBracket.SampleSize / 4) return null;
        // No NaN in the sample: the two pivot ranks are selected, not sorted for.
        return MedianBracket.PivotsOf(sample.AsSpan(0, m), rank, n);
    }

    /// <summary>Counts the values below <paramref name="below"/> and copies those in [below, above] (NaN is neither)
    /// into <paramref name="buffer"/>, count −1 when they do not fit; and the minimum and maximum non-NaN value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Count, int Less, double Min, double Max) Collect(ReadOnlySpan<double> values, double below, double above, Span<double> buffer)
    {
        int count = 0, i = 0;
        long less = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        ref double start = ref MemoryMarshal.GetReference(values);
        if (Vector256.IsHardwareAccelerated)
        {
            var lower = Vector256.Create(below);
            var upper = Vector256.Create(above);
            var lessCount = Vector256<long>.Zero;
            var low = Vector256.Create(double.PositiveInfinity);
            var high = Vector256.Create(double.NegativeInfinity);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var number = Vector256.Equals(v, v);
                low = Vector256.Min(low, Vector256.ConditionalSelect(number, v, Vector256.Create(double.PositiveInfinity)));
                high = Vector256.Max(high, Vector256.ConditionalSelect(number, v, Vector256.Create(double.NegativeInfinity)));
                var isLess = Vector256.LessThan(v, lower);
                lessCount -= isLess.AsInt64();
                var inside = Vector256.AndNot(Vector256.LessThanOrEqual(v, upper), isLess);
                if (inside == Vector256<double>.Zero) continue;
                uint bits = inside.ExtractMostSignificantBits();
                while (bits != 0)
                {
                    int lane = System.Numerics.BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    if (count == buffer.Length) return (-1, 0, 0, 0);
                    buffer[count++] = values[i + lane];
                }
            }
            less = Vector256.Sum(lessCount);
            for (int lane = 0; lane < Vector256<double>.Count; lane++)
            {
                min = Math.Min(min, low.GetElement(lane));
                max = Math.Max(max, high.GetElement(lane));
            }
        }
        for (; i < values.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            if (v < below) less++;
            else if (v <= above)
            {
                if (count == buffer.Length) return (-1, 0, 0, 0);
                buffer[count++] = v;
            }
        }
        return (count, (int)less, min, max);
    }
}
