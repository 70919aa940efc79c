using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// How the training columns become k-means coordinates: numeric features scaled ((x̃ − center) / scale, NULL → mean),
/// categorical ones one-hot with NULL as its own category (added only when NULL occurs). Built from the training
/// data's statistics, or, for warm_start, from the existing model (whose scaling is kept; categories new in this
/// data are appended with zero centroid coordinates).
/// </summary>
internal sealed class KMeansEncoding
{
    private KMeansEncoding(IReadOnlyList<ScaledFeature> numeric, IReadOnlyList<OneHotFeature> categorical, int[][] codeMaps, int[] nullIndex)
    {
        Numeric = numeric;
        Categorical = categorical;
        CodeMaps = codeMaps;
        NullIndex = nullIndex;
        Offsets = new int[categorical.Count];
        int offset = 0;
        for (int c = 0; c < categorical.Count; c++)
        {
            Offsets[c] = offset;
            offset += categorical[c].Categories.Count;
        }
        OneHotWidth = offset;
    }

    /// <summary>Numeric features in the schema's numeric order.</summary>
    public IReadOnlyList<ScaledFeature> Numeric { get; }

    /// <summary>Categorical features in the schema's categorical order.</summary>
    public IReadOnlyList<OneHotFeature> Categorical { get; }

    /// <summary>Per categorical column: dictionary code → index within the feature's categories.</summary>
    public int[][] CodeMaps { get; }

    /// <summary>Per categorical column: the NULL category's index (−1 if none).</summary>
    public int[] NullIndex { get; }

    /// <summary>Per categorical column: offset of its block within the one-hot coordinates.</summary>
    public int[] Offsets { get; }

    public int OneHotWidth { get; }

    public int Dimension => Numeric.Count + OneHotWidth;

    /// <summary>
    /// Scaling from the data: standardized (training mean, sample standard deviation; a constant column keeps scale 1), or
    /// only centred for EUCLIDEAN without standardization (distances do not change; the arithmetic is better
    /// conditioned), or left as is for COSINE without standardization (cosine depends on the origin).
    /// </summary>
    public static KMeansEncoding FromData(KMeansRawData raw, KMeansDistance distance, bool standardize)
    {
        var numeric = new List<ScaledFeature>();
        for (int j = 0; j < raw.Schema.Numeric.Count; j++)
        {
            double mean = raw.Mean[j], sd = raw.StdDev[j];
            bool unscaled = raw.Schema.IsUnscaled(raw.Schema.Numeric[j]); // a multi-hot indicator: a raw 0/1 coordinate, like one-hot
            double center = !unscaled && (standardize || distance == KMeansDistance.Euclidean) ? mean : 0;
            double scale = !unscaled && standardize && sd > 0 ? sd : 1;
            numeric.Add(new ScaledFeature(raw.Schema.Numeric[j], mean, sd, center, scale));
        }
        var categorical = new List<OneHotFeature>();
        var maps = new int[raw.Schema.Categorical.Count][];
        var nulls = new int[maps.Length];
        for (int c = 0; c < maps.Length; c++)
        {
            var values = raw.Dictionaries[c].Values;
            var categories = new List<string?>(values);
            maps[c] = Enumerable.Range(0, values.Count).ToArray();
            nulls[c] = -1;
            if (raw.NullSeen[c])
            {
                nulls[c] = categories.Count;
                categories.Add(null);
            }
            categorical.Add(new OneHotFeature(raw.Schema.Categorical[c], categories));
        }
        return new KMeansEncoding(numeric, categorical, maps, nulls);
    }

    /// <summary>The existing model's encoding, extended by categories first seen in this data (warm_start).</summary>
    public static KMeansEncoding FromModel(KMeansRawData raw, KMeansModel model)
    {
        var numeric = raw.Schema.Numeric
            .Select(n => model.Numeric.First(f => f.Name.Equals(n, StringComparison.OrdinalIgnoreCase)) with { Name = n })
            .ToList();
        var categorical = new List<OneHotFeature>();
        var maps = new int[raw.Schema.Categorical.Count][];
        var nulls = new int[maps.Length];
        for (int c = 0; c < maps.Length; c++)
        {
            string name = raw.Schema.Categorical[c];
            var old = model.Categorical.First(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var categories = new List<string?>(old.Categories);
            var values = raw.Dictionaries[c].Values;
            maps[c] = new int[values.Count];
            for (int i = 0; i < values.Count; i++)
            {
                int at = categories.IndexOf(values[i]);
                if (at < 0)
                {
                    at = categories.Count;
                    categories.Add(values[i]);
                }
                maps[c][i] = at;
            }
            nulls[c] = categories.IndexOf(null);
            if (nulls[c] < 0 && raw.NullSeen[c])
            {
                nulls[c] = categories.Count;
                categories.Add(null);
            }
            categorical.Add(new OneHotFeature(name, categories));
        }
        return new KMeansEncoding(numeric, categorical, maps, nulls);
    }

    /// <summary>The existing model's centroids in this encoding's coordinates (new categories get 0).</summary>
    public double[] MapCentroids(KMeansModel model)
    {
        int d = Dimension, p = Numeric.Count;
        var result = new double[model.Clusters * d];
        for (int k = 0; k < model.Clusters; k++)
        {
            var old = model.Centroid(k);
            var row = result.AsSpan(k * d, d);
            for (int j = 0; j < p; j++)
                row[j] = old[model.Numeric.Select((f, i) => (f, i)).First(t => t.f.Name.Equals(Numeric[j].Name, StringComparison.OrdinalIgnoreCase)).i];
            for (int c = 0; c < Categorical.Count; c++)
            {
                int oc = model.Categorical.Select((f, i) => (f, i)).First(t => t.f.Name.Equals(Categorical[c].Name, StringComparison.OrdinalIgnoreCase)).i;
                int oldOffset = model.OneHotOffset(oc);
                int count = model.Categorical[oc].Categories.Count; // old categories keep their positions, new ones follow
                for (int i = 0; i < count; i++) row[p + Offsets[c] + i] = old[oldOffset + i];
            }
        }
        return result;
    }
}
