using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>The label side of a LOGISTIC_REG training: the label column, its DuckDB type, and the classes in ascending label order.</summary>
internal sealed record LogisticLabels(string Label, string LabelType, IReadOnlyList<string> Classes);

/// <summary>What LOGISTIC_REG training returns: the model, per-iteration info and row counts, and the stored evaluation metrics.</summary>
internal sealed record LogisticTrainingResult(
    LogisticModel Model,
    TrainingReport Report,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    string MetricsSource);

/// <summary>LOGISTIC_REG training (contract; the implementation replaces this body).</summary>
internal static class LogisticRegressionTrainer
{
    /// <summary>
    /// Trains on <paramref name="data"/>, whose label column holds the class index (0 … Classes.Count − 1, as DOUBLE)
    /// in <see cref="LogisticLabels.Classes"/> order. <paramref name="warmStart"/> is the existing model for warm_start.
    /// </summary>
    public static LogisticTrainingResult Train(ITrainingData data, GlmOptions options, LogisticLabels labels, string modelName,
        LogisticModel? warmStart, int trainingRun, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract only: replaced by the trainer implementation");
}
