using System.Globalization;

namespace SqlMl.Tests.Preprocessing;

/// <summary>Each preprocessing function against <see cref="PlainPreprocessing"/> on seeded random rows with NULLs.</summary>
public class PropertyTests
{
    private static List<object?> Column(TestDb db, string expression) =>
        db.Rows($"SELECT {expression} FROM t ORDER BY id").Select(r => r[0]).ToList();

    private static void Check<T>(RandomData data, List<object?> actual, Func<int, T> expected, string what)
    {
        for (int i = 0; i < data.Count; i++)
        {
            object? e = expected(i);
            if (e is List<(long Index, double Value)> entries)
            {
                var got = actual[i] is null ? null : Show.Entries(actual[i]);
                Assert.True(got is not null && got.Count == entries.Count && got.Zip(entries).All(p => p.First.Index == p.Second.Index && Same.Close(p.First.Value, p.Second.Value, 1e-12)),
                    $"{what} row {i}: expected {string.Join(",", entries)}, got {(got is null ? "NULL" : string.Join(",", got))}");
            }
            else Same.AssertValues(e, actual[i], $"{what} row {i}");
        }
    }

    private static List<double> Sorted(IEnumerable<double?> values) => values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Bucketize_and_quantile_bucketize_match_the_plain_rule(int seed)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        var rng = new Random(seed);
        var splits = Enumerable.Range(0, 4).Select(_ => Math.Round(rng.NextDouble() * 8 - 4, 2)).Distinct().Order().ToList();
        string list = "[" + string.Join(", ", splits.Select(s => s.ToString("R", CultureInfo.InvariantCulture))) + "]";
        foreach (var format in new[] { "bucket_names", "bucket_ranges", "bucket_ranges_json" })
        {
            Check(data, Column(db, $"ML.BUCKETIZE(x, {list}, FALSE, '{format}')"), i => PlainPreprocessing.Bucket(data.X[i], splits, format), "BUCKETIZE " + format);
            Check(data, Column(db, $"ML.BUCKETIZE(x, {list}, TRUE, '{format}')"), i => PlainPreprocessing.Bucket(data.X[i], splits.Skip(1).Take(splits.Count - 2).ToList(), format), "BUCKETIZE excluded " + format);
        }
        var sorted = Sorted(data.X);
        foreach (int n in new[] { 2, 3, 4, 7 })
        {
            var quantiles = Enumerable.Range(1, n - 1).Select(k => PlainPreprocessing.QuantileDisc(sorted, (double)k / n)).Distinct().Order().ToList();
            Check(data, Column(db, $"ML.QUANTILE_BUCKETIZE(x, {n}, 'bucket_ranges') OVER()"), i => PlainPreprocessing.Bucket(data.X[i], quantiles, "bucket_ranges"), $"QUANTILE_BUCKETIZE {n}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Scalers_match_the_plain_formulas(int seed)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        var v = Sorted(data.X);
        double mean = v.Average(), sd = Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / (v.Count - 1));
        double min = v[0], max = v[^1], maxAbs = v.Max(Math.Abs);
        double q10 = PlainPreprocessing.QuantileDisc(v, 0.1), median = PlainPreprocessing.QuantileDisc(v, 0.5), q80 = PlainPreprocessing.QuantileDisc(v, 0.8);
        Check(data, Column(db, "ML.STANDARD_SCALER(x) OVER()"), i => (data.X[i] - mean) / sd, "STANDARD_SCALER");
        Check(data, Column(db, "ML.MIN_MAX_SCALER(x) OVER()"), i => (data.X[i] - min) / (max - min), "MIN_MAX_SCALER");
        Check(data, Column(db, "ML.MAX_ABS_SCALER(x) OVER()"), i => data.X[i] / maxAbs, "MAX_ABS_SCALER");
        Check(data, Column(db, "ML.ROBUST_SCALER(x, [10, 80]) OVER()"), i => (data.X[i] - median) / (q80 - q10), "ROBUST_SCALER");
        Check(data, Column(db, "ML.ROBUST_SCALER(x, [10, 80], FALSE, TRUE) OVER()"), i => data.X[i] / (q80 - q10), "ROBUST_SCALER without median");
        Check(data, Column(db, "ML.ROBUST_SCALER(x, [10, 80], TRUE, FALSE) OVER()"), i => data.X[i] - median, "ROBUST_SCALER without range");
    }

