namespace SqlMl.Data;

/// <summary>
/// One finished training iteration of a CREATE MODEL, raised through <see cref="SqlMlConnection.TrainingProgress"/>.
/// </summary>
/// <param name="model">The model being trained.</param>
/// <param name="iteration">The 0-based iteration.</param>
/// <param name="loss">The training loss after the iteration, or null.</param>
/// <param name="elapsed">Time since the statement began.</param>
public sealed class SqlMlTrainingProgressEventArgs(string model, int iteration, double? loss, TimeSpan elapsed) : EventArgs
{
    /// <summary>The model being trained, as written in the CREATE MODEL statement.</summary>
    public string Model { get; } = model;

    /// <summary>
    /// The 0-based iteration, as ML.TRAINING_INFO numbers it. KMEANS with several initial runs starts again at 0
    /// for each run; closed-form training (LINEAR_REG's NORMAL_EQUATION) reports one iteration.
    /// </summary>
    public int Iteration { get; } = iteration;

    /// <summary>The training loss after this iteration (ML.TRAINING_INFO's loss), when it is finite.</summary>
    public double? Loss { get; } = loss;

    /// <summary>Time since the CREATE MODEL statement began, reading the data included.</summary>
    public TimeSpan Elapsed { get; } = elapsed;
}
