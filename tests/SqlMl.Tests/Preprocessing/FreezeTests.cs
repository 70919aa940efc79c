using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>
/// AnalyzedExpression for TRANSFORM: run the aggregates over the training rows, freeze their results, and the
/// frozen expression on a one-row table gives what the window form gives for that row over the whole table.
/// </summary>
public class FreezeTests
{
    private const string Table = """
        CREATE TABLE t AS SELECT i AS id,
          CASE WHEN i % 7 = 3 THEN NULL ELSE ((i * 37) % 23) / 4.0 - 2 END AS x,
          CASE WHEN i % 9 = 4 THEN NULL ELSE ['red', 'green', 'blue', 'teal', 'red'][1 + (i * i) % 5] END AS s,
          CASE WHEN i % 11 = 5 THEN NULL ELSE list_transform(range((i % 4) + 1), k -> ['a', 'b', 'c', 'd', NULL][1 + (i + k * 3) % 5]) END AS doc
        FROM range(1, 41) r(i)
        """;

    public static TheoryData<string> Expressions => new()
    {
        "ML.STANDARD_SCALER(x) OVER()",
        "ML.MIN_MAX_SCALER(x) OVER()",
        "ML.MAX_ABS_SCALER(x) OVER()",
        "ML.ROBUST_SCALER(x, [10, 90], TRUE, TRUE) OVER()",
        "ML.IMPUTER(x, 'mean') OVER()",
        "ML.IMPUTER(x, 'median') OVER()",
        "ML.IMPUTER(s, 'most_frequent') OVER()",
        "ML.QUANTILE_BUCKETIZE(x, 4, 'bucket_ranges') OVER()",
        "ML.ONE_HOT_ENCODER(s, 'most_frequent', 3, 1) OVER()",
        "ML.LABEL_ENCODER(s, 2, 1) OVER()",
        "ML.MULTI_HOT_ENCODER(doc, 3, 1) OVER()",
        "ML.BAG_OF_WORDS(doc, 3, 1) OVER()",
        "ML.TF_IDF(doc, 2, 1) OVER()",
        "ML.BUCKETIZE(ML.STANDARD_SCALER(x) OVER(), [-0.5, 0.5]) || '/' || CAST(ML.LABEL_ENCODER(s) OVER() AS VARCHAR)",
        "ML.FEATURE_CROSS(STRUCT(s, ML.BUCKETIZE(x, [0]) AS b))",
        "ML.FEATURE_CROSS(STRUCT(s, ML.QUANTILE_BUCKETIZE(x, 3) OVER() AS q))",
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Frozen_expression_on_one_row_equals_the_window_form_over_the_table(string expression)
    {
        using var db = new TestDb();
        db.Execute(Table);
        var window = db.Rows($"SELECT id, {expression} FROM t ORDER BY id").ToDictionary(r => (long)r[0]!, r => r[1]);

        var analyzed = PreprocessingRewriter.Analyze(expression);
        var stats = analyzed.Aggregates.Count == 0 ? [] : db.Rows($"SELECT {string.Join(", ", analyzed.Aggregates)} FROM t")[0];
        string frozen = analyzed.Freeze(stats);
        Assert.DoesNotContain("OVER", frozen, StringComparison.OrdinalIgnoreCase);

        foreach (long id in new long[] { 1, 3, 4, 5, 10, 16, 40 })
            Same.AssertValues(window[id], db.Scalar($"SELECT {frozen} FROM (SELECT * FROM t WHERE id = {id})"), $"{expression} row {id}");
        foreach (var row in db.Rows($"SELECT id, {frozen} FROM t"))
            Same.AssertValues(window[(long)row[0]!], row[1], $"{expression} row {row[0]}");
    }

    [Fact]
    public void Scalar_expression_has_no_aggregates_and_freezes_to_itself()
    {
        var analyzed = PreprocessingRewriter.Analyze("ML.BUCKETIZE(x, [1, 2])");
        Assert.Empty(analyzed.Aggregates);
        using var db = new TestDb();
        Assert.Equal("bin_2", db.Scalar($"SELECT {analyzed.Freeze([])} FROM (SELECT 1.5 AS x)"));
    }

    [Fact]
    public void Statistics_of_standard_scaler_are_the_mean_and_sample_deviation()
    {
        var analyzed = PreprocessingRewriter.Analyze("ML.STANDARD_SCALER(x) OVER()");
        using var db = new TestDb();
        var stats = db.Rows($"SELECT {string.Join(", ", analyzed.Aggregates)} FROM UNNEST([1, 2, 3, 4, 5]) AS t(x)")[0];
        Assert.Equal(3.0, (double)stats[0]!, 12);
        Assert.Equal(Math.Sqrt(2.5), (double)stats[1]!, 12);
        Assert.Equal(1.2649110640673518, db.Double($"SELECT {analyzed.Freeze(stats)} FROM (SELECT 5 AS x)"), 12);
    }

    [Fact]
    public void Freeze_with_the_wrong_number_of_values_is_refused()
    {
        var analyzed = PreprocessingRewriter.Analyze("ML.MIN_MAX_SCALER(x) OVER()");
        Assert.Throws<ArgumentException>(() => analyzed.Freeze([1.0]));
    }

    [Fact]
    public void Analyze_rejects_an_unknown_ml_function_with_a_suggestion()
    {
        var e = Assert.Throws<SqlMlException>(() => PreprocessingRewriter.Analyze("ML.STANDARD_SCALAR(x) OVER()"));
        Assert.Contains("Did you mean ML.STANDARD_SCALER?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_statistic_is_registered_once()
    {
        var analyzed = PreprocessingRewriter.Analyze("ML.FEATURE_CROSS(STRUCT(s, ML.QUANTILE_BUCKETIZE(x, 3) OVER() AS q))");
        Assert.Single(analyzed.Aggregates);
    }
}
