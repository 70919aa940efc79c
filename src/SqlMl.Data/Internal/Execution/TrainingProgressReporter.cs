using System.Diagnostics;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Turns a trainer's iterations into <see cref="SqlMlTrainingProgressEventArgs"/> for one CREATE MODEL: synchronous
/// (unlike <see cref="Progress{T}"/>, which posts to a synchronization context), so the handler runs on the training
/// thread between iterations and sees them in order.
/// </summary>
internal sealed class TrainingProgressReporter(string model, Action<SqlMlTrainingProgressEventArgs> handler) : IProgress<IterationInfo>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Report(IterationInfo value) =>
        handler(new SqlMlTrainingProgressEventArgs(model, value.Iteration, double.IsFinite(value.Loss) ? value.Loss : null, _clock.Elapsed));
}
