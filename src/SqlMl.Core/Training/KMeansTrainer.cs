using SqlMl.Evaluation;
using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>What KMEANS training returns: the model, its ML.TRAINING_INFO rows and its training-data metrics.</summary>
/// <param name="Model">The model.</param>
/// <param name="Report">Its ML.TRAINING_INFO rows.</param>
/// <param name="Metrics">Its training-data metrics.</param>
/// <param name="Summary">ML.FEATURE_INFO's statistics of the training rows, when asked for.</param>
internal sealed record KMeansResult(KMeansModel Model, TrainingReport Report, ClusteringMetrics Metrics, FeatureSummary? Summary = null);

/// <summary>
/// KMEANS training: the rows are materialized once (<see cref="KMeansData"/>), then each initialization (RANDOM or
/// KMEANS++: kmeans_init_runs of them with seeds derived from kmeans_init_seed; CUSTOM and warm_start: one) is
/// followed by Lloyd iterations (<see cref="KMeansLloyd"/>), and the run with the lowest final loss is kept (the
/// first on ties). The model gets the final clusters' sizes and radii and the training rows' anomaly scores.
/// </summary>
internal static class KMeansTrainer
{
    public static KMeansResult Train(ITrainingData data, KMeansOptions options, string modelName, KMeansModel? warmFrom = null, int trainingRun = 0, CancellationToken cancellationToken = default,
        IProgress<IterationInfo>? progress = null, bool summarize = false, bool fuseExact = true)
    {
        bool custom = warmFrom is null && options.InitMethod == KMeansInitMethod.Custom;
        // Disposed at the end, whether training succeeded or not: the training's large arrays are garbage from then on (HeapRoom).
        using var raw = KMeansRawData.Read(data, modelName, custom, cancellationToken, summarize);
        // Before KMeansData.Build encodes the numeric columns in place.
        var summary = summarize ? RawFeatureSummary.Of(raw) : null;
        var distance = warmFrom?.Distance ?? options.Distance;
        var encoding = warmFrom is null ? KMeansEncoding.FromData(raw, distance, options.Standardize) : KMeansEncoding.FromModel(raw, warmFrom);
        var matrix = KMeansData.Build(raw, encoding, distance);
        int n = matrix.Rows, d = matrix.Dimension;

        int[]? customRows = custom ? KMeansSeeding.Custom(matrix, options.NumClusters, modelName, options.InitColumn!) : null;
        int k = warmFrom?.Clusters ?? customRows?.Length ?? options.NumClusters ?? KMeansOptions.Defaults.NumClusters(n);
        if (k > n)
            throw Errors.Training($"CREATE MODEL {modelName}: num_clusters is {k}, but the training query returned only {n} row{(n == 1 ? "" : "s")}; each cluster needs at least one row.");

        KMeansRun? best = null;
        if (warmFrom is not null || customRows is not null)
        {
            var initial = warmFrom is not null ? encoding.MapCentroids(warmFrom) : Rows(matrix, customRows!);
            best = KMeansLloyd.Run(matrix, initial, options, modelName, trainingRun, cancellationToken, progress, fuseExact);
        }
        else
        {
            for (int run = 0; run < options.InitRuns; run++)
            {
                var rng = new Random(RunSeed(options.Seed, run));
                var rows = options.InitMethod == KMeansInitMethod.Random
                    ? KMeansSeeding.Random(matrix, k, rng, modelName)
                    : KMeansSeeding.PlusPlus(matrix, k, rng, modelName, cancellationToken);
                // Only one run's exact distances are used: fused only when there is one run.
                var result = KMeansLloyd.Run(matrix, Rows(matrix, rows), options, modelName, trainingRun, cancellationToken, progress, fuseExact && options.InitRuns == 1);
                if (best is null || result.Loss < best.Loss) best = result;
            }
        }

        // The run's squared distances, then the exact distances, then the anomaly scores share one array (of padded length).
        var assigned = best!.Exact ? best.Distance2 : KMeansScoring.AssignedDistances(matrix, best.Centroids, k, best.Labels, best.Distance2);
        var (sizes, meanDistances, rms, squares) = KMeansScoring.ClusterRadii(best.Labels, assigned, k, n);
        var scores = KMeansScoring.NormalizedDistances(matrix, best.Centroids, k, rms, best.Labels, assigned, cancellationToken);
        var thresholds = AnomalyThresholds.FromScores(scores, n);
        var model = new KMeansModel(distance, warmFrom?.Standardize ?? options.Standardize, raw.Schema.FeatureOrder,
            encoding.Numeric, encoding.Categorical, k, best.Centroids, sizes, meanDistances, rms, thresholds);

        double? db = ClusteringMetrics.DaviesBouldin(meanDistances, sizes, (i, j) => model.PointDistance(model.Centroid(i), model.Centroid(j)));
        var metrics = new ClusteringMetrics(db, squares / n);
        return new KMeansResult(model, new TrainingReport(best.Iterations, n, 0, null), metrics, summary);
    }

    /// <summary>A per-run seed from kmeans_init_seed (stable across processes and .NET versions).</summary>
    private static int RunSeed(long seed, int run) =>
        unchecked((int)(((ulong)seed * 0x9E3779B97F4A7C15UL) >> 33) + run * 7919);

    private static double[] Rows(KMeansData matrix, int[] rows)
    {
        int d = matrix.Dimension;
        var result = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++) matrix.CopyRow(rows[i], result.AsSpan(i * d, d));
        return result;
    }
}
