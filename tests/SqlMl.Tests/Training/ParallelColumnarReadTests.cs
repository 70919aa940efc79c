using SqlMl.Data.Internal.Native;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// ChunkTrainingData's whole-column read of numeric-only queries, which fetches and copies DuckDB's chunks on every core,
/// against the batch stream of the same query.
/// </summary>
public class ParallelColumnarReadTests
{
    private static readonly TrainingSchema Schema = new(["x1", "x2", "x3"], [], null);

    // 100,003 rows, parts of odd sizes (partial chunks inside the result), NULLs, the init flag with NULL as true.
    private const string Query = """
        SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 1001) / 10.0 END::DOUBLE AS x1,
               (i % 13 - 6.5)::DOUBLE AS x2,
               sin(i)::DOUBLE AS x3,
               CASE WHEN i % 17 = 0 THEN NULL ELSE i % 1000 = 1 END AS init
        FROM (SELECT i FROM range(0, 33333) r(i) UNION ALL SELECT i FROM range(33333, 61001) r(i) UNION ALL SELECT i FROM range(61001, 100003) r(i))
        """;

    [Fact]
    public void Columns_equal_the_batches_of_the_same_query()
    {
        using var db = new TestDb();
        db.Execute("SET threads = 2");
        // The union's parts end in partial chunks inside the result: the parallel read must move rows into place.
        using (var result = new MaterializedChunks(db.Connection.Duck, Query))
        {
            int v = ChunkStream.VectorSize, partial = 0;
            for (int i = 0; i < result.Chunks - 1; i++)
            {
                using var chunk = result.Chunk(i);
                if (MaterializedChunks.Size(chunk) < v) partial++;
            }
            Assert.True(partial > 0, "the query should give a partial chunk before the last");
        }
        using var streamed = KMeansRawData.Read(new BatchStream(new ChunkTrainingData(db.Connection.Duck, Query, Schema, SplitColumn.Flag)), "m", withFlags: true, CancellationToken.None);
        using var columnar = KMeansRawData.Read(new ChunkTrainingData(db.Connection.Duck, Query, Schema, SplitColumn.Flag), "m", withFlags: true, CancellationToken.None);
        Assert.Equal(100_003, columnar.Rows);
        Assert.Equal(streamed.Rows, columnar.Rows);
        int n = streamed.Rows;
        for (int j = 0; j < 3; j++)
        {
            Assert.True(columnar.Numeric[j].Length >= KMeansData.Pad(n));
            Assert.Equal(streamed.Numeric[j].AsSpan(0, KMeansData.Pad(n)).ToArray(), columnar.Numeric[j].AsSpan(0, KMeansData.Pad(n)).ToArray());
            Assert.True(columnar.Numeric[j].AsSpan(n).IndexOfAnyExcept(0.0) < 0, "the rows after the last are zero");
            Assert.Equal(streamed.Mean[j], columnar.Mean[j]);
            Assert.Equal(streamed.NonNull[j], columnar.NonNull[j]);
        }
        Assert.Equal(streamed.Flags!.AsSpan(0, n).ToArray(), columnar.Flags!.AsSpan(0, n).ToArray());
    }

    [Theory]
    [InlineData(70_000, 90_000, "x1")]  // the first refused value in row order is x1's, in an earlier chunk than x2's
    [InlineData(90_000, 70_000, "x2")]
    [InlineData(70_002, 70_001, "x1")]  // same chunk: columns are checked in order, as the serial read does
    public void The_first_refused_value_in_row_order_is_reported(int x1Row, int x2Row, string column)
    {
        using var db = new TestDb();
        string sql = $"""
            SELECT CASE WHEN i = {x1Row} THEN 'Infinity'::DOUBLE ELSE i END::DOUBLE AS x1,
                   CASE WHEN i = {x2Row} THEN 'NaN'::DOUBLE ELSE 1 END::DOUBLE AS x2, 2.0::DOUBLE AS x3
            FROM range(100000) r(i)
            """;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var e = Assert.Throws<SqlMlException>(() => KMeansRawData.Read(new ChunkTrainingData(db.Connection.Duck, sql, Schema, SplitColumn.None), "m", false, CancellationToken.None));
            Assert.Equal($"CREATE MODEL m: feature column '{column}' contains NaN or Infinity.", e.Message);
        }
    }

    [Fact]
    public void Cancelling_stops_the_read()
    {
        using var db = new TestDb();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var reader = new ChunkTrainingData(db.Connection.Duck, "SELECT i::DOUBLE AS x1, 1.0::DOUBLE AS x2, 2.0::DOUBLE AS x3 FROM range(100000) r(i)", Schema, SplitColumn.None);
        Assert.ThrowsAny<OperationCanceledException>(() => KMeansRawData.Read(reader, "m", false, cts.Token));
    }

    [Fact]
    public void Compacting_moves_the_rows_of_chunks_after_a_partial_one_into_place()
    {
        const int v = 4;
        int[] sizes = [4, 2, 4, 3, 1];
        var column = new double[sizes.Length * v];
        var flags = new bool[sizes.Length * v];
        var expected = new List<double>();
        for (int i = 0; i < sizes.Length; i++)
            for (int r = 0; r < sizes[i]; r++)
            {
                column[i * v + r] = 10 * i + r;
                flags[i * v + r] = (i + r) % 2 == 0;
                expected.Add(10 * i + r);
            }
        ChunkTrainingData.Compact([column], flags, sizes, v);
        Assert.Equal(expected, column.Take(expected.Count));
        Assert.Equal(expected.Select(x => ((int)x / 10 + (int)x % 10) % 2 == 0), flags.Take(expected.Count));
    }
}
