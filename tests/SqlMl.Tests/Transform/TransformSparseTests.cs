namespace SqlMl.Tests.Transform;

/// <summary>
/// Sparse-vector TRANSFORM outputs (ML.ONE_HOT_ENCODER, ML.MULTI_HOT_ENCODER …) reach the model as one numeric column
/// per vocabulary index, {name}_{index}, index 0 being the NULL/unknown entry.
/// </summary>
public class TransformSparseTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, (i % 10)::DOUBLE AS x,
              CASE WHEN i % 9 = 0 THEN NULL WHEN i % 3 = 0 THEN 'b' WHEN i % 3 = 1 THEN 'a' ELSE 'c' END AS g,
              [CASE WHEN i % 2 = 0 THEN 'p' ELSE 'q' END, CASE WHEN i % 5 = 0 THEN 'r' ELSE 'p' END] AS tags,
              2.0 * (i % 10) + CASE WHEN i % 9 = 0 THEN -3 WHEN i % 3 = 0 THEN 5 WHEN i % 3 = 1 THEN 1 ELSE 0 END + sin(i) AS y
            FROM range(90) r(i)
            """);
        return db;
    }

    // The one-hot vocabulary is alphabetical: a → 1, b → 2, c → 3; NULL and unseen values → 0.
    private const string HandOneHot =
        "CASE WHEN g IS NULL OR g NOT IN ('a', 'b', 'c') THEN 1.0 ELSE 0.0 END AS oh_0, coalesce(g = 'a', false)::INT::DOUBLE AS oh_1, coalesce(g = 'b', false)::INT::DOUBLE AS oh_2, coalesce(g = 'c', false)::INT::DOUBLE AS oh_3";

    [Fact]
    public void One_hot_encoder_output_trains_as_its_indicator_columns()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(x, ML.ONE_HOT_ENCODER(g) OVER() AS oh, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        db.Execute($"CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, {HandOneHot}, y FROM t");
        Assert.Equal(["x", "oh_0", "oh_1", "oh_2", "oh_3", "__INTERCEPT__"], db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL m)").Select(r => (string)r[0]!));
        db.Execute("CREATE TABLE u AS SELECT * FROM (VALUES (1, 3.0, 'a'), (2, 4.0, 'zzz'), (3, 5.0, NULL), (4, 6.0, 'c')) v(id, x, g)");
        foreach (string table in new[] { "t", "u" })
        {
            var expected = db.Rows($"SELECT id, predicted_y FROM ML.PREDICT(MODEL h, (SELECT id, x, {HandOneHot} FROM {table})) ORDER BY id");
            var actual = db.Rows($"SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT id, x, g FROM {table})) ORDER BY id");
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) Assert.Equal((double)expected[i][1]!, (double)actual[i][1]!, 9);
        }
        Assert.Equal(["id", "x", "g", "predicted_y"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, TABLE u)"));
        // ML.TRANSFORM shows the encoder's own output, the sparse array.
        Assert.Equal("[{'index': 2, 'value': 1.0}]", db.Scalar("SELECT oh::VARCHAR FROM ML.TRANSFORM(MODEL m, (SELECT 1.0 AS x, 'b' AS g))"));
    }

    [Fact]
    public void Multi_hot_encoder_output_gives_one_column_per_vocabulary_entry()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL k TRANSFORM(ML.MULTI_HOT_ENCODER(tags) OVER() AS mh, x) OPTIONS(model_type='kmeans', num_clusters=2) AS SELECT * FROM t");
        Assert.Equal(["mh_0", "mh_1", "mh_2", "mh_3", "x"], db.Rows("SELECT DISTINCT feature FROM ML.CENTROIDS(MODEL k) ORDER BY feature").Select(r => (string)r[0]!));
        Assert.Equal(90L, db.Scalar("SELECT count(*) FROM ML.PREDICT(MODEL k, (SELECT tags, x FROM t))"));
    }

    [Fact]
    public void Bag_of_words_counts_become_columns()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(ML.BAG_OF_WORDS(tags, 10, 1) OVER() AS bw, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        // Vocabulary p → 1, q → 2, r → 3 (alphabetical); the columns hold each word's count in the row's array.
        const string hand = "0.0 AS bw_0, len(list_filter(tags, e -> e = 'p'))::DOUBLE AS bw_1, len(list_filter(tags, e -> e = 'q'))::DOUBLE AS bw_2, len(list_filter(tags, e -> e = 'r'))::DOUBLE AS bw_3";
        db.Execute($"CREATE MODEL h OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT {hand}, y FROM t");
        var expected = db.Rows($"SELECT id, predicted_y FROM ML.PREDICT(MODEL h, (SELECT id, {hand} FROM t)) ORDER BY id");
        var actual = db.Rows("SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT id, tags FROM t)) ORDER BY id");
        for (int i = 0; i < expected.Count; i++) Assert.Equal((double)expected[i][1]!, (double)actual[i][1]!, 9);
    }

    [Fact]
    public void A_vocabulary_too_large_to_expand_is_a_clear_error()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE w AS SELECT 'w' || i AS word, i::DOUBLE AS y FROM range(1100) r(i)");
        var e = db.Fails("CREATE MODEL m TRANSFORM(ML.ONE_HOT_ENCODER(word, 'none', 5000, 0) OVER() AS oh, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM w");
        Assert.Contains("TRANSFORM output 'oh' with 1100 vocabulary entries", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not yet supported by SqlMl", e.Message, StringComparison.Ordinal);
    }
}
