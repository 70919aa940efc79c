using System.Globalization;
using SqlMl.Tests.Training;

namespace SqlMl.Tests.EndToEnd;

/// <summary>KMEANS's ML functions checked against values recomputed from ML.CENTROIDS and ML.PREDICT in the test.</summary>
public class KMeansFunctionTests
{
    private static readonly double[][] Centers = [[0, 0, 0], [3, 1, -1], [-1, 4, 2], [2, -3, 5]];

    private static TestDb Trained(string options = "num_clusters = 4", int rows = 400, bool category = false)
    {
        var db = new TestDb();
        KMeansTestData.Blobs(rows, Centers, spread: 1.5, seed: 31, nullRate: 0.03, category: category).Load(db);
        db.Execute($"CREATE MODEL m OPTIONS(model_type = 'kmeans', {options}) AS SELECT x0, x1, x2{(category ? ", c0" : "")} FROM t");
        return db;
    }

    private static List<double[]> Distances(TestDb db, string input = "TABLE t") =>
        db.Rows($"SELECT list_sort(list_transform(nearest_centroids_distance, s -> s.distance)) FROM ML.PREDICT(MODEL m, {input}) ORDER BY id")
          .Select(r => ((System.Collections.IEnumerable)r[0]!).Cast<object?>().Select(o => (double)o!).ToArray()).ToList();

