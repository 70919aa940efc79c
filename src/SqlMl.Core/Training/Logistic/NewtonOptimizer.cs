using MathNet.Numerics.LinearAlgebra;

namespace SqlMl.Training.Logistic;

/// <summary>
/// Damped Newton (IRLS): the step solves H d = −∇f with the exact Hessian of the penalized objective (symmetric
/// eigendecomposition; eigenvalues below 1e-13·λmax·P are dropped, so the aliased directions of one-hot levels plus an
/// intercept, or of the redundant multiclass logits, take no step and the iterates stay minimum-norm), then a
/// backtracking Armijo line search from t = 1. Used without L1 when the coefficient count is small.
/// Once the Newton decrement is below <see cref="ReuseBelow"/> relative to f (the last, verifying iterations), the
/// previous Hessian's factorization is reused (a chord step): the gradient stays exact, so the optimum and the
/// convergence test are unchanged, and such an iteration costs one gradient pass instead of a Hessian pass. A reused
/// factorization that gives no descent falls back to a fresh Hessian.
/// </summary>
internal sealed class NewtonOptimizer(LogisticObjective objective, double[] theta) : LogisticOptimizer(objective, theta, 0)
{
    /// <summary>Relative Newton decrement below which the next iteration reuses the current Hessian.</summary>
    public const double ReuseBelow = 1e-6;

    private HessianSolver? _solver;
    private bool _reuse;

    /// <summary>Iterations that reused the previous Hessian (chord steps).</summary>
    public int ReusedHessians { get; private set; }

    public override StepResult Step()
    {
        for (bool fresh = !_reuse || _solver is null; ; fresh = true)
        {
            if (fresh)
            {
                // The Hessian pass also computes ∇f at θ (MoveTo below leaves it stale): one pass over the rows.
                _solver = new HessianSolver(Objective.Hessian(Gradient));
            }
            else Objective.Gradient(Gradient);
            var d = _solver!.Solve(Gradient);
            double decrement = -Dot(Gradient, d);
            if (!(decrement > 0))
            {
                if (!fresh) continue;
                return new StepResult(0, true, false);
            }
            double cap = MaxStep(Theta, d);
            double t = Math.Min(1, cap);
            Objective.SetDirection(d);
            double f0 = Smooth;
            bool accepted = false;
            for (int tries = 0; tries <= 60; tries++, t /= 2)
            {
                double f = Objective.ValueAlong(Theta, d, t);
                if (f <= f0 - 1e-4 * t * decrement) { accepted = true; break; }
            }
            if (!accepted)
            {
                if (!fresh) continue;
                return new StepResult(0, true, false); // no decrease left at round-off level: at the optimum
            }
            if (!fresh) ReusedHessians++;
            MoveTo(d, t, directionSet: true, gradient: false);
            _reuse = decrement <= ReuseBelow * Math.Abs(f0);
            bool converged = decrement <= 1e-14 * Math.Abs(f0) || Smooth >= f0;
            return new StepResult(t, converged, t >= cap);
        }
    }

    /// <summary>The symmetric eigendecomposition of a Hessian, kept for repeated pseudo-inverse solves.</summary>
    private sealed class HessianSolver
    {
        private readonly Matrix<double> _vectors;
        private readonly double[] _values;
        private readonly double _tolerance;

        public HessianSolver(double[,] h)
        {
            var evd = Matrix<double>.Build.DenseOfArray(h).Evd(Symmetricity.Symmetric);
            _values = evd.EigenValues.Select(c => c.Real).ToArray();
            _vectors = evd.EigenVectors;
            _tolerance = _values.Max(Math.Abs) * Math.Max(_values.Length, 10) * 1e-13;
        }

        /// <summary>d = −H⁺ g, eigenvalues at or below the tolerance dropped.</summary>
        public double[] Solve(ReadOnlySpan<double> g)
        {
            int p = g.Length;
            var rhs = Vector<double>.Build.Dense(p);
            for (int i = 0; i < p; i++) rhs[i] = -g[i];
            var proj = _vectors.TransposeThisAndMultiply(rhs);
            for (int i = 0; i < p; i++) proj[i] = _values[i] > _tolerance ? proj[i] / _values[i] : 0;
            return (_vectors * proj).ToArray();
        }
    }
}
