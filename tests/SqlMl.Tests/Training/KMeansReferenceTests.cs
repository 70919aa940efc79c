using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>KMEANS end to end (SQL → DuckDB → trainer → catalog → SQL) against <see cref="PlainKMeans"/>.</summary>
public class KMeansReferenceTests
{
    private const double Tolerance = 1e-9;

    private static readonly double[][] Overlapping =
    [
        [0, 0, 0], [3, 1, -1], [-1, 4, 2], [2, -3, 5],
    ];

    private static void AssertClose(double expected, double actual, double scale = 1, string what = "")
    {
        double tol = Tolerance * Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), scale);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what} expected {expected:R}, got {actual:R} (tolerance {tol:E2})");
    }

    private static Dictionary<(long Centroid, string Feature), double> NumericCentroids(TestDb db, string model, bool standardize = false) =>
        db.Rows($"SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL {model}, STRUCT({(standardize ? "TRUE" : "FALSE")} AS standardize)) WHERE numerical_value IS NOT NULL")
          .ToDictionary(r => ((long)r[0]!, (string)r[1]!), r => (double)r[2]!);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lloyd_from_custom_init_matches_the_plain_reference(bool standardize)
    {
        using var db = new TestDb();
        var data = KMeansTestData.Blobs(600, Overlapping, spread: 1.6, seed: 3, nullRate: 0.05, initRows: 4);
        data.Load(db);
        db.Execute($"CREATE MODEL m OPTIONS(model_type='kmeans', kmeans_init_method='CUSTOM', kmeans_init_col='init', early_stop=false, max_iterations=60, standardize_features={standardize}) AS SELECT x0, x1, x2, init FROM t");

        var x = PlainKMeans.Encode(data.Numeric, [], null, standardize, out var means, out var sds);
        var plain = PlainKMeans.Lloyd(x, x.Take(4).ToArray(), 60, earlyStop: false, 0.01);
        Assert.True(plain.Losses.Count > 3, "the data should need several iterations");

        var centroids = NumericCentroids(db, "m");
        for (int c = 0; c < 4; c++)
            for (int j = 0; j < 3; j++)
            {
                double expected = standardize ? plain.Centroids[c][j] * sds[j] + means[j] : plain.Centroids[c][j];
                AssertClose(expected, centroids[(c + 1, "x" + j)], 1, $"centroid {c + 1} x{j}");
            }

        var losses = db.Rows("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration").Select(r => (double)r[0]!).ToList();
        Assert.Equal(plain.Losses.Count, losses.Count);
        for (int i = 0; i < losses.Count; i++) AssertClose(plain.Losses[i], losses[i], 1, $"loss {i}");

        var predicted = db.Rows("SELECT id, centroid_id FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id").Select(r => (long)r[1]!).ToArray();
        Assert.Equal(plain.Labels.Select(l => (long)l + 1), predicted);
    }

    [Fact]
    public void Early_stop_ends_where_the_plain_reference_ends()
    {
        using var db = new TestDb();
        var data = KMeansTestData.Blobs(500, Overlapping, spread: 1.8, seed: 11, initRows: 4);
        data.Load(db);
        db.Execute("CREATE MODEL m OPTIONS(model_type='kmeans', kmeans_init_method='CUSTOM', kmeans_init_col='init', min_rel_progress=0.001) AS SELECT x0, x1, x2, init FROM t");
        var x = PlainKMeans.Encode(data.Numeric, [], null, true, out _, out _);
        var plain = PlainKMeans.Lloyd(x, x.Take(4).ToArray(), 20, earlyStop: true, 0.001);
        var losses = db.Rows("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration").Select(r => (double)r[0]!).ToList();
        Assert.Equal(plain.Losses.Count, losses.Count);
        AssertClose(plain.Losses[^1], losses[^1]);
        AssertClose(plain.Losses[^1], db.Double("SELECT mean_squared_distance FROM ML.EVALUATE(MODEL m)"));
    }

    [Fact]
    public void Categorical_centroids_are_the_plain_category_frequencies()
    {
        using var db = new TestDb();
        var data = KMeansTestData.Blobs(450, Overlapping, spread: 1.2, seed: 5, nullRate: 0.03, category: true, initRows: 4);
        data.Load(db);
        db.Execute("CREATE MODEL m OPTIONS(model_type='kmeans', kmeans_init_method='CUSTOM', kmeans_init_col='init', early_stop=false) AS SELECT x0, x1, c0, x2, init FROM t");

        string?[] vocabulary = ["red", "green", "blue", null];
        var x = PlainKMeans.Encode(data.Numeric, data.Categorical, [vocabulary], true, out _, out _);
        var plain = PlainKMeans.Lloyd(x, x.Take(4).ToArray(), 20, earlyStop: false, 0.01);

        var rows = db.Rows("SELECT centroid_id, list_transform(categorical_value, v -> v.category), list_transform(categorical_value, v -> v.value) FROM ML.CENTROIDS(MODEL m) WHERE feature = 'c0' ORDER BY centroid_id");
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            int c = (int)(long)row[0]! - 1;
            var cats = ((System.Collections.IEnumerable)row[1]!).Cast<object?>().Select(o => (string?)o).ToList();
            var values = ((System.Collections.IEnumerable)row[2]!).Cast<object?>().Select(o => (double)o!).ToList();
            Assert.Equal(["blue", "green", "red", null], cats); // sorted, NULL last
            for (int i = 0; i < cats.Count; i++)
                AssertClose(plain.Centroids[c][3 + Array.IndexOf(vocabulary, cats[i])], values[i], 1, $"centroid {c + 1} {cats[i] ?? "NULL"}");
            AssertClose(1, values.Sum());
        }
        Assert.Equal(["x0", "x1", "c0", "x2"], db.Rows("SELECT feature FROM ML.CENTROIDS(MODEL m) WHERE centroid_id = 1").Select(r => (string)r[0]!));
        var predicted = db.Rows("SELECT centroid_id FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id").Select(r => (long)r[0]!).ToArray();
        Assert.Equal(plain.Labels.Select(l => (long)l + 1), predicted);
    }

    [Fact]
    public void Cosine_distance_matches_the_plain_spherical_reference()
    {
        using var db = new TestDb();
        double[][] directions = [[5, 0.5, 0], [0, 4, 1], [-3, -3, 3]];
        var data = KMeansTestData.Blobs(300, directions, spread: 1.5, seed: 21, initRows: 3);
        data.Load(db);
        db.Execute("CREATE MODEL m OPTIONS(model_type='kmeans', distance_type='cosine', standardize_features=false, kmeans_init_method='CUSTOM', kmeans_init_col='init', early_stop=false) AS SELECT x0, x1, x2, init FROM t");

        var x = PlainKMeans.Encode(data.Numeric, [], null, false, out _, out _);
        var plain = PlainKMeans.Lloyd(x, x.Take(3).ToArray(), 20, earlyStop: false, 0.01, cosine: true);
        var centroids = NumericCentroids(db, "m");
        for (int c = 0; c < 3; c++)
        {
            var ours = PlainKMeans.Unit(Enumerable.Range(0, 3).Select(j => centroids[(c + 1, "x" + j)]).ToArray());
            var theirs = PlainKMeans.Unit(plain.Centroids[c]);
            for (int j = 0; j < 3; j++) AssertClose(theirs[j], ours[j], 1, $"direction {c + 1}[{j}]");
            double meanLength = x.Where((_, r) => plain.Labels[r] == c).Average(v => Math.Sqrt(v.Sum(a => a * a)));
            AssertClose(meanLength, Math.Sqrt(Enumerable.Range(0, 3).Sum(j => centroids[(c + 1, "x" + j)] * centroids[(c + 1, "x" + j)])));
        }
        var losses = db.Rows("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration").Select(r => (double)r[0]!).ToList();
        Assert.Equal(plain.Losses.Count, losses.Count);
        AssertClose(plain.Losses[^1], losses[^1]);

        var predicted = db.Rows("SELECT centroid_id, nearest_centroids_distance[1].distance FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
        var unitCentroids = plain.Centroids.Select(PlainKMeans.Unit).ToArray();
        for (int r = 0; r < x.Length; r++)
        {
            Assert.Equal(plain.Labels[r] + 1, (long)predicted[r][0]!);
            AssertClose(Math.Sqrt(PlainKMeans.Cosine2(x[r], unitCentroids[plain.Labels[r]])), (double)predicted[r][1]!, 1, $"row {r}");
        }
    }

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Scalar")]
    public void Every_kernel_path_trains_the_plain_reference_model(string pathName)
    {
        var path = Enum.Parse<KernelPath>(pathName);
        if (path == KernelPath.Vector512 && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) return;
        if (path == KernelPath.Vector256 && !System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) return;
        var data = KMeansTestData.Blobs(777, Overlapping, spread: 1.6, seed: 8, nullRate: 0.02, category: true, initRows: 4);
        string?[] vocabulary = ["red", "green", "blue", null];
        var x = PlainKMeans.Encode(data.Numeric, data.Categorical, [vocabulary], true, out var means, out var sds);
        var plain = PlainKMeans.Lloyd(x, x.Take(4).ToArray(), 30, earlyStop: false, 0.01);
        var options = new KMeansOptions(null, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, true, 30, false, 0.01, false, 1, 0);
        lock (KernelLock)
        {
            DistanceKernel.Path = path;
            try
            {
                var model = KMeansTrainer.Train(data.AsTrainingData(), options, "m").Model;
                for (int c = 0; c < 4; c++)
                {
                    var centroid = model.Centroid(c);
                    for (int j = 0; j < 3; j++) AssertClose(plain.Centroids[c][j], centroid[j], 1, $"{path} centroid {c} x{j}");
                    var cats = model.Categorical[0].Categories;
                    for (int i = 0; i < cats.Count; i++)
                        AssertClose(plain.Centroids[c][3 + Array.IndexOf(vocabulary, cats[i])], centroid[3 + i], 1, $"{path} centroid {c} {cats[i]}");
                }
                Assert.Equal(means[0], model.Numeric[0].Mean, 12);
                Assert.Equal(sds[1], model.Numeric[1].StdDev, 12);
            }
            finally
            {
                DistanceKernel.Path = KernelPath.Auto;
            }
        }
    }

    [Fact]
    public void Many_clusters_over_several_kernel_tiles_match_the_plain_reference()
    {
        var rnd = new Random(77);
        double[][] centers = Enumerable.Range(0, 19).Select(_ => Enumerable.Range(0, 5).Select(_ => rnd.NextDouble() * 10).ToArray()).ToArray();
        var data = KMeansTestData.Blobs(3000, centers, spread: 1.4, seed: 12, initRows: 19);
        var x = PlainKMeans.Encode(data.Numeric, [], null, true, out _, out _);
        var plain = PlainKMeans.Lloyd(x, x.Take(19).ToArray(), 25, earlyStop: false, 0.01);
        Assert.True(plain.Losses.Count > 5);
        var options = new KMeansOptions(null, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, true, 25, false, 0.01, false, 1, 0);
        var result = KMeansTrainer.Train(data.AsTrainingData(), options, "m");
        Assert.Equal(plain.Losses.Count, result.Report.Iterations.Count);
        for (int i = 0; i < plain.Losses.Count; i++) AssertClose(plain.Losses[i], result.Report.Iterations[i].Loss, 1, $"loss {i}");
        for (int c = 0; c < 19; c++)
            for (int j = 0; j < 5; j++) AssertClose(plain.Centroids[c][j], result.Model.Centroid(c)[j], 1, $"centroid {c} x{j}");
        for (int c = 0; c < 19; c++) Assert.Equal(plain.Labels.Count(l => l == c), result.Model.Sizes[c]);
    }

    /// <summary>Serializes the tests that switch the process-wide kernel path.</summary>
    internal static readonly object KernelLock = new();
}
