using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SqlMl.Training;

namespace SqlMl.Evaluation;

/// <summary>
/// The values of the upper ranks of a large array, sorted, on all cores: two pivots from a sample split the values at or
/// above the lower pivot into two buckets (counted, then scattered, each worker over its own range of rows), and the two
/// buckets are sorted side by side (<see cref="DoubleRadixSort"/>). The values at each rank are those a full sort gives:
/// the sorted order of the same values is unique. <see cref="TrySort"/> declines (null) where the caller's serial path
/// is the better one: small arrays, one core, a NaN, or pivots that miss (ties; the lower pivot above the wanted rank).
/// </summary>
internal sealed class UpperRanks
{
    /// <summary>Arrays shorter than this are left to the serial path.</summary>
    public const int MinLength = 1 << 16;

    private readonly double[] _low;
    private readonly double[] _high;
    private readonly long _below;

    private UpperRanks(double[] low, double[] high, long below)
    {
        _low = low;
        _high = high;
        _below = below;
    }

    /// <summary>The value of 0-based rank <paramref name="rank"/> (at least the <c>from</c> given to <see cref="TrySort"/>).</summary>
    public double this[long rank]
    {
        get
        {
            long i = rank - _below;
            return i < _low.Length ? _low[i] : _high[i - _low.Length];
        }
    }

    /// <summary>The sorted values of 0-based ranks <paramref name="from"/> and above of the first <paramref name="count"/>
    /// <paramref name="values"/>, or null (see the class summary). When it returns them, those entries of
    /// <paramref name="values"/> have served as scratch (their contents are lost); when it declines, they are unchanged. Fully optimized at once, as the loops
    /// it calls: it runs once per training, too few calls to leave tier-0 code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static UpperRanks? TrySort(double[] values, int count, int from)
    {
        int workers = Math.Min(Environment.ProcessorCount, 8);
        if (count < MinLength || workers < 2 || from < 0 || from >= count) return null;
        if (Pivots(values, count, from) is not var (lower, upper)) return null;

        var counts = new (long Low, long High, bool NaN)[workers];
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        Parallel.For(0, workers, options, w => counts[w] = Count(values.AsSpan(Range(count, workers, w)), lower, upper));
        long low = 0, high = 0;
        foreach (var c in counts)
        {
            if (c.NaN) return null;
            low += c.Low;
            high += c.High;
        }
        long below = count - low - high;
        if (below > from) return null;

        var lows = GC.AllocateUninitializedArray<double>((int)low);
        var highs = GC.AllocateUninitializedArray<double>((int)high);
        Parallel.For(0, workers, options, w =>
        {
            long lowAt = 0, highAt = 0;
            for (int v = 0; v < w; v++)
            {
                lowAt += counts[v].Low;
                highAt += counts[v].High;
            }
            Scatter(values.AsSpan(Range(count, workers, w)), lower, upper, lows.AsSpan((int)lowAt, (int)counts[w].Low), highs.AsSpan((int)highAt, (int)counts[w].High));
        });
        // The values are no longer needed: they are the radix sorts' second buffers (no fresh memory for them).
        Parallel.Invoke(options,
            () => SortBucket(lows, values.AsSpan(0, lows.Length)),
            () => SortBucket(highs, values.AsSpan(lows.Length, highs.Length)));
        return new UpperRanks(lows, highs, below);
    }

    /// <summary>Sorts a bucket (no NaN) with <paramref name="scratch"/> as the radix sort's second buffer.</summary>
    private static void SortBucket(double[] bucket, Span<double> scratch)
    {
        if (bucket.Length < DoubleRadixSort.MinLength) Array.Sort(bucket);
        else DoubleRadixSort.Sort(bucket, MemoryMarshal.Cast<double, ulong>(scratch));
    }

    /// <summary>Rows of worker <paramref name="w"/> of <paramref name="workers"/>.</summary>
    private static Range Range(int count, int workers, int w) =>
        new((int)((long)count * w / workers), (int)((long)count * (w + 1) / workers));

