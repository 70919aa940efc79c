using SqlMl.Evaluation;

namespace SqlMl.Training;

/// <summary>One cluster's entry in ML.TRAINING_INFO's cluster_info (k-means).</summary>
internal sealed record ClusterInfo(long CentroidId, double ClusterRadius, long ClusterSize);

/// <summary>
/// One row of ML.TRAINING_INFO. <see cref="ClusterInfo"/> is set by k-means only; <see cref="TrainingRun"/> is 0 for a
/// new model and counts warm_start retrainings.
/// </summary>
internal sealed record IterationInfo(int Iteration, double Loss, double? EvalLoss, double? LearningRate, long DurationMs)
{
    public IReadOnlyList<ClusterInfo>? ClusterInfo { get; init; }

    public int TrainingRun { get; init; }
}

/// <summary>What training reports beside the model: per-iteration info, row counts and evaluation metrics.</summary>
internal sealed record TrainingReport(
    IReadOnlyList<IterationInfo> Iterations,
    long TrainingRows,
    long EvaluationRows,
    RegressionMetrics? EvaluationMetrics);
