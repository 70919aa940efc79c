using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using SqlMl.Evaluation;
using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// LINEAR_REG by the normal equation, in one streaming pass: <see cref="MomentAccumulator"/> collects the moment
/// matrix, <see cref="SplitRouter"/> sets evaluation rows aside, and their contribution is subtracted afterwards.
/// Numeric features are standardized (NULL → training mean), categorical ones one-hot encoded (NULL is a category).
/// The system (XᵀX + λR) w = Xᵀy, R penalizing everything but the intercept, is solved by a symmetric
/// eigendecomposition with small eigenvalues dropped: the minimum-norm least-squares solution, so the
/// rank-deficient design of one-hot columns plus an intercept gives unique predictions, not an error.
/// </summary>
internal static class LinearRegressionTrainer
{
    public static (LinearModel Model, TrainingReport Report) Train(
        ITrainingData data, GlmOptions options, string modelName, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var schema = data.Schema;
        MomentAccumulator? acc = null;
        SplitRouter? router = null;
        foreach (var batch in data.ReadBatches(cancellationToken))
        {
            acc ??= new MomentAccumulator(schema.Numeric.Count, schema.Categorical.Count, batch.Capacity);
            router ??= new SplitRouter(options.Split, acc.DenseWidth, acc.MaxSparsePerRow);
            CheckBatch(batch, schema, modelName);
            acc.Add(batch, router.Visitor(batch));
        }
        if (acc is null || router is null || router.Rows == 0)
            throw Errors.Training($"CREATE MODEL {modelName}: the training query returned no rows.");

        var (store, evalSlots) = router.Finish();
        foreach (int slot in evalSlots) acc.Subtract(store.Dense(slot), store.Sparse(slot));
        var m = acc.ToMatrix();
        double n = m[0, 0];
        if (n < 0.5)
            throw Errors.Training($"CREATE MODEL {modelName}: every row went to the evaluation split; no training rows are left. Check data_split_col / data_split_eval_fraction.");

        var design = DesignMap.Build(acc, m, schema, data.Dictionaries, options.FitIntercept, modelName);
        if (design.Features.Count > GlmOptions.Defaults.MaxNormalEquationCardinality)
            throw Errors.Training($"CREATE MODEL {modelName}: {design.Features.Count} features after one-hot encoding exceed NORMAL_EQUATION's limit of {GlmOptions.Defaults.MaxNormalEquationCardinality}.");

        var w = Solve(design, m, options.L2Reg);
        if (w.Any(x => !double.IsFinite(x)))
            throw Errors.Training($"CREATE MODEL {modelName}: the normal equation has no finite solution for this data.");

        var q = design.PredictionVector(w, m.GetLength(0));
        var residual = design.Target(m.GetLength(0));
        for (int i = 0; i < q.Length; i++) residual[i] -= q[i];
        double trainMse = Math.Max(0, Quadratic(m, residual)) / n;

        RegressionMetrics? metrics = null;
        if (evalSlots.Count > 0)
        {
            var target = design.Target(m.GetLength(0));
            var y = new double[evalSlots.Count];
            var p = new double[evalSlots.Count];
            for (int i = 0; i < evalSlots.Count; i++)
            {
                y[i] = Dot(target, store.Dense(evalSlots[i]), store.Sparse(evalSlots[i]), acc.DenseWidth);
                p[i] = Dot(q, store.Dense(evalSlots[i]), store.Sparse(evalSlots[i]), acc.DenseWidth);
            }
            metrics = RegressionMetrics.Compute(y, p);
        }

        var model = design.ToModel(w, schema.Label!);
        var info = new IterationInfo(0, trainMse, metrics?.MeanSquaredError, null, clock.ElapsedMilliseconds);
        return (model, new TrainingReport([info], (long)Math.Round(n), evalSlots.Count, metrics));
    }

    private static void CheckBatch(ColumnBatch batch, TrainingSchema schema, string modelName)
    {
        if (batch.LabelValidity is { } v)
            for (int r = 0; r < batch.Count; r++)
                if (!ColumnBatch.IsValid(v, r))
                    throw Errors.Training($"CREATE MODEL {modelName}: label column '{schema.Label}' is NULL in some rows. Filter them out, e.g. WHERE {schema.Label} IS NOT NULL.");
        if (!AllFinite(batch.Label.AsSpan(0, batch.Count), null))
            throw Errors.Training($"CREATE MODEL {modelName}: label column '{schema.Label}' contains NaN or Infinity; LINEAR_REG needs real-valued labels.");
        for (int j = 0; j < schema.Numeric.Count; j++)
            if (!AllFinite(batch.Numeric[j].AsSpan(0, batch.Count), batch.NumericValidity[j]))
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' contains NaN or Infinity.");
    }

    private static bool AllFinite(ReadOnlySpan<double> values, ulong[]? validity)
    {
        if (double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(values))) return true;
        for (int r = 0; r < values.Length; r++)
            if (ColumnBatch.IsValid(validity, r) && !double.IsFinite(values[r])) return false;
        return true;
    }

    private static double[] Solve(DesignMap design, double[,] m, double l2)
    {
        int f = design.Features.Count;
        var (g, b) = design.NormalEquations(m);
        for (int a = 0; a < f; a++)
            if (!design.IsIntercept(a)) g[a, a] += l2;
        var evd = Matrix<double>.Build.DenseOfArray(g).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var vectors = evd.EigenVectors;
        double max = values.Max(Math.Abs);
        double tol = max * Math.Max(f, 10) * 1e-14;
        var rhs = Vector<double>.Build.DenseOfArray(b);
        var proj = vectors.TransposeThisAndMultiply(rhs);
        for (int i = 0; i < f; i++) proj[i] = values[i] > tol ? proj[i] / values[i] : 0;
        return (vectors * proj).ToArray();
    }

    private static double Quadratic(double[,] m, double[] v)
    {
        int size = v.Length;
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            if (v[i] == 0) continue;
            double row = 0;
            for (int j = 0; j < size; j++) row += m[i, j] * v[j];
            sum += v[i] * row;
        }
        return sum;
    }

    private static double Dot(double[] coef, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse, int denseWidth)
    {
        double s = 0;
        for (int k = 0; k < dense.Length; k++) s += coef[k] * dense[k];
        foreach (int idx in sparse) s += coef[denseWidth + idx];
        return s;
    }
}
