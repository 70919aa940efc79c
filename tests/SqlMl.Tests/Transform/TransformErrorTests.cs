namespace SqlMl.Tests.Transform;

/// <summary>BigQuery's TRANSFORM rules (reference §1.2) as errors that name the problem and where it is.</summary>
public class TransformErrorTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, (i % 7)::DOUBLE AS z, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS g, 2.0 * i + 1 AS y, i % 5 = 0 AS is_eval FROM range(30) r(i)");
        return db;
    }

    private static SqlMlException Fails(TestDb db, string transform, string options = "model_type='linear_reg', input_label_cols=['y']", string query = "SELECT * FROM t")
    {
        var e = db.Fails($"CREATE MODEL m TRANSFORM({transform}) OPTIONS({options}) AS {query}");
        Assert.Null(db.Scalar("SELECT count(*) FROM sqlml.models WHERE model_name = 'm' HAVING count(*) > 0"));
        return e;
    }

    [Fact]
    public void Expression_without_alias_is_an_error_at_its_script_position()
    {
        using var db = WithData();
        var e = db.Fails("SELECT 1;\nCREATE MODEL m\n  TRANSFORM(x,\n    x * 2, y)\n  OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        Assert.Equal(SqlMlErrorCode.Binding, e.Code);
        Assert.Contains("the expression 'x * 2' needs an alias", e.Message, StringComparison.Ordinal);
        Assert.Equal((4, 5), (e.Line, e.Column));
        Assert.Contains("line 4, column 5", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x, avg(z) AS mz, y", "aggregate function avg() is not allowed in TRANSFORM")]
    [InlineData("x, count(*) AS n, y", "aggregate function count() is not allowed in TRANSFORM")]
    [InlineData("x, row_number() OVER () AS rn, y", "analytic functions other than ML preprocessing functions are not allowed")]
    [InlineData("x, sum(z) OVER () AS s, y", "analytic functions other than ML preprocessing functions are not allowed")]
    [InlineData("x, (SELECT max(z) FROM t) AS m, y", "subqueries are not allowed in TRANSFORM")]
    [InlineData("x, ML.PREDICT(MODEL q, TABLE t) AS p, y", "ML.PREDICT is not a preprocessing function")]
    [InlineData("x, twice(z) AS z2, y", "user-defined function twice() is not allowed in TRANSFORM")]
    public void Forbidden_expressions_are_errors(string transform, string message)
    {
        using var db = WithData();
        db.Execute("CREATE MACRO twice(v) AS v * 2");
        var e = Fails(db, transform);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Line);
    }

    [Theory]
    [InlineData("x, y * 2 AS y", "column 'y' is the label or a split/init column; it must appear in TRANSFORM untransformed, not as 'y * 2'")]
    [InlineData("x, y AS label2", "it must appear in TRANSFORM untransformed and without an alias")]
    [InlineData("x, z", "column 'y' is the label or a split/init column; it must appear in TRANSFORM untransformed (by name or through *)")]
    [InlineData("* REPLACE (y + 1 AS y)", "not as 'y + 1'")]
    public void Label_must_pass_through_untransformed(string transform, string message)
    {
        using var db = WithData();
        Assert.Contains(message, Fails(db, transform).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_split_column_must_pass_through_untransformed()
    {
        using var db = WithData();
        var e = Fails(db, "x, y, NOT is_eval AS is_eval", "model_type='linear_reg', input_label_cols=['y'], data_split_method='custom', data_split_col='is_eval'");
        Assert.Contains("column 'is_eval' is the label or a split/init column", e.Message, StringComparison.Ordinal);
        db.Execute("CREATE MODEL m TRANSFORM(* EXCEPT(g)) OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='custom', data_split_col='is_eval') AS SELECT * FROM t");
        Assert.Equal(6L, db.Scalar("SELECT eval_rows FROM sqlml.models"));
    }

    [Theory]
    [InlineData("* EXCEPT(nope)", "'*' EXCEPT/REPLACE names column 'nope', which the training query does not have")]
    [InlineData("nope, y", "column 'nope' is not in the training query")]
    [InlineData("x, x AS x, y", "column 'x' appears more than once in the TRANSFORM output")]
    [InlineData("*, x * 2 AS z", "column 'z' appears more than once")]
    public void Unknown_and_duplicate_columns_are_errors(string transform, string message)
    {
        using var db = WithData();
        Assert.Contains(message, Fails(db, transform).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expression_that_DuckDB_rejects_names_the_transform()
    {
        using var db = WithData();
        var e = Fails(db, "x, no_such_function(z) AS q, y");
        Assert.Equal(SqlMlErrorCode.Engine, e.Code);
        Assert.Contains("the TRANSFORM clause failed on the training query", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expression_that_fails_on_a_row_while_training_names_the_model_and_the_transform()
    {
        using var db = WithData();
        var e = Fails(db, "x, CAST(g AS INTEGER) AS gi, y");
        Assert.Equal(SqlMlErrorCode.Engine, e.Code);
        Assert.StartsWith("CREATE MODEL m: the TRANSFORM clause failed on the training query: Conversion Error", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_transform_list_points_at_its_opening_parenthesis()
    {
        using var db = WithData();
        var e = db.Fails("SELECT 1;\nCREATE MODEL m TRANSFORM(x AS a, y OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        Assert.Equal((2, 25), (e.Line, e.Column));
        Assert.Contains("the TRANSFORM list's '(' is never closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_factorization_rejects_transform()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE r AS SELECT i % 5 AS u, i % 3 AS it, i::DOUBLE AS rating FROM range(30) t(i)");
        var e = db.Fails("CREATE MODEL m TRANSFORM(u, it, rating) OPTIONS(model_type='matrix_factorization', user_col='u', item_col='it', rating_col='rating') AS SELECT * FROM r");
        Assert.Contains("the TRANSFORM clause is not supported for MATRIX_FACTORIZATION models", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_create_or_replace_keeps_the_previous_model_and_its_transform()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(x * 10 AS x10, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        double before = db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 3.0 AS x))");
        db.Fails("CREATE OR REPLACE MODEL m TRANSFORM(x * 10 AS x10, y * 2 AS y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        db.Fails("CREATE OR REPLACE MODEL m TRANSFORM(z, y) OPTIONS(model_type='linear_reg', input_label_cols=['y'], l2_reg = -1) AS SELECT * FROM t");
        Assert.Equal(before, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 3.0 AS x))"), 12);
        Assert.Equal(7.0, before, 9);
    }

    [Fact]
    public void Prediction_input_without_a_column_the_transform_reads_is_an_error()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(x * z AS xz, g, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var e = db.Fails("SELECT * FROM ML.PREDICT(MODEL m, (SELECT 1.0 AS x, 'a' AS g))");
        Assert.Equal(SqlMlErrorCode.Prediction, e.Code);
        Assert.Contains("ML.PREDICT: the input lacks column 'z' that the TRANSFORM of model m reads", e.Message, StringComparison.Ordinal);
        e = db.Fails("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT x, z, g FROM t))");
        Assert.Contains("'y'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ml_transform_needs_a_model_with_transform_and_an_input()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL plain OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        var e = db.Fails("SELECT * FROM ML.TRANSFORM(MODEL plain, TABLE t)");
        Assert.Contains("ML.TRANSFORM: model plain was created without a TRANSFORM clause", e.Message, StringComparison.Ordinal);
        db.Execute("CREATE MODEL m TRANSFORM(x, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        e = db.Fails("SELECT * FROM ML.TRANSFORM(MODEL m)");
        Assert.Contains("ML.TRANSFORM: an input is required", e.Message, StringComparison.Ordinal);
        e = db.Fails("SELECT * FROM ML.FEATURE_INFO(MODEL m, TABLE t)");
        Assert.Contains("ML.FEATURE_INFO: takes no input table", e.Message, StringComparison.Ordinal);
    }
}
