namespace SqlMl.Tests.Preprocessing;

/// <summary>Bad calls of preprocessing functions: clear errors naming the function and where it is.</summary>
public class PreprocessingErrorTests
{
    [Theory]
    [InlineData("SELECT ML.BUCKETIZE(x, [3, 1, 2]) FROM t", "ML.BUCKETIZE at line 1, column 24: array_split_points must be in ascending order")]
    [InlineData("SELECT ML.BUCKETIZE(x, [1, 1e999]) FROM t", "array_split_points must be finite")]
    [InlineData("SELECT ML.BUCKETIZE(x, split_col) FROM t", "array_split_points must be a constant array of numbers")]
    [InlineData("SELECT ML.BUCKETIZE(x, [1], 'yes') FROM t", "exclude_boundaries must be TRUE or FALSE")]
    [InlineData("SELECT ML.BUCKETIZE(x, [1], FALSE, 'bucket_range') FROM t", "output_format must be one of 'bucket_names', 'bucket_ranges', 'bucket_ranges_json', got 'bucket_range'. Did you mean 'bucket_ranges'?")]
    [InlineData("SELECT ML.BUCKETIZE(x) FROM t", "ML.BUCKETIZE at line 1, column 8: expects (numerical_expression, array_split_points [, exclude_boundaries] [, output_format]); got 1 argument.")]
    [InlineData("SELECT ML.BUCKETIZE(x, [1]) OVER() FROM t", "ML.BUCKETIZE at line 1, column 8: is a scalar function and takes no OVER clause.")]
    [InlineData("SELECT ML.STANDARD_SCALER(x) FROM t", "ML.STANDARD_SCALER at line 1, column 8: is an analytic function and needs an empty OVER clause: ML.STANDARD_SCALER(...) OVER().")]
    [InlineData("SELECT ML.STANDARD_SCALER(x) OVER(PARTITION BY y) FROM t", "ML.STANDARD_SCALER at line 1, column 8: the OVER clause must be empty: OVER().")]
    [InlineData("SELECT ML.MIN_MAX_SCALER(x) OVER(ORDER BY y) FROM t", "ML.MIN_MAX_SCALER at line 1, column 8: the OVER clause must be empty")]
    [InlineData("SELECT ML.STANDARD_SCALER(ML.MIN_MAX_SCALER(x) OVER()) OVER() FROM t", "ML.MIN_MAX_SCALER at line 1, column 27: an analytic function cannot be used inside the arguments of the analytic function ML.STANDARD_SCALER.")]
    [InlineData("SELECT ML.FEATURE_CROSS(STRUCT(s AS a, s AS b), 5) FROM t", "ML.FEATURE_CROSS at line 1, column 49: degree must be between 2 and 4, got 5.")]
    [InlineData("SELECT ML.FEATURE_CROSS(STRUCT(s AS a)) FROM t", "takes a STRUCT of 2 to 10 fields, got 1.")]
    [InlineData("SELECT ML.FEATURE_CROSS(st) FROM t", "must be a STRUCT(...) constructor")]
    [InlineData("SELECT ML.FEATURE_CROSS(STRUCT(s, upper(s))) FROM t", "field 2 of the first argument needs a name: write expression AS name.")]
    [InlineData("SELECT ML.POLYNOMIAL_EXPAND(STRUCT(x AS a), 0) FROM t", "ML.POLYNOMIAL_EXPAND at line 1, column 45: degree must be between 1 and 4, got 0.")]
    [InlineData("SELECT ML.QUANTILE_BUCKETIZE(x, 1) OVER() FROM t", "num_buckets must be between 2 and 100000, got 1.")]
    [InlineData("SELECT ML.ROBUST_SCALER(x, [75, 25]) OVER() FROM t", "quantile_range must be two integers [lo, hi] with 0 < lo < hi < 100, got [75, 25].")]
    [InlineData("SELECT ML.IMPUTER(x, 'average') OVER() FROM t", "strategy must be one of 'mean', 'median', 'most_frequent', got 'average'.")]
    [InlineData("SELECT ML.ONE_HOT_ENCODER(s, 'first') OVER() FROM t", "drop must be one of 'none', 'most_frequent', got 'first'.")]
    [InlineData("SELECT ML.LABEL_ENCODER(s, 0) OVER() FROM t", "top_k must be between 1 and 999999, got 0.")]
    [InlineData("SELECT ML.LABEL_ENCODER(s, 10, -1) OVER() FROM t", "frequency_threshold must be 0 or more, got -1.")]
    [InlineData("SELECT ML.NGRAMS(d, [3, 2]) FROM t", "range must satisfy 1 <= min <= max <= 1000, got [3, 2].")]
    [InlineData("SELECT ML.NORMALIZER(d, 0.5) FROM t", "p must be 0, at least 1, or +inf")]
    [InlineData("SELECT ML.HASH_BUCKETIZE(s, -2) FROM t", "hash_bucket_size must be 0 (no bucketing) or positive, got -2.")]
    [InlineData("SELECT ML.BUCKETIZE('abc', [1]) FROM t", "ML.BUCKETIZE at line 1, column 21: numerical_expression must be numeric, got 'abc'.")]
    [InlineData("SELECT ML.STANDARD_SCALER(TRUE) OVER() FROM t", "numerical_expression must be numeric, got TRUE.")]
    [InlineData("SELECT ML.NORMALIZER(5) FROM t", "ML.NORMALIZER at line 1, column 22: array_expression must be an ARRAY, got 5.")]
    [InlineData("SELECT ML.TF_IDF('a b') OVER() FROM t", "tokenized_document must be an ARRAY, got 'a b'.")]
    [InlineData("SELECT ML.LABEL_ENCODER(['a', 'b']) OVER() FROM t", "string_expression must be a single value, not an ARRAY, got ['a', 'b'].")]
    [InlineData("SELECT ML.STANDARD_SCALAR(x) OVER() FROM t", "Unknown ML function ML.STANDARD_SCALAR. Did you mean ML.STANDARD_SCALER?")]
    public void Bad_call_is_a_clear_error(string sql, string message)
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t (x DOUBLE, y INTEGER, s VARCHAR, d VARCHAR[], split_col DOUBLE[], st STRUCT(a VARCHAR))");
        var e = db.Fails(sql);
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT ML.IMPUTER(s, 'mean') OVER() FROM t", "ML.IMPUTER: expression must be numeric, got VARCHAR")]
    [InlineData("SELECT ML.IMPUTER(s, 'median') OVER() FROM t", "ML.IMPUTER: expression must be numeric, got VARCHAR")]
    [InlineData("SELECT ML.STANDARD_SCALER(s) OVER() FROM t", "ML.STANDARD_SCALER: numerical_expression must be numeric, got VARCHAR")]
    [InlineData("SELECT ML.BUCKETIZE(s, [1, 2]) FROM t", "ML.BUCKETIZE: numerical_expression must be numeric, got VARCHAR")]
    public void A_non_numeric_column_where_a_number_is_expected_names_the_function(string sql, string message)
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t (x DOUBLE, s VARCHAR); INSERT INTO t VALUES (1, '2'), (NULL, NULL)");
        var e = db.Fails(sql);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_columns_of_every_width_pass_the_type_check()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE n (a TINYINT, b HUGEINT, c DECIMAL(10, 2), d FLOAT, e UBIGINT); INSERT INTO n VALUES (1, 2, 3.5, 4, 5), (3, 4, 5.5, 6, 7)");
        Assert.Equal(["0", "1"], Show.Column(db, "SELECT ML.MIN_MAX_SCALER(a) OVER() + ML.MIN_MAX_SCALER(b) OVER() + ML.MIN_MAX_SCALER(c) OVER() + ML.MIN_MAX_SCALER(d) OVER() + ML.MIN_MAX_SCALER(e) OVER() - 4 * ML.MIN_MAX_SCALER(a) OVER() AS v FROM n ORDER BY v"));
        Assert.Equal(["NULL", "NULL"], Show.Column(db, "SELECT ML.STANDARD_SCALER(NULL) OVER() FROM n"));
    }

    [Fact]
    public void The_numeric_type_check_accepts_bound_parameters()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "SELECT ML.MIN_MAX_SCALER(x * ?) OVER() AS s, ML.BUCKETIZE($k, [1, 3]) AS b FROM (VALUES (1), (2), (3)) t(x) ORDER BY s";
        var p = cmd.CreateParameter();
        p.Value = 2.0;
        cmd.Parameters.Add(p);
        var k = cmd.CreateParameter();
        k.ParameterName = "k";
        k.Value = 2;
        cmd.Parameters.Add(k);
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetDouble(0).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + reader.GetString(1));
        Assert.Equal(["0|bin_2", "0.5|bin_2", "1|bin_2"], rows);
    }

    [Fact]
    public void Error_position_is_relative_to_the_whole_script()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t (x DOUBLE)");
        var e = db.Fails("SELECT 1;\nSELECT x,\n       ML.BUCKETIZE(x, [2, 1]) FROM t");
        Assert.Equal(3, e.Line);
        Assert.Equal(24, e.Column);
        Assert.StartsWith("ML.BUCKETIZE at line 3, column 24:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_create_model_with_a_bad_preprocessing_call_changes_nothing()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 2.0 * i AS y FROM range(20) r(i)");
        var e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ML.BUCKETIZE(x, [5, 1]) AS b, y FROM t");
        Assert.StartsWith("ML.BUCKETIZE at line 1, column 103:", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Error_in_a_create_model_query_points_into_the_statement()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 2.0 * i AS y FROM range(20) r(i)");
        var e = db.Fails("SELECT 1;\nCREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'])\nAS SELECT y,\n  ML.STANDARD_SCALER(x) OVER(PARTITION BY y) AS s FROM t");
        Assert.Equal((4, 3), (e.Line, e.Column));
        Assert.StartsWith("ML.STANDARD_SCALER at line 4, column 3: the OVER clause must be empty", e.Message, StringComparison.Ordinal);
    }
}
