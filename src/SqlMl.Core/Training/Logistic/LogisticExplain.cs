namespace SqlMl.Training.Logistic;

/// <summary>
/// enable_global_explain: for each score and each feature (in the model's feature order), the mean over training rows
/// of |attribution|, the attribution of a numeric feature being Weight·(x̃ − Center)/Scale and of a categorical one the
/// weight of the row's level (0 for a dropped DUMMY_ENCODING level).
/// </summary>
internal static class LogisticExplain
{
    /// <remarks>
    /// A multi-hot feature's attribution is the sum of its indicators' (the weights of the row's elements); it is stored
    /// under the group's first indicator column, which <see cref="Features.MultiHotFolding"/> renames to the feature.
    /// </remarks>
    public static IReadOnlyList<KeyValuePair<string, double>> Global(DesignMatrix x, LogisticLayout layout, ReadOnlySpan<double> w,
        IReadOnlyList<Features.MultiHotGroup> multiHot)
    {
        int n = x.Rows;
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int j = 0; j < layout.Numeric.Count; j++)
        {
            var col = x.Cols[layout.NumericColumn(j)].AsSpan(0, n);
            double weight = w[layout.NumericColumn(j)];
            byName[layout.Numeric[j].Name] = n == 0 ? 0 : Math.Abs(weight) * System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(col) / n;
        }
        var row = new double[n];
        foreach (var c in layout.Categorical)
        {
            Array.Clear(row);
            foreach (int col in c.Columns)
            {
                if (col < 0) continue;
                var values = x.Cols[col];
                double weight = w[col];
                for (int i = 0; i < n; i++) row[i] += weight * values[i];
            }
            byName[c.Name] = n == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<double>(row) / n;
        }
        foreach (var g in multiHot)
        {
            Array.Clear(row);
            foreach (var column in g.Columns)
            {
                int j = IndexOf(layout, column);
                var values = x.Cols[layout.NumericColumn(j)];
                double weight = w[layout.NumericColumn(j)];
                for (int i = 0; i < n; i++) row[i] += weight * values[i];
            }
            byName[g.Columns[0]] = n == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes<double>(row) / n;
        }
        return layout.FeatureOrder.Select(name => new KeyValuePair<string, double>(name, byName[name])).ToList();
    }

    private static int IndexOf(LogisticLayout layout, string numeric)
    {
        for (int j = 0; j < layout.Numeric.Count; j++)
            if (layout.Numeric[j].Name == numeric) return j;
        throw new InvalidOperationException($"no numeric column {numeric}");
    }
}
