using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace SqlMl.Training.Logistic;

/// <summary>
/// The smooth part of the LOGISTIC_REG objective, divided by the total class weight S = Σ cᵢ:
/// f(θ) = (Σ cᵢ ℓᵢ + l2·‖β‖²) / S, ℓᵢ = −log p(yᵢ). θ holds one block of <see cref="Columns"/> coefficients per score
/// (one score for binary: the log-odds of class 1; K for multiclass: softmax logits); β is every coefficient but the
/// intercept. Keeps the scores Xθ of the last evaluated point for gradients, Hessians and cheap line searches. Every
/// pass over the rows runs in parallel over the fixed <see cref="RowChunks"/> of the design (partials combined in chunk order).
/// </summary>
internal sealed class LogisticObjective
{
    private readonly DesignMatrix _x;
    private readonly RowChunks _chunks;
    private readonly double _l2;
    private readonly bool[] _penalized;
    private readonly double[][] _z;
    private readonly double[][] _u;
    private readonly double[][] _r;
    private readonly double[] _hessianWeight;
    private readonly double[] _theta;
    private readonly double[] _direction;
    private readonly ConcurrentBag<WeightedGram> _grams = [];
    private double[]? _multiclassWeight;

    public LogisticObjective(DesignMatrix x, int scores, double l2, bool fitIntercept)
    {
        _x = x;
        _chunks = new RowChunks(x.PaddedRows);
        Scores = scores;
        Columns = x.Columns;
        _l2 = l2;
        _penalized = Enumerable.Range(0, Columns).Select(j => !(fitIntercept && j == 0)).ToArray();
        TotalWeight = TensorPrimitives.Sum<double>(x.Weight);
        _z = NewArrays(scores, x.PaddedRows);
        _u = NewArrays(scores, x.PaddedRows);
        _r = NewArrays(scores, x.PaddedRows);
        _hessianWeight = scores == 1 ? new double[x.PaddedRows] : [];
        _theta = new double[Parameters];
        _direction = new double[Parameters];
    }

    public int Scores { get; }

    public int Columns { get; }

    public int Parameters => Scores * Columns;

    public double TotalWeight { get; }

    /// <summary>Mean class-weighted log loss (Σ cᵢ ℓᵢ / S) at the last evaluated point.</summary>
    public double Loss { get; private set; }

    public bool IsPenalized(int parameter) => _penalized[parameter % Columns];

    /// <summary>Evaluates f at θ (and its gradient when <paramref name="grad"/> is not empty); θ becomes the current point.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> grad) => Evaluate(theta, grad, double.NaN, false);

    /// <summary>
    /// Like <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/> for θ = θ_current + t·d with d the direction set
    /// last: the scores are updated as z + t·Xd instead of recomputed from the columns. With
    /// <paramref name="keepResiduals"/> and no gradient asked, the per-row residuals are still kept, so that
    /// <see cref="Hessian(Span{double})"/> can compute the Hessian and the gradient at θ in one pass.
    /// </summary>
    public double EvaluateAlong(ReadOnlySpan<double> theta, Span<double> grad, double t, bool keepResiduals = false) =>
        Evaluate(theta, grad, t, keepResiduals);

    private double Evaluate(ReadOnlySpan<double> theta, Span<double> grad, double along, bool keepResiduals)
    {
        theta.CopyTo(_theta);
        if (double.IsNaN(along)) ComputeScores(_x, _chunks, Scores, _theta, _z);
        else
            _chunks.For(c =>
            {
                int start = _chunks.Start(c), length = _chunks.Length(c, _x.PaddedRows);
                for (int k = 0; k < Scores; k++)
                    TensorPrimitives.MultiplyAdd(_u[k].AsSpan(start, length), along, _z[k].AsSpan(start, length), _z[k].AsSpan(start, length));
            });
        bool residuals = keepResiduals || !grad.IsEmpty;
        Loss = (Scores == 1
            ? BinaryLoss(_x, _chunks, _z[0], null, 0, residuals ? _r[0] : null, residuals ? _hessianWeight : null)
            : LossOf(_x, _chunks, Scores, _z, null, 0, residuals ? _r : null)) / TotalWeight;
        if (!grad.IsEmpty) Gradient(grad);
        double penalty = 0;
        for (int i = 0; i < theta.Length; i++)
            if (IsPenalized(i)) penalty += theta[i] * theta[i];
        return Loss + _l2 * penalty / TotalWeight;
    }

