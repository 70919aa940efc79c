using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// The regularized least-squares objective Σ(y − Xw)² + l2·‖Rw‖² + l1·‖Rw‖₁ as a quadratic in the feature weights:
/// wᵀAw − 2bᵀw + const + l1·‖Rw‖₁ with A = XᵀX + l2·R, b = Xᵀy (R: every feature but the intercept is penalized).
/// </summary>
internal sealed record LinearQuadratic(double[,] A, double[] B, bool[] Penalized, double L1, double L2, double Rows)
{
    public int Size => B.Length;

    /// <summary>The penalty terms l2·‖Rw‖² + l1·‖Rw‖₁ (the sum of squares is measured separately, from the moments).</summary>
    public double Penalty(double[] w)
    {
        double s = 0;
        for (int j = 0; j < w.Length; j++)
            if (Penalized[j]) s += L2 * w[j] * w[j] + L1 * Math.Abs(w[j]);
        return s;
    }

    /// <summary>Aw.</summary>
    public double[] Times(double[] w)
    {
        var r = new double[Size];
        for (int i = 0; i < Size; i++)
        {
            double s = 0;
            for (int j = 0; j < Size; j++) s += A[i, j] * w[j];
            r[i] = s;
        }
        return r;
    }
}

/// <summary>
/// LINEAR_REG's BATCH_GRADIENT_DESCENT on the quadratic from the moment matrix (the data is read once):
/// <list type="bullet">
/// <item>LINE_SEARCH without l1: Jacobi-preconditioned conjugate gradients; each iteration is one step with the exact
/// line search along the conjugate direction (the quadratic's minimizer on that line), restarted from the true residual
/// every max(size, 50) steps. Reported learning_rate = that step length.</item>
/// <item>LINE_SEARCH with l1: cyclic coordinate descent (glmnet's covariance updates: every coordinate minimized
/// exactly, soft-thresholded), one iteration = one sweep; when a sweep leaves the set of non-zero weights and their
/// signs unchanged, the quadratic restricted to that face is solved directly and kept if it keeps the signs, so
/// the lasso optimum is reached exactly rather than only in the limit. Reported learning_rate is NULL.</item>
/// <item>CONSTANT: plain (proximal, with l1) gradient steps of learn_rate on the mean objective (the objective / n).</item>
/// </list>
/// Early stop compares the regularized objective before and after an iteration; training also ends when the method
/// can make no further progress (conjugate gradients' residual at rounding level, weights that no longer move). loss/eval_loss are the training/evaluation MSE.
/// </summary>
internal static class LinearDescent
{
    /// <summary>Training SSE and evaluation MSE (null without evaluation rows) of weights w.</summary>
    public delegate (double TrainSse, double? EvalMse) Evaluate(double[] w);

    public static (double[] Weights, List<IterationInfo> Iterations) Run(
        LinearQuadratic q, GlmOptions options, double[] start, Evaluate evaluate, int trainingRun, string modelName,
        Stopwatch clock, CancellationToken cancellationToken, IProgress<IterationInfo>? observer = null)
    {
        var w = (double[])start.Clone();
        var iterations = new List<IterationInfo>();
        var (sse0, _) = evaluate(w);
        double previous = sse0 + q.Penalty(w);
        IStepper stepper = options.LearnRateStrategy == LearnRateStrategy.Constant
            ? new ConstantSteps(q, options.LearnRate)
            : q.L1 > 0 ? new CoordinateDescent(q) : new ConjugateGradient(q, w);
        for (int it = 0; it < options.MaxIterations; it++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (rate, exhausted) = stepper.Step(w);
            var (sse, evalMse) = evaluate(w);
            double objective = sse + q.Penalty(w);
            if (!double.IsFinite(objective) || w.Any(x => !double.IsFinite(x)))
                throw Errors.Training($"CREATE MODEL {modelName}: gradient descent diverged at iteration {it} (the loss became infinite)" +
                    (options.LearnRateStrategy == LearnRateStrategy.Constant ? $"; learn_rate = {options.LearnRate} is too large for this data. Lower learn_rate or use learn_rate_strategy = 'LINE_SEARCH'." : "."));
            iterations.Add(new IterationInfo(it, sse / q.Rows, evalMse, rate, clock.ElapsedMilliseconds) { TrainingRun = trainingRun });
            observer?.Report(iterations[^1]);
            double progress = previous - objective;
            if (exhausted) break;
            if (options.EarlyStop && progress < options.MinRelProgress * Math.Abs(previous)) break;
            previous = objective;
        }
        return (w, iterations);
    }

    private interface IStepper
    {
        /// <summary>One iteration in place; the learning rate to report and whether the method can make no further progress.</summary>
        (double? Rate, bool Exhausted) Step(double[] w);
    }

    private sealed class ConjugateGradient : IStepper
    {
        private readonly LinearQuadratic _q;
        private readonly double[] _inverseDiagonal;
        private readonly double _floor;
        private readonly int _restart;
        private double[] _r = [];
        private double[] _d = [];
        private double _rz;
        private int _sinceRestart;

        public ConjugateGradient(LinearQuadratic q, double[] w)
        {
            _q = q;
            _inverseDiagonal = new double[q.Size];
            double scale = 0;
            for (int j = 0; j < q.Size; j++)
            {
                _inverseDiagonal[j] = q.A[j, j] > 0 ? 1 / q.A[j, j] : 0;
                scale += q.B[j] * q.B[j] * _inverseDiagonal[j];
            }
            _floor = Math.Max(scale, double.Epsilon) * 1e-30;
            _restart = Math.Max(q.Size, 50);
            Restart(w);
        }

