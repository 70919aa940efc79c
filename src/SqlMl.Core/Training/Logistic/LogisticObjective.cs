using System.Numerics.Tensors;

namespace SqlMl.Training.Logistic;

/// <summary>
/// The smooth part of the LOGISTIC_REG objective, divided by the total class weight S = Σ cᵢ:
/// f(θ) = (Σ cᵢ ℓᵢ + l2·‖β‖²) / S, ℓᵢ = −log p(yᵢ). θ holds one block of <see cref="Columns"/> coefficients per score
/// (one score for binary: the log-odds of class 1; K for multiclass: softmax logits); β is every coefficient but the
/// intercept. Keeps the scores Xθ of the last evaluated point for gradients, Hessians and cheap line searches.
/// </summary>
internal sealed class LogisticObjective
{
    private readonly DesignMatrix _x;
    private readonly double _l2;
    private readonly bool[] _penalized;
    private readonly double[][] _z;
    private readonly double[][] _u;
    private readonly double[][] _r;
    private readonly double[] _hessianWeight;
    private WeightedGram? _gram;

    public LogisticObjective(DesignMatrix x, int scores, double l2, bool fitIntercept)
    {
        _x = x;
        Scores = scores;
        Columns = x.Columns;
        _l2 = l2;
        _penalized = Enumerable.Range(0, Columns).Select(j => !(fitIntercept && j == 0)).ToArray();
        TotalWeight = TensorPrimitives.Sum<double>(x.Weight);
        _z = NewArrays(scores, x.PaddedRows);
        _u = NewArrays(scores, x.PaddedRows);
        _r = NewArrays(scores, x.PaddedRows);
        _hessianWeight = scores == 1 ? new double[x.PaddedRows] : [];
    }

    public int Scores { get; }

    public int Columns { get; }

    public int Parameters => Scores * Columns;

    public double TotalWeight { get; }

    /// <summary>Mean class-weighted log loss (Σ cᵢ ℓᵢ / S) at the last evaluated point.</summary>
    public double Loss { get; private set; }

    public bool IsPenalized(int parameter) => _penalized[parameter % Columns];

    /// <summary>Evaluates f at θ (and its gradient when <paramref name="grad"/> is not empty); θ becomes the current point.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> grad) => Evaluate(theta, grad, double.NaN);

    /// <summary>
    /// Like <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/> for θ = θ_current + t·d with d the direction set
    /// last: the scores are updated as z + t·Xd instead of recomputed from the columns.
    /// </summary>
    public double EvaluateAlong(ReadOnlySpan<double> theta, Span<double> grad, double t) => Evaluate(theta, grad, t);

