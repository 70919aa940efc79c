using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// A deterministic 64-bit hash of each row's values (numeric bits, category text, label; NULLs distinct), used to
/// pick evaluation rows for AUTO_SPLIT and RANDOM. It depends only on the values, not on row order or on the order
/// categories were first seen, and is the same in every process (no randomized string hashing).
/// </summary>
internal sealed class RowHasher(IReadOnlyList<CategoryDictionary> dictionaries, bool hasLabel)
{
    private const ulong Seed = 0x9E3779B97F4A7C15;
    private const ulong NullMark = 0x6A09E667F3BCC909;
    private readonly List<ulong>[] _categoryHashes = dictionaries.Select(_ => new List<ulong>()).ToArray();

    public void Hash(ColumnBatch batch, ulong[] output)
    {
        int n = batch.Count;
        var h = output.AsSpan(0, n);
        h.Fill(Seed);
        for (int j = 0; j < batch.Numeric.Length; j++)
            MixDoubles(h, batch.Numeric[j], batch.NumericValidity[j]);
        for (int c = 0; c < batch.Categorical.Length; c++)
        {
            var codes = batch.Categorical[c];
            var known = CategoryHashes(c);
            for (int r = 0; r < n; r++) h[r] = Mix(h[r], codes[r] < 0 ? NullMark : known[codes[r]]);
        }
        if (hasLabel) MixDoubles(h, batch.Label, batch.LabelValidity);
        FinishAll(h);
    }

    private static void MixDoubles(Span<ulong> h, double[] values, ulong[]? validity)
    {
        for (int r = 0; r < h.Length; r++)
        {
            ulong v = ColumnBatch.IsValid(validity, r) ? BitConverter.DoubleToUInt64Bits(values[r]) : NullMark;
            h[r] = Mix(h[r], v);
        }
    }

    private List<ulong> CategoryHashes(int column)
    {
        var hashes = _categoryHashes[column];
        var values = dictionaries[column].Values;
        while (hashes.Count < values.Count) hashes.Add(StringHash(values[hashes.Count]));
        return hashes;
    }

    /// <summary>FNV-1a over UTF-16 code units, finished with the same mixer.</summary>
    private static ulong StringHash(string s)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (char ch in s) h = (h ^ ch) * 0x100000001B3;
        return Finish(h);
    }

    private static ulong Mix(ulong h, ulong v) => BitOperations.RotateLeft((h ^ v) * 0xFF51AFD7ED558CCD, 31) * 0xC4CEB9FE1A85EC53;

    /// <summary>murmur3's 64-bit finalizer (also <see cref="MedianSample"/>'s row-hash mixer).</summary>
    internal static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        return h ^ (h >> 33);
    }

    /// <summary><see cref="Finish"/> of every element, a vector at a time.</summary>
    internal static void FinishAll(Span<ulong> h)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref ulong start = ref MemoryMarshal.GetReference(h);
            for (; i <= h.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                v ^= Vector256.ShiftRightLogical(v, 33);
                v *= 0xFF51AFD7ED558CCD;
                v ^= Vector256.ShiftRightLogical(v, 33);
                v *= 0xC4CEB9FE1A85EC53;
                v ^= Vector256.ShiftRightLogical(v, 33);
                v.StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < h.Length; i++) h[i] = Finish(h[i]);
    }
}
