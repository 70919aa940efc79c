using SqlMl.Models;
using SqlMl.Training;

namespace SqlMl.Features;

/// <summary>
/// warm_start with ARRAY features: the inverse of <see cref="MultiHotFolding"/>. The existing model's multi-hot feature
/// (one categorical feature over the elements) becomes the 0/1 indicator columns of the new training's schema: an
/// element keeps its weight (linear scores) or its centroid frequency (k-means); an element first seen now starts at 0;
/// an element no longer present is dropped. The trainers' warm-start code then sees plain numeric features by name.
/// </summary>
internal static class MultiHotUnfolding
{
    public static LinearModel Unfold(LinearModel m, TrainingSchema schema)
    {
        if (schema.MultiHot.Count == 0) return m;
        var groups = schema.MultiHot.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        var indicators = Indicators(schema.MultiHot);
        var numeric = new List<NumericFeature>();
        foreach (var name in schema.Numeric)
        {
            if (indicators.TryGetValue(name, out var at))
            {
                var old = m.Categorical.FirstOrDefault(c => c.Name.Equals(at.Group.Name, StringComparison.OrdinalIgnoreCase));
                numeric.Add(new NumericFeature(name, 0, 1, 0, old?.WeightOf(at.Group.Elements[at.Index]) ?? 0));
            }
            else if (m.Numeric.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } f)
            {
                numeric.Add(f);
            }
        }
        var categorical = m.Categorical.Where(c => !groups.ContainsKey(c.Name)).ToList();
        return m with { Numeric = numeric, Categorical = categorical, FeatureOrder = schema.FeatureOrder, Stats = null, GlobalAttributions = null };
    }

    public static LogisticModel Unfold(LogisticModel m, TrainingSchema schema) =>
        schema.MultiHot.Count == 0 ? m : m with { Scores = m.Scores.Select(s => Unfold(s, schema)).ToList() };

    public static KMeansModel Unfold(KMeansModel m, TrainingSchema schema)
    {
        if (schema.MultiHot.Count == 0) return m;
        var groups = schema.MultiHot.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        var indicators = Indicators(schema.MultiHot);
        // New coordinates: the old numeric features and the indicators (schema order), then the remaining one-hot blocks.
        var numeric = new List<ScaledFeature>();
        var sources = new List<int>(); // old coordinate of each new one, −1 for a new element (0)
        foreach (var name in schema.Numeric)
        {
            if (indicators.TryGetValue(name, out var at))
            {
                numeric.Add(new ScaledFeature(name, 0, 0, 0, 1));
                int h = IndexOf(m.Categorical, at.Group.Name);
                int i = h < 0 ? -1 : m.Categorical[h].IndexOf(at.Group.Elements[at.Index]);
                sources.Add(i < 0 ? -1 : m.OneHotOffset(h) + i);
            }
            else
            {
                int j = m.Numeric.Select((f, k) => (f, k)).FirstOrDefault(t => t.f.Name.Equals(name, StringComparison.OrdinalIgnoreCase), (null!, -1)).Item2;
                if (j < 0) continue;
                numeric.Add(m.Numeric[j]);
                sources.Add(j);
            }
        }
        var categorical = new List<OneHotFeature>();
        for (int h = 0; h < m.Categorical.Count; h++)
        {
            if (groups.ContainsKey(m.Categorical[h].Name)) continue;
            categorical.Add(m.Categorical[h]);
            int offset = m.OneHotOffset(h);
            for (int i = 0; i < m.Categorical[h].Categories.Count; i++) sources.Add(offset + i);
        }
        var centroids = new double[m.Clusters * sources.Count];
        for (int k = 0; k < m.Clusters; k++)
        {
            var old = m.Centroid(k);
            for (int d = 0; d < sources.Count; d++) centroids[k * sources.Count + d] = sources[d] < 0 ? 0 : old[sources[d]];
        }
        return new KMeansModel(m.Distance, m.Standardize, schema.FeatureOrder, numeric, categorical, m.Clusters, centroids,
            m.Sizes, m.MeanDistances, m.RmsRadii, m.Anomalies);
    }

    private static Dictionary<string, (MultiHotGroup Group, int Index)> Indicators(IReadOnlyList<MultiHotGroup> groups) =>
        groups.SelectMany(g => g.Columns.Select((c, i) => (c, g, i))).ToDictionary(t => t.c, t => (t.g, t.i), StringComparer.Ordinal);

    private static int IndexOf(IReadOnlyList<OneHotFeature> list, string name)
    {
        for (int i = 0; i < list.Count; i++)
            if (list[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
