namespace SqlMl.Models;

/// <summary>
/// Sorts doubles ascending with an LSD radix sort on their bit patterns when every value is non-negative (0 … +∞,
/// where the IEEE-754 bit patterns order like the values), and with <see cref="Array.Sort{T}(T[], int, int)"/>
/// otherwise (a negative value or NaN). The result is the same as a comparison sort's: equal values are
/// indistinguishable (on the radix path −0 comes back as +0, which compares equal). Used for the k-means anomaly cutoffs, where half a million scores
/// are sorted per CREATE MODEL and the comparison sort cost ~4× more.
/// </summary>
internal static class NonNegativeSort
{
    private const int Bits = 11;
    private const int Buckets = 1 << Bits;
    private const int Passes = (64 + Bits - 1) / Bits;

    /// <summary>Below this length the comparison sort is as fast.</summary>
    private const int MinRadixLength = 4096;

    /// <summary>Sorts <paramref name="values"/>[<paramref name="start"/> … <paramref name="start"/> + <paramref name="length"/> − 1] ascending.</summary>
    public static void Sort(double[] values, int start, int length)
    {
        var span = values.AsSpan(start, length);
        if (length < MinRadixLength || !AllNonNegative(span))
        {
            Array.Sort(values, start, length);
            return;
        }
        var keys = new ulong[length];
        var scratch = new ulong[length];
        var counts = new int[Passes * Buckets];
        for (int i = 0; i < length; i++)
        {
            ulong key = BitConverter.DoubleToUInt64Bits(span[i] + 0.0); // −0 + 0 is +0
            keys[i] = key;
            for (int p = 0; p < Passes; p++) counts[p * Buckets + (int)((key >> (p * Bits)) & (Buckets - 1))]++;
        }
        for (int p = 0; p < Passes; p++)
        {
            var count = counts.AsSpan(p * Buckets, Buckets);
            if (count.Contains(length)) continue; // every key has the same digit: the pass would not move anything
            int sum = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            int shift = p * Bits;
            foreach (ulong key in keys) scratch[count[(int)((key >> shift) & (Buckets - 1))]++] = key;
            (keys, scratch) = (scratch, keys);
        }
        for (int i = 0; i < length; i++) span[i] = BitConverter.UInt64BitsToDouble(keys[i]);
    }

    private static bool AllNonNegative(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (!(v >= 0)) return false; // negative or NaN
        return true;
    }
}
