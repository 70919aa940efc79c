using System.Diagnostics;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>Why training stopped (kept for tests and documentation; not stored in the model).</summary>
internal enum LogisticStop
{
    MaxIterations,
    EarlyStop,
    Converged,
    /// <summary>The training loss is numerically 0 or a coefficient reached <see cref="LogisticOptimizer.WeightBound"/>: separable data.</summary>
    Separated,
}

/// <summary>
/// BigQuery's iteration semantics on top of an optimizer: at most max_iterations iterations; with early_stop, stop
/// after the first iteration whose relative improvement of the objective, (F_prev − F) / |F_prev|, is below
/// min_rel_progress; stop anyway once the optimizer has converged or the data proved separable. One
/// <see cref="IterationInfo"/> per iteration: mean class-weighted training log loss, the same on the evaluation rows,
/// the accepted step length, the iteration's duration.
/// </summary>
internal static class LogisticIterations
{
    /// <summary>A mean training log loss at or below this is numerically 0: every row is classified with a margin above ~23.</summary>
    public const double SeparatedLoss = 1e-10;

    public static (List<IterationInfo> Iterations, LogisticStop Stop) Run(LogisticOptimizer optimizer, GlmOptions options,
        DesignMatrix? eval, int scores, int trainingRun, CancellationToken cancellationToken, IProgress<IterationInfo>? progress = null)
    {
        var list = new List<IterationInfo>();
        var clock = Stopwatch.StartNew();
        double previous = optimizer.Value;
        for (int it = 0; it < options.MaxIterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = optimizer.Step();
            double value = optimizer.Value;
            double? evalLoss = eval is { Rows: > 0 } ? LogisticObjective.MeanLoss(eval, scores, optimizer.Theta) : null;
            list.Add(new IterationInfo(it, optimizer.Loss, evalLoss is { } e && double.IsFinite(e) ? e : null, step.StepLength, clock.ElapsedMilliseconds)
            {
                TrainingRun = trainingRun,
            });
            progress?.Report(list[^1]);
            clock.Restart();
            if (step.BoundReached || optimizer.Loss <= SeparatedLoss) return (list, LogisticStop.Separated);
            if (step.Converged) return (list, LogisticStop.Converged);
            if (options.EarlyStop && previous - value < options.MinRelProgress * Math.Abs(previous)) return (list, LogisticStop.EarlyStop);
            previous = value;
        }
        return (list, LogisticStop.MaxIterations);
    }
}