    [Fact]
    public void Min_max_scaler_clamps_rows_outside_the_learned_range()
    {
        using var db = new TestDb();
        var analyzed = SqlMl.Preprocessing.PreprocessingRewriter.Analyze("ML.MIN_MAX_SCALER(x) OVER()");
        string frozen = analyzed.Freeze([2.0, 4.0]);
        Assert.Equal(["0", "0", "0.5", "1", "1", "NULL"], Show.Column(db, $"SELECT {frozen} FROM UNNEST([-1.0, 2.0, 3.0, 4.0, 9.0, NULL]) AS t(x)"));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Imputer_matches_mean_median_and_most_frequent(int seed)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        var v = Sorted(data.X);
        double mean = v.Average(), median = PlainPreprocessing.QuantileDisc(v, 0.5);
        string mode = data.S.Where(s => s is not null).GroupBy(s => s!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        Check(data, Column(db, "ML.IMPUTER(x, 'mean') OVER()"), i => data.X[i] ?? mean, "IMPUTER mean");
        Check(data, Column(db, "ML.IMPUTER(x, 'MEDIAN') OVER()"), i => data.X[i] ?? median, "IMPUTER median");
        Check(data, Column(db, "ML.IMPUTER(s, 'most_frequent') OVER()"), i => data.S[i] ?? mode, "IMPUTER most_frequent");
    }

    [Theory]
    [InlineData(7, 3, 2)]
    [InlineData(8, 10, 0)]
    [InlineData(9, 2, 6)]
    public void Encoders_match_the_plain_vocabulary(int seed, int topK, int threshold)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        var vocabulary = PlainPreprocessing.Vocabulary(data.S.Where(s => s is not null)!, topK, threshold);
        string? mostFrequent = PlainPreprocessing.Vocabulary(data.S.Where(s => s is not null)!, 1, threshold).FirstOrDefault();
        Check(data, Column(db, $"ML.LABEL_ENCODER(s, {topK}, {threshold}) OVER()"), i => PlainPreprocessing.Index(vocabulary, data.S[i]), "LABEL_ENCODER");
        Check(data, Column(db, $"ML.ONE_HOT_ENCODER(s, 'none', {topK}, {threshold}) OVER()"), i => new List<(long, double)> { (PlainPreprocessing.Index(vocabulary, data.S[i]), 1.0) }, "ONE_HOT_ENCODER");
        Check(data, Column(db, $"ML.ONE_HOT_ENCODER(s, 'most_frequent', {topK}, {threshold}) OVER()"),
            i => new List<(long, double)> { (PlainPreprocessing.Index(vocabulary, data.S[i]), data.S[i] is not null && data.S[i] == mostFrequent ? 0.0 : 1.0) }, "ONE_HOT_ENCODER dummy");

        var docVocabulary = PlainPreprocessing.Vocabulary(PlainPreprocessing.DocumentTerms(data.Docs), topK, threshold);
        Check(data, Column(db, $"ML.MULTI_HOT_ENCODER(doc, {topK}, {threshold}) OVER()"),
            i => (data.Docs[i] ?? [null]).Select(t => PlainPreprocessing.Index(docVocabulary, t)).Distinct().Order().Select(k => (k, 1.0)).ToList(), "MULTI_HOT_ENCODER");
    }

