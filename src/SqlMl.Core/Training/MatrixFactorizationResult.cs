using SqlMl.Models;

namespace SqlMl.Training;

/// <summary>
/// What MATRIX_FACTORIZATION training returns: the model, ML.TRAINING_INFO's rows, row counts, and the metrics
/// (regression metrics for explicit feedback, ranking metrics for implicit) computed on the evaluation split, or on
/// the training data when there is none (<see cref="MetricsSource"/>).
/// </summary>
internal sealed record MatrixFactorizationResult(
    MatrixFactorizationModel Model,
    IReadOnlyList<IterationInfo> Iterations,
    long TrainingRows,
    long EvaluationRows,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    string MetricsSource);
