using SqlMl.Data.Internal.Native;

namespace SqlMl.Tests.Training;

/// <summary>The C-API aggregate that runs C# workers on DuckDB's threads: every row reaches exactly one worker; errors and NULLs.</summary>
public class ChunkAggregateTests
{
    private sealed class Summing(CancellationToken token) : ChunkAggregateSession(token)
    {
        protected override ChunkWorker CreateWorker() => new SumWorker();

        public sealed unsafe class SumWorker : ChunkWorker
        {
            public long Rows;
            public long Nulls;
            public double Sum;

            public override void Update(ChunkView chunk)
            {
                Rows += chunk.Rows;
                double* x = chunk.Data(0);
                ulong* valid = chunk.Validity(0);
                for (int r = 0; r < chunk.Rows; r++)
                {
                    if (valid != null && (valid[r >> 6] & (1UL << (r & 63))) == 0) Nulls++;
                    else Sum += x[r];
                    if (x[r] == -1) throw new InvalidOperationException("minus one");
                }
            }
        }
    }

    [Fact]
    public void Every_row_reaches_exactly_one_worker()
    {
        using var db = new TestDb();
        db.Execute("SET threads = 4");
        db.Execute("CREATE TABLE t AS SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE i END AS x, i % 2 = 0 AS b FROM range(400000) r(i)");
        var session = new Summing(CancellationToken.None);
        ChunkAggregate.Run(db.Connection.Duck, "SELECT x, b FROM t", ["BIGINT", "BOOLEAN"], session);
        var workers = session.Workers.Cast<Summing.SumWorker>().ToList();
        Assert.NotEmpty(workers);
        Assert.Equal(400_000L, workers.Sum(w => w.Rows));
        Assert.Equal(40_000L, workers.Sum(w => w.Nulls));
        Assert.Equal((double)db.Scalar("SELECT sum(x)::DOUBLE FROM t")!, workers.Sum(w => w.Sum));
    }

    [Fact]
    public void A_workers_exception_is_rethrown_and_the_function_stays_usable()
    {
        using var db = new TestDb();
        var failing = new Summing(CancellationToken.None);
        var e = Assert.Throws<InvalidOperationException>(() => ChunkAggregate.Run(db.Connection.Duck, "SELECT i::DOUBLE - 5 FROM range(10) r(i)", ["DOUBLE"], failing));
        Assert.Equal("minus one", e.Message);
        var ok = new Summing(CancellationToken.None);
        ChunkAggregate.Run(db.Connection.Duck, "SELECT i::DOUBLE FROM range(10) r(i)", ["DOUBLE"], ok);
        Assert.Equal(45.0, ok.Workers.Cast<Summing.SumWorker>().Sum(w => w.Sum));
        var none = new Summing(CancellationToken.None);
        ChunkAggregate.Run(db.Connection.Duck, "SELECT i::DOUBLE FROM range(10) r(i) WHERE false", ["DOUBLE"], none);
        Assert.Empty(none.Workers);
    }

    [Fact]
    public void A_call_with_an_unknown_session_is_an_error()
    {
        using var db = new TestDb();
        ChunkAggregate.Run(db.Connection.Duck, "SELECT 1.0", ["DOUBLE"], new Summing(CancellationToken.None));
        var e = Assert.ThrowsAny<Exception>(() => db.Execute("SELECT sqlml_chunk_aggregate_1(123456789::BIGINT, 1.0)"));
        Assert.Contains("no SqlMl session 123456789 is running", e.Message, StringComparison.Ordinal);
    }
}
