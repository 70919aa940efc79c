using SqlMl.Features;

namespace SqlMl.Training;

/// <summary>
/// The columns a trainer reads, in batch order: numeric features (read as DOUBLE), categorical features
/// (read as VARCHAR and dictionary-coded), and the label (null for unsupervised models).
/// </summary>
internal sealed record TrainingSchema(IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical, string? Label)
{
    private readonly IReadOnlyList<MultiHotGroup> _multiHot = [];
    private readonly HashSet<string> _unscaled = [];

    /// <summary>Feature names in the training query's column order (defaults to numeric then categorical).</summary>
    public IReadOnlyList<string> FeatureOrder { get; init; } = [.. Numeric, .. Categorical];

    /// <summary>
    /// Multi-hot features: their 0/1 indicator columns are numeric columns of this schema that trainers neither centre
    /// nor scale (<see cref="IsUnscaled"/>), so they act like one-hot coordinates.
    /// </summary>
    public IReadOnlyList<MultiHotGroup> MultiHot
    {
        get => _multiHot;
        init
        {
            _multiHot = value;
            _unscaled = value.SelectMany(g => g.Columns).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Whether a numeric column keeps center 0 and scale 1 (a multi-hot indicator).</summary>
    public bool IsUnscaled(string numericColumn) => _unscaled.Contains(numericColumn);
}
