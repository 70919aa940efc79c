namespace SqlMl.Training.Logistic;

/// <summary>
/// learn_rate_strategy = 'CONSTANT': θ ← θ − learn_rate·∇f on the mean objective f, no line search; with l1_reg the
/// step is proximal (soft-thresholding by learn_rate·l1_reg / S), so coefficients can reach exactly 0.
/// A step may increase the objective when learn_rate is too large; that is the option's meaning.
/// </summary>
internal sealed class GradientDescentOptimizer(LogisticObjective objective, double[] theta, double l1, double learnRate)
    : LogisticOptimizer(objective, theta, l1)
{
    public override StepResult Step()
    {
        int p = Theta.Length;
        var d = new double[p];
        for (int i = 0; i < p; i++)
        {
            double v = Theta[i] - learnRate * Gradient[i];
            if (L1 > 0 && Objective.IsPenalized(i)) v = Math.Sign(v) * Math.Max(0, Math.Abs(v) - learnRate * L1);
            d[i] = v - Theta[i];
        }
        double cap = MaxStep(Theta, d);
        double t = Math.Min(1, cap);
        if (MaxAbs(d) == 0) return new StepResult(learnRate, true, false);
        MoveTo(d, t);
        return new StepResult(learnRate * t, false, t >= cap);
    }
}