    [Theory]
    [InlineData(10, 3, 2)]
    [InlineData(11, 32, 1)]
    public void Bag_of_words_and_tf_idf_match_the_plain_formulas(int seed, int topK, int threshold)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        var vocabulary = PlainPreprocessing.Vocabulary(PlainPreprocessing.DocumentTerms(data.Docs), topK, threshold);
        Check(data, Column(db, $"ML.BAG_OF_WORDS(doc, {topK}, {threshold}) OVER()"), i => data.Docs[i] is { } d
            ? d.Select(t => PlainPreprocessing.Index(vocabulary, t)).GroupBy(k => k).OrderBy(g => g.Key).Select(g => (g.Key, (double)g.Count())).ToList()
            : null, "BAG_OF_WORDS");
        Check(data, Column(db, $"ML.TF_IDF(doc, {topK}, {threshold}) OVER()"), i => data.Docs[i] is { } d ? PlainPreprocessing.TfIdf(d, vocabulary, data.Docs) : null, "TF_IDF");
    }

    [Theory]
    [InlineData(12)]
    [InlineData(13)]
    public void Scalar_functions_match_the_plain_rules(int seed)
    {
        var data = new RandomData(seed);
        using var db = data.Open();
        Check(data, Column(db, "ML.HASH_BUCKETIZE(s, 7)"), i => data.S[i] is { } s ? PlainPreprocessing.HashBucket(s, 7) : (long?)null, "HASH_BUCKETIZE");
        Check(data, Column(db, "ML.HASH_BUCKETIZE(s, 0)"), i => data.S[i] is { } s ? PlainPreprocessing.HashBucket(s, 0) : (long?)null, "HASH_BUCKETIZE 0");

        var names = new[] { "a", "b", "c" };
        var crossValues = Column(db, "ML.FEATURE_CROSS(STRUCT(s AS a, s2 AS b, CAST(x2 AS VARCHAR) AS c), 3)");
        Check(data, crossValues, i =>
        {
            string?[] v = [data.S[i], data.S2[i], data.X2[i]?.ToString(CultureInfo.InvariantCulture)];
            return PlainPreprocessing.Combinations(3, 2, 3, false).ToDictionary(c => string.Join("_", c.Select(k => names[k])),
                c => c.Any(k => v[k] is null) ? null : string.Join("_", c.Select(k => v[k])));
        }, "FEATURE_CROSS");

        var poly = Column(db, "ML.POLYNOMIAL_EXPAND(STRUCT(x AS a, x2 AS b), 3)");
        for (int i = 0; i < data.Count; i++)
        {
            double?[] v = [data.X[i], data.X2[i]];
            var got = (System.Collections.IDictionary)poly[i]!;
            var combos = PlainPreprocessing.Combinations(2, 1, 3, true).ToList();
            Assert.Equal(combos.Select(c => string.Join("_", c.Select(k => names[k]))), got.Keys.Cast<string>());
            foreach (var c in combos)
            {
                object? cell = got[string.Join("_", c.Select(k => names[k]))];
                double? product = c.Aggregate((double?)1.0, (p, k) => p * v[k]);
                Assert.True(product is null ? cell is null : Same.Close(product.Value, double.Parse((string)cell!, CultureInfo.InvariantCulture), 1e-12), $"POLYNOMIAL_EXPAND row {i}");
            }
        }

        foreach (var (p, sql) in new[] { (0.0, "0"), (1.0, "1"), (2.0, "2"), (3.0, "3"), (double.PositiveInfinity, "CAST('+inf' AS FLOAT64)") })
        {
            Check(data, Column(db, $"ML.NORMALIZER(arr, {sql})"), i =>
            {
                if (data.Arrays[i] is not { } a) return null;
                double norm = p switch
                {
                    0 => a.Count(e => e != 0),
                    double.PositiveInfinity => a.Length == 0 ? 0 : a.Max(Math.Abs),
                    _ => Math.Pow(a.Sum(e => Math.Pow(Math.Abs(e), p)), 1 / p),
                };
                return a.Select(e => norm == 0 ? e : e / norm).ToList();
            }, $"NORMALIZER p={p}");
        }

        Check(data, Column(db, "ML.NGRAMS(doc, [1, 3], '-')"), i =>
        {
            if (data.Docs[i] is not { } d) return null;
            var grams = new List<string>();
            for (int start = 0; start < d.Length; start++)
                for (int len = 1; len <= 3 && start + len <= d.Length; len++)
                    if (d.Skip(start).Take(len).All(t => t is not null)) grams.Add(string.Join("-", d.Skip(start).Take(len)));
            return grams;
        }, "NGRAMS");
    }
}
