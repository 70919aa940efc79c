namespace SqlMl.Training;

/// <summary>
/// The columns a trainer reads, in batch order: numeric features (read as DOUBLE), categorical features
/// (read as VARCHAR and dictionary-coded), and the label (null for unsupervised models).
/// </summary>
internal sealed record TrainingSchema(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical, string? Label)
{
    /// <summary>Feature names in the training query's column order (defaults to numeric then categorical).</summary>
    public IReadOnlyList<string> FeatureOrder { get; init; } = [.. Numeric, .. Categorical];
}
