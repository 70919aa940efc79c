using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// A read of a training query that CREATE MODEL's <see cref="TrainingReads"/> log records, so that ML.FEATURE_INFO
/// can take its statistics from the training pass: a streamed <see cref="ChunkTrainingData"/> or LINEAR_REG's
/// <see cref="ParallelLinearPass"/>.
/// </summary>
internal interface ITrainingRead
{
    /// <summary>The query read.</summary>
    string Sql { get; }

    /// <summary>Its columns: numeric features, categorical features, the label.</summary>
    TrainingSchema Schema { get; }

    /// <summary>ML.FEATURE_INFO's statistics of the feature columns over every row, when the read reached the end while
    /// a log was open; else null.</summary>
    FeatureSummary? CompleteSummary { get; }
}