    /// <summary>
    /// ∇f at the last point evaluated with a gradient or with kept residuals: Xᵀr per score, chunk partials added in
    /// chunk order (one pass over the rows, without the Hessian).
    /// </summary>
    public void Gradient(Span<double> grad)
    {
        var parts = new double[_chunks.Count][];
        _chunks.For(c =>
        {
            int start = _chunks.Start(c), length = _chunks.Length(c, _x.PaddedRows);
            var g = parts[c] = new double[Parameters];
            for (int k = 0; k < Scores; k++)
                for (int j = 0; j < Columns; j++)
                    g[k * Columns + j] = TensorPrimitives.Dot<double>(_x.Cols[j].AsSpan(start, length), _r[k].AsSpan(start, length));
        });
        FinishGradient(parts, grad);
    }

    /// <summary>grad = Σ chunk partials / S + the penalty's gradient at the current point.</summary>
    private void FinishGradient(double[][] parts, Span<double> grad)
    {
        grad.Clear();
        foreach (var g in parts)
            for (int i = 0; i < grad.Length; i++) grad[i] += g[i];
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] /= TotalWeight;
            if (IsPenalized(i)) grad[i] += 2 * _l2 * _theta[i] / TotalWeight;
        }
    }

    /// <summary>Prepares <see cref="ValueAlong"/> for the direction <paramref name="d"/> from the current point.</summary>
    public void SetDirection(ReadOnlySpan<double> d)
    {
        d.CopyTo(_direction);
        ComputeScores(_x, _chunks, Scores, _direction, _u);
    }

    /// <summary>f(θ + t·d) for the current point θ and the direction set last, without a pass over the columns.</summary>
    public double ValueAlong(ReadOnlySpan<double> theta, ReadOnlySpan<double> d, double t)
    {
        double loss = LossOf(_x, _chunks, Scores, _z, _u, t, null) / TotalWeight, penalty = 0;
        for (int i = 0; i < theta.Length; i++)
            if (IsPenalized(i))
            {
                double v = theta[i] + t * d[i];
                penalty += v * v;
            }
        return loss + _l2 * penalty / TotalWeight;
    }

    /// <summary>The Hessian of f at the last point evaluated with a gradient or with kept residuals (P × P, score-major blocks).</summary>
    public double[,] Hessian() => Hessian(default);

    /// <summary>
    /// The Hessian of f at the last point evaluated with a gradient or with kept residuals, and, when
    /// <paramref name="grad"/> is not empty, ∇f there, computed in the same pass over the rows.
    /// </summary>
    public double[,] Hessian(Span<double> grad)
    {
        int f = Columns, p = Parameters, rows = _x.Rows;
        if (Scores > 1) _multiclassWeight ??= new double[_x.PaddedRows];
        var parts = new double[_chunks.Count][,];
        bool withGradient = !grad.IsEmpty;
        var gradParts = new double[_chunks.Count][];
        _chunks.For(c =>
        {
            if (!_grams.TryTake(out var gram)) gram = new WeightedGram(f);
            int start = _chunks.Start(c), end = start + _chunks.Length(c, _x.PaddedRows);
            var h = parts[c] = new double[p, p];
            var g = gradParts[c] = new double[p];
            if (Scores == 1)
                gram.Add(_x.Cols, start, end, _hessianWeight, h, 0, 0, symmetric: true, withGradient ? _r[0] : default, g);
            for (int k = 0; k < Scores && Scores > 1; k++)
                for (int l = k; l < Scores; l++)
                {
                    MulticlassWeights(k, l, start, Math.Min(end, rows), _multiclassWeight!);
                    gram.Add(_x.Cols, start, end, _multiclassWeight!, h, k * f, l * f, symmetric: k == l,
                        withGradient && k == l ? _r[k] : default, g.AsSpan(k * f, f));
                }
            _grams.Add(gram);
        });
        var hessian = new double[p, p];
        foreach (var part in parts)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) hessian[a, b] += part[a, b];
        if (withGradient) FinishGradient(gradParts, grad);
        for (int k = 0; k < Scores; k++)
            for (int l = k + 1; l < Scores; l++)
                for (int a = 0; a < f; a++)
                    for (int b = 0; b < f; b++) hessian[l * f + b, k * f + a] = hessian[k * f + a, l * f + b];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++) hessian[a, b] /= TotalWeight;
            if (IsPenalized(a)) hessian[a, a] += 2 * _l2 / TotalWeight;
        }
        return hessian;
    }

    /// <summary>The softmax Hessian weights c·p_k·(δ_kl − p_l) of rows [start, end) into <paramref name="d"/>.</summary>
    private void MulticlassWeights(int k, int l, int start, int end, double[] d)
    {
        var w = _x.Weight;
        var y = _x.Label;
        for (int i = start; i < end; i++)
        {
            double c = w[i];
            // _r holds c·(p − y); recover p = r / c + y where c > 0 (rows of weight 0 contribute nothing).
            if (c == 0) { d[i] = 0; continue; }
            double pk = _r[k][i] / c + (y[i] == k ? 1 : 0);
            double pl = _r[l][i] / c + (y[i] == l ? 1 : 0);
            d[i] = c * pk * ((k == l ? 1 : 0) - pl);
        }
    }

    /// <summary>Scores at θ for another design (evaluation rows): the mean class-weighted log loss there.</summary>
    public static double MeanLoss(DesignMatrix x, int scores, ReadOnlySpan<double> theta)
    {
        var chunks = new RowChunks(x.PaddedRows);
        var z = NewArrays(scores, x.PaddedRows);
        ComputeScores(x, chunks, scores, theta.ToArray(), z);
        double total = TensorPrimitives.Sum<double>(x.Weight);
        return total > 0 ? LossOf(x, chunks, scores, z, null, 0, null) / total : double.NaN;
    }

    /// <summary>Class probabilities of each row (row-major, K per row) at θ.</summary>
    public static double[] Probabilities(DesignMatrix x, int scores, int classes, ReadOnlySpan<double> theta)
    {
        var chunks = new RowChunks(x.PaddedRows);
        var z = NewArrays(scores, x.PaddedRows);
        ComputeScores(x, chunks, scores, theta.ToArray(), z);
        var p = new double[x.Rows * classes];
        chunks.For(c =>
        {
            int start = chunks.Start(c), end = start + chunks.Length(c, x.Rows);
            Span<double> e = stackalloc double[Math.Max(scores, 2)];
            for (int i = start; i < end; i++)
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
        });
        return p;
    }

    private static void ComputeScores(DesignMatrix x, RowChunks chunks, int scores, double[] theta, double[][] z)
    {
        const int block = 2048;
        int f = x.Columns;
        chunks.For(c =>
        {
            int from = chunks.Start(c), to = from + chunks.Length(c, x.PaddedRows);
            for (int k = 0; k < scores; k++)
                for (int start = from; start < to; start += block)
                {
                    // Accumulate every column into one cache-resident block of z.
                    int count = Math.Min(block, to - start);
                    var zk = z[k].AsSpan(start, count);
                    zk.Clear();
                    for (int j = 0; j < f; j++)
                    {
                        double coef = theta[k * f + j];
                        if (coef != 0) TensorPrimitives.MultiplyAdd(x.Cols[j].AsSpan(start, count), coef, zk, zk);
                    }
                }
        });
    }

    /// <summary>Σ cᵢ ℓᵢ at scores z + t·u; fills residual c·(p − y) per score when asked.</summary>
    private static double LossOf(DesignMatrix x, RowChunks chunks, int scores, double[][] z, double[][]? u, double t, double[][]? residual)
    {
        if (scores == 1) return BinaryLoss(x, chunks, z[0], u?[0], t, residual?[0], null);
        return chunks.Sum(c => SoftmaxLoss(x, chunks.Start(c), chunks.Start(c) + chunks.Length(c, x.Rows), scores, z, u, t, residual));
    }

    /// <summary>The multiclass Σ cᵢ ℓᵢ over rows [from, to).</summary>
    private static double SoftmaxLoss(DesignMatrix x, int from, int to, int scores, double[][] z, double[][]? u, double t, double[][]? residual)
    {
        var w = x.Weight;
        var y = x.Label;
        double sum = 0;
        Span<double> zs = stackalloc double[scores];
        for (int i = from; i < to; i++)
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

    private static double BinaryLoss(DesignMatrix x, RowChunks chunks, double[] z, double[]? u, double t, double[]? residual, double[]? hessianWeight) =>
        chunks.Sum(c => BinaryLoss(x, chunks.Start(c), chunks.Start(c) + chunks.Length(c, x.Rows), z, u, t, residual, hessianWeight));

    /// <summary>
    /// The binary Σ c·(softplus(z) − y·z) over rows [from, to) with vector math, block by block:
    /// softplus(z) = max(z, 0) + log(1 + e^(−|z|)), residual c·(σ(z) − y).
    /// </summary>
    private static double BinaryLoss(DesignMatrix x, int from, int to, double[] zFull, double[]? u, double t, double[]? residual, double[]? hessianWeight)
    {
        const int block = 1024;
        var a = new double[block];
        var b = new double[block];
        var y = new double[block];
        var moved = new double[block];
        double sum = 0;
        for (int start = from; start < to; start += block)
        {
            int count = Math.Min(block, to - start);
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
