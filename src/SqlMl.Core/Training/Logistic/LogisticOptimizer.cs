namespace SqlMl.Training.Logistic;

/// <summary>What one optimizer iteration did: the accepted step length, and whether the optimizer can make no further progress.</summary>
internal readonly record struct StepResult(double StepLength, bool Converged, bool BoundReached);

/// <summary>
/// One LOGISTIC_REG optimizer, advanced one iteration at a time by <see cref="LogisticIterations"/>. It minimizes
/// F(θ) = f(θ) + (l1 / S)·‖β‖₁ with f the smooth <see cref="LogisticObjective"/>. No step may take a coefficient past
/// ±<see cref="WeightBound"/> (standardized units): perfectly separable data would otherwise grow the weights forever.
/// </summary>
internal abstract class LogisticOptimizer
{
    /// <summary>Largest |coefficient| allowed; reaching it ends training (separable data).</summary>
    public const double WeightBound = 1e4;

    protected LogisticOptimizer(LogisticObjective objective, double[] theta, double l1)
    {
        Objective = objective;
        Theta = theta;
        L1 = l1 / objective.TotalWeight;
        Gradient = new double[theta.Length];
        Smooth = objective.Evaluate(theta, Gradient);
    }

    protected LogisticObjective Objective { get; }

    /// <summary>The L1 weight on the mean objective (l1_reg / S).</summary>
    protected double L1 { get; }

    public double[] Theta { get; }

    /// <summary>∇f at <see cref="Theta"/>.</summary>
    protected double[] Gradient { get; }

    /// <summary>f(θ) at <see cref="Theta"/>.</summary>
    protected double Smooth { get; set; }

    /// <summary>F(θ) = f(θ) + L1·‖β‖₁ at <see cref="Theta"/>.</summary>
    public double Value => Smooth + L1Norm(Theta);

    /// <summary>Mean class-weighted training log loss at <see cref="Theta"/>.</summary>
    public double Loss => Objective.Loss;

    public abstract StepResult Step();

    protected double L1Norm(ReadOnlySpan<double> theta)
    {
        if (L1 == 0) return 0;
        double s = 0;
        for (int i = 0; i < theta.Length; i++)
            if (Objective.IsPenalized(i)) s += Math.Abs(theta[i]);
        return L1 * s;
    }

    /// <summary>The largest t ≥ 0 with |θ + t·d| ≤ <see cref="WeightBound"/> in every coordinate (∞ when unbounded).</summary>
    protected static double MaxStep(ReadOnlySpan<double> theta, ReadOnlySpan<double> d)
    {
        double t = double.PositiveInfinity;
        for (int i = 0; i < theta.Length; i++)
        {
            if (d[i] > 0) t = Math.Min(t, (WeightBound - theta[i]) / d[i]);
            else if (d[i] < 0) t = Math.Min(t, (-WeightBound - theta[i]) / d[i]);
        }
        return Math.Max(t, 0);
    }

    /// <summary>
    /// Moves to θ + t·d and re-evaluates f and ∇f there. Without <paramref name="gradient"/> (direction set only),
    /// <see cref="Gradient"/> is left stale and the objective keeps the residuals for a fused Hessian-and-gradient pass.
    /// </summary>
    protected void MoveTo(ReadOnlySpan<double> d, double t, bool directionSet = false, bool gradient = true)
    {
        for (int i = 0; i < Theta.Length; i++) Theta[i] += t * d[i];
        Smooth = directionSet ? Objective.EvaluateAlong(Theta, gradient ? Gradient : default, t, keepResiduals: true) : Objective.Evaluate(Theta, Gradient);
    }

    protected static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    protected static double MaxAbs(ReadOnlySpan<double> a) => a.Length == 0 ? 0 : Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(a));
}
