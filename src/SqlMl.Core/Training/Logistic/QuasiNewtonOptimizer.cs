namespace SqlMl.Training.Logistic;

/// <summary>
/// L-BFGS (10 pairs) with a backtracking Armijo line search; with l1_reg &gt; 0 it is OWL-QN (Andrew and Gao, 2007):
/// the pseudo-gradient of F replaces ∇f, the direction is kept in the orthant of −pseudo-gradient and each trial point
/// is projected onto the current orthant, so coefficients reach exactly 0. The first iteration, which has no curvature
/// pairs yet, steps along the (pseudo-)gradient with trial step ls_init_learn_rate; later ones try t = 1 first.
/// </summary>
internal sealed class QuasiNewtonOptimizer : LogisticOptimizer
{
    private const int Memory = 10;
    private readonly double _initialStep;
    private readonly List<(double[] S, double[] Y, double Rho)> _pairs = [];

    public QuasiNewtonOptimizer(LogisticObjective objective, double[] theta, double l1, double initialStep) : base(objective, theta, l1) =>
        _initialStep = initialStep;

    public override StepResult Step()
    {
        int p = Theta.Length;
        var pg = PseudoGradient();
        if (MaxAbs(pg) <= 1e-12) return new StepResult(0, true, false);
        var d = Direction(pg);
        if (L1 > 0)
            for (int i = 0; i < p; i++)
                if (d[i] * pg[i] >= 0) d[i] = 0;
        double slope = Dot(pg, d);
        if (!(slope < 0))
        {
            // Not a descent direction (stale curvature): restart from the steepest descent.
            _pairs.Clear();
            for (int i = 0; i < p; i++) d[i] = -pg[i];
            slope = Dot(pg, d);
        }
        double cap = MaxStep(Theta, d);
        double t = Math.Min(_pairs.Count == 0 ? _initialStep / Math.Max(1, MaxAbs(pg)) : 1, cap);
        double f0 = Value;
        var oldTheta = (double[])Theta.Clone();
        var oldGrad = (double[])Gradient.Clone();
        var trial = new double[p];
        if (L1 == 0) Objective.SetDirection(d);
        double accepted = 0;
        for (int tries = 0; tries <= 60; tries++, t /= 2)
        {
            double f;
            if (L1 == 0)
            {
                f = Objective.ValueAlong(Theta, d, t);
                for (int i = 0; i < p; i++) trial[i] = Theta[i] + t * d[i];
            }
            else
            {
                Project(d, t, trial);
                f = Objective.Evaluate(trial, default) + L1Norm(trial);
            }
            double expected = 0;
            for (int i = 0; i < p; i++) expected += pg[i] * (trial[i] - Theta[i]);
            if (f <= f0 + 1e-4 * expected) { accepted = t; break; }
        }
        if (accepted == 0)
        {
            Objective.Evaluate(Theta, Gradient); // restore the current point's scores
            bool wasFresh = _pairs.Count == 0;
            _pairs.Clear();
            return new StepResult(0, wasFresh, false);
        }
        trial.CopyTo(Theta, 0);
        Smooth = Objective.Evaluate(Theta, Gradient);
        var s = new double[p];
        var y = new double[p];
        for (int i = 0; i < p; i++)
        {
            s[i] = Theta[i] - oldTheta[i];
            y[i] = Gradient[i] - oldGrad[i];
        }
        double sy = Dot(s, y);
        if (sy > 1e-12 * Math.Sqrt(Dot(s, s) * Dot(y, y)))
        {
            if (_pairs.Count == Memory) _pairs.RemoveAt(0);
            _pairs.Add((s, y, 1 / sy));
        }
        double f1 = Value;
        bool converged = f0 - f1 <= 1e-16 * Math.Abs(f0) || MaxAbs(PseudoGradient()) <= 1e-12;
        return new StepResult(accepted, converged, accepted >= cap);
    }

    /// <summary>∇f plus the L1 term's subgradient of least magnitude (∇f itself without L1).</summary>
    private double[] PseudoGradient()
    {
        var pg = (double[])Gradient.Clone();
        if (L1 == 0) return pg;
        for (int i = 0; i < pg.Length; i++)
        {
            if (!Objective.IsPenalized(i)) continue;
            double g = Gradient[i];
            if (Theta[i] > 0) pg[i] = g + L1;
            else if (Theta[i] < 0) pg[i] = g - L1;
            else pg[i] = g + L1 < 0 ? g + L1 : g - L1 > 0 ? g - L1 : 0;
        }
        return pg;
    }

    /// <summary>θ + t·d with coordinates that would leave the orthant of θ (or of −pg where θ is 0) set to 0.</summary>
    private void Project(ReadOnlySpan<double> d, double t, Span<double> trial)
    {
        var pg = PseudoGradient();
        for (int i = 0; i < trial.Length; i++)
        {
            double v = Theta[i] + t * d[i];
            if (Objective.IsPenalized(i))
            {
                double orthant = Theta[i] != 0 ? Math.Sign(Theta[i]) : -Math.Sign(pg[i]);
                if (Math.Sign(v) != orthant) v = 0;
            }
            trial[i] = v;
        }
    }

    /// <summary>The two-loop recursion: −H·g with the stored curvature pairs.</summary>
    private double[] Direction(ReadOnlySpan<double> g)
    {
        int p = g.Length, m = _pairs.Count;
        var q = g.ToArray();
        var alpha = new double[m];
        for (int k = m - 1; k >= 0; k--)
        {
            var (s, y, rho) = _pairs[k];
            alpha[k] = rho * Dot(s, q);
            for (int i = 0; i < p; i++) q[i] -= alpha[k] * y[i];
        }
        if (m > 0)
        {
            var (s, y, _) = _pairs[m - 1];
            double gamma = Dot(s, y) / Dot(y, y);
            for (int i = 0; i < p; i++) q[i] *= gamma;
        }
        for (int k = 0; k < m; k++)
        {
            var (s, y, rho) = _pairs[k];
            double beta = rho * Dot(y, q);
            for (int i = 0; i < p; i++) q[i] += s[i] * (alpha[k] - beta);
        }
        for (int i = 0; i < p; i++) q[i] = -q[i];
        return q;
    }
}
