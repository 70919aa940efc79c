using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Models;

/// <summary>
/// Everything the catalog keeps about one model. <see cref="Model"/> is the model-type-specific immutable model
/// (e.g. <see cref="LinearModel"/>); <see cref="Metrics"/> are the evaluation metrics computed at training, on the
/// evaluation split or, when there is none, on the training data (<see cref="MetricsSource"/>).
/// </summary>
internal sealed record StoredModel(
    ModelName Name,
    string ModelType,
    string OptionsJson,
    IReadOnlyList<FeatureColumn> Features,
    string Label,
    object Model,
    IReadOnlyList<IterationInfo> Iterations,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    string MetricsSource,
    long TrainingRows,
    long EvaluationRows,
    DateTime CreatedAt)
{
    /// <summary>The TRANSFORM clause, frozen at training; null for a model without one.</summary>
    public ModelTransform? Transform { get; init; }

    /// <summary>ML.FEATURE_INFO's rows, computed at training; null for models saved before SqlMl kept them.</summary>
    public IReadOnlyList<FeatureInfo>? FeatureInfo { get; init; }
}
