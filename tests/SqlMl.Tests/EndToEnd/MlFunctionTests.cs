namespace SqlMl.Tests.EndToEnd;

/// <summary>ML table functions work wherever DuckDB accepts a table, and mix with plain SQL in one text.</summary>
public class MlFunctionTests
{
    private static TestDb WithModel()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, i::DOUBLE AS x, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END AS parity,
                   3.0 * i + CASE WHEN i % 2 = 0 THEN 10 ELSE 0 END AS y FROM range(40) r(i);
            CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, parity, y FROM t;
            """);
        return db;
    }

    [Fact]
    public void Predict_works_in_from_join_cte_subquery_create_table_insert_and_copy()
    {
        using var db = WithModel();
        Assert.Equal(40L, db.Scalar("SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE t)"));
        Assert.Equal(40L, db.Scalar("SELECT count(*) FROM t JOIN ML.PREDICT(MODEL m, TABLE t) p USING (id)"));
        Assert.Equal(5L, db.Scalar("WITH few AS (SELECT * FROM t WHERE id < 5) SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE few)"));
        Assert.Equal(20L, db.Scalar("SELECT count(*) FROM (SELECT * FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE parity = 'odd')))"));
        db.Execute("CREATE TABLE scores AS SELECT id, predicted_y FROM ML.PREDICT(MODEL m, TABLE t)");
        db.Execute("INSERT INTO scores SELECT id, predicted_y FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE id < 3))");
        Assert.Equal(43L, db.Scalar("SELECT count(*) FROM scores"));
        string file = Path.Combine(Path.GetTempPath(), $"sqlml-{Guid.NewGuid():N}.csv");
        try
        {
            db.Execute($"COPY (SELECT id, predicted_y FROM ML.PREDICT(MODEL m, TABLE t)) TO '{file}' (HEADER)");
            Assert.Equal(41, File.ReadAllLines(file).Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_cte_input_missing_a_feature_column_names_the_ml_call_and_where_to_look()
    {
        using var db = WithModel();
        var e = db.Fails("WITH few AS (SELECT id, x FROM t) SELECT * FROM ML.PREDICT(MODEL m, (SELECT * FROM few))");
        Assert.StartsWith("Binder Error", e.Message, StringComparison.Ordinal);
        Assert.Contains("The input of ML.PREDICT(MODEL m, …) could not be checked before the statement ran", e.Message, StringComparison.Ordinal);
        Assert.Contains("ML.FEATURE_INFO(MODEL m) lists them.", e.Message, StringComparison.Ordinal);
        // A plain DuckDB binder error in a statement without ML calls keeps DuckDB's message alone.
        Assert.DoesNotContain("FEATURE_INFO", db.Fails("SELECT no_such_column FROM t").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predictions_are_exact_for_data_the_model_fits_exactly()
    {
        using var db = WithModel();
        var rows = db.Rows("SELECT y, predicted_y FROM ML.PREDICT(MODEL m, TABLE t)");
        foreach (var r in rows) Assert.Equal(Convert.ToDouble(r[0], System.Globalization.CultureInfo.InvariantCulture), (double)r[1]!, 8);
    }

    [Fact]
    public void Predict_passes_extra_columns_through_and_needs_only_the_features()
    {
        using var db = WithModel();
        Assert.Equal(["note", "parity", "x", "predicted_y"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, (SELECT 'hello' AS note, 'odd' AS parity, 5 AS x))"));
        Assert.Equal(15.0, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 'hello' AS note, 'odd' AS parity, 5 AS x))"), 8);
    }

    [Fact]
    public void Predict_with_a_missing_feature_names_the_column_and_the_model()
    {
        using var db = WithModel();
        var e = db.Fails("SELECT * FROM ML.PREDICT(MODEL m, (SELECT 1.0 AS x))");
        Assert.Equal(SqlMlErrorCode.Prediction, e.Code);
        Assert.Equal("ML.PREDICT: the input lacks column 'parity' that model m was trained with.", e.Message);
    }

    [Fact]
    public void Predict_with_a_text_column_for_a_numeric_feature_is_an_error()
    {
        using var db = WithModel();
        var e = db.Fails("SELECT * FROM ML.PREDICT(MODEL m, (SELECT 'five' AS x, 'odd' AS parity))");
        Assert.Contains("input column 'x' has type VARCHAR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_model_and_unknown_function_are_clear_errors()
    {
        using var db = WithModel();
        Assert.Equal("ML.PREDICT: model nope not found.", db.Fails("SELECT * FROM ML.PREDICT(MODEL nope, TABLE t)").Message);
        Assert.Equal("Unknown ML function ML.PREDIKT. Did you mean ML.PREDICT?", db.Fails("SELECT * FROM ML.PREDIKT(MODEL m, TABLE t)").Message);
        Assert.Contains("ML.ROC_CURVE for LINEAR_REG models is not yet supported", db.Fails("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t)").Message, StringComparison.Ordinal);
        Assert.Contains("an input is required", db.Fails("SELECT * FROM ML.PREDICT(MODEL m)").Message, StringComparison.Ordinal);
        Assert.Contains("setting 'threshold' does not apply to LINEAR_REG", db.Fails("SELECT * FROM ML.PREDICT(MODEL m, TABLE t, STRUCT(0.6 AS threshold))").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_and_comments_containing_semicolons_and_ml_calls_are_left_alone()
    {
        using var db = WithModel();
        var rows = db.Rows("""
            -- a comment; with ML.PREDICT(MODEL m, TABLE t)
            SELECT 'ML.PREDICT(MODEL nope, TABLE t); ' AS s, /* ; ML.EVALUATE( */ count(*) AS n
            FROM ML.PREDICT(MODEL m, TABLE t);
            """);
        Assert.Equal("ML.PREDICT(MODEL nope, TABLE t); ", rows[0][0]);
        Assert.Equal(40L, rows[0][1]);
    }

    [Fact]
    public void Several_statements_return_several_result_sets_in_order()
    {
        using var db = WithModel();
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = "SELECT 1 AS a; CREATE TABLE u AS SELECT 1 AS z; SELECT count(*) AS b FROM ML.PREDICT(MODEL m, TABLE t); DROP MODEL m; SELECT 3 AS c";
        using var reader = cmd.ExecuteReader();
        var names = new List<string>();
        do
        {
            names.Add(reader.GetName(0));
        }
        while (reader.NextResult());
        Assert.Equal(["a", "b", "c"], names);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void A_script_can_create_a_model_and_use_it_in_the_next_statement()
    {
        using var db = new TestDb();
        var rows = db.Rows("""
            CREATE TABLE d AS SELECT i::DOUBLE AS x, 5 * i - 2.0 AS label FROM range(10) r(i);
            CREATE MODEL q OPTIONS(model_type = 'linear_reg') AS SELECT * FROM d;
            SELECT round(predicted_label, 6) FROM ML.PREDICT(MODEL q, (SELECT 100 AS x));
            """);
        Assert.Equal(498.0, Convert.ToDouble(rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Training_query_may_use_with_joins_and_ml_functions()
    {
        using var db = WithModel();
        db.Execute("""
            CREATE MODEL m2 OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS
            WITH p AS (SELECT * FROM ML.PREDICT(MODEL m, TABLE t))
            SELECT p.predicted_y AS prior, t.y FROM p JOIN t USING (id)
            """);
        Assert.Equal(1.0, db.Double("SELECT weight FROM ML.WEIGHTS(MODEL m2) WHERE processed_input = 'prior'"), 8);
    }

    [Fact]
    public void Evaluate_with_input_compares_labels_with_predictions()
    {
        using var db = WithModel();
        var cols = db.Columns("SELECT * FROM ML.EVALUATE(MODEL m, TABLE t)");
        Assert.Equal(["mean_absolute_error", "mean_squared_error", "mean_squared_log_error", "median_absolute_error", "r2_score", "explained_variance"], cols);
        Assert.Equal(1.0, db.Double("SELECT r2_score FROM ML.EVALUATE(MODEL m, TABLE t)"), 9);
        var e = db.Fails("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT x, parity FROM t))");
        Assert.Contains("lacks column 'y'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_info_has_bigquerys_columns()
    {
        using var db = WithModel();
        Assert.Equal(["training_run", "iteration", "loss", "eval_loss", "learning_rate", "duration_ms"], db.Columns("SELECT * FROM ML.TRAINING_INFO(MODEL m)"));
        var row = db.Rows("SELECT training_run, iteration, loss < 1e-12 FROM ML.TRAINING_INFO(MODEL m)")[0];
        Assert.Equal([0L, 0L, true], row);
    }
}
