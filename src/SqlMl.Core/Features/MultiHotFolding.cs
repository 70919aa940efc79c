using SqlMl.Models;

namespace SqlMl.Features;

/// <summary>
/// After training, turns each multi-hot feature's 0/1 indicator columns (trained as unscaled numeric features, center 0
/// and scale 1) back into one categorical feature whose categories are the array elements: a linear model's element
/// weights are the indicators' weights, a k-means centroid's element coordinates their cluster frequencies. The model
/// then shows and scores the array like a one-hot feature, except that several categories can be present in one row.
/// </summary>
internal static class MultiHotFolding
{
    public static LinearModel Fold(LinearModel m, IReadOnlyList<MultiHotGroup> groups)
    {
        if (groups.Count == 0) return m;
        var numericIndex = Index(m.Numeric.Select(f => f.Name));
        var indicators = groups.SelectMany(g => g.Columns).ToHashSet(StringComparer.Ordinal);
        int intercept = m.FitIntercept ? 1 : 0;
        // Coefficient order (CoefficientStats): intercept, numeric, then categorical levels.
        var permutation = new List<int>();
        if (m.FitIntercept) permutation.Add(0);
        var numeric = new List<NumericFeature>();
        for (int j = 0; j < m.Numeric.Count; j++)
        {
            if (indicators.Contains(m.Numeric[j].Name)) continue;
            numeric.Add(m.Numeric[j]);
            permutation.Add(intercept + j);
        }
        int levels = m.Categorical.Sum(c => c.Categories.Count);
        permutation.AddRange(Enumerable.Range(intercept + m.Numeric.Count, levels));
        var categorical = m.Categorical.ToList();
        foreach (var g in groups)
        {
            var weights = new List<double>();
            foreach (var column in g.Columns)
            {
                var f = m.Numeric[numericIndex[column]];
                if (f.Center != 0) throw new InvalidOperationException($"multi-hot indicator {column} was centred");
                weights.Add(f.RawWeight);
                permutation.Add(intercept + numericIndex[column]);
            }
            categorical.Add(new CategoricalFeature(g.Name, g.Elements, weights));
        }
        var folded = m with { Numeric = numeric, Categorical = categorical, FeatureOrder = FoldNames(m.FeatureOrder, groups) };
        if (m.Stats is { } s)
            folded = folded with { Stats = new CoefficientStats(Permute(s.StandardErrors, permutation), Permute(s.PValues, permutation), Permute(s.RawStandardErrors, permutation), Permute(s.RawPValues, permutation)) };
        if (m.GlobalAttributions is { } ga)
            folded = folded with { GlobalAttributions = FoldAttributions(ga, groups) };
        return folded;
    }

    public static LogisticModel Fold(LogisticModel m, IReadOnlyList<MultiHotGroup> groups) =>
        groups.Count == 0 ? m : m with { Scores = m.Scores.Select(s => Fold(s, groups)).ToList() };

    public static KMeansModel Fold(KMeansModel m, IReadOnlyList<MultiHotGroup> groups)
    {
        if (groups.Count == 0) return m;
        var numericIndex = Index(m.Numeric.Select(f => f.Name));
        var indicators = groups.SelectMany(g => g.Columns).ToHashSet(StringComparer.Ordinal);
        var permutation = new List<int>();
        var numeric = new List<ScaledFeature>();
        for (int j = 0; j < m.Numeric.Count; j++)
        {
            if (indicators.Contains(m.Numeric[j].Name)) continue;
            numeric.Add(m.Numeric[j]);
            permutation.Add(j);
        }
        permutation.AddRange(Enumerable.Range(m.Numeric.Count, m.Dimension - m.Numeric.Count));
        var categorical = m.Categorical.ToList();
        foreach (var g in groups)
        {
            foreach (var column in g.Columns)
            {
                var f = m.Numeric[numericIndex[column]];
                if (f.Center != 0 || f.Scale != 1) throw new InvalidOperationException($"multi-hot indicator {column} was scaled");
                permutation.Add(numericIndex[column]);
            }
            categorical.Add(new OneHotFeature(g.Name, g.Elements));
        }
        var centroids = new double[m.Clusters * m.Dimension];
        for (int k = 0; k < m.Clusters; k++)
        {
            var c = m.Centroid(k);
            for (int i = 0; i < permutation.Count; i++) centroids[k * m.Dimension + i] = c[permutation[i]];
        }
        return new KMeansModel(m.Distance, m.Standardize, FoldNames(m.FeatureOrder, groups), numeric, categorical, m.Clusters, centroids,
            m.Sizes, m.MeanDistances, m.RmsRadii, m.Anomalies);
    }

    /// <summary>Feature order with each group's indicator columns replaced by the group's name (at the first one's place).</summary>
    public static List<string> FoldNames(IReadOnlyList<string> order, IReadOnlyList<MultiHotGroup> groups)
    {
        var result = new List<string>();
        foreach (var name in order)
        {
            var g = groups.FirstOrDefault(g => g.Columns.Contains(name));
            if (g is null) result.Add(name);
            else if (g.Columns[0] == name) result.Add(g.Name);
        }
        return result;
    }

    /// <summary>Attributions keyed by indicator columns: the first column's entry holds the group's value and takes its name.</summary>
    private static List<KeyValuePair<string, double>> FoldAttributions(IReadOnlyList<KeyValuePair<string, double>> attributions, IReadOnlyList<MultiHotGroup> groups)
    {
        var result = new List<KeyValuePair<string, double>>();
        foreach (var kv in attributions)
        {
            var g = groups.FirstOrDefault(g => g.Columns.Contains(kv.Key));
            if (g is null) result.Add(kv);
            else if (g.Columns[0] == kv.Key) result.Add(new(g.Name, kv.Value));
        }
        return result;
    }

    private static Dictionary<string, int> Index(IEnumerable<string> names) =>
        names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);

    private static List<double> Permute(IReadOnlyList<double> values, List<int> permutation) => permutation.Select(i => values[i]).ToList();
}
