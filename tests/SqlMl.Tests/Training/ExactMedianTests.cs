using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>ExactMedian (ML.FEATURE_INFO's median) against a plain sort, and against DuckDB's median() itself.</summary>
public class ExactMedianTests
{
    /// <summary>The plain reference: sort with NaN above +Infinity, then the middle value or the mean of the two.</summary>
    private static double? SortedMedian(double[] values)
    {
        if (values.Length == 0) return null;
        var sorted = values.OrderBy(v => double.IsNaN(v) ? 1 : 0).ThenBy(v => v).ToArray();
        int n = sorted.Length;
        if (n % 2 == 1) return sorted[n / 2];
        double lo = sorted[n / 2 - 1], hi = sorted[n / 2];
        // Equal middles (also two infinities or two NaNs) are the median; DuckDB gives the same.
        return lo.Equals(hi) ? hi : lo + (hi - lo) / 2;
    }

    [Fact]
    public void Random_columns_with_duplicates_and_infinities_match_a_sort()
    {
        var random = new Random(20261123);
        for (int trial = 0; trial < 400; trial++)
        {
            int n = random.Next(0, trial < 300 ? 40 : 5000);
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                int kind = random.Next(20);
                values[i] = kind == 0 ? double.PositiveInfinity : kind == 1 ? double.NegativeInfinity : kind < 8 ? random.Next(5) : random.NextDouble() * 100 - 50;
            }
            var expected = SortedMedian(values);
            var actual = ExactMedian.Of(values.ToArray());
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Nan_sorts_above_every_number()
    {
        Assert.Equal(2.0, ExactMedian.Of(new[] { double.NaN, 2.0, 1.0 }));
        Assert.Equal(double.NaN, ExactMedian.Of(new[] { double.NaN, double.NaN, 1.0 }));
        // The same values as DuckDB's median(): [inf, inf, 1, nan] → inf; [-inf, inf] → NaN; [1, inf] → inf.
        Assert.Equal(double.PositiveInfinity, ExactMedian.Of(new[] { double.NaN, double.PositiveInfinity, 1.0, double.PositiveInfinity }));
        Assert.Equal(double.NaN, ExactMedian.Of(new[] { double.NegativeInfinity, double.PositiveInfinity }));
        Assert.Equal(double.PositiveInfinity, ExactMedian.Of(new[] { 1.0, double.PositiveInfinity }));
        Assert.Null(ExactMedian.Of(Array.Empty<double>()));
    }

    [Fact]
    public void Feature_info_medians_equal_duckdb_median()
    {
        using var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i::DOUBLE AS y, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 7919) % 1000 / 10.0 END AS a,
                   (i % 13)::INTEGER AS b, hash(i) % 100 * 1.5 AS c FROM range(20001) r(i)
            """);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var expected = db.Rows("SELECT median(a), median(b), median(c) FROM t")[0].Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var actual = db.Rows("SELECT median FROM ML.FEATURE_INFO(MODEL m) ORDER BY input").Select(r => (double)r[0]!).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("uniform", 60_001)]
    [InlineData("uniform", 60_000)]
    [InlineData("ties", 50_000)]      // few distinct values: middles inside one crowded bucket (falls back), or across two
    [InlineData("bounds", 40_000)]    // many values exactly at both ends of the range
    [InlineData("gap", 40_000)]       // an even count whose two middles lie in buckets far apart
    [InlineData("small", 5_000)]      // too few values for the buckets: the partition selection
    public void Selecting_between_bracket_bounds_matches_a_sort(string shape, int n)
    {
        const double below = -3.25, above = 7.5;
        var random = new Random(n + shape.Length);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = shape switch
            {
                "ties" => Math.Round(below + random.Next(7) * 1.5, 2),
                "bounds" => i % 3 == 0 ? below : i % 3 == 1 ? above : below + random.NextDouble() * (above - below),
                "gap" => i < n / 2 ? below + random.NextDouble() * 0.001 : above - random.NextDouble() * 0.001,
                _ => below + random.NextDouble() * (above - below),
            };
        }
        var sorted = values.Order().ToArray();
        foreach (int upperRank in new[] { n / 2, n / 3, 1, n - 1 })
            foreach (bool even in new[] { true, false })
            {
                double upper = sorted[upperRank];
                double expected = even ? ExactMedian.MiddleMean(sorted[upperRank - 1], upper) : upper;
                var copy = values.ToArray();
                Assert.Equal(expected, ExactMedian.MiddleBetween(copy, upperRank, even, below, above));
                Assert.Equal(expected, ExactMedian.Middle(values.ToArray(), upperRank, even));
            }
    }
}
