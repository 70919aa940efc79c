using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// What the Lloyd pass that may be a run's last needs to write each row's exact distance to its centroid
/// (<see cref="LloydPass.Run"/>), prepared once per pass. EUCLIDEAN: the centroids as the model keeps them
/// (<paramref name="Centroids"/>, cluster-major), their one-hot blocks' squared norms, and for at most
/// <see cref="VectorClusters"/> clusters <paramref name="ByCluster"/>: feature j's coordinate of clusters 0–15 at
/// j·16 (zero past the last cluster), so eight rows' centroid coordinates are one permute by their labels. COSINE
/// (<see cref="Cosine"/>): nothing, the distance is the square root of 1 − cos.
/// </summary>
internal sealed record ExactDistances(double[]? Centroids, double[]? OneHotNorm2, double[]? ByCluster)
{
    /// <summary>The most clusters whose coordinates <see cref="ByCluster"/> holds (two 8-lane registers per feature).</summary>
    public const int VectorClusters = 16;

    /// <summary>COSINE's: no centroids needed.</summary>
    public static readonly ExactDistances Cosine = new(null, null, null);

    /// <summary>For <paramref name="k"/> <paramref name="centroids"/> of <paramref name="data"/> (already the model's for
    /// EUCLIDEAN: <see cref="KMeansLloyd"/> keeps them unchanged).</summary>
    public static ExactDistances For(KMeansData data, double[] centroids, int k)
    {
        if (data.Distance == KMeansDistance.Cosine) return Cosine;
        int p = data.Numeric.Length, d = data.Dimension;
        double[]? byCluster = null;
        if (k <= VectorClusters && p > 0)
        {
            byCluster = new double[p * VectorClusters];
            for (int j = 0; j < p; j++)
                for (int c = 0; c < k; c++) byCluster[j * VectorClusters + c] = centroids[c * d + j];
        }
        return new ExactDistances(centroids, KMeansScoring.OneHotNorm2(data, centroids, k), byCluster);
    }
}
