namespace SqlMl.Models;

/// <summary>
/// One output column of a model's TRANSFORM, frozen at training: <see cref="Sql"/> is a DuckDB scalar expression over
/// the input columns (statistics of analytic ML functions already replaced by literals), <see cref="Inputs"/> the input
/// columns it reads. <see cref="Untransformed"/> marks the label, data_split_col, kmeans_init_col or
/// instance_weight_col, which pass through by name and are applied only when the input has them.
/// </summary>
internal sealed record TransformColumn(string Name, string Sql, IReadOnlyList<string> Inputs, bool Untransformed);

/// <summary>
/// A sparse-vector output (<c>ARRAY&lt;STRUCT&lt;index INT64, value FLOAT64&gt;&gt;</c>, as ML.ONE_HOT_ENCODER, ML.MULTI_HOT_ENCODER,
/// ML.BAG_OF_WORDS and ML.TF_IDF return) that the model sees as the numeric columns <c>{Column}_0 … {Column}_{Dimension}</c>:
/// the value at that index, 0 when absent. <see cref="Dimension"/> is the largest index over the training rows.
/// </summary>
internal sealed record SparseExpansion(string Column, int Dimension)
{
    /// <summary>The numeric column for vocabulary index <paramref name="index"/>.</summary>
    public string ColumnName(int index) => Column + "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A model's TRANSFORM clause as stored in the catalog (JSON column <c>transform</c>, docs/catalog.md).</summary>
internal sealed record ModelTransform(IReadOnlyList<TransformColumn> Columns)
{
    /// <summary>Sparse-vector outputs expanded into numeric columns for the model; empty when none.</summary>
    public IReadOnlyList<SparseExpansion> Expansions { get; init; } = [];

    /// <summary>The input columns the transformed features read (the label and other untransformed columns excluded).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> FeatureInputs =>
        Columns.Where(c => !c.Untransformed).SelectMany(c => c.Inputs).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
