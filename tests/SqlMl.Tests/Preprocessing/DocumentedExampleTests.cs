namespace SqlMl.Tests.Preprocessing;

/// <summary>The worked examples of BigQuery's preprocessing function pages (reference §3.2), run through SqlMlConnection.</summary>
public class DocumentedExampleTests
{
    [Fact]
    public void Bucketize_matches_the_documented_example_with_and_without_boundaries()
    {
        using var db = new TestDb();
        var row = db.Rows("SELECT ML.BUCKETIZE(2.5, [1, 2, 3]) AS bucket, ML.BUCKETIZE(2.5, [1, 2, 3], TRUE) AS bucket_without_boundaries")[0];
        Assert.Equal("bin_3", row[0]);
        Assert.Equal("bin_2", row[1]);
    }

    [Fact]
    public void Bucketize_output_formats_show_the_documented_ranges()
    {
        using var db = new TestDb();
        Assert.Equal("[2, 3)", db.Scalar("SELECT ML.BUCKETIZE(2.5, [1, 2, 3], FALSE, 'bucket_ranges')"));
        Assert.Equal(["(-inf, 2.5)", "[2.5, 4.6)", "[4.6, +inf)"],
            Show.Column(db, "SELECT ML.BUCKETIZE(x, [2.5, 4.6], FALSE, 'bucket_ranges') FROM (VALUES (1), (3), (5)) t(x) ORDER BY x"));
        Assert.Equal(["{\"start\": \"-Infinity\", \"end\": \"2.5\"}", "{\"start\": \"2.5\", \"end\": \"4.6\"}", "{\"start\": \"4.6\", \"end\": \"Infinity\"}"],
            Show.Column(db, "SELECT ML.BUCKETIZE(x, [2.5, 4.6], FALSE, \"bucket_ranges_json\") FROM (VALUES (1), (3), (5)) t(x) ORDER BY x"));
    }

