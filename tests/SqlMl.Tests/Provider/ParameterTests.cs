using System.Globalization;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>$name, $n and ? parameters in plain SQL and inside ML statements.</summary>
public class ParameterTests
{
    private static double D(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    [Theory, InlineData(false), InlineData(true)]
    public async Task Named_parameters_bind_in_plain_sql(bool async)
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "SELECT count(*) FROM t WHERE grp = $g AND label = $L", ("g", 1), ("$l", "a"));
        Assert.Equal(ProviderData.Long(connection, "SELECT count(*) FROM t WHERE grp = 1 AND label = 'a'"), Convert.ToInt64(await ProviderData.Scalar(cmd, async), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Question_marks_take_the_unnamed_parameters_in_order_across_the_statements_of_a_script()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "CREATE TABLE u AS SELECT ? AS a, ? AS b; SELECT a * 100 + b + ? + $named FROM u", ("named", 1000), ("", 1), ("", 2), ("", 3));
        Assert.Equal(1105, Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Numbered_parameters_take_the_parameter_at_that_position()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "SELECT $2 - $1", ("a", 1), ("b", 10));
        Assert.Equal(9, Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_null_parameter_is_sql_null()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "SELECT $v IS NULL, $w IS NULL", ("v", null), ("w", DBNull.Value));
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.True(r.GetBoolean(0));
        Assert.True(r.GetBoolean(1));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Parameters_bind_in_the_as_query_of_create_model(bool async)
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], data_split_method = 'no_split') AS SELECT x1, x2, y FROM t WHERE i < $n AND label <> $quoted", ("n", 120), ("quoted", "it's not a label"));
        await ProviderData.NonQuery(cmd, async);
        Assert.Equal(120L, ProviderData.Long(connection, "SELECT training_rows FROM sqlml.models WHERE model_name = 'm'"));
    }

    [Fact]
    public void Parameters_bind_as_create_model_option_values()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "CREATE MODEL m OPTIONS(model_type = $type, num_clusters = ?, kmeans_init_runs = 1) AS SELECT x1, x2 FROM t", ("type", "kmeans"), ("", 4));
        cmd.ExecuteNonQuery();
        Assert.Equal(4L, ProviderData.Long(connection, "SELECT count(*) FROM ML.CENTROIDS(MODEL m) WHERE feature = 'x1'"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Parameters_bind_in_the_query_argument_of_ml_predict(bool async)
    {
        using var connection = ProviderData.Open("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t");
        using var cmd = ProviderData.Command(connection, "SELECT count(*), sum(predicted_y) FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE grp = $g)) WHERE x1 > ?", ("g", 2), ("", 0.25));
        using var expected = connection.CreateCommand();
        expected.CommandText = "SELECT count(*), sum(predicted_y) FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE grp = 2)) WHERE x1 > 0.25";
        using var e = expected.ExecuteReader();
        using var a = await ProviderData.Reader(cmd, async);
        Assert.True(e.Read() && a.Read());
        Assert.Equal(e.GetInt64(0), a.GetInt64(0));
        Assert.True(a.GetInt64(0) > 0);
        Assert.Equal(e.GetDouble(1), a.GetDouble(1), 12);
    }

    [Fact]
    public void Placeholders_inside_strings_and_comments_are_text_in_plain_and_ml_statements()
    {
        using var connection = ProviderData.Open("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT '? $g $1' AS s, $$ $g ? $$ AS d, $g AS v -- ? $g
            /* $1 ? */;
            SELECT '? $g' AS s, count(*) AS n FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE grp = $g /* ? */)) -- $nope
            """;
        cmd.Parameters.AddWithValue("g", 2);
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("? $g $1", " $g ? ", 2), (reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        Assert.True(reader.NextResult() && reader.Read());
        Assert.Equal("? $g", reader.GetString(0));
        Assert.Equal(ProviderData.Long(connection, "SELECT count(*) FROM t WHERE grp = 2"), reader.GetInt64(1));
    }

    [Fact]
    public void A_parameter_is_the_threshold_of_ml_predict()
    {
        using var connection = ProviderData.Open("CREATE MODEL c OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label']) AS SELECT x1, x2, label FROM t");
        string Labels(string threshold, double? value)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT string_agg(predicted_label, '' ORDER BY i) FROM ML.PREDICT(MODEL c, TABLE t, STRUCT({threshold} AS threshold))";
            if (value is { } v) cmd.Parameters.AddWithValue("t", v);
            return (string)cmd.ExecuteScalar()!;
        }
        Assert.Equal(Labels("0.2", null), Labels("$t", 0.2));
        Assert.Equal(Labels("0.8", null), Labels("$t", 0.8));
        Assert.NotEqual(Labels("$t", 0.2), Labels("$t", 0.8));
    }

    [Fact]
    public void A_list_parameter_gives_the_thresholds_of_ml_roc_curve()
    {
        using var connection = ProviderData.Open("CREATE MODEL c OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label']) AS SELECT x1, x2, label FROM t");
        using var cmd = ProviderData.Command(connection, "SELECT threshold, recall FROM ML.ROC_CURVE(MODEL c, TABLE t, $thresholds) ORDER BY threshold", ("thresholds", new[] { 0.25, 0.5, 0.75 }));
        var thresholds = new List<double>();
        using (var r = cmd.ExecuteReader())
            while (r.Read()) thresholds.Add(r.GetDouble(0));
        Assert.Equal([0.25, 0.5, 0.75], thresholds);
    }

    [Fact]
    public void A_missing_parameter_is_a_binding_error_at_its_position()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1;\nSELECT x1\nFROM t WHERE grp = $nope";
        var e = Assert.Throws<SqlMlException>(() => cmd.ExecuteNonQuery());
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.Equal("Parameter $nope has no value: bind it with command.Parameters.AddWithValue(\"nope\", value), or with sqlml --param nope=VALUE.", e.Message);
        Assert.Equal((3, 20), (e.Line, e.Column));
    }

    [Fact]
    public void Too_few_positional_parameters_is_a_binding_error()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "SELECT ?, ?", ("", 1));
        var e = Assert.Throws<SqlMlException>(() => cmd.ExecuteNonQuery());
        Assert.Equal("Parameter ? number 2 has no value: the command has 1 unnamed parameter; each ? takes the next parameter without a name, in order.", e.Message);
        Assert.Equal((1, 11), (e.Line, e.Column));
    }

    [Fact]
    public void Syntax_errors_after_a_parameter_in_an_ml_statement_point_at_the_original_text()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "CREATE MODEL m OPTIONS(num_clusters = $clusters,, model_type = 'kmeans') AS SELECT x1 FROM t", ("clusters", 3));
        var e = Assert.Throws<SqlMlException>(() => cmd.ExecuteNonQuery());
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        Assert.Equal((1, 49), (e.Line, e.Column));
    }

    [Fact]
    public void A_value_that_has_no_sql_literal_is_a_clear_error_in_ml_statements()
    {
        using var connection = ProviderData.Open("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
        using var cmd = ProviderData.Command(connection, "SELECT * FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE x1 > $v))", ("v", new object()));
        var e = Assert.Throws<SqlMlException>(() => cmd.ExecuteNonQuery());
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.StartsWith("Parameter $v: a value of type Object cannot be used in an ML statement", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_values_after_a_minus_stay_negative_in_ml_statements()
    {
        using var connection = ProviderData.Open("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t");
        using var cmd = ProviderData.Command(connection, "SELECT max(predicted_y -$shift) - max(predicted_y) FROM ML.PREDICT(MODEL m, TABLE t)", ("shift", -2.5));
        Assert.Equal(2.5, D(cmd.ExecuteScalar()), 9);
    }

    [Fact]
    public void The_collection_finds_parameters_by_name_with_or_without_the_dollar()
    {
        using var cmd = new SqlMlCommand();
        var p = cmd.Parameters.AddWithValue("$Alpha", 1);
        Assert.Equal("Alpha", p.ParameterName);
        Assert.Same(p, cmd.Parameters["alpha"]);
        Assert.Same(p, cmd.Parameters["$ALPHA"]);
        Assert.True(cmd.Parameters.Contains("alpha"));
        Assert.Throws<InvalidCastException>(() => cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("x", 1)));
    }

    [Fact]
    public void Placeholders_of_a_sql_prepare_statement_are_left_to_duckdb()
    {
        using var connection = ProviderData.Open();
        using var cmd = ProviderData.Command(connection, "PREPARE q AS SELECT count(*) FROM t WHERE grp = $1; EXECUTE q($g)", ("g", 2));
        Assert.Equal(50L, Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
    }
}
