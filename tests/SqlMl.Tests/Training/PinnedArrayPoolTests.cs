using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// <see cref="PinnedArrayPool{T}"/>: which arrays it keeps and hands out, and that KMEANS trained on arrays left dirty
/// by an earlier, larger training gives the same bits as on fresh ones.
/// </summary>
public class PinnedArrayPoolTests
{
    // PinnedArrayPool<long> is used by no production code, so no other test touches its arrays.
    private const int Large = 1 << 18; // 2 MiB of longs

    [Fact]
    public void A_returned_array_is_handed_out_again_for_the_same_or_a_slightly_smaller_length()
    {
        PinnedArrayPool<long>.Clear();
        var first = PinnedArrayPool<long>.Rent(Large, out bool fresh);
        Assert.True(fresh);
        Assert.True(first.Length >= Large);
        first[^1] = 42;
        PinnedArrayPool<long>.Return(first);
        Assert.Equal((long)first.Length * sizeof(long), PinnedArrayPool<long>.KeptBytes);

        var again = PinnedArrayPool<long>.Rent(Large - Large / 16, out fresh);
        Assert.False(fresh);
        Assert.Same(first, again);
        Assert.Equal(42, again[^1]); // contents are whatever the last user left, as documented
        Assert.Equal(0, PinnedArrayPool<long>.KeptBytes);
    }

    [Fact]
    public void A_much_shorter_or_a_longer_request_gets_a_fresh_array_and_leaves_the_kept_one()
    {
        PinnedArrayPool<long>.Clear();
        var kept = PinnedArrayPool<long>.Rent(Large);
        PinnedArrayPool<long>.Return(kept);

        var shorter = PinnedArrayPool<long>.Rent(Large / 2, out bool fresh);
        Assert.True(fresh);
        Assert.NotSame(kept, shorter);
        var longer = PinnedArrayPool<long>.Rent(Large + 1, out fresh);
        Assert.True(fresh);
        Assert.Equal((long)kept.Length * sizeof(long), PinnedArrayPool<long>.KeptBytes);
        Assert.Same(kept, PinnedArrayPool<long>.Rent(Large));
    }

    [Fact]
    public void Foreign_small_and_null_arrays_are_not_kept()
    {
        PinnedArrayPool<long>.Clear();
        PinnedArrayPool<long>.Return(new long[Large]); // not made by the pool: it might not be pinned
        PinnedArrayPool<long>.Return(PinnedArrayPool<long>.Rent(16)); // below MinBytes
        PinnedArrayPool<long>.Return((long[]?)null);
        Assert.Equal(0, PinnedArrayPool<long>.KeptBytes);
        Assert.True(PinnedArrayPool<long>.Rent(Large, out bool fresh).Length >= Large);
        Assert.True(fresh);
    }

    [Fact]
    public void Clear_lets_every_kept_array_go()
    {
        PinnedArrayPool<long>.Clear();
        PinnedArrayPool<long>.Return([PinnedArrayPool<long>.Rent(Large), PinnedArrayPool<long>.Rent(Large)]);
        Assert.Equal(2L * Large * sizeof(long), PinnedArrayPool<long>.KeptBytes);
        PinnedArrayPool<long>.Clear();
        Assert.Equal(0, PinnedArrayPool<long>.KeptBytes);
        PinnedArrayPool<long>.Rent(Large, out bool fresh);
        Assert.True(fresh);
    }

