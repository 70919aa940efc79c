namespace SqlMl.Tests.EndToEnd;

/// <summary>MATRIX_FACTORIZATION's error paths: each names the statement, option, column or model, and trains nothing.</summary>
public class MatrixFactorizationErrorTests
{
    private const string Data = """
        CREATE TABLE r AS SELECT u AS "user", i AS item, (u + i) % 5 + 1 AS rating, u % 2 = 0 AS flag, u * 1.5 AS score,
               'x' AS label FROM range(12) a(u), range(8) b(i) WHERE (u + 2 * i) % 3 <> 0
        """;

    private static SqlMlException Fails(string options, string query = "SELECT * FROM r")
    {
        using var db = new TestDb();
        db.Execute(Data);
        var e = db.Fails($"CREATE MODEL mf OPTIONS(model_type = 'matrix_factorization'{options}) AS {query}");
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
        return e;
    }

    private static void Contains(string expected, SqlMlException e) => Assert.Contains(expected, e.Message, StringComparison.Ordinal);

    [Fact]
    public void Option_values_are_checked_with_the_options_name()
    {
        Contains("option 'num_factors' must be between 2 and 200, got 1", Fails(", num_factors = 1"));
        Contains("option 'num_factors' must be between 2 and 200, got 201", Fails(", num_factors = 201"));
        Contains("option 'l2_reg' must be a finite number >= 0, got -1", Fails(", l2_reg = -1"));
        Contains("option 'wals_alpha' applies only to feedback_type 'IMPLICIT'", Fails(", wals_alpha = 3"));
        Contains("option 'wals_alpha' must be a finite number >= 0", Fails(", feedback_type = 'implicit', wals_alpha = -3"));
        Contains("option 'max_iterations' must be between 1 and 10000, got 0", Fails(", max_iterations = 0"));
        Contains("option 'min_rel_progress' must be a finite number >= 0", Fails(", min_rel_progress = -0.5"));
        Contains("option 'feedback_type' must be one of 'EXPLICIT', 'IMPLICIT', got 'implicitt'. Did you mean 'IMPLICIT'?", Fails(", feedback_type = 'implicitt'"));
        Contains("must name three different columns", Fails(", item_col = 'USER'"));
        Contains("option 'user_col' must name a column, got an empty string", Fails(", user_col = ''"));
        Contains("option 'data_split_col' cannot be the user, item or rating column ('rating')", Fails(", data_split_method = 'seq', data_split_col = 'rating'"));
        Contains("option 'warm_start' for MATRIX_FACTORIZATION is not yet supported", Fails(", warm_start = true"));
        Contains("unknown option 'num_factor' for MATRIX_FACTORIZATION. Did you mean 'num_factors'?", Fails(", num_factor = 3"));
        Contains("option 'num_factors' expects INT64, got FLOAT64 2.5", Fails(", num_factors = 2.5"));
    }

    [Fact]
    public void Missing_or_mistyped_columns_are_named()
    {
        Contains("user_col 'user' is not in the training query (columns: item, rating). Set user_col", Fails("", "SELECT item, rating FROM r"));
        Contains("rating_col 'stars' is not in the training query", Fails(", rating_col = 'stars'"));
        Contains("item_col 'score' has type DECIMAL(21,1); user and item ids must be INTEGER (up to BIGINT) or STRING. Cast it, e.g. CAST(score AS VARCHAR).", Fails(", item_col = 'score'"));
        Contains("rating_col 'label' has type VARCHAR; ratings must be numeric", Fails(", rating_col = 'label'"));
        Contains("data_split_col 'flagg' is not in the training query", Fails(", data_split_method = 'custom', data_split_col = 'flagg'"));
        Contains("CUSTOM split needs a BOOLEAN column", Fails(", data_split_method = 'custom', data_split_col = 'score'"));
        Contains("the training query failed", Fails("", "SELECT * FROM no_such_table"));
    }