    /// <summary>A lower pivot a margin below rank <paramref name="from"/> (<see cref="MedianBracket.SamplePlace"/>, as the
    /// medians' pivots) and an upper one at the middle of the ranks above it, from a sorted sample
    /// (<see cref="MedianBracket.Positions"/>); null when a pivot is NaN or the two meet.</summary>
    private static (double Lower, double Upper)? Pivots(double[] values, int count, int from)
    {
        var positions = MedianBracket.Positions(count);
        var sample = new double[positions.Count];
        for (int i = 0; i < sample.Length; i++) sample[i] = values[positions[i]];
        Array.Sort(sample);
        int m = sample.Length;
        var (at, margin) = MedianBracket.SamplePlace(m, from, count);
        double lower = at - margin >= 0 ? sample[at - margin] : double.NegativeInfinity;
        double upper = sample[Math.Min(m - 1, (at + m) / 2)];
        if (double.IsNaN(lower) || double.IsNaN(upper) || !(upper > lower)) return null;
        return (lower, upper);
    }

    /// <summary>How many of <paramref name="values"/> lie in [lower, upper) and in [upper, ∞], and whether one is NaN.
    /// Eight values at a time under compare masks where AVX-512 allows: a scalar floating-point compare becomes a
    /// branch, which mispredicts for about half of the values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe (long Low, long High, bool NaN) Count(ReadOnlySpan<double> values, double lower, double upper)
    {
        long low = 0, high = 0;
        bool nan = false;
        int i = 0, n = values.Length;
        fixed (double* v = values)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var lo = Vector512.Create(lower);
                var hi = Vector512.Create(upper);
                Vector512<long> lows = Vector512<long>.Zero, highs = Vector512<long>.Zero;
                var nans = Vector512<double>.Zero;
                for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
                {
                    var x = Vector512.Load(v + i);
                    var h = Vector512.GreaterThanOrEqual(x, hi);
                    highs -= h.AsInt64();
                    lows -= Vector512.AndNot(Vector512.GreaterThanOrEqual(x, lo), h).AsInt64();
                    nans |= ~Vector512.Equals(x, x);
                }
                low = Vector512.Sum(lows);
                high = Vector512.Sum(highs);
                nan = nans != Vector512<double>.Zero;
            }
            for (; i < n; i++)
            {
                double x = v[i];
                nan |= double.IsNaN(x);
                // Conditional adds rather than branches (without AVX-512 every value comes here).
                high += x >= upper ? 1 : 0;
                low += x >= lower && x < upper ? 1 : 0;
            }
        }
        return (low, high, nan);
    }

    /// <summary>Copies the values in [lower, upper) to <paramref name="lows"/> and those in [upper, ∞] to
    /// <paramref name="highs"/> (each exactly as long as the values that go there), in row order: eight at a time with
    /// AVX-512 compress (into a register, then a full store while the bucket has room for eight; the last few by masked
    /// stores), otherwise one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Scatter(ReadOnlySpan<double> values, double lower, double upper, Span<double> lows, Span<double> highs)
    {
        int low = 0, high = 0, i = 0, n = values.Length;
        fixed (double* v = values, l = lows, h = highs)
        {
            if (Avx512F.IsSupported)
            {
                var lo = Vector512.Create(lower);
                var hi = Vector512.Create(upper);
                for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
                {
                    var x = Vector512.Load(v + i);
                    var isHigh = Vector512.GreaterThanOrEqual(x, hi);
                    var isLow = Vector512.AndNot(Vector512.GreaterThanOrEqual(x, lo), isHigh);
                    high = Append(h, high, highs.Length, isHigh, x);
                    low = Append(l, low, lows.Length, isLow, x);
                }
            }
            for (; i < n; i++)
            {
                double x = v[i];
                if (x >= upper) h[high++] = x;
                else if (x >= lower) l[low++] = x;
            }
        }
    }

    /// <summary>Appends the lanes of <paramref name="x"/> selected by <paramref name="mask"/> at <paramref name="bucket"/>[at]; returns the new end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Append(double* bucket, int at, int length, Vector512<double> mask, Vector512<double> x)
    {
        // A full store needs room for eight (it writes past the selected lanes); Zen 4's compress-to-memory is slow.
        if (at + Vector512<double>.Count <= length) Avx512F.Compress(Vector512<double>.Zero, mask, x).Store(bucket + at);
        else Avx512F.CompressStore(bucket + at, mask, x);
        return at + System.Numerics.BitOperations.PopCount(mask.ExtractMostSignificantBits());
    }
}
