using System.Numerics;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// <see cref="RowHasher"/>'s vectorized mix against a plain per-row reference of its definition (seed, then each
/// numeric column's bits or the NULL mark, each category's FNV-1a hash or the NULL mark, then the label; murmur3's
/// finalizer), with NULLs anywhere, categorical columns or none, and row counts that are not multiples of 8.
/// </summary>
public class RowHasherTests
{
    private const ulong Seed = 0x9E3779B97F4A7C15;
    private const ulong NullMark = 0x6A09E667F3BCC909;

    private static ulong Mix(ulong h, ulong v) => BitOperations.RotateLeft((h ^ v) * 0xFF51AFD7ED558CCD, 31) * 0xC4CEB9FE1A85EC53;

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        return h ^ (h >> 33);
    }

    private static ulong StringHash(string s)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (char ch in s) h = (h ^ ch) * 0x100000001B3;
        return Finish(h);
    }

    private static ulong Reference(ColumnBatch batch, CategoryDictionary[] dictionaries, bool hasLabel, int r)
    {
        ulong h = Seed;
        for (int j = 0; j < batch.Numeric.Length; j++)
            h = Mix(h, ColumnBatch.IsValid(batch.NumericValidity[j], r) ? BitConverter.DoubleToUInt64Bits(batch.Numeric[j][r]) : NullMark);
        for (int c = 0; c < batch.Categorical.Length; c++)
        {
            int code = batch.Categorical[c][r];
            h = Mix(h, code < 0 ? NullMark : StringHash(dictionaries[c].Values[code]));
        }
        if (hasLabel) h = Mix(h, ColumnBatch.IsValid(batch.LabelValidity, r) ? BitConverter.DoubleToUInt64Bits(batch.Label[r]) : NullMark);
        return Finish(h);
    }

    [Theory]
    [InlineData(16, 0, true, 2048)]
    [InlineData(16, 0, true, 1000)]
    [InlineData(3, 0, false, 77)]
    [InlineData(5, 2, true, 333)]
    [InlineData(0, 1, true, 20)]
    [InlineData(2, 0, true, 5)]
    public void Vectorized_hashes_equal_the_plain_per_row_definition(int numeric, int categorical, bool hasLabel, int rows)
    {
        var random = new Random(numeric * 1000 + rows);
        var dictionaries = Enumerable.Range(0, categorical).Select(_ => new CategoryDictionary()).ToArray();
        foreach (var d in dictionaries)
            foreach (var v in new[] { "a", "bb", "Ünïcode", "" }) d.GetOrAdd(v);
        var batch = new ColumnBatch(numeric, categorical, rows) { Count = rows };
        for (int j = 0; j < numeric; j++)
        {
            for (int r = 0; r < rows; r++) batch.Numeric[j][r] = random.Next(4) == 0 ? random.Next(3) : random.NextDouble() * 100 - 50;
            // Column 0 has no mask, column 1 an all-valid one, the others NULLs here and there (and whole bytes of them).
            if (j == 0) continue;
            var mask = new ulong[(rows + 63) / 64];
            for (int r = 0; r < rows; r++)
                if (j == 1 || (random.Next(5) != 0 && r % 64 is < 16 or > 23)) mask[r >> 6] |= 1UL << (r & 63);
            batch.NumericValidity[j] = mask;
        }
        for (int c = 0; c < categorical; c++)
            for (int r = 0; r < rows; r++) batch.Categorical[c][r] = random.Next(-1, 4);
        for (int r = 0; r < rows; r++) batch.Label[r] = random.NextDouble();
        if (rows > 3)
        {
            batch.LabelValidity = Enumerable.Repeat(ulong.MaxValue, (rows + 63) / 64).ToArray();
            batch.LabelValidity[0] &= ~(1UL << 2);
        }
        var output = new ulong[rows + 3];
        new RowHasher(dictionaries, hasLabel).Hash(batch, output);
        for (int r = 0; r < rows; r++) Assert.Equal(Reference(batch, dictionaries, hasLabel, r), output[r]);
        Assert.Equal(0UL, output[rows]);
    }
}