        private void Restart(double[] w)
        {
            var aw = _q.Times(w);
            _r = new double[_q.Size];
            for (int j = 0; j < _q.Size; j++) _r[j] = _q.B[j] - aw[j];
            _d = new double[_q.Size];
            _rz = 0;
            for (int j = 0; j < _q.Size; j++)
            {
                _d[j] = _r[j] * _inverseDiagonal[j];
                _rz += _r[j] * _d[j];
            }
            _sinceRestart = 0;
        }

        public (double? Rate, bool Exhausted) Step(double[] w)
        {
            if (_sinceRestart >= _restart) Restart(w);
            if (_rz <= _floor) return (0, true);
            var ad = _q.Times(_d);
            double dad = 0;
            for (int j = 0; j < _q.Size; j++) dad += _d[j] * ad[j];
            if (!(dad > 0)) return (0, true);
            double alpha = _rz / dad;
            double rzNew = 0;
            for (int j = 0; j < _q.Size; j++)
            {
                w[j] += alpha * _d[j];
                _r[j] -= alpha * ad[j];
                rzNew += _r[j] * _r[j] * _inverseDiagonal[j];
            }
            double beta = rzNew / _rz;
            for (int j = 0; j < _q.Size; j++) _d[j] = _r[j] * _inverseDiagonal[j] + beta * _d[j];
            _rz = rzNew;
            _sinceRestart++;
            return (alpha, false);
        }
    }

    private sealed class CoordinateDescent(LinearQuadratic q) : IStepper
    {
        private int[]? _lastSigns;

        public (double? Rate, bool Exhausted) Step(double[] w)
        {
            var aw = q.Times(w);
            double half = q.L1 / 2;
            double largest = 0, change = 0;
            for (int j = 0; j < q.Size; j++)
            {
                double a = q.A[j, j];
                double next;
                if (!(a > 0)) next = 0;
                else
                {
                    double c = q.B[j] - aw[j] + a * w[j];
                    next = q.Penalized[j] ? Math.Sign(c) * Math.Max(Math.Abs(c) - half, 0) / a : c / a;
                }
                double delta = next - w[j];
                largest = Math.Max(largest, Math.Abs(next));
                if (delta == 0) continue;
                change = Math.Max(change, Math.Abs(delta));
                w[j] = next;
                for (int i = 0; i < q.Size; i++) aw[i] += delta * q.A[i, j];
            }
            var signs = w.Select(Math.Sign).ToArray();
            if (_lastSigns is not null && signs.AsSpan().SequenceEqual(_lastSigns)) SolveFace(w, signs);
            _lastSigns = signs;
            return (null, change <= 1e-15 * largest);
        }

        /// <summary>The minimizer on the face where the non-zero weights keep their signs, when it keeps them.</summary>
        private void SolveFace(double[] w, int[] signs)
        {
            var active = Enumerable.Range(0, q.Size).Where(j => signs[j] != 0).ToArray();
            if (active.Length == 0) return;
            var a = Matrix<double>.Build.Dense(active.Length, active.Length, (i, k) => q.A[active[i], active[k]]);
            var rhs = Vector<double>.Build.Dense(active.Length, i => q.B[active[i]] - (q.Penalized[active[i]] ? q.L1 / 2 * signs[active[i]] : 0));
            Vector<double> x;
            try
            {
                var chol = a.Cholesky();
                if (!(chol.DeterminantLn > double.NegativeInfinity)) return;
                x = chol.Solve(rhs);
            }
            catch (ArgumentException)
            {
                return; // singular face (aliased columns): coordinate descent continues
            }
            for (int i = 0; i < active.Length; i++)
                if (!double.IsFinite(x[i]) || (q.Penalized[active[i]] && Math.Sign(x[i]) != signs[active[i]])) return;
            var candidate = (double[])w.Clone();
            for (int i = 0; i < active.Length; i++) candidate[active[i]] = x[i];
            if (Objective(candidate) > Objective(w)) return;
            Array.Copy(candidate, w, w.Length);
        }

        /// <summary>The objective up to its constant: wᵀAw − 2bᵀw + l1·‖Rw‖₁.</summary>
        private double Objective(double[] v)
        {
            var av = q.Times(v);
            double s = 0;
            for (int j = 0; j < q.Size; j++) s += v[j] * av[j] - 2 * q.B[j] * v[j] + (q.Penalized[j] ? q.L1 * Math.Abs(v[j]) : 0);
            return s;
        }
    }

    private sealed class ConstantSteps(LinearQuadratic q, double rate) : IStepper
    {
        public (double? Rate, bool Exhausted) Step(double[] w)
        {
            var aw = q.Times(w);
            double threshold = rate * q.L1 / q.Rows;
            bool moved = false;
            for (int j = 0; j < q.Size; j++)
            {
                double gradient = 2 * (aw[j] - q.B[j]) / q.Rows;
                double next = w[j] - rate * gradient;
                if (q.Penalized[j] && threshold > 0) next = Math.Sign(next) * Math.Max(Math.Abs(next) - threshold, 0);
                moved |= next != w[j];
                w[j] = next;
            }
            return (rate, !moved);
        }
    }
}
