namespace SqlMl.Models;

/// <summary>
/// One output column of a model's TRANSFORM, frozen at training: <see cref="Sql"/> is a DuckDB scalar expression over
/// the input columns (statistics of analytic ML functions already replaced by literals), <see cref="Inputs"/> the input
/// columns it reads. <see cref="Untransformed"/> marks the label, data_split_col, kmeans_init_col or
/// instance_weight_col, which pass through by name and are applied only when the input has them.
/// </summary>
internal sealed record TransformColumn(string Name, string Sql, IReadOnlyList<string> Inputs, bool Untransformed);

/// <summary>A model's TRANSFORM clause as stored in the catalog (JSON column <c>transform</c>, docs/catalog.md).</summary>
internal sealed record ModelTransform(IReadOnlyList<TransformColumn> Columns)
{
    /// <summary>The input columns the transformed features read (the label and other untransformed columns excluded).</summary>
    public IReadOnlyList<string> FeatureInputs =>
        Columns.Where(c => !c.Untransformed).SelectMany(c => c.Inputs).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
