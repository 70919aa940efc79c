using SqlMl.Options;

namespace SqlMl.Models;

/// <summary>
/// A numeric k-means feature: its coordinate is (x̃ − Center) / Scale, x̃ being x with NULL replaced by Mean.
/// <see cref="StdDev"/> is the training standard deviation (kept for ML.CENTROIDS' standardized view).
/// </summary>
internal sealed record ScaledFeature(string Name, double Mean, double StdDev, double Center, double Scale)
{
    public double Coordinate(double? x) => ((x ?? Mean) - Center) / Scale;

    /// <summary>A coordinate back in the input's units.</summary>
    public double Raw(double coordinate) => coordinate * Scale + Center;

    /// <summary>A coordinate as a standardized value: (raw − mean) / standard deviation (1 for a constant column).</summary>
    public double Standardized(double coordinate) => (Raw(coordinate) - Mean) / (StdDev > 0 ? StdDev : 1);
}

/// <summary>A one-hot k-means feature: one coordinate per training category, in this order; null is the NULL category.</summary>
internal sealed record OneHotFeature(string Name, IReadOnlyList<string?> Categories)
{
    /// <summary>The category's index, or −1 for a category not seen in training (all its coordinates are 0).</summary>
    public int IndexOf(string? category)
    {
        for (int i = 0; i < Categories.Count; i++)
            if (Categories[i] == category) return i;
        return -1;
    }
}

/// <summary>
/// An immutable k-means model. A row maps to a point of <see cref="Dimension"/> coordinates: the numeric features'
/// scaled values, then each one-hot feature's indicator block. <see cref="Centroid"/> k is a point of the same space:
/// with EUCLIDEAN its numeric part is the cluster's mean and its one-hot part the category frequencies; with COSINE it
/// is the cluster's mean direction, scaled to the mean length of its points. Cluster statistics and the anomaly
/// cutoffs come from the final assignment of the training rows.
/// </summary>
internal sealed class KMeansModel
{
    public KMeansModel(
        KMeansDistance distance,
        bool standardize,
        IReadOnlyList<string> featureOrder,
        IReadOnlyList<ScaledFeature> numeric,
        IReadOnlyList<OneHotFeature> categorical,
        int clusters,
        double[] centroids,
        long[] sizes,
        double[] meanDistances,
        double[] rmsRadii,
        AnomalyThresholds anomalies)
    {
        Distance = distance;
        Standardize = standardize;
        FeatureOrder = featureOrder;
        Numeric = numeric;
        Categorical = categorical;
        Clusters = clusters;
        Dimension = numeric.Count + categorical.Sum(c => c.Categories.Count);
        if (centroids.Length != clusters * Dimension) throw new ArgumentException("centroid matrix does not match the features", nameof(centroids));
        _centroids = centroids;
        Sizes = sizes;
        MeanDistances = meanDistances;
        RmsRadii = rmsRadii;
        Anomalies = anomalies;
    }

    private readonly double[] _centroids;

    public KMeansDistance Distance { get; }

    /// <summary>Whether numeric features were standardized (STANDARDIZE_FEATURES).</summary>
    public bool Standardize { get; }

    /// <summary>Feature names in the training query's column order.</summary>
    public IReadOnlyList<string> FeatureOrder { get; }

    public IReadOnlyList<ScaledFeature> Numeric { get; }

    public IReadOnlyList<OneHotFeature> Categorical { get; }

    /// <summary>Number of clusters; centroid ids are 1..Clusters.</summary>
    public int Clusters { get; }

    public int Dimension { get; }

    /// <summary>Training rows per cluster in the final assignment.</summary>
    public long[] Sizes { get; }

    /// <summary>Mean distance of a cluster's training rows to its centroid (cluster_radius, Davies–Bouldin scatter).</summary>
    public double[] MeanDistances { get; }

    /// <summary>Root mean squared distance of a cluster's training rows to its centroid (the anomaly normalizer).</summary>
    public double[] RmsRadii { get; }

