using SqlMl.Evaluation;

namespace SqlMl.Training;

/// <summary>One row of ML.TRAINING_INFO.</summary>
internal sealed record IterationInfo(int Iteration, double Loss, double? EvalLoss, double? LearningRate, long DurationMs);

/// <summary>What training reports beside the model: per-iteration info, row counts and evaluation metrics.</summary>
internal sealed record TrainingReport(
    IReadOnlyList<IterationInfo> Iterations,
    long TrainingRows,
    long EvaluationRows,
    RegressionMetrics? EvaluationMetrics);
