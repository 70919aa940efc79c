namespace SqlMl.Tests.Preprocessing;

/// <summary>Preprocessing calls anywhere in a statement: subqueries, CTEs, ML.PREDICT's query, CREATE MODEL's query.</summary>
public class PreprocessingIntegrationTests
{
    [Fact]
    public void Analytic_function_learns_over_the_rows_of_its_own_subquery()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            WITH v AS (SELECT * FROM UNNEST([1, 2, 3, 4, 5]) AS t(f))
            SELECT f, scaled FROM (SELECT f, ML.MIN_MAX_SCALER(f) OVER() AS scaled FROM v WHERE f > 1) ORDER BY f
            """);
        Assert.Equal(["0", "0.3333333333333333", "0.6666666666666666", "1"], rows.Select(r => Show.Value(r[1])));
    }

    [Fact]
    public void Create_model_trains_on_preprocessed_columns_and_predict_accepts_preprocessing_in_its_query()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS x, CASE WHEN i < 10 THEN 1.0 ELSE 5.0 END + (i % 3) * 0.01 AS y FROM range(20) r(i)");
        db.Execute("""
            CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'])
            AS SELECT ML.BUCKETIZE(x, [10]) AS bucket, y FROM t
            """);
        var predictions = db.Rows("""
            SELECT bucket, round(predicted_y, 6) FROM ML.PREDICT(MODEL m, (SELECT ML.BUCKETIZE(x, [10]) AS bucket FROM UNNEST([3, 15]) AS u(x)))
            ORDER BY bucket
            """);
        Assert.Equal("bin_1", predictions[0][0]);
        Assert.Equal("bin_2", predictions[1][0]);
        Assert.Equal(1.009, (double)predictions[0][1]!, 6); // the mean label of bucket 1 (i % 3 averages 0.9 over 0..9)
        Assert.Equal(5.01, (double)predictions[1][1]!, 6);
    }

    [Fact]
    public void Preprocessing_works_with_parameters_and_in_create_table_as()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "CREATE TABLE b AS SELECT ML.HASH_BUCKETIZE(s, 1000) AS h, ML.LABEL_ENCODER(s, 10, 1) OVER() AS l FROM (SELECT $v AS s)";
        var p = cmd.CreateParameter();
        p.ParameterName = "v";
        p.Value = "abc";
        cmd.Parameters.Add(p);
        cmd.ExecuteNonQuery();
        var row = db.Rows("SELECT h, l FROM b")[0];
        Assert.Equal(PlainPreprocessing.HashBucket("abc", 1000), (long)row[0]!);
        Assert.Equal(1L, (long)row[1]!);
    }

    [Fact]
    public void Output_types_are_the_documented_ones()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT 1.5 AS x, 'a' AS s, ['a', 'b'] AS d");
        var types = db.Rows("""
            SELECT typeof(ML.BUCKETIZE(x, [1])), typeof(ML.STANDARD_SCALER(x) OVER()), typeof(ML.LABEL_ENCODER(s) OVER()),
                   typeof(ML.ONE_HOT_ENCODER(s) OVER()), typeof(ML.HASH_BUCKETIZE(s, 3)), typeof(ML.FEATURE_CROSS(STRUCT(s AS a, s AS b))),
                   typeof(ML.NORMALIZER([x, x])), typeof(ML.NGRAMS(d, 2)), typeof(ML.TF_IDF(d) OVER())
            FROM t
            """)[0].Select(v => (string)v!).ToArray();
        Assert.Equal(["VARCHAR", "DOUBLE", "BIGINT", "STRUCT(\"index\" BIGINT, \"value\" DOUBLE)[]", "BIGINT",
            "STRUCT(a_b VARCHAR)", "DOUBLE[]", "VARCHAR[]", "STRUCT(\"index\" BIGINT, \"value\" DOUBLE)[]"], types);
    }

    [Fact]
    public void Text_inside_strings_and_comments_is_not_rewritten()
    {
        using var db = new TestDb();
        Assert.Equal("ML.BUCKETIZE(1, [0])", db.Scalar("SELECT 'ML.BUCKETIZE(1, [0])' -- ML.STANDARD_SCALER(x)"));
    }

    [Fact]
    public void Create_model_query_may_use_analytic_functions_and_their_output_may_feed_an_outer_select()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 3.0 * i + 1 AS y FROM range(10) r(i)");
        db.Execute("""
            CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'])
            AS SELECT ML.MIN_MAX_SCALER(x) OVER() AS scaled, y FROM t
            """);
        // scaled = x / 9 over the training rows, so y = 27 * scaled + 1.
        var rows = db.Rows("""
            SELECT ML.BUCKETIZE(predicted_y, [10]) AS b, round(predicted_y, 6)
            FROM ML.PREDICT(MODEL m, (SELECT ML.MIN_MAX_SCALER(x) OVER() AS scaled FROM UNNEST([0.0, 5.0, 10.0]) AS u(x)))
            ORDER BY 2
            """);
        Assert.Equal(["bin_1", "bin_2", "bin_2"], rows.Select(r => (string)r[0]!));
        Assert.Equal([1.0, 14.5, 28.0], rows.Select(r => (double)r[1]!));
        // An analytic function over a table function's rows.
        var scaled = db.Rows("SELECT round(ML.MIN_MAX_SCALER(predicted_y) OVER(), 6) FROM ML.PREDICT(MODEL m, (SELECT x / 9 AS scaled FROM t)) ORDER BY 1");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Math.Round(i / 9.0, 6)), scaled.Select(r => (double)r[0]!));
    }
}
