using System.Numerics;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// <see cref="MedianSample"/>'s kept rows against a plain reference of its documented rule: group the rows by their
/// hash (<see cref="MedianSample.HashOf"/>), take the smallest level L whose hashes with L leading zero bits number at
/// most the sample cap, keep those hashes with their full counts. Exercised through every storage path: exact rows
/// switching to sampling, level 0's hash table, the append buffer and its consolidations, merges of exact, level-0
/// and buffered samples in any order, with heavy duplicates and with distinct rows.
/// </summary>
public class MedianSampleTests
{
    private const int Columns = 3;

    /// <summary>Rows drawn from <paramref name="distinct"/> rows; <paramref name="growing"/>: row r only from the first
    /// 1 + r · distinct / rows of them, so the number of distinct rows keeps growing (level 0 first, then overflowing).</summary>
    private static double?[][] Rows(Random random, int rows, int distinct, bool growing = false)
    {
        var pool = Enumerable.Range(0, distinct).Select(_ => new double?[]
        {
            random.Next(9) == 0 ? null : random.NextDouble() * 100,
            random.Next(5),
            random.Next(7) == 0 ? null : random.NextDouble(),
        }).ToArray();
        return Enumerable.Range(0, rows).Select(r => pool[random.Next(growing ? 1 + (int)((long)r * distinct / rows) : pool.Length)]).ToArray();
    }

    private static void Feed(MedianSample sample, double?[][] rows, int batchSize)
    {
        var batch = new ColumnBatch(Columns, 0, batchSize);
        var masks = Enumerable.Range(0, Columns).Select(_ => new ulong[(batchSize + 63) / 64]).ToArray();
        for (int start = 0; start < rows.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, rows.Length - start);
            batch.Count = n;
            var used = new ulong[]?[Columns];
            for (int j = 0; j < Columns; j++)
            {
                Array.Clear(masks[j]);
                for (int r = 0; r < n; r++)
                {
                    var v = rows[start + r][j];
                    batch.Numeric[j][r] = v ?? -777.5; // garbage under NULL
                    if (v is not null) masks[j][r >> 6] |= 1UL << (r & 63);
                    else used[j] = masks[j];
                }
            }
            sample.Add(batch, used);
        }
    }

    /// <summary>The reference: (hash, count) of the rows the rule keeps, and whether that is every row (level 0).</summary>
    private static (Dictionary<ulong, long> Kept, bool Exact) Reference(MedianSample hasher, double?[][] rows, int sampleCap)
    {
        var counts = rows.GroupBy(r => hasher.HashOf(r)).ToDictionary(g => g.Key, g => (long)g.Count());
        int level = Enumerable.Range(0, 65).First(l => counts.Keys.Count(h => BitOperations.LeadingZeroCount(h) >= l) <= sampleCap);
        return (counts.Where(kv => BitOperations.LeadingZeroCount(kv.Key) >= level).ToDictionary(), level == 0);
    }

    private static void AssertKept(Dictionary<ulong, long> expected, MedianSample sample)
    {
        var actual = sample.Kept().GroupBy(k => k.Hash).ToDictionary(g => g.Key, g => g.Sum(k => k.Count));
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (hash, count) in expected) Assert.Equal(count, actual.GetValueOrDefault(hash));
    }

    [Theory]
    [InlineData(30_000, 100_000, 64, false)]   // distinct rows: exact, then the buffer with many consolidations
    [InlineData(30_000, 250, 64, false)]       // heavy duplicates, fewer distinct rows than the cap: level 0 throughout
    [InlineData(30_000, 1_500, 100, false)]    // duplicates beyond the cap from the start: straight to the buffer
    [InlineData(30_000, 3_000, 100, true)]     // distinct rows growing: level 0's table overflows into the buffer
    [InlineData(900, 100_000, 16, false)]      // below the exact cap
    public void The_kept_rows_are_the_documented_rule_for_one_reader_and_merged_parts(int rows, int distinct, int batchSize, bool growing)
    {
        const int exactCap = 2_000, sampleCap = 300;
        var random = new Random(rows + distinct + batchSize);
        var data = Rows(random, rows, distinct, growing);
        var whole = new MedianSample(Columns, exactCap, sampleCap);
        Feed(whole, data, batchSize);
        var (expected, exact) = rows <= exactCap ? (data.GroupBy(r => whole.HashOf(r)).ToDictionary(g => g.Key, g => (long)g.Count()), true)
            : Reference(whole, data, sampleCap);
        AssertKept(expected, whole);
        Assert.Equal(exact, whole.Exact);

        // Parts of very different sizes (one stays exact, others sample), merged in both directions and orders.
        int[] cuts = [0, rows / 50, rows / 3, rows / 2 + 7, rows];
        var parts = new MedianSample[cuts.Length - 1];
        for (int p = 0; p < parts.Length; p++)
        {
            parts[p] = new MedianSample(Columns, exactCap, sampleCap);
            Feed(parts[p], data[cuts[p]..cuts[p + 1]], batchSize + p);
        }
        parts[1].Merge(parts[0]);
        parts[3].Merge(parts[2]);
        parts[1].Merge(parts[3]);
        AssertKept(expected, parts[1]);
        Assert.Equal(exact, parts[1].Exact);
        Assert.Equal(whole.Medians(), parts[1].Medians());
    }

    [Fact]
    public void The_medians_of_the_sample_are_the_weighted_medians_of_the_kept_rows()
    {
        var random = new Random(77);
        var data = Rows(random, 20_000, 50_000);
        var sample = new MedianSample(Columns, 1_000, 400);
        Feed(sample, data, 333);
        var kept = Reference(sample, data, 400).Kept;
        var medians = sample.Medians();
        for (int j = 0; j < Columns; j++)
        {
            var values = data.Where(r => kept.ContainsKey(sample.HashOf(r)) && r[j] is not null).Select(r => r[j]!.Value).Order().ToArray();
            int n = values.Length;
            double expected = n % 2 == 1 ? values[n / 2] : values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2;
            Assert.Equal(expected, medians[j]!.Value, 12);
        }
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(50_000, 0)]
    [InlineData(50_000, 7)]
    [InlineData(9_000, 60)]
    public void The_radix_sort_of_new_hashes_orders_them_like_a_comparison_sort(int n, int leadingZeros)
    {
        var random = new Random(n + leadingZeros);
        // Duplicates included: every third key repeats an earlier one.
        var keys = new ulong[n];
        for (int i = 0; i < n; i++) keys[i] = i % 3 == 2 ? keys[random.Next(i)] : (ulong)random.NextInt64() << 1 >> leadingZeros;
        var entries = Enumerable.Range(0, n).ToArray();
        var original = keys.ToArray();
        HashRadixSort.Sort(keys, entries, new ulong[n], new int[n]);
        Assert.Equal(original.Order().ToArray(), keys);
        for (int i = 0; i < n; i++) Assert.Equal(original[entries[i]], keys[i]);
    }
}
