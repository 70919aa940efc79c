using SqlMl.Data.Internal.Native;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>ChunkTrainingData's whole-column read (KMEANS) against its batch stream over the same query.</summary>
public class ColumnarReadTests
{
    private const string Query = """
        SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 1001) / 10.0 END::DOUBLE AS x1,
               (i % 13 - 6.5)::DOUBLE AS x2,
               CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'a much longer category name than twelve bytes' ELSE 'c' || (i % 5) END AS g,
               CASE WHEN i % 17 = 0 THEN NULL ELSE i % 1000 = 1 END AS init
        FROM range(10000) r(i)
        """;

    private static readonly TrainingSchema Schema = new(["x1", "x2"], ["g"], null);

    [Fact]
    public void Columns_equal_the_batches_of_the_same_query()
    {
        using var db = new TestDb();
        using var streamed = KMeansRawData.Read(new BatchStream(new ChunkTrainingData(db.Connection.Duck, Query, Schema, SplitColumn.Flag)), "m", withFlags: true, CancellationToken.None);
        using var columnar = KMeansRawData.Read(new ChunkTrainingData(db.Connection.Duck, Query, Schema, SplitColumn.Flag), "m", withFlags: true, CancellationToken.None);
        Assert.Equal(streamed.Rows, columnar.Rows);
        int n = streamed.Rows;
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(streamed.Numeric[j].AsSpan(0, KMeansData.Pad(n)).ToArray(), columnar.Numeric[j].AsSpan(0, KMeansData.Pad(n)).ToArray());
            Assert.Equal(streamed.Mean[j], columnar.Mean[j]);
            Assert.Equal(streamed.NonNull[j], columnar.NonNull[j]);
        }
        Assert.Equal(streamed.Codes[0].AsSpan(0, n).ToArray(), columnar.Codes[0].AsSpan(0, n).ToArray());
        Assert.Equal(streamed.Dictionaries[0].Values, columnar.Dictionaries[0].Values);
        Assert.Equal(streamed.Flags!.AsSpan(0, n).ToArray(), columnar.Flags!.AsSpan(0, n).ToArray());
        Assert.Contains(-1, columnar.Codes[0]);
        Assert.True(columnar.Flags![0]); // NULL counts as true
    }

    [Theory]
    [InlineData("'Infinity'")]
    [InlineData("'-Infinity'")]
    [InlineData("'NaN'")]
    public void Non_finite_values_are_refused_with_or_without_nulls(string value)
    {
        using var db = new TestDb();
        foreach (string nulls in new[] { "", "WHEN i % 5 = 0 THEN NULL" })
        {
            string sql = $"SELECT CASE {nulls} WHEN i = 4321 THEN {value}::DOUBLE ELSE i END::DOUBLE AS x1, 1.0::DOUBLE AS x2, 'g' AS g FROM range(5000) r(i)";
            var reader = new ChunkTrainingData(db.Connection.Duck, sql, Schema, SplitColumn.None);
            var e = Assert.Throws<SqlMlException>(() => KMeansRawData.Read(reader, "m", withFlags: false, CancellationToken.None));
            Assert.Equal("CREATE MODEL m: feature column 'x1' contains NaN or Infinity.", e.Message);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(2048 + 5)]
    [InlineData(2048 + 2047)]
    [InlineData(4999)]
    public void A_non_finite_value_is_refused_wherever_it_falls_in_a_vector(int row)
    {
        // The copy checks the values it loads: the scalar head before the aligned stores, the vector body, the tail.
        using var db = new TestDb();
        string sql = $"SELECT CASE WHEN i = {row} THEN 'Infinity'::DOUBLE ELSE i END::DOUBLE AS x1, 1.0::DOUBLE AS x2, 'g' AS g FROM range(5000) r(i)";
        var reader = new ChunkTrainingData(db.Connection.Duck, sql, Schema, SplitColumn.None);
        var e = Assert.Throws<SqlMlException>(() => KMeansRawData.Read(reader, "m", withFlags: false, CancellationToken.None));
        Assert.Equal("CREATE MODEL m: feature column 'x1' contains NaN or Infinity.", e.Message);
    }

    [Fact]
    public void An_empty_result_and_an_all_null_column_give_the_errors_of_the_batch_path()
    {
        using var db = new TestDb();
        var empty = new ChunkTrainingData(db.Connection.Duck, "SELECT 1.0::DOUBLE AS x1, 2.0::DOUBLE AS x2, 'g' AS g WHERE false", Schema, SplitColumn.None);
        Assert.Equal("CREATE MODEL m: the training query returned no rows.",
            Assert.Throws<SqlMlException>(() => KMeansRawData.Read(empty, "m", false, CancellationToken.None)).Message);
        var allNull = new ChunkTrainingData(db.Connection.Duck, "SELECT i::DOUBLE AS x1, NULL::DOUBLE AS x2, 'g' AS g FROM range(3000) r(i)", Schema, SplitColumn.None);
        Assert.Contains("feature column 'x2' is NULL in every training row",
            Assert.Throws<SqlMlException>(() => KMeansRawData.Read(allNull, "m", false, CancellationToken.None)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT CASE WHEN i = 4000 THEN error('boom')::DOUBLE ELSE i END::DOUBLE AS x1, 1.0::DOUBLE AS x2, 'g' AS g FROM range(5000) r(i)", "boom")]
    [InlineData("SELECT no_such_column::DOUBLE AS x1, 1.0::DOUBLE AS x2, 'g' AS g FROM range(5000) r(i)", "no_such_column")]
    public void A_failing_query_gives_the_engine_error_on_both_paths_and_leaves_the_connection_usable(string sql, string cause)
    {
        using var db = new TestDb();
        foreach (var reader in new ITrainingData[] { new BatchStream(new ChunkTrainingData(db.Connection.Duck, sql, Schema, SplitColumn.None)), new ChunkTrainingData(db.Connection.Duck, sql, Schema, SplitColumn.None) })
        {
            var e = Assert.Throws<SqlMlException>(() => KMeansRawData.Read(reader, "m", withFlags: false, CancellationToken.None));
            Assert.Equal(SqlMlErrorCode.Engine, e.Code);
            Assert.Contains(cause, e.Message, StringComparison.Ordinal);
            using var ok = KMeansRawData.Read(new ChunkTrainingData(db.Connection.Duck, "SELECT i::DOUBLE AS x1, 1.0::DOUBLE AS x2, 'g' AS g FROM range(3000) r(i)", Schema, SplitColumn.None), "m", false, CancellationToken.None);
            Assert.Equal(3000, ok.Rows);
        }
    }
}
