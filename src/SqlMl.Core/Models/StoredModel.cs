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
    DateTime CreatedAt);
