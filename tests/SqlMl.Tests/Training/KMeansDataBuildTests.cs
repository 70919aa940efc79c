using SqlMl.Data.Internal.Native;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary><see cref="KMeansData.Build"/>'s encoding against a plain scalar one, bit for bit.</summary>
public class KMeansDataBuildTests
{
    // 20,003 rows: two full blocks of 8,192 and a partial one, a vector tail in the last.
    private const string Query = """
        SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 1001) / 10.0 END::DOUBLE AS x1,
               (i % 13 - 6.5)::DOUBLE / 3 AS x2,
               sin(i)::DOUBLE * 1e3 AS x3,
               CASE WHEN i % 11 = 0 THEN NULL ELSE 'c' || (i % 5) END AS g
        FROM range(20003) r(i)
        """;

    private static readonly TrainingSchema Schema = new(["x1", "x2", "x3"], ["g"], null);

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Encoded_columns_and_norms_equal_the_plain_encoding(bool cosine, bool standardize)
    {
        var distance = cosine ? KMeansDistance.Cosine : KMeansDistance.Euclidean;
        using var db = new TestDb();
        using var raw = KMeansRawData.Read(new ChunkTrainingData(db.Connection.Duck, Query, Schema, SplitColumn.None), "m", withFlags: false, CancellationToken.None);
        int n = raw.Rows, p = raw.Numeric.Length;
        var before = raw.Numeric.Select(c => c.AsSpan(0, n).ToArray()).ToArray();
        var encoding = KMeansEncoding.FromData(raw, distance, standardize);
        var data = KMeansData.Build(raw, encoding, distance);

        // The plain encoding: one row at a time, the operations of the definition in order.
        var expected = new double[p][];
        for (int j = 0; j < p; j++) expected[j] = new double[n];
        var norm2 = new double[n];
        var weight = new double[n];
        var length = new double[n];
        int m = encoding.Categorical.Count;
        for (int r = 0; r < n; r++)
        {
            double s = m;
            for (int j = 0; j < p; j++)
            {
                var f = encoding.Numeric[j];
                double v = double.IsNaN(before[j][r]) ? f.Mean : before[j][r];
                if (f.Center != 0) v -= f.Center;
                if (f.Scale != 1) v /= f.Scale;
                expected[j][r] = v;
                s = v * v + s;
            }
            norm2[r] = s;
            if (distance != KMeansDistance.Cosine) continue;
            length[r] = Math.Sqrt(s);
            weight[r] = length[r] > 0 ? 1 / length[r] : 0;
            norm2[r] = 1;
            for (int j = 0; j < p; j++) expected[j][r] *= weight[r];
        }

        Assert.Equal(n, data.Rows);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(DoubleBits.Of(expected[j]), DoubleBits.Of(data.Numeric[j].AsSpan(0, n).ToArray()));
            Assert.All(data.Numeric[j].AsSpan(n, data.PaddedRows - n).ToArray(), v => Assert.Equal(0.0, v));
        }
        Assert.Equal(DoubleBits.Of(norm2), DoubleBits.Of(data.Norm2.AsSpan(0, n).ToArray()));
        if (distance == KMeansDistance.Cosine)
        {
            Assert.Equal(DoubleBits.Of(weight), DoubleBits.Of(data.OneHotWeight!.AsSpan(0, n).ToArray()));
            Assert.Equal(DoubleBits.Of(length), DoubleBits.Of(data.Length!.AsSpan(0, n).ToArray()));
        }
        for (int r = 0; r < n; r++)
        {
            int code = raw.Codes[0][r];
            Assert.Equal(encoding.Offsets[0] + (code < 0 ? encoding.NullIndex[0] : encoding.CodeMaps[0][code]), data.OneHot[0][r]);
        }
    }

}
