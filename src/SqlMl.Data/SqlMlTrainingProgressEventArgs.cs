namespace SqlMl.Data;

/// <summary>
/// One finished training iteration of a CREATE MODEL, raised through <see cref="SqlMlConnection.TrainingProgress"/>.
/// </summary>
public sealed class SqlMlTrainingProgressEventArgs : EventArgs
{
    /// <summary>Creates the arguments of one progress report.</summary>
    public SqlMlTrainingProgressEventArgs(string model, int iteration, double? loss, TimeSpan elapsed)
    {
        Model = model;
        Iteration = iteration;
        Loss = loss;
        Elapsed = elapsed;
    }

    /// <summary>The model being trained, as written in the CREATE MODEL statement.</summary>
    public string Model { get; }

    /// <summary>
    /// The 0-based iteration, as ML.TRAINING_INFO numbers it. KMEANS with several initial runs starts again at 0
    /// for each run; closed-form training (LINEAR_REG's NORMAL_EQUATION) reports one iteration.
    /// </summary>
    public int Iteration { get; }

    /// <summary>The training loss after this iteration (ML.TRAINING_INFO's loss), when it is finite.</summary>
    public double? Loss { get; }

    /// <summary>Time since the CREATE MODEL statement began, reading the data included.</summary>
    public TimeSpan Elapsed { get; }
}