    private double Evaluate(ReadOnlySpan<double> theta, Span<double> grad, double along)
    {
        if (double.IsNaN(along)) Scores_(theta, _z);
        else
            for (int k = 0; k < Scores; k++)
                TensorPrimitives.MultiplyAdd(_u[k].AsSpan(0, _x.PaddedRows), along, _z[k].AsSpan(0, _x.PaddedRows), _z[k].AsSpan(0, _x.PaddedRows));
        Loss = (Scores == 1
            ? BinaryLoss(_x, _z[0], null, 0, grad.IsEmpty ? null : _r[0], grad.IsEmpty ? null : _hessianWeight)
            : LossOf(_z, null, 0, grad.IsEmpty ? null : _r)) / TotalWeight;
        if (!grad.IsEmpty)
        {
            int n = _x.PaddedRows;
            for (int k = 0; k < Scores; k++)
                for (int j = 0; j < Columns; j++)
                    grad[k * Columns + j] = TensorPrimitives.Dot<double>(_x.Cols[j].AsSpan(0, n), _r[k].AsSpan(0, n)) / TotalWeight;
        }
        double penalty = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            if (!IsPenalized(i)) continue;
            penalty += theta[i] * theta[i];
            if (!grad.IsEmpty) grad[i] += 2 * _l2 * theta[i] / TotalWeight;
        }
        return Loss + _l2 * penalty / TotalWeight;
    }

    /// <summary>Prepares <see cref="ValueAlong"/> for the direction <paramref name="d"/> from the current point.</summary>
    public void SetDirection(ReadOnlySpan<double> d) => Scores_(d, _u);

    /// <summary>f(θ + t·d) for the current point θ and the direction set last, without a pass over the columns.</summary>
    public double ValueAlong(ReadOnlySpan<double> theta, ReadOnlySpan<double> d, double t)
    {
        double loss = LossOf(_z, _u, t, null) / TotalWeight, penalty = 0;
        for (int i = 0; i < theta.Length; i++)
            if (IsPenalized(i))
            {
                double v = theta[i] + t * d[i];
                penalty += v * v;
            }
        return loss + _l2 * penalty / TotalWeight;
    }

    /// <summary>The Hessian of f at the last point evaluated with a gradient (P × P, score-major blocks).</summary>
    public double[,] Hessian()
    {
        int f = Columns, n = _x.PaddedRows, rows = _x.Rows;
        _gram ??= new WeightedGram(f);
        var h = new double[Parameters, Parameters];
        var d = new double[n];
        var w = _x.Weight;
        var y = _x.Label;
        if (Scores == 1) _gram.Add(_x.Cols, n, _hessianWeight, h, 0, 0, symmetric: true);
        for (int k = 0; k < Scores && Scores > 1; k++)
            for (int l = k; l < Scores; l++)
            {
                // _r holds c·(p − y); recover p = r / c + y where c > 0 (rows of weight 0 contribute nothing).
                for (int i = 0; i < rows; i++)
                {
                    double c = w[i];
                    if (c == 0) { d[i] = 0; continue; }
                    // q = p − 1{y = k}; p(1 − p) from q keeps its precision for p near 0 or 1.
                    double qk = _r[k][i] / c, ql = _r[l][i] / c;
                    double pk = qk + (Indicator(y[i], k) ? 1 : 0);
                    double pl = ql + (Indicator(y[i], l) ? 1 : 0);
                    d[i] = Scores == 1 ? c * (y[i] == 1 ? -qk * (1 + qk) : qk * (1 - qk)) : c * pk * ((k == l ? 1 : 0) - pl);
                }
                _gram.Add(_x.Cols, n, d, h, k * f, l * f, symmetric: k == l);
            }
        for (int k = 0; k < Scores; k++)
            for (int l = k + 1; l < Scores; l++)
                for (int a = 0; a < f; a++)
                    for (int b = 0; b < f; b++) h[l * f + b, k * f + a] = h[k * f + a, l * f + b];
        for (int a = 0; a < Parameters; a++)
        {
            for (int b = 0; b < Parameters; b++) h[a, b] /= TotalWeight;
            if (IsPenalized(a)) h[a, a] += 2 * _l2 / TotalWeight;
        }
        return h;
    }

    /// <summary>Scores at θ for another design (evaluation rows): the mean class-weighted log loss there.</summary>
    public static double MeanLoss(DesignMatrix x, int scores, ReadOnlySpan<double> theta)
    {
        var z = NewArrays(scores, x.PaddedRows);
        ComputeScores(x, scores, theta, z);
        double total = TensorPrimitives.Sum<double>(x.Weight);
        return total > 0 ? LossOf(x, scores, z, null, 0, null) / total : double.NaN;
    }

    /// <summary>Class probabilities of each row (row-major, K per row) at θ.</summary>
    public static double[] Probabilities(DesignMatrix x, int scores, int classes, ReadOnlySpan<double> theta)
    {
        var z = NewArrays(scores, x.PaddedRows);
        ComputeScores(x, scores, theta, z);
        var p = new double[x.Rows * classes];
        Span<double> e = stackalloc double[Math.Max(scores, 2)];
        for (int i = 0; i < x.Rows; i++)
        {
            if (scores == 1)
            {
                double p1 = 1 / (1 + Math.Exp(-z[0][i]));
                p[2 * i] = 1 - p1;
                p[2 * i + 1] = p1;
                continue;
            }
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < scores; k++) max = Math.Max(max, z[k][i]);
            for (int k = 0; k < scores; k++) sum += e[k] = Math.Exp(z[k][i] - max);
            for (int k = 0; k < scores; k++) p[i * classes + k] = e[k] / sum;
        }
        return p;
    }

    private static bool Indicator(int label, int score) => label == score;

    private void Scores_(ReadOnlySpan<double> theta, double[][] z) => ComputeScores(_x, Scores, theta, z);

    private static void ComputeScores(DesignMatrix x, int scores, ReadOnlySpan<double> theta, double[][] z)
    {
        const int block = 2048;
        int n = x.PaddedRows, f = x.Columns;
        for (int k = 0; k < scores; k++)
            for (int start = 0; start < n; start += block)
            {
                // Accumulate every column into one cache-resident block of z.
                int count = Math.Min(block, n - start);
                var zk = z[k].AsSpan(start, count);
                zk.Clear();
                for (int j = 0; j < f; j++)
                {
                    double c = theta[k * f + j];
                    if (c != 0) TensorPrimitives.MultiplyAdd(x.Cols[j].AsSpan(start, count), c, zk, zk);
                }
            }
    }

    private double LossOf(double[][] z, double[][]? u, double t, double[][]? residual) => LossOf(_x, Scores, z, u, t, residual);

    /// <summary>Σ cᵢ ℓᵢ at scores z + t·u; fills residual c·(p − y) per score when asked.</summary>
    private static double LossOf(DesignMatrix x, int scores, double[][] z, double[][]? u, double t, double[][]? residual)
    {
        int rows = x.Rows;
        var w = x.Weight;
        var y = x.Label;
        double sum = 0;
        if (scores == 1) return BinaryLoss(x, z[0], u?[0], t, residual?[0], null);
        Span<double> zs = stackalloc double[scores];
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < scores; k++)
            {
                zs[k] = u is null ? z[k][i] : z[k][i] + t * u[k][i];
                max = Math.Max(max, zs[k]);
            }
            double s = 0;
            for (int k = 0; k < scores; k++) s += Math.Exp(zs[k] - max);
            double lse = max + Math.Log(s);
            sum += w[i] * (lse - zs[y[i]]);
            if (residual is not null)
                for (int k = 0; k < scores; k++)
                    residual[k][i] = w[i] * (Math.Exp(zs[k] - lse) - (y[i] == k ? 1 : 0));
        }
        return sum;
    }

    /// <summary>
    /// The binary Σ c·(softplus(z) − y·z) with vector math, block by block: softplus(z) = max(z, 0) + log(1 + e^(−|z|)),
    /// residual c·(σ(z) − y).
    /// </summary>
    private static double BinaryLoss(DesignMatrix x, double[] zFull, double[]? u, double t, double[]? residual, double[]? hessianWeight)
    {
        const int block = 1024;
        var a = new double[block];
        var b = new double[block];
        var y = new double[block];
        var moved = new double[block];
        double sum = 0;
        for (int start = 0; start < x.Rows; start += block)
        {
            int count = Math.Min(block, x.Rows - start);
            ReadOnlySpan<double> zs = zFull.AsSpan(start, count);
            if (u is not null)
            {
                TensorPrimitives.MultiplyAdd(u.AsSpan(start, count), t, zs, moved.AsSpan(0, count));
                zs = moved.AsSpan(0, count);
            }
            var ws = x.Weight.AsSpan(start, count);
            var ab = a.AsSpan(0, count);
            var bb = b.AsSpan(0, count);
            var yb = y.AsSpan(0, count);
            for (int i = 0; i < count; i++) yb[i] = x.Label[start + i];
            TensorPrimitives.Abs(zs, ab);
            TensorPrimitives.Negate(ab, ab);
            TensorPrimitives.Exp(ab, ab);
            TensorPrimitives.Add(ab, 1.0, ab);
            TensorPrimitives.Log(ab, ab);                 // log(1 + e^(−|z|))
            TensorPrimitives.Max(zs, 0.0, bb);
            TensorPrimitives.Add(ab, bb, ab);             // softplus(z)
            TensorPrimitives.Multiply(yb, zs, bb);
            TensorPrimitives.Subtract(ab, bb, ab);        // softplus(z) − y z
            sum += TensorPrimitives.Dot(ab, ws);
            if (residual is null) continue;
            var rs = residual.AsSpan(start, count);
            TensorPrimitives.Sigmoid(zs, rs);
            if (hessianWeight is not null)
            {
                // c·σ(1 − σ) = c·σ(−|z|)·(1 − σ(−|z|)): the small factor computed directly keeps its precision.
                var hs = hessianWeight.AsSpan(start, count);
                TensorPrimitives.Abs(zs, bb);
                TensorPrimitives.Negate(bb, bb);
                TensorPrimitives.Sigmoid(bb, bb);
                TensorPrimitives.Subtract(1.0, bb, hs);
                TensorPrimitives.Multiply(hs, bb, hs);
                TensorPrimitives.Multiply(hs, ws, hs);
            }
            TensorPrimitives.Subtract(rs, yb, rs);
            TensorPrimitives.Multiply(rs, ws, rs);
        }
        return sum;
    }

    private static double[][] NewArrays(int count, int length)
    {
        var a = new double[count][];
        for (int k = 0; k < count; k++) a[k] = new double[length];
        return a;
    }
}
