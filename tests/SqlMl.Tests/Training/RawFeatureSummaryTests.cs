using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>KMEANS' ML.FEATURE_INFO statistics from its raw columns (RawFeatureSummary) against the streaming
/// FeatureStatistics over the same rows (what every other model kind uses).</summary>
public class RawFeatureSummaryTests
{
    private static (FeatureSummary Raw, FeatureSummary Streaming) Both(KMeansTestData data, int? medianCap = null)
    {
        using var raw = KMeansRawData.Read(data.AsTrainingData(), "m", withFlags: false, CancellationToken.None);
        var summary = medianCap is { } cap ? RawFeatureSummary.Of(raw, cap) : RawFeatureSummary.Of(raw);
        var source = data.AsTrainingData();
        var statistics = new FeatureStatistics(source.Schema.Numeric.Count, source.Schema.Categorical.Count);
        foreach (var batch in source.ReadBatches(CancellationToken.None)) statistics.Add(batch);
        return (summary, statistics.Summarize());
    }

    private static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e) Assert.Equal(e, actual!.Value, Math.Abs(e) * 1e-12 + 1e-300);
    }

    private static void AssertSame(FeatureSummary expected, FeatureSummary actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.MedianExact, actual.MedianExact);
        Assert.Equal(expected.Numeric.Count, actual.Numeric.Count);
        for (int j = 0; j < expected.Numeric.Count; j++)
        {
            var (e, a) = (expected.Numeric[j], actual.Numeric[j]);
            Assert.Equal(e.Min, a.Min);
            Assert.Equal(e.Max, a.Max);
            Assert.Equal(e.Median, a.Median);
            Assert.Equal(e.NullCount, a.NullCount);
            Assert.Equal(e.Finite, a.Finite);
            AssertClose(e.Mean, a.Mean);
            AssertClose(e.StdDev, a.StdDev);
        }
        Assert.Equal(expected.Categorical, actual.Categorical);
    }

    [Theory]
    [InlineData(20_000, 0.0)]
    [InlineData(20_001, 0.15)]
    [InlineData(3, 0.0)]
    public void Equals_the_streaming_statistics(int rows, double nullRate)
    {
        var data = KMeansTestData.Blobs(rows, [[0, 0, 5], [10, -3, 5], [4, 4, 6]], 1.5, seed: rows, nullRate: nullRate, category: true);
        var (raw, streaming) = Both(data);
        Assert.True(raw.MedianExact);
        AssertSame(streaming, raw);
        Assert.Equal(rows, raw.Rows);
    }

    [Fact]
    public void A_constant_column_and_a_single_non_null_value()
    {
        var constant = Enumerable.Repeat<double?>(2.5, 50).ToArray();
        var single = Enumerable.Range(0, 50).Select(i => i == 7 ? (double?)-3 : null).ToArray();
        var data = new KMeansTestData([constant, single], [Enumerable.Range(0, 50).Select(i => i % 4 == 0 ? null : "c" + (i % 3)).ToArray()]);
        var (raw, streaming) = Both(data);
        AssertSame(streaming, raw);
        Assert.Equal(0.0, raw.Numeric[0].StdDev);
        Assert.Null(raw.Numeric[1].StdDev);
        Assert.Equal(49, raw.Numeric[1].NullCount);
        Assert.Equal(new CategoricalSummary(3, 13), raw.Categorical[0]);
    }

    [Theory]
    [InlineData(20_001, 0.15)]
    [InlineData(3, 0.0)]
    public void The_summary_read_with_the_moments_equals_the_one_computed_afterwards(int rows, double nullRate)
    {
        var data = KMeansTestData.Blobs(rows, [[0, 0, 5], [10, -3, 5], [4, 4, 6]], 1.5, seed: rows, nullRate: nullRate, category: true);
        using var plain = KMeansRawData.Read(data.AsTrainingData(), "m", withFlags: false, CancellationToken.None);
        using var read = KMeansRawData.Read(data.AsTrainingData(), "m", withFlags: false, CancellationToken.None, summarize: true);
        Assert.Null(plain.Summary);
        Assert.NotNull(read.Summary);
        var expected = RawFeatureSummary.Of(plain);
        AssertSame(expected, read.Summary);
        for (int j = 0; j < expected.Numeric.Count; j++)
        {
            Assert.Equal(expected.Numeric[j].Mean, read.Summary.Numeric[j].Mean);
            Assert.Equal(expected.Numeric[j].StdDev, read.Summary.Numeric[j].StdDev);
        }
    }

    [Fact]
    public void Past_the_exact_median_cap_the_rows_go_through_the_streaming_statistics()
    {
        var data = KMeansTestData.Blobs(5_000, [[0, 1], [3, 3]], 1, seed: 5, nullRate: 0.05, category: true);
        using var raw = KMeansRawData.Read(data.AsTrainingData(), "m", withFlags: false, CancellationToken.None);
        var exact = RawFeatureSummary.Of(raw);
        var streamed = RawFeatureSummary.Of(raw, medianCap: 1_000);
        // Same rows, so the same statistics (5,000 rows are within FeatureStatistics' own cap: exact medians both ways).
        AssertSame(exact, streamed);
    }

    [Fact]
    public void Kmeans_feature_info_matches_duckdb_aggregates_with_nulls_and_categories()
    {
        using var db = new TestDb();
        var data = KMeansTestData.Blobs(30_000, [[0, 0], [6, 2], [1, 9]], 1.2, seed: 11, nullRate: 0.1, category: true);
        data.Load(db);
        db.Execute("CREATE MODEL m OPTIONS(model_type='kmeans', num_clusters=3) AS SELECT x0, x1, c0 FROM t");
        var info = db.Rows("SELECT input, min, max, mean, median, stddev, category_count, null_count FROM ML.FEATURE_INFO(MODEL m) ORDER BY input");
        var expected = db.Rows("""
            SELECT 'c0', NULL, NULL, NULL, NULL, NULL, count(DISTINCT c0), count(*) - count(c0) FROM t
            UNION ALL SELECT 'x0', min(x0), max(x0), avg(x0), median(x0), stddev_samp(x0), NULL, count(*) - count(x0) FROM t
            UNION ALL SELECT 'x1', min(x1), max(x1), avg(x1), median(x1), stddev_samp(x1), NULL, count(*) - count(x1) FROM t
            ORDER BY 1
            """);
        Assert.Equal(expected.Count, info.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i][0], info[i][0]);
            Assert.Equal(expected[i][6] is null ? null : (long?)Convert.ToInt64(expected[i][6], System.Globalization.CultureInfo.InvariantCulture),
                info[i][6] is null ? null : (long?)Convert.ToInt64(info[i][6], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Convert.ToInt64(expected[i][7], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(info[i][7], System.Globalization.CultureInfo.InvariantCulture));
            for (int c = 1; c <= 5; c++)
            {
                if (expected[i][c] is null)
                {
                    Assert.Null(info[i][c]);
                    continue;
                }
                double e = Convert.ToDouble(expected[i][c], System.Globalization.CultureInfo.InvariantCulture);
                double a = Convert.ToDouble(info[i][c], System.Globalization.CultureInfo.InvariantCulture);
                if (c is 1 or 2 or 4) Assert.Equal(e, a); // min, max, median exactly
                else Assert.Equal(e, a, Math.Abs(e) * 1e-12);
            }
        }
    }
}
