namespace SqlMl.Tests.EndToEnd;

/// <summary>Every KMEANS error path: options, training data, warm start and the ML functions.</summary>
public class KMeansErrorTests
{
    private static TestDb Db()
    {
        var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS id, (i % 7)::DOUBLE + i / 100.0 AS x, (i % 3)::DOUBLE AS y, 'g' || (i % 2) AS g, i < 3 AS init, i % 5 AS n FROM range(60) r(i)");
        return db;
    }

    private static string Fails(TestDb db, string options, string query = "SELECT x, y, g FROM t") =>
        db.Fails($"CREATE MODEL m OPTIONS(model_type = 'kmeans'{(options.Length > 0 ? ", " + options : "")}) AS {query}").Message;

    [Theory]
    [InlineData("num_cluster = 3", "unknown option 'num_cluster' for KMEANS. Did you mean 'num_clusters'?")]
    [InlineData("num_clusters = 1", "option 'num_clusters' must be between 2 and 100, got 1.")]
    [InlineData("num_clusters = 101", "option 'num_clusters' must be between 2 and 100, got 101.")]
    [InlineData("num_clusters = 2.5", "option 'num_clusters' expects INT64, got FLOAT64 2.5.")]
    [InlineData("kmeans_init_method = 'kmeans+'", "option 'kmeans_init_method' must be one of 'RANDOM', 'KMEANS++', 'CUSTOM', got 'kmeans+'. Did you mean 'KMEANS++'?")]
    [InlineData("kmeans_init_method = 'CUSTOM'", "option 'kmeans_init_col' is required when kmeans_init_method is 'CUSTOM'")]
    [InlineData("kmeans_init_col = 'init'", "option 'kmeans_init_col' applies only to kmeans_init_method 'CUSTOM'.")]
    [InlineData("distance_type = 'manhattan'", "option 'distance_type' must be one of 'EUCLIDEAN', 'COSINE', got 'manhattan'.")]
    [InlineData("standardize_features = 'yes'", "option 'standardize_features' expects BOOL, got STRING 'yes'.")]
    [InlineData("max_iterations = 0", "option 'max_iterations' must be between 1 and 10000, got 0.")]
    [InlineData("min_rel_progress = -0.1", "option 'min_rel_progress' must be at least 0 and below 1, got -0.1.")]
    [InlineData("min_rel_progress = 1", "option 'min_rel_progress' must be at least 0 and below 1, got 1.")]
    [InlineData("kmeans_init_runs = 0", "option 'kmeans_init_runs' must be between 1 and 100, got 0.")]
    [InlineData("kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init', kmeans_init_runs = 2", "option 'kmeans_init_runs' applies only to kmeans_init_method 'RANDOM' or 'KMEANS++'")]
    [InlineData("warm_start = TRUE, kmeans_init_method = 'RANDOM'", "option 'kmeans_init_method' cannot be combined with warm_start = TRUE")]
    [InlineData("num_trials = 4", "option 'num_trials' for KMEANS is not yet supported by SqlMl.")]
    [InlineData("data_split_method = 'RANDOM'", "unknown option 'data_split_method' for KMEANS.")]
    [InlineData("input_label_cols = ['y']", "unknown option 'input_label_cols' for KMEANS.")]
    public void Bad_options_are_refused_with_the_option_named(string options, string expected)
    {
        using var db = Db();
        Assert.Contains(expected, Fails(db, options), StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_initialization_needs_a_boolean_column_with_one_true_row_per_cluster()
    {
        using var db = Db();
        const string custom = "kmeans_init_method = 'CUSTOM', kmeans_init_col = ";
        Assert.Contains("kmeans_init_col 'nope' is not in the training query", Fails(db, custom + "'nope'", "SELECT x, y FROM t"), StringComparison.Ordinal);
        Assert.Contains("kmeans_init_col 'n' has type BIGINT; it must be BOOLEAN", Fails(db, custom + "'n'", "SELECT x, n FROM t"), StringComparison.Ordinal);
        Assert.Contains("kmeans_init_col 'init' is TRUE in 3 rows, but num_clusters is 4; they must be equal", Fails(db, custom + "'init', num_clusters = 4", "SELECT x, init FROM t"), StringComparison.Ordinal);
        Assert.Contains("kmeans_init_col 'init' is TRUE in no training row", Fails(db, custom + "'init'", "SELECT x, false AS init FROM t"), StringComparison.Ordinal);
        Assert.Contains("kmeans_init_col 'init' is TRUE in 1 rows; num_clusters must be between 2 and 100", Fails(db, custom + "'init'", "SELECT x, id = 0 AS init FROM t"), StringComparison.Ordinal);
        // The flag column is not a feature; NULL counts as FALSE.
        db.Execute("CREATE MODEL ok OPTIONS(model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init') AS SELECT x, y, CASE WHEN id < 3 THEN true END AS init FROM t");
        Assert.Equal(["x", "y"], db.Rows("SELECT DISTINCT feature FROM ML.CENTROIDS(MODEL ok) ORDER BY 1").Select(r => (string)r[0]!));
        Assert.Equal(3L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL ok)"));
    }

    [Fact]
    public void Unusable_feature_columns_are_named()
    {
        using var db = Db();
        Assert.Contains("feature column 'iv' of type INTERVAL is not yet supported", Fails(db, "", "SELECT x, INTERVAL 1 DAY * id AS iv FROM t"), StringComparison.Ordinal);
        Assert.Contains("the training query has no feature columns", Fails(db, "kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init'", "SELECT init FROM t"), StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_start_needs_a_compatible_existing_kmeans_model()
    {
        using var db = Db();
        Assert.Contains("warm_start = TRUE continues training an existing model, but model m does not exist", Fails(db, "warm_start = TRUE"), StringComparison.Ordinal);
        db.Execute("CREATE MODEL lin OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, y FROM t");
        Assert.Contains("model lin, which is a LINEAR_REG model, not KMEANS",
            db.Fails("CREATE OR REPLACE MODEL lin OPTIONS(model_type = 'kmeans', warm_start = TRUE) AS SELECT x, y FROM t").Message, StringComparison.Ordinal);
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT x, y, g FROM t");
        string Again(string options, string query = "SELECT x, y, g FROM t") =>
            db.Fails($"CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', warm_start = TRUE{options}) AS {query}").Message;
        Assert.Contains("num_clusters' is 4, but warm_start continues model m, which has 3 clusters", Again(", num_clusters = 4"), StringComparison.Ordinal);
        Assert.Contains("distance_type' is 'COSINE', but warm_start continues model m, which uses 'EUCLIDEAN'", Again(", distance_type = 'cosine'"), StringComparison.Ordinal);
        Assert.Contains("standardize_features' is FALSE, but warm_start continues model m, which was trained with TRUE", Again(", standardize_features = FALSE"), StringComparison.Ordinal);
        Assert.Contains("warm_start needs the same feature columns as the existing model. Missing now: g (categorical). New: n (numeric).", Again("", "SELECT x, y, n FROM t"), StringComparison.Ordinal);
        Assert.Contains("Missing now: g (categorical). New: g (numeric).", Again("", "SELECT x, y, n AS g FROM t"), StringComparison.Ordinal);
        Assert.Contains("model m already exists", db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans', warm_start = TRUE) AS SELECT x, y, g FROM t").Message, StringComparison.Ordinal);
        // A failed warm start keeps the model as it was.
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM ML.TRAINING_INFO(MODEL m) WHERE iteration = 0"));
    }

    [Fact]
    public void Ml_functions_refuse_arguments_that_do_not_apply()
    {
        using var db = Db();
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT x, y, g FROM t");
        string Fails(string sql) => db.Fails(sql).Message;
        Assert.Contains("ML.PREDICT: the input lacks column 'g' that model m was trained with", Fails("SELECT * FROM ML.PREDICT(MODEL m, (SELECT x, y FROM t))"), StringComparison.Ordinal);
        Assert.Contains("input column 'x' has type VARCHAR, but model m was trained with it as a numeric feature", Fails("SELECT * FROM ML.PREDICT(MODEL m, (SELECT 'a' AS x, y, g FROM t))"), StringComparison.Ordinal);
        Assert.Contains("ML.PREDICT: setting 'threshold' does not apply to KMEANS models", Fails("SELECT * FROM ML.PREDICT(MODEL m, TABLE t, STRUCT(0.5 AS threshold))"), StringComparison.Ordinal);
        Assert.Contains("ML.EVALUATE: setting 'threshold' does not apply to KMEANS models", Fails("SELECT * FROM ML.EVALUATE(MODEL m, TABLE t, STRUCT(0.5 AS threshold))"), StringComparison.Ordinal);
        Assert.Contains("ML.CENTROIDS: takes no input table", Fails("SELECT * FROM ML.CENTROIDS(MODEL m, TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("ML.CENTROIDS: unknown setting 'scale'. Allowed: standardize.", Fails("SELECT * FROM ML.CENTROIDS(MODEL m, STRUCT(TRUE AS scale))"), StringComparison.Ordinal);
        Assert.Contains("ML.CENTROIDS: setting 'standardize' expects BOOL", Fails("SELECT * FROM ML.CENTROIDS(MODEL m, STRUCT(1 AS standardize))"), StringComparison.Ordinal);
        Assert.Contains("ML.WEIGHTS does not apply to KMEANS models; use ML.CENTROIDS(MODEL m)", Fails("SELECT * FROM ML.WEIGHTS(MODEL m)"), StringComparison.Ordinal);
        Assert.Contains("ML.TRAINING_INFO: takes no input table", Fails("SELECT * FROM ML.TRAINING_INFO(MODEL m, TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("ML.DETECT_ANOMALIES: an input is required for KMEANS models", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.1 AS contamination))"), StringComparison.Ordinal);
        Assert.Contains("KMEANS models need the expected share of anomalies in the training data", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("setting 'contamination' must be between 0 and 0.5, got 0.6", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.6 AS contamination), TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("setting 'contamination' expects FLOAT64, got STRING 'high'", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT('high' AS contamination), TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("setting 'threshold' does not apply to KMEANS models. Allowed: contamination.", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.1 AS threshold), TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("Expected MODEL m, then STRUCT(...) of settings, then TABLE t or (query)", Fails("SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.1 AS contamination), TABLE t, TABLE t)"), StringComparison.Ordinal);
        Assert.Contains("ML.CONFUSION_MATRIX for KMEANS models is not yet supported", Fails("SELECT * FROM ML.CONFUSION_MATRIX(MODEL m, TABLE t)"), StringComparison.Ordinal);
        // The settings may also follow the input.
        Assert.Equal(60L, db.Scalar("SELECT count(*) FROM ML.DETECT_ANOMALIES(MODEL m, TABLE t, STRUCT(0.1 AS contamination))"));
    }
}
