using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SqlMl.Evaluation;

/// <summary>
/// Ascending sort of doubles by least-significant-digit radix passes (16 bits per pass, passes whose digit is the same
/// for every value skipped): two over the values rounded to float, then the runs of equal float keys in order (see
/// <see cref="Sort(Span{double}, Span{ulong})"/>); linear time, for the large score arrays of roc_auc and of the k-means
/// anomaly cutoffs (where the comparison sort cost ~4× more). The result equals
/// <see cref="Array.Sort{T}(T[], int, int)"/>'s: −0 becomes +0 (equal values either way), and a range holding a NaN, or
/// shorter than <see cref="MinLength"/>, is sorted by <see cref="Array.Sort{T}(T[], int, int)"/> itself.
/// </summary>
internal static class DoubleRadixSort
{
    private const int Bits = 16;
    private const ulong SignBit = 1UL << 63;
    private const uint Mask = (1u << Bits) - 1;

    /// <summary>Digit values per pass.</summary>
    private const int Digits = 1 << Bits;

    /// <summary>Below this many values <see cref="Array.Sort{T}(T[], int, int)"/> is used.</summary>
    public const int MinLength = 4096;

    /// <summary>Sorts all of <paramref name="values"/> ascending.</summary>
    public static void Sort(double[] values) => Sort(values, 0, values.Length);

    /// <summary>Sorts <paramref name="values"/>[<paramref name="start"/> … <paramref name="start"/> + <paramref name="length"/> − 1] ascending.</summary>
    public static void Sort(double[] values, int start, int length)
    {
        var span = values.AsSpan(start, length);
        if (length < MinLength || HasNaN(span))
        {
            Array.Sort(values, start, length);
            return;
        }
        Sort(span, new ulong[length]);
    }

