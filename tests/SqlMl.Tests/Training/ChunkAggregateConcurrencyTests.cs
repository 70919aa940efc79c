using SqlMl.Data.Internal.Functions;
using SqlMl.Data.Internal.Native;

namespace SqlMl.Tests.Training;

/// <summary>ChunkAggregate from several connections of one database at once (first use races the registration), and KMeansNearest edge cases.</summary>
public class ChunkAggregateConcurrencyTests
{
    private sealed class Counting(CancellationToken token) : ChunkAggregateSession(token)
    {
        protected override ChunkWorker CreateWorker() => new CountWorker();

        public sealed class CountWorker : ChunkWorker
        {
            public long Rows;

            public override void Update(ChunkView chunk) => Rows += chunk.Rows;
        }
    }

    [Fact]
    public void Connections_of_one_database_register_and_run_concurrently()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sqlml-chunk-{Guid.NewGuid():N}.duckdb");
        try
        {
            var dbs = Enumerable.Range(0, 4).Select(_ => new TestDb(path)).ToList();
            try
            {
                // Argument counts no other test uses, so each is registered here for the first time, by all connections at once.
                for (int n = 11; n <= 16; n++)
                {
                    string sql = "SELECT " + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(i + {i})::DOUBLE")) + " FROM range(50000) r(i)";
                    var types = Enumerable.Repeat("DOUBLE", n).ToList();
                    var sessions = dbs.Select(_ => new Counting(CancellationToken.None)).ToList();
                    Parallel.For(0, dbs.Count, new ParallelOptions { MaxDegreeOfParallelism = dbs.Count },
                        i => ChunkAggregate.Run(dbs[i].Connection.Duck, sql, types, sessions[i]));
                    foreach (var s in sessions) Assert.Equal(50_000L, s.Workers.Cast<Counting.CountWorker>().Sum(w => w.Rows));
                }
            }
            finally
            {
                foreach (var db in dbs) db.Dispose();
            }
        }
        finally
        {
            foreach (var f in new[] { path, path + ".wal" }) if (File.Exists(f)) File.Delete(f);
        }
    }

    [Fact]
    public void A_cancelled_token_stops_the_query_with_OperationCanceledException()
    {
        using var db = new TestDb();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ChunkAggregate.Run(db.Connection.Duck, "SELECT i::DOUBLE FROM range(100000) r(i)", ["DOUBLE"], new Counting(cts.Token)));
        var ok = new Counting(CancellationToken.None);
        ChunkAggregate.Run(db.Connection.Duck, "SELECT i::DOUBLE FROM range(10) r(i)", ["DOUBLE"], ok);
        Assert.Equal(10L, ok.Workers.Cast<Counting.CountWorker>().Sum(w => w.Rows));
    }

    [Fact]
    public void KMeansNearest_NULL_distance_gives_NULL()
    {
        using var db = new TestDb();
        var rows = db.Rows($"SELECT {NearestCentroidsFunction.Name}(a, b, c) FROM (VALUES (1.0::DOUBLE, NULL::DOUBLE, 0.5::DOUBLE), (2.0, 1.0, 3.0)) v(a, b, c)");
        Assert.Null(rows[0][0]);
        Assert.Equal(1L | (0L << 7) | (2L << 14), (long)rows[1][0]!);
    }

    [Fact]
    public void KMeansNearest_NaN_sorts_last()
    {
        using var db = new TestDb();
        // 'nan' first: it must not take a place among the nearest and keep smaller distances out.
        long packed = (long)db.Scalar($"SELECT {NearestCentroidsFunction.Name}('nan'::DOUBLE, 6, 5, 4, 3, 2, 1)")!;
        var got = Enumerable.Range(0, 5).Select(j => (int)((packed >> (j * 7)) & 127)).ToArray();
        Assert.Equal(new[] { 6, 5, 4, 3, 2 }, got);
    }
}