    [Fact]
    public void Quantile_bucketize_splits_one_to_five_into_three_buckets_as_documented()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            SELECT f, ML.QUANTILE_BUCKETIZE(f, 3) OVER() AS bucket,
                   ML.QUANTILE_BUCKETIZE(f, 3, "bucket_ranges") OVER() AS bucket_ranges,
                   ML.QUANTILE_BUCKETIZE(f, 3, "bucket_ranges_json") OVER() AS bucket_ranges_json
            FROM UNNEST([1, 2, 3, 4, 5]) AS t(f) ORDER BY f
            """);
        Assert.Equal(["bin_1", "bin_2", "bin_2", "bin_3", "bin_3"], rows.Select(r => (string)r[1]!));
        Assert.Equal(["(-inf, 2)", "[2, 4)", "[2, 4)", "[4, +inf)", "[4, +inf)"], rows.Select(r => (string)r[2]!));
        Assert.Equal("{\"start\": \"2\", \"end\": \"4\"}", rows[1][3]);
    }

    [Fact]
    public void Hash_bucketize_gives_the_documented_buckets()
    {
        using var db = new TestDb();
        var rows = db.Rows("SELECT f, ML.HASH_BUCKETIZE(f, 3) AS output FROM UNNEST(['a', 'b', 'c', 'd']) AS t(f) ORDER BY f");
        Assert.Equal([("a", 0L), ("b", 1L), ("c", 1L), ("d", 2L)], rows.Select(r => ((string)r[0]!, (long)r[1]!)));
    }

    [Fact]
    public void Feature_cross_names_fields_as_documented()
    {
        using var db = new TestDb();
        Assert.Equal("{f1_f2: a_b, f1_f3: a_c, f2_f3: b_c}",
            Show.Value(db.Scalar("SELECT ML.FEATURE_CROSS(STRUCT('a' AS f1, 'b' AS f2, 'c' AS f3)) AS output")));
    }

    [Fact]
    public void Polynomial_expand_includes_the_inputs_as_documented()
    {
        using var db = new TestDb();
        Assert.Equal("{f1: 2.0, f1_f1: 4.0, f1_f2: 6.0, f2: 3.0, f2_f2: 9.0}",
            Show.Value(db.Scalar("SELECT ML.POLYNOMIAL_EXPAND(STRUCT(2 AS f1, 3 AS f2)) AS output")));
    }

    [Fact]
    public void Standard_scaler_uses_the_sample_deviation_as_the_documented_example_implies()
    {
        using var db = new TestDb();
        var values = db.Rows("SELECT ML.STANDARD_SCALER(f) OVER() FROM UNNEST([1, 2, 3, 4, 5]) AS t(f) ORDER BY f").Select(r => (double)r[0]!).ToArray();
        double[] expected = [-1.2649110640673518, -0.6324555320336759, 0, 0.6324555320336759, 1.2649110640673518];
        Assert.Equal(expected, values, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Min_max_scaler_maps_one_to_five_onto_the_unit_interval()
    {
        using var db = new TestDb();
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], Show.Column(db, "SELECT ML.MIN_MAX_SCALER(f) OVER() FROM UNNEST([1, 2, 3, 4, 5]) AS t(f) ORDER BY f"));
    }

    [Fact]
    public void Max_abs_scaler_keeps_null_and_divides_by_the_largest_magnitude()
    {
        using var db = new TestDb();
        Assert.Equal(["NULL", "-0.6", "0.2", "0.4", "0.6", "0.8", "1"],
            Show.Column(db, "SELECT ML.MAX_ABS_SCALER(f) OVER() FROM UNNEST([NULL, -3, 1, 2, 3, 4, 5]) AS t(f) ORDER BY f NULLS FIRST"));
    }

    [Fact]
    public void Robust_scaler_uses_median_two_and_interquartile_range_three_as_documented()
    {
        using var db = new TestDb();
        var values = db.Rows("SELECT ML.ROBUST_SCALER(f) OVER() FROM UNNEST([NULL, -3, 1, 2, 3, 4, 5]) AS t(f) ORDER BY f NULLS FIRST").Select(r => (double?)r[0]).ToArray();
        Assert.Null(values[0]);
        double[] expected = [-5 / 3.0, -1 / 3.0, 0, 1 / 3.0, 2 / 3.0, 1];
        Assert.Equal(expected, values.Skip(1).Select(v => v!.Value), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Normalizer_divides_by_the_euclidean_norm_as_documented()
    {
        using var db = new TestDb();
        Assert.Equal("[0.8, 0.2, 0.4, 0.4, 0]", Show.Value(db.Scalar("SELECT ML.NORMALIZER([4, 1, 2, 2, 0]) AS output")));
    }

    [Fact]
    public void Imputer_replaces_null_by_the_mean_as_documented()
    {
        using var db = new TestDb();
        var rows = Show.Column(db, "SELECT ML.IMPUTER(f, 'mean') OVER() FROM UNNEST([NULL, -3, -3, -3, 1, 2, 3, 4, 5]) AS t(f) ORDER BY f NULLS FIRST");
        Assert.Equal(["0.75", "-3", "-3", "-3", "1", "2", "3", "4", "5"], rows);
    }

    [Fact]
    public void One_hot_encoder_with_dummy_encoding_matches_the_documented_example()
    {
        using var db = new TestDb();
        var rows = db.Rows("SELECT f, ML.ONE_HOT_ENCODER(f, 'most_frequent', 10, 0) OVER() FROM UNNEST([NULL, 'a', 'b', 'b', 'c', 'c', 'c', 'd', 'd']) AS t(f) ORDER BY f NULLS FIRST");
        var byValue = rows.GroupBy(r => r[0] as string ?? "NULL").ToDictionary(g => g.Key, g => Show.Entries(g.First()[1]).Single());
        Assert.Equal((0L, 1.0), byValue["NULL"]);
        Assert.Equal((1L, 1.0), byValue["a"]);
        Assert.Equal((2L, 1.0), byValue["b"]);
        Assert.Equal((3L, 0.0), byValue["c"]);
        Assert.Equal((4L, 1.0), byValue["d"]);
    }

    [Fact]
    public void Multi_hot_encoder_gives_null_index_zero_as_documented()
    {
        using var db = new TestDb();
        var entries = Show.Entries(db.Scalar("SELECT ML.MULTI_HOT_ENCODER(f, 3, 1) OVER() FROM (SELECT ['a', 'b', 'b', 'c', NULL] AS f)"));
        Assert.Equal([(0L, 1.0), (1L, 1.0), (2L, 1.0), (3L, 1.0)], entries);
    }

    [Fact]
    public void Label_encoder_breaks_the_top_k_tie_alphabetically_as_documented()
    {
        using var db = new TestDb();
        var rows = db.Rows("SELECT f, ML.LABEL_ENCODER(f, 2, 2) OVER() FROM UNNEST([NULL, 'a', 'b', 'b', 'c', 'c', 'c', 'd', 'd']) AS t(f) ORDER BY f NULLS FIRST");
        var byValue = rows.GroupBy(r => r[0] as string ?? "NULL").ToDictionary(g => g.Key, g => (long)g.First()[1]!);
        Assert.Equal(new Dictionary<string, long> { ["NULL"] = 0, ["a"] = 0, ["b"] = 1, ["c"] = 2, ["d"] = 0 }, byValue);
    }

    [Fact]
    public void Ngrams_matches_the_documented_example()
    {
        using var db = new TestDb();
        Assert.Equal("[a#b, a#b#c, b#c]", Show.Value(db.Scalar("SELECT ML.NGRAMS(['a', 'b', 'c'], [2, 3], '#') AS output")));
    }

    [Fact]
    public void Bag_of_words_counts_terms_as_documented()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            SELECT id, ML.BAG_OF_WORDS(f, 32, 1) OVER() AS results
            FROM (SELECT 1 AS id, ['a', 'b', 'b', 'c'] AS f UNION ALL SELECT 2 AS id, ['a', 'c'] AS f) ORDER BY id
            """);
        Assert.Equal([(1L, 1.0), (2L, 2.0), (3L, 1.0)], Show.Entries(rows[0][1]));
        Assert.Equal([(1L, 1.0), (3L, 1.0)], Show.Entries(rows[1][1]));
    }

    // The reference quotes only document 2's output; documents 1, 3 and 4 are reconstructed from BigQuery's example
    // page (the same corpus as its BAG_OF_WORDS example plus two documents), consistent with document 2's values:
    // 'pie' (index 3 of the dictionary [I, like, pie]) in all 4 documents, 'yum' in 2, NULL in all 4.
    [Fact]
    public void Tf_idf_gives_the_documented_values_for_the_second_document()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            SELECT id, ML.TF_IDF(f, 3, 1) OVER() AS results FROM (
              SELECT 1 AS id, ['I', 'like', 'pie', 'pie', 'pie', NULL] AS f UNION ALL
              SELECT 2 AS id, ['yum', 'yum', 'pie', NULL] AS f UNION ALL
              SELECT 3 AS id, ['I', 'yum', 'pie', NULL] AS f UNION ALL
              SELECT 4 AS id, ['you', 'like', 'pie', 'too', NULL] AS f) ORDER BY id
            """);
        var doc2 = Show.Entries(rows[1][1]);
        Assert.Equal([0L, 3L], doc2.Select(e => e.Index));
        Assert.Equal(0.5705955964191315, doc2[0].Value, 1e-15);
        Assert.Equal(0.14694666622552977, doc2[1].Value, 1e-15);
    }
}