    public AnomalyThresholds Anomalies { get; }

    /// <summary>Centroid <paramref name="cluster"/> (0-based) in the model's coordinates.</summary>
    public ReadOnlySpan<double> Centroid(int cluster) => _centroids.AsSpan(cluster * Dimension, Dimension);

    /// <summary>Offset of one-hot feature <paramref name="index"/>'s first coordinate.</summary>
    public int OneHotOffset(int index)
    {
        int offset = Numeric.Count;
        for (int i = 0; i < index; i++) offset += Categorical[i].Categories.Count;
        return offset;
    }

    /// <summary>The distance between two points of the model's space (EUCLIDEAN or COSINE, as BigQuery defines them).</summary>
    public double PointDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (Distance == KMeansDistance.Euclidean)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
            return Math.Sqrt(s);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double cos = na > 0 && nb > 0 ? dot / (Math.Sqrt(na) * Math.Sqrt(nb)) : 0;
        return Math.Sqrt(Math.Max(1 - cos, 0));
    }

    /// <summary>
    /// Body layout (version 1): distance int32 (0 EUCLIDEAN, 1 COSINE), standardize bool; feature_order int32 n, n × string;
    /// numeric int32 n, n × (name string, mean double, stddev double, center double, scale double);
    /// categorical int32 n, n × (name string, int32 k, k × (is_null bool, [category string]));
    /// clusters int32 K, K × Dimension centroid doubles (row by row), K × (size int64, mean_distance double, rms_radius double);
    /// anomaly cutoffs (<see cref="AnomalyThresholds.WriteTo"/>).
    /// </summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write((int)Distance);
        w.Write(Standardize);
        w.WriteStrings(FeatureOrder);
        w.Write(Numeric.Count);
        foreach (var f in Numeric)
        {
            w.Write(f.Name); w.Write(f.Mean); w.Write(f.StdDev); w.Write(f.Center); w.Write(f.Scale);
        }
        w.Write(Categorical.Count);
        foreach (var f in Categorical)
        {
            w.Write(f.Name);
            w.Write(f.Categories.Count);
            foreach (var c in f.Categories) w.WriteNullable(c);
        }
        w.Write(Clusters);
        foreach (double v in _centroids) w.Write(v);
        for (int k = 0; k < Clusters; k++)
        {
            w.Write(Sizes[k]); w.Write(MeanDistances[k]); w.Write(RmsRadii[k]);
        }
        Anomalies.WriteTo(w);
    }

    public static KMeansModel ReadFrom(BinaryReader r)
    {
        var distance = (KMeansDistance)r.ReadInt32();
        bool standardize = r.ReadBoolean();
        var order = r.ReadStrings();
        var numeric = Enumerable.Range(0, r.ReadInt32())
            .Select(_ => new ScaledFeature(r.ReadString(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble())).ToList();
        var categorical = new List<OneHotFeature>();
        int nc = r.ReadInt32();
        for (int c = 0; c < nc; c++)
        {
            string name = r.ReadString();
            int k = r.ReadInt32();
            var cats = new List<string?>(k);
            for (int i = 0; i < k; i++) cats.Add(r.ReadNullable());
            categorical.Add(new OneHotFeature(name, cats));
        }
        int clusters = r.ReadInt32();
        int dimension = numeric.Count + categorical.Sum(c => c.Categories.Count);
        var centroids = new double[clusters * dimension];
        for (int i = 0; i < centroids.Length; i++) centroids[i] = r.ReadDouble();
        var sizes = new long[clusters];
        var mean = new double[clusters];
        var rms = new double[clusters];
        for (int k = 0; k < clusters; k++)
        {
            sizes[k] = r.ReadInt64(); mean[k] = r.ReadDouble(); rms[k] = r.ReadDouble();
        }
        var anomalies = AnomalyThresholds.ReadFrom(r);
        return new KMeansModel(distance, standardize, order, numeric, categorical, clusters, centroids, sizes, mean, rms, anomalies);
    }
}