    /// <summary>
    /// Sorts <paramref name="values"/> (no NaN, at least one value) with <paramref name="spare"/> (at least as long) as
    /// the second buffer.
    /// First by the values rounded to float: two 16-bit passes over order-preserving 32-bit keys computed from the values
    /// as they move (rounding to float is monotone, so values of different float keys end in their final order); then
    /// each run of equal float keys is put in order: by insertion when short, by a comparison sort up to
    /// <see cref="MinLength"/> values, by the 64-bit passes (<see cref="SortBits"/>) when longer (many values within one
    /// float step, e.g. probabilities next to 1). Half the passes of the 64-bit sort for spread-out values; an input made
    /// of many runs of a few thousand equal float keys costs more, each such run paying for clearing the digit counts of
    /// its passes. The digit counts are rented (<see cref="ArrayPool{T}"/>), not allocated per call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<double> values, Span<ulong> spare)
    {
        int length = values.Length;
        var bits = MemoryMarshal.Cast<double, ulong>(values);
        var other = spare[..length];
        int[] lowCounts = ArrayPool<int>.Shared.Rent(Digits), highCounts = ArrayPool<int>.Shared.Rent(Digits);
        try
        {
            var low = lowCounts.AsSpan(0, Digits);
            var high = highCounts.AsSpan(0, Digits);
            low.Clear();
            high.Clear();
            for (int i = 0; i < length; i++)
            {
                double v = values[i] + 0.0; // −0 + 0 = +0
                values[i] = v;
                uint k = FloatKey(v);
                low[(int)(k & Mask)]++;
                high[(int)(k >> Bits)]++;
            }
            var from = bits;
            var to = other;
            for (int shift = 0; shift < 2 * Bits; shift += Bits)
            {
                var counts = shift == 0 ? low : high;
                if (!Offsets(counts, length, (FloatKey(BitConverter.UInt64BitsToDouble(from[0])) >> shift) & Mask)) continue;
                foreach (ulong b in from) to[counts[(int)((FloatKey(BitConverter.UInt64BitsToDouble(b)) >> shift) & Mask)]++] = b;
                var swap = from;
                from = to;
                to = swap;
            }
            if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(from), ref MemoryMarshal.GetReference(bits))) from.CopyTo(bits);
            // The float passes are done with their counts: the 64-bit passes of long runs reuse them.
            OrderRuns(values, other, low);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lowCounts);
            ArrayPool<int>.Shared.Return(highCounts);
        }
    }

    /// <summary>Order-preserving key of <paramref name="value"/> rounded to float (sign flipped into order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FloatKey(double value)
    {
        uint b = BitConverter.SingleToUInt32Bits((float)value);
        return (b & 0x8000_0000u) != 0 ? ~b : b | 0x8000_0000u;
    }

    /// <summary>Turns digit counts into start offsets; false when every value has <paramref name="first"/> as its digit
    /// (the pass would move nothing).</summary>
    private static bool Offsets(Span<int> counts, int length, uint first)
    {
        if (counts[(int)first] == length) return false;
        for (int d = 0, sum = 0; d < counts.Length; d++)
        {
            int c = counts[d];
            counts[d] = sum;
            sum += c;
        }
        return true;
    }

    /// <summary>Puts each run of values with the same float key in order (the runs themselves are in order already);
    /// <paramref name="offsets"/> is scratch for <see cref="SortBits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OrderRuns(Span<double> values, Span<ulong> spare, Span<int> offsets)
    {
        const int InsertionRun = 16;
        int length = values.Length;
        for (int start = 0; start < length;)
        {
            uint key = FloatKey(values[start]);
            int end = start + 1;
            while (end < length && FloatKey(values[end]) == key) end++;
            int run = end - start;
            if (run > InsertionRun)
            {
                var part = values.Slice(start, run);
                if (run >= MinLength) SortBits(part, spare[..run], offsets);
                else part.Sort();
            }
            else if (run > 1)
            {
                for (int i = start + 1; i < end; i++)
                {
                    double v = values[i];
                    int j = i - 1;
                    while (j >= start && values[j] > v)
                    {
                        values[j + 1] = values[j];
                        j--;
                    }
                    values[j + 1] = v;
                }
            }
            start = end;
        }
    }

    /// <summary>
    /// The 64-bit sort: four 16-bit passes over order-preserving keys of the whole double (passes whose digit is the same
    /// for every value skipped), <paramref name="spare"/> as the second buffer, <paramref name="offsets"/>
    /// (<see cref="Digits"/> entries) for the digit counts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortBits(Span<double> values, Span<ulong> spare, Span<int> offsets)
    {
        int length = values.Length;
        var keys = MemoryMarshal.Cast<double, ulong>(values);
        for (int i = 0; i < length; i++)
        {
            ulong b = (ulong)BitConverter.DoubleToInt64Bits(values[i] + 0.0); // −0 + 0 = +0
            keys[i] = (b & SignBit) != 0 ? ~b : b | SignBit;
        }
        var from = keys;
        var to = spare[..length];
        for (int shift = 0; shift < 64; shift += Bits)
        {
            offsets.Clear();
            foreach (ulong k in from) offsets[(int)((k >> shift) & Mask)]++;
            if (!Offsets(offsets, length, (uint)((from[0] >> shift) & Mask))) continue;
            foreach (ulong k in from) to[offsets[(int)((k >> shift) & Mask)]++] = k;
            var swap = from;
            from = to;
            to = swap;
        }
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(from), ref MemoryMarshal.GetReference(keys))) from.CopyTo(keys);
        for (int i = 0; i < length; i++)
        {
            ulong k = keys[i];
            values[i] = BitConverter.Int64BitsToDouble((long)((k & SignBit) != 0 ? k ^ SignBit : ~k));
        }
    }

    /// <summary>Whether any of <paramref name="values"/> is NaN (such ranges are left to the comparison sort).</summary>
    public static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (double.IsNaN(v)) return true;
        return false;
    }
}
