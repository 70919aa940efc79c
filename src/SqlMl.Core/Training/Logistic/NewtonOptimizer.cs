using MathNet.Numerics.LinearAlgebra;

namespace SqlMl.Training.Logistic;

/// <summary>
/// Damped Newton (IRLS): the step solves H d = −∇f with the exact Hessian of the penalized objective (symmetric
/// eigendecomposition; eigenvalues below 1e-13·λmax·P are dropped, so the aliased directions of one-hot levels plus an
/// intercept, or of the redundant multiclass logits, take no step and the iterates stay minimum-norm), then a
/// backtracking Armijo line search from t = 1. Used without L1 when the coefficient count is small.
/// </summary>
internal sealed class NewtonOptimizer(LogisticObjective objective, double[] theta) : LogisticOptimizer(objective, theta, 0)
{
    public override StepResult Step()
    {
        // The Hessian pass also recomputes ∇f at θ (MoveTo below leaves it stale): one pass over the rows per iteration.
        var d = Solve(Objective.Hessian(Gradient), Gradient);
        double decrement = -Dot(Gradient, d);
        if (!(decrement > 0)) return new StepResult(0, true, false);
        double cap = MaxStep(Theta, d);
        double t = Math.Min(1, cap);
        Objective.SetDirection(d);
        double f0 = Smooth;
        for (int tries = 0; ; tries++)
        {
            double f = Objective.ValueAlong(Theta, d, t);
            if (f <= f0 - 1e-4 * t * decrement) break;
            if (tries == 60)
                return new StepResult(0, true, false); // no decrease left at round-off level: at the optimum
            t /= 2;
        }
        MoveTo(d, t, directionSet: true, gradient: false);
        bool converged = decrement <= 1e-14 * Math.Abs(f0) || Smooth >= f0;
        return new StepResult(t, converged, t >= cap);
    }

    /// <summary>Pseudo-inverse solve of H d = −g.</summary>
    internal static double[] Solve(double[,] h, ReadOnlySpan<double> g)
    {
        int p = g.Length;
        var evd = Matrix<double>.Build.DenseOfArray(h).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var vectors = evd.EigenVectors;
        double max = values.Max(Math.Abs);
        double tol = max * Math.Max(p, 10) * 1e-13;
        var rhs = Vector<double>.Build.Dense(p);
        for (int i = 0; i < p; i++) rhs[i] = -g[i];
        var proj = vectors.TransposeThisAndMultiply(rhs);
        for (int i = 0; i < p; i++) proj[i] = values[i] > tol ? proj[i] / values[i] : 0;
        return (vectors * proj).ToArray();
    }
}
