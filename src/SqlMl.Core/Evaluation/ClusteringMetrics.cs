namespace SqlMl.Evaluation;

/// <summary>
/// BigQuery ML's k-means metrics (reference §1.5). mean_squared_distance is the mean over rows of the squared distance
/// to the nearest centroid (COSINE: of 1 − cos). davies_bouldin_index is (1/K′) Σᵢ maxⱼ≠ᵢ (sᵢ + sⱼ) / d(cᵢ, cⱼ) over
/// the K′ clusters that have rows, sᵢ being the mean distance of cluster i's rows to its centroid; it is NULL with
/// fewer than two such clusters.
/// </summary>
internal sealed record ClusteringMetrics(double? DaviesBouldinIndex, double? MeanSquaredDistance)
{
    public static readonly IReadOnlyList<string> ColumnNames = ["davies_bouldin_index", "mean_squared_distance"];

    public IReadOnlyList<double?> Values => [DaviesBouldinIndex, MeanSquaredDistance];

    /// <param name="scatter">Mean distance of each cluster's rows to its centroid.</param>
    /// <param name="sizes">Rows per cluster; clusters without rows are left out.</param>
    /// <param name="centroidDistance">Distance between centroids i and j (0-based).</param>
    public static double? DaviesBouldin(IReadOnlyList<double> scatter, IReadOnlyList<long> sizes, Func<int, int, double> centroidDistance)
    {
        var present = Enumerable.Range(0, sizes.Count).Where(i => sizes[i] > 0).ToList();
        if (present.Count < 2) return null;
        double sum = 0;
        foreach (int i in present)
        {
            double worst = double.NegativeInfinity;
            foreach (int j in present)
                if (j != i) worst = Math.Max(worst, (scatter[i] + scatter[j]) / centroidDistance(i, j));
            sum += worst;
        }
        double result = sum / present.Count;
        return double.IsFinite(result) ? result : null;
    }
}
