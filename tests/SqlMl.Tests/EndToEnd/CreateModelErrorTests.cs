namespace SqlMl.Tests.EndToEnd;

/// <summary>Bad input gets a clear error naming the statement, option or column, and changes nothing.</summary>
public class CreateModelErrorTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, i % 3 AS k, 'c' || (i % 4) AS s, 2.0 * i + 1 AS y FROM range(30) r(i)");
        return db;
    }

    private static SqlMlException Fails(string options, string query = "SELECT x, y FROM t")
    {
        using var db = WithData();
        var e = db.Fails($"CREATE MODEL m OPTIONS({options}) AS {query}");
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
        return e;
    }

    [Fact]
    public void Unknown_option_suggests_the_closest_name()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y'], l2_regg=1");
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.Equal("CREATE MODEL: unknown option 'l2_regg' for LINEAR_REG. Did you mean 'l2_reg'?", e.Message);
    }

    [Fact]
    public void Wrong_option_type_names_the_option_and_the_expected_type()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y'], l2_reg='high'");
        Assert.Equal("CREATE MODEL: option 'l2_reg' expects FLOAT64, got STRING 'high'.", e.Message);
        e = Fails("model_type='linear_reg', input_label_cols='y'");
        Assert.Contains("option 'input_label_cols' expects ARRAY<STRING>", e.Message, StringComparison.Ordinal);
        e = Fails("model_type='linear_reg', input_label_cols=['y'], fit_intercept=1");
        Assert.Contains("option 'fit_intercept' expects BOOL, got INT64 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_type_is_required_and_checked()
    {
        Assert.Contains("OPTIONS must include model_type", Fails("input_label_cols=['y']").Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'linear_reg'", Fails("model_type='linear_regg'").Message, StringComparison.Ordinal);
        Assert.Contains("model_type 'pca' is not yet supported", Fails("model_type='pca'").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Glm_options_that_cannot_combine_name_the_fix()
    {
        Assert.Contains("'NORMAL_EQUATION' cannot be used with l1_reg", Fails("model_type='linear_reg', input_label_cols=['y'], optimize_strategy='normal_equation', l1_reg=1").Message, StringComparison.Ordinal);
        Assert.Contains("model m does not exist", Fails("model_type='linear_reg', input_label_cols=['y'], warm_start=true").Message, StringComparison.Ordinal);
        Assert.Contains("option 'calculate_p_values' needs category_encoding_method = 'DUMMY_ENCODING' when there are categorical features (here s)",
            Fails("model_type='linear_reg', input_label_cols=['y'], calculate_p_values=true", "SELECT x, s, y FROM t").Message, StringComparison.Ordinal);
        Assert.Contains("calculate_p_values: the features are linearly dependent",
            Fails("model_type='linear_reg', input_label_cols=['y'], calculate_p_values=true", "SELECT x, 2 * x AS x2, y FROM t").Message, StringComparison.Ordinal);
        Assert.Contains("calculate_p_values needs more training rows (2) than fitted coefficients (2)",
            Fails("model_type='linear_reg', input_label_cols=['y'], calculate_p_values=true", "SELECT x, y FROM t WHERE x < 2").Message, StringComparison.Ordinal);
        Assert.Contains("option 'calculate_p_values' cannot be used with l1_reg > 0",
            Fails("model_type='linear_reg', input_label_cols=['y'], calculate_p_values=true, l1_reg=1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_label_column_lists_the_columns()
    {
        var e = Fails("model_type='linear_reg'");
        Assert.Equal("CREATE MODEL m: label column 'label' is not in the training query (columns: x, y). Set input_label_cols.", e.Message);
    }

    [Fact]
    public void Label_must_be_numeric()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['s']", "SELECT x, s FROM t");
        Assert.Contains("label column 's' has type VARCHAR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_label_is_an_error_that_says_how_to_filter()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT x, CASE WHEN x = 3 THEN NULL ELSE y END AS y FROM t");
        Assert.Equal(SqlMlErrorCode.Training, e.Code);
        Assert.Contains("label column 'y' is NULL in some rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("WHERE y IS NOT NULL", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'NaN'::DOUBLE")]
    [InlineData("'Infinity'::DOUBLE")]
    public void Non_finite_label_is_an_error(string value)
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", $"SELECT x, CASE WHEN x = 3 THEN {value} ELSE y END AS y FROM t");
        Assert.Contains("contains NaN or Infinity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_training_set_is_an_error()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT x, y FROM t WHERE false");
        Assert.Equal("CREATE MODEL m: the training query returned no rows.", e.Message);
    }

    [Fact]
    public void All_null_feature_is_an_error()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT x, NULL::DOUBLE AS z, y FROM t");
        Assert.Contains("feature column 'z' is NULL in every training row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_feature_type_names_the_column()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT x, map(['k'], [x]) AS m, y FROM t");
        Assert.Contains("feature column 'm' of type MAP(VARCHAR, DOUBLE) is not yet supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_without_features_is_an_error()
    {
        Assert.Contains("no feature columns", Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT y FROM t").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_training_query_reports_duckdbs_error_for_the_model()
    {
        var e = Fails("model_type='linear_reg', input_label_cols=['y']", "SELECT x, y FROM missing_table");
        Assert.Equal(SqlMlErrorCode.Engine, e.Code);
        Assert.StartsWith("CREATE MODEL m: the training query failed:", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing_table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_in_the_envelope_reports_line_and_column_of_the_script()
    {
        using var db = WithData();
        var e = db.Fails("SELECT 1;\nCREATE MODEL m\n  OPTIONS(model_type = 'linear_reg' input_label_cols = ['y'])\nAS SELECT x, y FROM t");
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        Assert.Equal(3, e.Line);
        Assert.Equal(37, e.Column);
        Assert.Contains("line 3, column 37", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_in_plain_sql_reports_line_and_column_of_the_script()
    {
        using var db = WithData();
        var e = db.Fails("SELECT 1;\n\nSELECT x\nFORM t;");
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        Assert.Equal(4, e.Line);
        Assert.Equal(6, e.Column);
    }

    [Theory]
    [InlineData("SELECT 1;\nSELECT *\nFROM ML.PREDICT(MODEL m,\n   (SELECT * FROM t WHERE x > ))", 4, 31)]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL m, (SELECT x FROM t WHERE x > 1 ORDER))", 1, 69)]
    [InlineData("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT * FROM ML.PREDICT(MODEL m, (\n  SELECT x, y FRM t))))", 2, 19)]
    public void Syntax_error_in_the_query_argument_of_an_ml_call_points_into_the_script(string sql, int line, int column)
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        var e = db.Fails(sql);
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"Syntax error at line {line}, column {column}: Parser Error", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_far_into_a_long_line_points_at_the_right_column()
    {
        using var db = WithData();
        string padding = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"x AS c{i}"));
        var e = db.Fails($"SELECT {padding}, x FORM t");
        Assert.Equal(1, e.Line);
        Assert.Equal($"SELECT {padding}, x FORM ".Length + 1, e.Column);
    }

    [Fact]
    public void Or_replace_and_if_not_exists_together_are_refused()
    {
        using var db = WithData();
        var e = db.Fails("CREATE OR REPLACE MODEL IF NOT EXISTS m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        Assert.Contains("cannot be used together", e.Message, StringComparison.Ordinal);
    }
}
