using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// AUTO_SPLIT's evaluation rows against a plain reference: the k rows with the smallest row hashes (k = 10,000 from
/// 50,000 rows on), whatever the batch order, also when the rows are split between two routers that are merged.
/// </summary>
public class SplitRouterTests
{
    private const int Features = 2;

    /// <summary>Rows whose label is their id, in batches, with hashes from a seeded generator (some repeated, as
    /// identical rows would have).</summary>
    private static List<ColumnBatch> Batches(int rows, int batchSize, ulong[] hashes)
    {
        var list = new List<ColumnBatch>();
        for (int start = 0; start < rows; start += batchSize)
        {
            int n = Math.Min(batchSize, rows - start);
            var b = new ColumnBatch(Features, 0, batchSize) { Count = n, Hash = new ulong[batchSize] };
            for (int r = 0; r < n; r++)
            {
                b.Numeric[0][r] = start + r;
                b.Numeric[1][r] = (start + r) % 17;
                b.Label[r] = start + r;
                b.Hash[r] = hashes[start + r];
            }
            list.Add(b);
        }
        return list;
    }

    private static SplitRouter Route(IEnumerable<ColumnBatch> batches)
    {
        var acc = new MomentAccumulator(Features, 0, 4096);
        acc.SetPivots(new double[Features], 0);
        var router = new SplitRouter(new DataSplitOptions(DataSplitMethod.AutoSplit, null, null), acc.DenseWidth, acc.MaxSparsePerRow);
        foreach (var b in batches) acc.Add(b, router.Visitor(b));
        return router;
    }

    private static long[] EvalIds(SplitRouter router)
    {
        var (store, slots) = router.Finish();
        // The label (pivot 0) is the last dense coordinate: the row id.
        return slots.Select(s => (long)store.Dense(s)[store.DenseWidth - 1]).Order().ToArray();
    }

    [Fact]
    public void Auto_split_keeps_the_rows_with_the_smallest_hashes_in_any_order_and_merged()
    {
        const int rows = 60_000;
        var random = new Random(9);
        var hashes = new ulong[rows];
        for (int i = 0; i < rows; i++) hashes[i] = (ulong)random.NextInt64();
        var expected = Enumerable.Range(0, rows).OrderBy(i => hashes[i]).ThenBy(i => i).Take(10_000).Select(i => (long)i).Order().ToArray();

        Assert.Equal(expected, EvalIds(Route(Batches(rows, 2048, hashes))));
        var reversed = Batches(rows, 1000, hashes);
        reversed.Reverse();
        Assert.Equal(expected, EvalIds(Route(reversed)));

        var batches = Batches(rows, 777, hashes);
        var first = Route(batches.Where((_, i) => i % 3 == 0));
        var second = Route(batches.Where((_, i) => i % 3 != 0));
        first.Merge(second, []);
        Assert.Equal(rows, first.Rows);
        Assert.Equal(expected, EvalIds(first));
    }
}