    /// <summary>
    /// A training on arrays another, larger training left behind (other values, other NULLs, rows past the end) gives
    /// the same model bytes, losses and cluster radii as one on fresh arrays: every pooled array is written before it
    /// is read, padding included. 270K rows make every per-row array (labels too) large enough to be pooled.
    /// </summary>
    [Fact]
    public void KMEANS_on_reused_arrays_gives_the_same_bits_as_on_fresh_ones()
    {
        double[][] centers = [[0, 0, 0], [4, 1, -2], [-3, 5, 1], [2, -4, 6]];
        var small = KMeansTestData.Blobs(270_000, centers, spread: 1.5, seed: 5, nullRate: 0.02, initRows: 4);
        var large = KMeansTestData.Blobs(300_000, centers.Select(c => c.Select(v => v * 3 + 7).ToArray()).ToArray(), spread: 4, seed: 9, nullRate: 0.1, initRows: 4);
        var options = new KMeansOptions(null, KMeansInitMethod.Custom, "init", KMeansDistance.Euclidean, true, 15, false, 0.01, false, 1, 0);

        PinnedArrayPool<double>.Clear();
        PinnedArrayPool<int>.Clear();
        var fresh = KMeansTrainer.Train(small.AsTrainingData(), options, "m");
        KMeansTrainer.Train(large.AsTrainingData(), options, "m");
        Assert.True(PinnedArrayPool<double>.KeptBytes > 0, "the training should hand its arrays back");
        var reused = KMeansTrainer.Train(small.AsTrainingData(), options, "m");

        Assert.Equal(Payload(fresh.Model), Payload(reused.Model));
        Assert.Equal(fresh.Metrics.Values, reused.Metrics.Values);
        Assert.Equal(fresh.Report.Iterations.Count, reused.Report.Iterations.Count);
        for (int i = 0; i < fresh.Report.Iterations.Count; i++)
        {
            Assert.Equal(fresh.Report.Iterations[i].Loss, reused.Report.Iterations[i].Loss);
            Assert.Equal(fresh.Report.Iterations[i].ClusterInfo!.Select(c => (c.ClusterRadius, c.ClusterSize)),
                         reused.Report.Iterations[i].ClusterInfo!.Select(c => (c.ClusterRadius, c.ClusterSize)));
        }
    }

    /// <summary>The same through DuckDB (the parallel whole-column read and the tiled copy).</summary>
    [Fact]
    public void KMEANS_through_DuckDB_on_reused_arrays_gives_the_same_model_as_on_fresh_ones()
    {
        using var db = new TestDb();
        double[][] centers = [[0, 0, 0], [4, 1, -2], [-3, 5, 1]];
        KMeansTestData.Blobs(270_000, centers, spread: 1.5, seed: 15, initRows: 3).Load(db, "small");
        KMeansTestData.Blobs(290_000, centers.Select(c => c.Select(v => -2 * v + 1).ToArray()).ToArray(), spread: 3, seed: 16, initRows: 3).Load(db, "large");
        const string Options = "model_type='kmeans', kmeans_init_method='CUSTOM', kmeans_init_col='init', early_stop=false, max_iterations=12";

        PinnedArrayPool<double>.Clear();
        PinnedArrayPool<int>.Clear();
        db.Execute($"CREATE MODEL fresh OPTIONS({Options}) AS SELECT x0, x1, x2, init FROM small");
        db.Execute($"CREATE MODEL other OPTIONS({Options}) AS SELECT x0, x1, x2, init FROM large");
        db.Execute($"CREATE MODEL reused OPTIONS({Options}) AS SELECT x0, x1, x2, init FROM small");

        foreach (string query in new[]
        {
            "SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL {0}) ORDER BY centroid_id, feature",
            "SELECT iteration, loss, CAST(cluster_info AS VARCHAR) FROM ML.TRAINING_INFO(MODEL {0}) ORDER BY iteration",
            "SELECT * FROM ML.EVALUATE(MODEL {0})",
            "SELECT count(*), sum(normalized_distance) FROM ML.DETECT_ANOMALIES(MODEL {0}, STRUCT(0.03 AS contamination), TABLE small) WHERE is_anomaly",
        })
            Assert.Equal(Text(db, string.Format(query, "fresh")), Text(db, string.Format(query, "reused")));
    }

    private static byte[] Payload(SqlMl.Models.KMeansModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) model.WriteTo(writer);
        return stream.ToArray();
    }

    private static string Text(TestDb db, string sql) =>
        string.Join("\n", db.Rows(sql).Select(r => string.Join("|", r.Select(v => v switch
        {
            double d => BitConverter.DoubleToInt64Bits(d).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }))));
}
