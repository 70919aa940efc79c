using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SqlMl.Evaluation;

/// <summary>
/// Ascending sort of doubles by a least-significant-digit radix sort on order-preserving 64-bit keys (16 bits per pass,
/// passes whose digit is the same for every value skipped): linear time, for the large score arrays of roc_auc and of
/// the k-means anomaly cutoffs (where the comparison sort cost ~4× more). The result equals
/// <see cref="Array.Sort{T}(T[], int, int)"/>'s: −0 becomes +0 (equal values either way), and a range holding a NaN, or
/// shorter than <see cref="MinLength"/>, is sorted by <see cref="Array.Sort{T}(T[], int, int)"/> itself.
/// </summary>
internal static class DoubleRadixSort
{
    private const int Bits = 16;
    private const ulong SignBit = 1UL << 63;

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
    /// Sorts <paramref name="values"/> (no NaN, at least <see cref="MinLength"/> long; otherwise use
    /// <see cref="Sort(double[], int, int)"/>) ascending, with <paramref name="spare"/> (at least as long; its contents are
    /// lost) as the second buffer: the keys are made in place. Fully optimized at once: it runs a few times per
    /// statement over up to millions of values (tier-0 code otherwise).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<double> values, Span<ulong> spare)
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
        var offsets = new int[1 << Bits];
        for (int shift = 0; shift < 64; shift += Bits)
        {
            Array.Clear(offsets);
            foreach (ulong k in from) offsets[(int)(k >> shift) & ((1 << Bits) - 1)]++;
            if (offsets[(int)(from[0] >> shift) & ((1 << Bits) - 1)] == length) continue; // one digit for all: nothing moves
            for (int d = 0, sum = 0; d < offsets.Length; d++)
            {
                int c = offsets[d];
                offsets[d] = sum;
                sum += c;
            }
            foreach (ulong k in from) to[offsets[(int)(k >> shift) & ((1 << Bits) - 1)]++] = k;
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

    /// <summary>Whether some value is NaN.</summary>
    public static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (double.IsNaN(v)) return true;
        return false;
    }
}
