using SqlMl.Tests.Training;

namespace SqlMl.Tests.EndToEnd;

/// <summary>KMEANS clustering quality, reproducibility, degenerate data and the ML functions' shapes.</summary>
public class KMeansTests
{
    private static readonly double[][] FarApart =
    [
        [0, 0], [20, 0], [0, 20], [20, 20], [10, 40], [40, 10],
    ];

    /// <summary>Each true blob (row r belongs to blob r % 6) must map to exactly one cluster and vice versa.</summary>
    private static void AssertBlobsRecovered(TestDb db, string model, int blobs)
    {
        var pairs = db.Rows($"SELECT DISTINCT id % {blobs}, centroid_id FROM ML.PREDICT(MODEL {model}, TABLE t)");
        Assert.Equal(blobs, pairs.Count);
        Assert.Equal(blobs, pairs.Select(p => p[0]).Distinct().Count());
        Assert.Equal(blobs, pairs.Select(p => p[1]).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData(", kmeans_init_method = 'KMEANS++'")]
    [InlineData(", kmeans_init_method = 'RANDOM', kmeans_init_runs = 10")]
    public void Well_separated_blobs_are_recovered_exactly(string init)
    {
        using var db = new TestDb();
        KMeansTestData.Blobs(1200, FarApart, spread: 1, seed: 2).Load(db);
        db.Execute($"CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 6{init}) AS SELECT x0, x1 FROM t");
        AssertBlobsRecovered(db, "m", 6);
        Assert.True(db.Double("SELECT davies_bouldin_index FROM ML.EVALUATE(MODEL m)") < 0.2);
    }

    [Fact]
    public void Standardization_decides_which_feature_dominates()
    {
        using var db = new TestDb();
        // x0 separates two groups by 10 units; x1 is noise with a spread of 100. Raw distances follow the noise,
        // standardized ones the groups.
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, (i % 2) * 10 + (hash(i, 1) % 100) / 1000.0 AS x0, (hash(i, 2) % 1000) / 5.0 AS x1
            FROM range(400) r(i)
            """);
        db.Execute("CREATE MODEL s OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x0, x1 FROM t");
        db.Execute("CREATE MODEL r OPTIONS(model_type = 'kmeans', num_clusters = 2, standardize_features = false) AS SELECT x0, x1 FROM t");
        Assert.Equal(2L, db.Scalar("SELECT count(DISTINCT (id % 2, centroid_id)) FROM ML.PREDICT(MODEL s, TABLE t)"));
        Assert.True((long)db.Scalar("SELECT count(DISTINCT (id % 2, centroid_id)) FROM ML.PREDICT(MODEL r, TABLE t)")! > 2);
        // Standardized centroids: mean 0 / sd 1 units; raw ones in input units.
        double raw = db.Double("SELECT max(numerical_value) FROM ML.CENTROIDS(MODEL s) WHERE feature = 'x0'");
        double standardized = db.Double("SELECT max(numerical_value) FROM ML.CENTROIDS(MODEL s, STRUCT(TRUE AS standardize)) WHERE feature = 'x0'");
        Assert.InRange(raw, 9.9, 10.2);
        Assert.InRange(standardized, 0.9, 1.1);
    }

    [Fact]
    public void Same_seed_gives_the_same_model_and_the_seed_is_used()
    {
        using var db = new TestDb();
        KMeansTestData.Blobs(900, [[0, 0], [3, 0], [0, 3], [3, 3], [1.5, 1.5]], spread: 1.2, seed: 4).Load(db);
        string Centroids(string model) => string.Join(";", db.Rows($"SELECT numerical_value FROM ML.CENTROIDS(MODEL {model}) ORDER BY centroid_id, feature").Select(r => ((double)r[0]!).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        db.Execute("CREATE MODEL a OPTIONS(model_type = 'kmeans', num_clusters = 5, kmeans_init_method = 'RANDOM', kmeans_init_runs = 1, kmeans_init_seed = 7) AS SELECT x0, x1 FROM t");
        db.Execute("CREATE MODEL b OPTIONS(model_type = 'kmeans', num_clusters = 5, kmeans_init_method = 'RANDOM', kmeans_init_runs = 1, kmeans_init_seed = 7) AS SELECT x0, x1 FROM t");
        Assert.Equal(Centroids("a"), Centroids("b"));
        var others = Enumerable.Range(1, 6).Select(seed =>
        {
            db.Execute($"CREATE OR REPLACE MODEL c OPTIONS(model_type = 'kmeans', num_clusters = 5, kmeans_init_method = 'RANDOM', kmeans_init_runs = 1, kmeans_init_seed = {seed}) AS SELECT x0, x1 FROM t");
            return Centroids("c");
        }).ToList();
        Assert.True(others.Distinct().Count() > 1, "different seeds should start from different rows");
    }

    [Fact]
    public void More_initialization_runs_never_end_worse()
    {
        using var db = new TestDb();
        KMeansTestData.Blobs(1000, [[0, 0], [4, 0], [0, 4], [4, 4], [2, 2], [8, 8], [8, 0]], spread: 1.3, seed: 9).Load(db);
        double Loss(int runs)
        {
            db.Execute($"CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 7, kmeans_init_method = 'RANDOM', kmeans_init_runs = {runs}, early_stop = false) AS SELECT x0, x1 FROM t");
            return db.Double("SELECT mean_squared_distance FROM ML.EVALUATE(MODEL m)");
        }
        double one = Loss(1), ten = Loss(10);
        Assert.True(ten <= one + 1e-12, $"10 runs {ten} > 1 run {one}");
    }

    [Fact]
    public void Default_num_clusters_is_the_rounded_log10_of_the_row_count()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT (hash(i) % 1000)::DOUBLE AS x FROM range(5000) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans') AS SELECT x FROM t");
        Assert.Equal(4L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL m)"));
        db.Execute("CREATE MODEL small OPTIONS(model_type = 'kmeans') AS SELECT x FROM t LIMIT 20");
        Assert.Equal(2L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL small)"));
    }

    [Fact]
    public void Duplicate_points_give_one_cluster_per_distinct_point()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS id, (i % 3)::DOUBLE AS x, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS c FROM range(30) r(i)");
        foreach (string init in new[] { "RANDOM", "KMEANS++" })
        {
            db.Execute($"CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = '{init}') AS SELECT x, c FROM t");
            Assert.Equal(0.0, db.Double("SELECT mean_squared_distance FROM ML.EVALUATE(MODEL m)"), 12);
            Assert.Equal(3L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.PREDICT(MODEL m, TABLE t)"));
            Assert.Equal(0.0, db.Double("SELECT max(nearest_centroids_distance[1].distance) FROM ML.PREDICT(MODEL m, TABLE t)"), 12);
        }
        var e = db.Fails("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 4) AS SELECT x, c FROM t");
        Assert.Contains("num_clusters is 4, but the training rows have only 3 distinct points", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 4, kmeans_init_method = 'RANDOM') AS SELECT x, c FROM t");
        Assert.Contains("only 3 distinct points", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_cluster_moves_to_the_farthest_row()
    {
        using var db = new TestDb();
        // Two identical starting rows: the second centroid gets no rows at first and must be moved.
        db.Execute("""
            CREATE TABLE t AS SELECT i AS id, CASE WHEN i < 50 THEN 0.0 ELSE 10.0 END + (hash(i) % 100) / 1000.0 AS x,
                   i IN (0, 100) AS init FROM range(150) r(i)
            """);
        db.Execute("INSERT INTO t SELECT 1000, x, true FROM t WHERE id = 0");
        db.Execute("INSERT INTO t VALUES (1001, 30.0, false)");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init', standardize_features = false) AS SELECT x, init FROM t");
        var sizes = db.Rows("SELECT c.cluster_size FROM (SELECT unnest(cluster_info) AS c FROM ML.TRAINING_INFO(MODEL m) WHERE iteration = (SELECT max(iteration) FROM ML.TRAINING_INFO(MODEL m)))").Select(r => (long)r[0]!).ToList();
        Assert.Equal(3, sizes.Count);
        Assert.DoesNotContain(0L, sizes);
        Assert.Equal(152L, sizes.Sum());
    }

    [Fact]
    public void Too_few_rows_or_points_are_clear_errors()
    {
        using var db = new TestDb();
        var e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT 1.0 AS x UNION ALL SELECT 2.0");
        Assert.Contains("num_clusters is 3, but the training query returned only 2 rows", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans') AS SELECT 5.0 AS x FROM range(10)");
        Assert.Contains("only 1 distinct point", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 2 distinct points", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans') AS SELECT 5.0 AS x WHERE false");
        Assert.Contains("returned no rows", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans') AS SELECT i::DOUBLE AS x, NULL::DOUBLE AS y FROM range(10) r(i)");
        Assert.Contains("feature column 'y' is NULL in every training row", e.Message, StringComparison.Ordinal);
        e = db.Fails("CREATE MODEL m OPTIONS(model_type = 'kmeans') AS SELECT CASE WHEN i = 3 THEN 'NaN'::DOUBLE ELSE i END AS x FROM range(10) r(i)");
        Assert.Contains("feature column 'x' contains NaN or Infinity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_numeric_values_take_the_training_mean_and_null_is_a_category()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS id, CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 2) * 8.0 END AS x, CASE WHEN i % 7 = 0 THEN NULL ELSE 'k' || (i % 2) END AS c FROM range(200) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x, c FROM t");
        double mean = db.Double("SELECT avg(x) FROM t");
        // A NULL x predicts like the mean; an unseen category like a row with all one-hot coordinates 0.
        var a = db.Rows("SELECT nearest_centroids_distance FROM ML.PREDICT(MODEL m, (SELECT NULL::DOUBLE AS x, 'k1' AS c))")[0][0];
        var b = db.Rows($"SELECT nearest_centroids_distance FROM ML.PREDICT(MODEL m, (SELECT {mean.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} AS x, 'k1' AS c))")[0][0];
        Assert.Equal(Structs(a), Structs(b));
        var categories = db.Rows("SELECT list_transform(categorical_value, v -> v.category) FROM ML.CENTROIDS(MODEL m) WHERE feature = 'c' AND centroid_id = 1")[0][0];
        Assert.Equal(["k0", "k1", null], ((System.Collections.IEnumerable)categories!).Cast<object?>().Select(o => (string?)o));
        Assert.Single(db.Rows("SELECT centroid_id FROM ML.PREDICT(MODEL m, (SELECT 4.0 AS x, 'never seen' AS c))"));
    }

    private static string Structs(object? list) =>
        string.Join(";", ((System.Collections.IEnumerable)list!).Cast<object?>().Select(o => string.Join(",", ((System.Collections.IDictionary)o!).Values.Cast<object?>())));
}
