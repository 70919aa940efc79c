namespace SqlMl.Training;

/// <summary>
/// Every row of a training query as whole columns: numeric features (NaN is NULL; pinned, zero past
/// <see cref="Rows"/>), categorical dictionary codes (−1 is NULL) and the optional per-row flag, each exactly
/// <see cref="Rows"/> long except the numeric columns.
/// </summary>
internal sealed record TrainingColumns(int Rows, double[][] Numeric, int[][] Codes, bool[]? Flags);

/// <summary>
/// Training data that can also be read once into columns of their final size, with no intermediate batches
/// (trainers that keep every row in memory: KMEANS).
/// </summary>
internal interface IColumnarTrainingData : ITrainingData
{
    /// <summary>
    /// Reads every row. <paramref name="numericColumns"/> gets the length the reader needs before anything is copied (at
    /// least the row count: a reader may ask for room to copy in parallel) and returns the numeric columns to fill
    /// (pinned, each at least that long; it throws to refuse the data); the reader zeroes them past the rows. NULL numeric values
    /// become NaN; a real NaN or Infinity is refused. With <paramref name="withFlags"/> the column after the features is
    /// read as the per-row flag (NULL counts as true).
    /// </summary>
    TrainingColumns ReadColumns(Func<long, double[][]> numericColumns, bool withFlags, string modelName, CancellationToken cancellationToken);
}