    [Fact]
    public void Null_ids_and_ratings_are_errors_with_a_filter_hint()
    {
        Contains("user_col 'user' is NULL in some rows. Filter them out, e.g. WHERE user IS NOT NULL.", Fails("", "SELECT CASE WHEN item = 3 THEN NULL ELSE \"user\" END AS \"user\", item, rating FROM r"));
        Contains("item_col 'item' is NULL in some rows", Fails("", "SELECT \"user\", NULLIF(item, 2) AS item, rating FROM r"));
        Contains("rating_col 'rating' is NULL in some rows. Filter them out, e.g. WHERE rating IS NOT NULL.", Fails("", "SELECT \"user\", item, NULLIF(rating, 3) AS rating FROM r"));
        Contains("rating_col 'rating' contains NaN or Infinity", Fails("", "SELECT \"user\", item, CASE WHEN rating = 3 THEN 'NaN'::DOUBLE ELSE rating END AS rating FROM r"));
    }

    [Fact]
    public void Degenerate_training_sets_are_refused()
    {
        Contains("the training query returned no rows", Fails("", "SELECT * FROM r WHERE false"));
        Contains("needs at least 2 distinct users in the training rows; user_col 'user' has only 1 ('4')", Fails("", "SELECT * FROM r WHERE \"user\" = 4"));
        Contains("needs at least 2 distinct items in the training rows; item_col 'item' has only 1 ('1')", Fails("", "SELECT * FROM r WHERE item = 1"));
        Contains("every row went to the evaluation split", Fails(", data_split_method = 'custom', data_split_col = 'flag'", "SELECT \"user\", item, rating, true AS flag FROM r"));
        Contains("IMPLICIT feedback needs positive ratings", Fails(", feedback_type = 'implicit'", "SELECT \"user\", item, -rating AS rating FROM r"));
    }

    [Fact]
    public void Function_misuse_is_explained()
    {
        using var db = new TestDb();
        db.Execute(Data);
        db.Execute("CREATE MODEL mf OPTIONS(model_type = 'matrix_factorization', num_factors = 2) AS SELECT \"user\", item, rating FROM r");
        Contains("ML.RECOMMEND: setting 'top_k' expects a positive INT64, got INT64 0", db.Fails("SELECT * FROM ML.RECOMMEND(MODEL mf, STRUCT(0 AS top_k))"));
        Contains("ML.RECOMMEND: unknown setting 'trial_id' for MATRIX_FACTORIZATION models. Allowed: top_k.", db.Fails("SELECT * FROM ML.RECOMMEND(MODEL mf, STRUCT(1 AS trial_id))"));
        Contains("ML.RECOMMEND: the input has neither the user column 'user' nor the item column 'item' of model mf", db.Fails("SELECT * FROM ML.RECOMMEND(MODEL mf, (SELECT 1 AS x))"));
        Contains("ML.RECOMMEND: the columns of input", db.Fails("WITH c AS (SELECT 1 AS \"user\") SELECT * FROM ML.RECOMMEND(MODEL mf, TABLE c)"));
        Contains("ML.PREDICT: model mf predicts (user, item) pairs; the input needs both 'user' and 'item'", db.Fails("SELECT * FROM ML.PREDICT(MODEL mf, (SELECT 1 AS \"user\"))"));
        Contains("ML.EVALUATE: the input lacks column 'rating' that model mf was trained with", db.Fails("SELECT * FROM ML.EVALUATE(MODEL mf, (SELECT 1 AS \"user\", 2 AS item))"));
        Contains("ML.EVALUATE: input rating column 'rating' has type VARCHAR; a numeric rating is needed", db.Fails("SELECT * FROM ML.EVALUATE(MODEL mf, (SELECT 1 AS \"user\", 2 AS item, 'good' AS rating))"));
        Contains("ML.WEIGHTS: setting 'standardize' does not apply to MATRIX_FACTORIZATION models", db.Fails("SELECT * FROM ML.WEIGHTS(MODEL mf, STRUCT(true AS standardize))"));
        Contains("ML.TRAINING_INFO: takes no input table", db.Fails("SELECT * FROM ML.TRAINING_INFO(MODEL mf, TABLE r)"));
        Contains("ML.CENTROIDS for MATRIX_FACTORIZATION models is not yet supported", db.Fails("SELECT * FROM ML.CENTROIDS(MODEL mf)"));
    }
}
