using SqlMl.Options;
using SqlMl.Training.Logistic;

namespace SqlMl.Tests.Training;

/// <summary>LogisticRawData's read with a row-count hint (columns written directly) against the read without one.</summary>
public class LogisticRawDataTests
{
    private static LogisticTestData Data(int rows)
    {
        var rnd = new Random(9);
        var x1 = Enumerable.Range(0, rows).Select(i => i % 7 == 3 ? (double?)null : rnd.NextDouble() * 100).ToArray();
        var x2 = Enumerable.Range(0, rows).Select(i => (double?)(i - 0.5 * rows)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        return new LogisticTestData(["x1", "x2"], [x1, x2], [], [], labels);
    }

    [Theory]
    [InlineData(1000)] // exact
    [InlineData(10)] // fewer announced than read: the columns grow
    [InlineData(5000)] // more announced than read: the tail stays zero
    public void Read_with_a_row_count_hint_matches_the_read_without(int hint)
    {
        const int rows = 1000;
        var data = Data(rows);
        var split = new DataSplitOptions(DataSplitMethod.NoSplit, null, null);
        var plain = LogisticRawData.Read(data, split, 2, "m", CancellationToken.None);
        var hinted = LogisticRawData.Read(data, split, 2, "m", CancellationToken.None, expectedRows: hint);
        Assert.Equal(rows, hinted.Rows);
        Assert.Equal(plain.Label.AsSpan(0, rows).ToArray(), hinted.Label.AsSpan(0, rows).ToArray());
        for (int j = 0; j < 2; j++)
        {
            Assert.True(hinted.Numeric[j].Length >= DesignMatrix.Pad(rows));
            Assert.Equal(plain.Numeric[j].AsSpan(0, rows).ToArray(), hinted.Numeric[j].AsSpan(0, rows).ToArray());
            Assert.All(hinted.Numeric[j].Skip(rows), v => Assert.Equal(0.0, v));
        }
        Assert.True(double.IsNaN(hinted.Numeric[0][3]), "NULL is NaN");
    }

    [Fact]
    public void Read_with_a_row_count_hint_still_refuses_infinity()
    {
        var data = new LogisticTestData(["x"], [[1.0, double.PositiveInfinity, 2.0]], [], [], [0, 1, 0]);
        var e = Assert.Throws<SqlMlException>(() =>
            LogisticRawData.Read(data, new DataSplitOptions(DataSplitMethod.NoSplit, null, null), 2, "m", CancellationToken.None, expectedRows: 3));
        Assert.Contains("feature column 'x' contains NaN or Infinity", e.Message);
    }
}