    [Fact]
    public void Predict_returns_input_columns_then_the_nearest_centroids_in_order()
    {
        using var db = Trained("num_clusters = 7");
        Assert.Equal(["x0", "x1", "x2", "init", "id", "centroid_id", "nearest_centroids_distance"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)"));
        var rows = db.Rows("SELECT centroid_id, list_transform(nearest_centroids_distance, s -> s.centroid_id), list_transform(nearest_centroids_distance, s -> s.distance) FROM ML.PREDICT(MODEL m, TABLE t)");
        foreach (var row in rows)
        {
            var ids = ((System.Collections.IEnumerable)row[1]!).Cast<object?>().Select(o => (long)o!).ToList();
            var dist = ((System.Collections.IEnumerable)row[2]!).Cast<object?>().Select(o => (double)o!).ToList();
            Assert.Equal(5, ids.Count); // min(k, 5)
            Assert.Equal((long)row[0]!, ids[0]);
            Assert.Equal(dist.Order(), dist);
            Assert.Equal(5, ids.Distinct().Count());
        }
        Assert.Equal("STRUCT(centroid_id BIGINT, distance DOUBLE)[]", db.Scalar("SELECT typeof(nearest_centroids_distance) FROM ML.PREDICT(MODEL m, TABLE t) LIMIT 1"));
        Assert.Equal("BIGINT", db.Scalar("SELECT typeof(centroid_id) FROM ML.PREDICT(MODEL m, TABLE t) LIMIT 1"));
    }

    [Fact]
    public void Predict_distances_are_the_distances_to_the_listed_centroids()
    {
        using var db = Trained("num_clusters = 3");
        var centroids = db.Rows("SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL m, STRUCT(TRUE AS standardize))")
            .GroupBy(r => (long)r[0]!).OrderBy(g => g.Key).Select(g => g.OrderBy(r => (string)r[1]!).Select(r => (double)r[2]!).ToArray()).ToArray();
        var stats = db.Rows("SELECT avg(x0), stddev_samp(x0), avg(x1), stddev_samp(x1), avg(x2), stddev_samp(x2) FROM t")[0].Select(v => (double)v!).ToArray();
        var input = db.Rows("SELECT x0, x1, x2 FROM t ORDER BY id");
        var predicted = Distances(db);
        Assert.Equal(3, predicted[0].Length);
        for (int r = 0; r < input.Count; r++)
        {
            var z = Enumerable.Range(0, 3).Select(j => ((input[r][j] as double? ?? stats[2 * j]) - stats[2 * j]) / stats[2 * j + 1]).ToArray();
            var expected = centroids.Select(c => Math.Sqrt(PlainKMeans.Distance2(z, c))).Order().ToArray();
            for (int k = 0; k < 3; k++) Assert.Equal(expected[k], predicted[r][k], 9);
        }
    }

    [Fact]
    public void Evaluate_on_the_training_rows_equals_the_stored_metrics()
    {
        using var db = Trained(category: true);
        var stored = db.Rows("SELECT davies_bouldin_index, mean_squared_distance FROM ML.EVALUATE(MODEL m)")[0];
        var recomputed = db.Rows("SELECT davies_bouldin_index, mean_squared_distance FROM ML.EVALUATE(MODEL m, TABLE t)")[0];
        Assert.Equal((double)stored[0]!, (double)recomputed[0]!, 9);
        Assert.Equal((double)stored[1]!, (double)recomputed[1]!, 9);
        Assert.Equal((double)stored[1]!, db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration DESC LIMIT 1"), 9);
        double msd = db.Double("SELECT avg(nearest_centroids_distance[1].distance ** 2) FROM ML.PREDICT(MODEL m, TABLE t)");
        Assert.Equal(msd, (double)stored[1]!, 9);
    }

    [Fact]
    public void Davies_bouldin_index_follows_its_definition()
    {
        using var db = Trained("num_clusters = 4");
        var byCluster = db.Rows("SELECT centroid_id, avg(nearest_centroids_distance[1].distance) FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE id < 200)) GROUP BY centroid_id")
            .ToDictionary(r => (long)r[0]!, r => (double)r[1]!);
        var centroids = db.Rows("SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL m, STRUCT(TRUE AS standardize))")
            .GroupBy(r => (long)r[0]!).ToDictionary(g => g.Key, g => g.OrderBy(r => (string)r[1]!).Select(r => (double)r[2]!).ToArray());
        double sum = 0;
        foreach (var (i, si) in byCluster)
            sum += byCluster.Where(o => o.Key != i).Max(o => (si + o.Value) / Math.Sqrt(PlainKMeans.Distance2(centroids[i], centroids[o.Key])));
        Assert.Equal(sum / byCluster.Count, db.Double("SELECT davies_bouldin_index FROM ML.EVALUATE(MODEL m, (SELECT * FROM t WHERE id < 200))"), 9);
        Assert.Null(db.Scalar("SELECT davies_bouldin_index FROM ML.EVALUATE(MODEL m, (SELECT 0.0 AS x0, 0.0 AS x1, 0.0 AS x2))"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.02)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Detect_anomalies_flags_the_contamination_share_of_the_training_rows(double contamination)
    {
        using var db = Trained("num_clusters = 4", rows: 500);
        string c = contamination.ToString("R", CultureInfo.InvariantCulture);
        long flagged = (long)db.Scalar($"SELECT count(*) FILTER (WHERE is_anomaly) FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT({c} AS contamination), TABLE t)")!;
        Assert.Equal((long)Math.Floor(contamination * 500), flagged);
        Assert.Equal(["is_anomaly", "normalized_distance", "x0", "x1", "x2", "init", "id"],
            db.Columns($"SELECT * FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT({c} AS contamination), TABLE t)"));
    }

    [Fact]
    public void Normalized_distance_is_the_smallest_distance_over_rms_radius()
    {
        using var db = Trained("num_clusters = 4", rows: 300);
        var radius = db.Rows("SELECT centroid_id, sqrt(avg(nearest_centroids_distance[1].distance ** 2)) FROM ML.PREDICT(MODEL m, TABLE t) GROUP BY centroid_id")
            .ToDictionary(r => (long)r[0]!, r => (double)r[1]!);
        var all = db.Rows("SELECT id, nearest_centroids_distance FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
        var scores = db.Rows("SELECT id, normalized_distance FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.05 AS contamination), (SELECT * FROM t)) ORDER BY id");
        for (int r = 0; r < all.Count; r++)
        {
            double expected = ((System.Collections.IEnumerable)all[r][1]!).Cast<System.Collections.IDictionary>()
                .Min(s => (double)s["distance"]! / radius[(long)s["centroid_id"]!]);
            Assert.Equal(expected, (double)scores[r][1]!, 9);
        }
        // New points far from every cluster are anomalies at any contamination.
        Assert.Equal(true, db.Scalar("SELECT is_anomaly FROM ML.DETECT_ANOMALIES(MODEL m, STRUCT(0.0 AS contamination), (SELECT 100.0 AS x0, 100.0 AS x1, 100.0 AS x2))"));
    }

    [Fact]
    public void Training_info_reports_loss_and_clusters_per_iteration()
    {
        using var db = Trained("num_clusters = 4, early_stop = false, max_iterations = 6", category: true);
        Assert.Equal(["training_run", "iteration", "loss", "duration_ms", "cluster_info"], db.Columns("SELECT * FROM ML.TRAINING_INFO(MODEL m)"));
        var info = db.Rows("SELECT iteration, loss, CAST(list_sum(list_transform(cluster_info, c -> c.cluster_size)) AS BIGINT), CAST(len(cluster_info) AS BIGINT), training_run FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration");
        Assert.InRange(info.Count, 1, 6);
        double previous = double.PositiveInfinity;
        for (int i = 0; i < info.Count; i++)
        {
            Assert.Equal((long)i, info[i][0]);
            Assert.True((double)info[i][1]! <= previous + 1e-12, "Lloyd iterations never increase the loss");
            previous = (double)info[i][1]!;
            Assert.Equal(400L, info[i][2]);
            Assert.Equal(4L, info[i][3]);
            Assert.Equal(0L, info[i][4]);
        }
        // cluster_radius is the mean distance of the cluster's rows to its centroid, after that iteration.
        var last = db.Rows("SELECT c.centroid_id, c.cluster_radius, c.cluster_size FROM (SELECT unnest(cluster_info) AS c FROM (SELECT cluster_info FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration DESC LIMIT 1)) ORDER BY 1");
        var predicted = db.Rows("SELECT centroid_id, avg(nearest_centroids_distance[1].distance), count(*) FROM ML.PREDICT(MODEL m, TABLE t) GROUP BY 1 ORDER BY 1");
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(predicted[k][0], last[k][0]);
            Assert.Equal((double)predicted[k][1]!, (double)last[k][1]!, 9);
            Assert.Equal(predicted[k][2], last[k][2]);
        }
    }

    [Fact]
    public void Models_survive_reopening_the_database_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sqlml-kmeans-{Guid.NewGuid():N}.duckdb");
        try
        {
            string before;
            using (var db = new TestDb(path))
            {
                KMeansTestData.Blobs(200, Centers, spread: 1, seed: 1, category: true).Load(db);
                db.Execute("CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 3, distance_type = 'COSINE') AS SELECT x0, c0 FROM t");
                before = string.Join("|", db.Rows("SELECT * FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id").Select(r => string.Join(",", r.Select(v => v?.ToString()))));
            }
            using (var db = new TestDb(path))
            {
                string after = string.Join("|", db.Rows("SELECT * FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id").Select(r => string.Join(",", r.Select(v => v?.ToString()))));
                Assert.Equal(before, after);
                Assert.Equal("KMEANS", db.Scalar("SELECT model_type FROM sqlml.models WHERE model_name = 'm'"));
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Fact]
    public void Warm_start_continues_from_the_existing_centroids()
    {
        using var db = Trained("num_clusters = 4, max_iterations = 1, early_stop = false", category: true);
        double first = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m)");
        db.Execute("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', warm_start = TRUE, early_stop = false, max_iterations = 3) AS SELECT x0, x1, x2, c0 FROM t");
        var info = db.Rows("SELECT training_run, iteration, loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY training_run, iteration");
        Assert.Equal((0L, 0L), ((long)info[0][0]!, (long)info[0][1]!));
        Assert.Equal(1L, info[1][0]);
        Assert.Equal(0L, info[1][1]);
        Assert.True((double)info[1][2]! <= first + 1e-12);
        Assert.Equal(4L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL m)"));
        // A new category seen only now gets a centroid coordinate too.
        db.Execute("INSERT INTO t SELECT x0, x1, x2, 'violet', init, id + 1000 FROM t WHERE id < 40");
        db.Execute("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', warm_start = TRUE) AS SELECT x0, x1, x2, c0 FROM t");
        Assert.Equal(2L, db.Scalar("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL m)"));
        Assert.True((bool)db.Scalar("SELECT bool_or(list_contains(list_transform(categorical_value, v -> v.category), 'violet')) FROM ML.CENTROIDS(MODEL m)")!);
    }
}
