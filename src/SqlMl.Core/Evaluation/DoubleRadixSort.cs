namespace SqlMl.Evaluation;

/// <summary>
/// Ascending sort of doubles by a least-significant-digit radix sort on order-preserving 64-bit keys (16 bits per pass,
/// passes whose digit is the same for every value skipped): linear time, for the large score arrays of roc_auc.
/// −0 becomes +0 (equal values either way); NaN, which callers do not pass, would sort last. Small arrays use
/// <see cref="Array.Sort(Array)"/>.
/// </summary>
internal static class DoubleRadixSort
{
    private const int Bits = 16;
    private const ulong SignBit = 1UL << 63;

    /// <summary>Below this many values <see cref="Array.Sort(Array)"/> is used.</summary>
    public const int MinLength = 4096;

    public static void Sort(double[] values)
    {
        int n = values.Length;
        if (n < MinLength)
        {
            Array.Sort(values);
            return;
        }
        var keys = new ulong[n];
        var spare = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            ulong b = (ulong)BitConverter.DoubleToInt64Bits(values[i] + 0.0); // −0 + 0 = +0
            keys[i] = (b & SignBit) != 0 ? ~b : b | SignBit;
        }
        var offsets = new int[1 << Bits];
        for (int shift = 0; shift < 64; shift += Bits)
        {
            Array.Clear(offsets);
            foreach (ulong k in keys) offsets[(int)(k >> shift) & ((1 << Bits) - 1)]++;
            if (offsets[(int)(keys[0] >> shift) & ((1 << Bits) - 1)] == n) continue; // one digit for all: nothing moves
            for (int d = 0, sum = 0; d < offsets.Length; d++)
            {
                int c = offsets[d];
                offsets[d] = sum;
                sum += c;
            }
            foreach (ulong k in keys) spare[offsets[(int)(k >> shift) & ((1 << Bits) - 1)]++] = k;
            (keys, spare) = (spare, keys);
        }
        for (int i = 0; i < n; i++)
        {
            ulong k = keys[i];
            values[i] = BitConverter.Int64BitsToDouble((long)((k & SignBit) != 0 ? k ^ SignBit : ~k));
        }
    }
}
