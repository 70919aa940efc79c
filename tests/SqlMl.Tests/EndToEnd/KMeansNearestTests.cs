using System.Globalization;
using SqlMl.Data.Internal.Functions;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// sqlml_kmeans_nearest (behind ML.PREDICT's nearest_centroids_distance) against a plain sort of (distance, centroid)
/// pairs, with ties, every list length up to 100 centroids, and the compiled ML.PREDICT's list against that sort.
/// </summary>
public class KMeansNearestTests
{
    private static int[] Expected(double[] distances) =>
        distances.Select((d, i) => (d, i)).OrderBy(t => t.d).ThenBy(t => t.i).Take(NearestCentroidsFunction.Count).Select(t => t.i).ToArray();

    private static int[] Unpack(long packed, int count) =>
        Enumerable.Range(0, count).Select(j => (int)((packed >> (j * NearestCentroidsFunction.Bits)) & 127)).ToArray();

    [Theory]
    [InlineData(2, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    [InlineData(64, 4)]
    [InlineData(100, 5)]
    public void Packs_the_nearest_centroids_in_sorted_pair_order(int k, int seed)
    {
        using var db = new TestDb();
        var rnd = new Random(seed);
        for (int row = 0; row < 40; row++)
        {
            // Few distinct values, so ties are common (also with the current 5th best).
            var distances = Enumerable.Range(0, k).Select(_ => (double)rnd.Next(0, 6) / 2).ToArray();
            string args = string.Join(", ", distances.Select(d => d.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE"));
            long packed = (long)db.Scalar($"SELECT {NearestCentroidsFunction.Name}({args})")!;
            Assert.Equal(Expected(distances), Unpack(packed, Math.Min(k, NearestCentroidsFunction.Count)));
        }
    }

    [Fact]
    public void Predict_lists_the_same_centroids_as_sorting_every_distance()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i AS id, (i * 37 % 101) / 10.0 AS x, (i * 53 % 97) / 10.0 AS y, i % 9 = 0 AND i < 63 AS init FROM range(400) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type='kmeans', kmeans_init_method='CUSTOM', kmeans_init_col='init', standardize_features=false, max_iterations=3) AS SELECT x, y, init FROM t");
        var centroids = db.Rows("SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL m)")
            .GroupBy(r => (long)r[0]!).OrderBy(g => g.Key)
            .Select(g => g.OrderBy(r => (string)r[1]!).Select(r => (double)r[2]!).ToArray()).ToArray();
        Assert.Equal(7, centroids.Length);
        var rows = db.Rows("SELECT x, y, centroid_id, list_transform(nearest_centroids_distance, s -> s.centroid_id), list_transform(nearest_centroids_distance, s -> s.distance) FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
        foreach (var r in rows)
        {
            double x = Convert.ToDouble(r[0], CultureInfo.InvariantCulture), y = Convert.ToDouble(r[1], CultureInfo.InvariantCulture);
            var distances = centroids.Select(c => Math.Sqrt((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]))).ToArray();
            var ids = ((System.Collections.IEnumerable)r[3]!).Cast<long>().ToArray();
            var ds = ((System.Collections.IEnumerable)r[4]!).Cast<double>().ToArray();
            Assert.Equal(5, ids.Length);
            Assert.Equal(ids[0], (long)r[2]!);
            for (int j = 0; j < 5; j++) Assert.Equal(distances[ids[j] - 1], ds[j], 9);
            for (int j = 1; j < 5; j++) Assert.True(ds[j - 1] <= ds[j] + 1e-12, "sorted by distance");
            Assert.Equal(distances.Order().Take(5).ToArray(), ds, new Tolerance());
        }
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
