using System.Numerics;

namespace SqlMl.Training;

/// <summary>Sorting of 64-bit hashes with an int alongside each, for <see cref="MedianSample"/>'s consolidations.</summary>
internal static class HashRadixSort
{
    /// <summary>
    /// Sorts <paramref name="keys"/> ascending with <paramref name="entries"/> alongside: a stable LSD radix sort over
    /// 11-bit digits, only as many as the largest key has (<see cref="MedianSample"/>'s kept hashes have their top bits
    /// zero), through scratch spans of the same length. Short inputs use the comparison sort.
    /// </summary>
    public static void Sort(Span<ulong> keys, Span<int> entries, Span<ulong> scratchKeys, Span<int> scratchEntries)
    {
        int n = keys.Length;
        if (n < 4096)
        {
            keys.Sort(entries);
            return;
        }
        ulong any = 0;
        foreach (ulong k in keys) any |= k;
        int bits = 64 - BitOperations.LeadingZeroCount(any);
        Span<int> counts = stackalloc int[1 << 11];
        bool inScratch = false;
        for (int shift = 0; shift < bits; shift += 11)
        {
            Span<ulong> fromKeys = inScratch ? scratchKeys : keys, toKeys = inScratch ? keys : scratchKeys;
            Span<int> fromEntries = inScratch ? scratchEntries : entries, toEntries = inScratch ? entries : scratchEntries;
            counts.Clear();
            foreach (ulong k in fromKeys) counts[(int)(k >> shift) & 0x7FF]++;
            int sum = 0;
            for (int d = 0; d < counts.Length; d++) (counts[d], sum) = (sum, sum + counts[d]);
            for (int i = 0; i < n; i++)
            {
                int at = counts[(int)(fromKeys[i] >> shift) & 0x7FF]++;
                toKeys[at] = fromKeys[i];
                toEntries[at] = fromEntries[i];
            }
            inScratch = !inScratch;
        }
        if (inScratch)
        {
            scratchKeys.CopyTo(keys);
            scratchEntries.CopyTo(entries);
        }
    }
}
