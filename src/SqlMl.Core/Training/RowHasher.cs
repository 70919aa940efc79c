using System.Numerics;
using System.Runtime.CompilerServices;
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
        // Without categorical columns the label is mixed in the same pass as the numeric ones (it comes right after them).
        bool labelInPass = hasLabel && batch.Categorical.Length == 0;
        int done = Vector512.IsHardwareAccelerated ? MixNumeric512(batch, h, labelInPass) : 0;
        for (int r = done; r < n; r++)
        {
            ulong x = Seed;
            for (int j = 0; j < batch.Numeric.Length; j++) x = Mix(x, Bits(batch.Numeric[j], batch.NumericValidity[j], r));
            if (labelInPass) x = Mix(x, Bits(batch.Label, batch.LabelValidity, r));
            h[r] = x;
        }
        for (int c = 0; c < batch.Categorical.Length; c++)
        {
            var codes = batch.Categorical[c];
            var known = CategoryHashes(c);
            for (int r = 0; r < n; r++) h[r] = Mix(h[r], codes[r] < 0 ? NullMark : known[codes[r]]);
        }
        if (hasLabel && !labelInPass)
            for (int r = 0; r < n; r++) h[r] = Mix(h[r], Bits(batch.Label, batch.LabelValidity, r));
        FinishAll(h);
    }

    private static ulong Bits(double[] values, ulong[]? validity, int r) =>
        ColumnBatch.IsValid(validity, r) ? BitConverter.DoubleToUInt64Bits(values[r]) : NullMark;

    /// <summary>
    /// <see cref="Mix(ulong, ulong)"/> of the numeric columns (and the label when <paramref name="withLabel"/>) into
    /// <c>Seed</c>, 8 rows at a time with all columns in registers; returns how many leading rows it did (a multiple of 8).
    /// The same integers as the scalar mix: NULLs become <c>NullMark</c> by a select on the validity bits.
    /// </summary>
    private static int MixNumeric512(ColumnBatch batch, Span<ulong> h, bool withLabel)
    {
        int rows = h.Length & ~7, columns = batch.Numeric.Length;
        var rowBits = Vector512.Create(1UL, 2, 4, 8, 16, 32, 64, 128);
        var nullMark = Vector512.Create(NullMark);
        ref ulong target = ref MemoryMarshal.GetReference(h);
        for (int i = 0; i < rows; i += 8)
        {
            var x = Vector512.Create(Seed);
            for (int j = 0; j <= columns; j++)
            {
                double[] values;
                ulong[]? validity;
                if (j < columns) (values, validity) = (batch.Numeric[j], batch.NumericValidity[j]);
                else if (withLabel) (values, validity) = (batch.Label, batch.LabelValidity);
                else break;
                var v = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(values), (nuint)i).AsUInt64();
                if (validity is not null)
                {
                    ulong valid = (validity[i >> 6] >> (i & 63)) & 0xFF;
                    if (valid != 0xFF)
                        v = Vector512.ConditionalSelect(Vector512.Equals(rowBits & Vector512.Create(valid), rowBits), v, nullMark);
                }
                x = Mix(x, v);
            }
            x.StoreUnsafe(ref target, (nuint)i);
        }
        return rows;
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

    /// <summary><see cref="Mix(ulong, ulong)"/> in each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> h, Vector512<ulong> v)
    {
        var x = (h ^ v) * 0xFF51AFD7ED558CCD;
        return (Vector512.ShiftLeft(x, 31) | Vector512.ShiftRightLogical(x, 33)) * 0xC4CEB9FE1A85EC53;
    }

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
