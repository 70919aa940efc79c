using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using SqlMl.Evaluation;
using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// LINEAR_REG in one streaming pass: <see cref="MomentAccumulator"/> collects the moment matrix,
/// <see cref="SplitRouter"/> sets evaluation rows aside, and their contribution is subtracted afterwards.
/// Numeric features are standardized (NULL → training mean), categorical ones one-hot encoded (NULL is a category;
/// DUMMY_ENCODING drops the first level). Both optimizers work on the quadratic from the moment matrix, so the data is
/// read once whatever the strategy:
/// <list type="bullet">
/// <item>NORMAL_EQUATION: (XᵀX + λR) w = Xᵀy, R penalizing everything but the intercept, solved by a symmetric
/// eigendecomposition with small eigenvalues dropped: the minimum-norm least-squares solution, so the rank-deficient
/// design of one-hot columns plus an intercept gives unique predictions, not an error.</item>
/// <item>BATCH_GRADIENT_DESCENT: <see cref="LinearDescent"/> (needed for l1_reg and warm_start).</item>
/// </list>
/// AUTO_STRATEGY follows BigQuery's rule (<see cref="ChooseStrategy"/>).
/// </summary>
internal static class LinearRegressionTrainer
{
    public static (LinearModel Model, TrainingReport Report) Train(
        ITrainingData data, GlmOptions options, string modelName, LinearModel? warmStart = null, int trainingRun = 0,
        CancellationToken cancellationToken = default, IProgress<IterationInfo>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var schema = data.Schema;
        CheckOptions(schema, options, modelName);
        MomentAccumulator? acc = null;
        SplitRouter? router = null;
        foreach (var batch in data.ReadBatches(cancellationToken))
        {
            acc ??= new MomentAccumulator(schema.Numeric.Count, schema.Categorical.Count, batch.Capacity);
            router ??= new SplitRouter(options.Split, acc.DenseWidth, acc.MaxSparsePerRow);
            AddBatch(acc, router, batch, schema, modelName);
        }
        return Fit(acc, router, schema, data.Dictionaries, options, modelName, warmStart, trainingRun, cancellationToken, progress, clock);
    }

    /// <summary>Option combinations that depend on the schema, checked before any row is read.</summary>
    public static void CheckOptions(TrainingSchema schema, GlmOptions options, string modelName)
    {
        if (options.CalculatePValues && options.Encoding == CategoryEncoding.OneHot && schema.Categorical.Count > 0)
            throw Errors.OptionValue($"CREATE MODEL {modelName}", "calculate_p_values",
                $"needs category_encoding_method = 'DUMMY_ENCODING' when there are categorical features (here {string.Join(", ", schema.Categorical)}): one-hot levels beside the intercept are linearly dependent");
    }

    /// <summary>One batch of the pass: checks its labels and features, then adds it to the moments and the split.</summary>
    public static void AddBatch(MomentAccumulator acc, SplitRouter router, ColumnBatch batch, TrainingSchema schema, string modelName)
    {
        CheckBatch(batch, schema, modelName);
        acc.Add(batch, router.Visitor(batch));
    }

    /// <summary>
    /// Fits the model from the moments and evaluation rows of a finished pass (<paramref name="acc"/> and
    /// <paramref name="router"/> null when there were no rows), however the pass was run: one stream, or several
    /// accumulators merged.
    /// </summary>
    public static (LinearModel Model, TrainingReport Report) Fit(
        MomentAccumulator? acc, SplitRouter? router, TrainingSchema schema, IReadOnlyList<CategoryDictionary> dictionaries,
        GlmOptions options, string modelName, LinearModel? warmStart, int trainingRun,
        CancellationToken cancellationToken, IProgress<IterationInfo>? progress, Stopwatch clock)
    {
        if (acc is null || router is null || router.Rows == 0)
            throw Errors.Training($"CREATE MODEL {modelName}: the training query returned no rows.");

        var (store, evalSlots) = router.Finish();
        foreach (int slot in evalSlots) acc.Subtract(store.Dense(slot), store.Sparse(slot));
        var m = acc.ToMatrix();
        double n = m[0, 0];
        if (n < 0.5)
            throw Errors.Training($"CREATE MODEL {modelName}: every row went to the evaluation split; no training rows are left. Check data_split_col / data_split_eval_fraction.");

        var design = DesignMap.Build(acc, m, schema, dictionaries, options.FitIntercept, options.Encoding == CategoryEncoding.Dummy, modelName);
        var strategy = ChooseStrategy(options, design.Cardinality, n);
        if (strategy == OptimizeStrategy.NormalEquation && design.Cardinality > GlmOptions.Defaults.MaxNormalEquationCardinality)
            throw Errors.Training($"CREATE MODEL {modelName}: {design.Cardinality} features after one-hot encoding exceed NORMAL_EQUATION's limit of {GlmOptions.Defaults.MaxNormalEquationCardinality}. Use optimize_strategy = 'BATCH_GRADIENT_DESCENT' or 'AUTO_STRATEGY'.");

        int size = m.GetLength(0);
        var target = design.Target(size);
        var evalTarget = evalSlots.Select(s => Dot(target, store.Dense(s), store.Sparse(s), acc.DenseWidth)).ToArray();
        (double TrainSse, double? EvalMse) Evaluate(double[] w)
        {
            var q = design.PredictionVector(w, size);
            var residual = (double[])target.Clone();
            for (int i = 0; i < size; i++) residual[i] -= q[i];
            double sse = Math.Max(0, Quadratic(m, residual));
            if (evalSlots.Count == 0) return (sse, null);
            double e = 0;
            for (int i = 0; i < evalSlots.Count; i++)
            {
                double r = evalTarget[i] - Dot(q, store.Dense(evalSlots[i]), store.Sparse(evalSlots[i]), acc.DenseWidth);
                e += r * r;
            }
            return (sse, e / evalSlots.Count);
        }

        var (xtx, xty) = design.NormalEquations(m);
        double[] w;
        List<IterationInfo> iterations;
        if (strategy == OptimizeStrategy.NormalEquation)
        {
            w = Solve(design, xtx, xty, options.L2Reg);
            if (w.Any(x => !double.IsFinite(x)))
                throw Errors.Training($"CREATE MODEL {modelName}: the normal equation has no finite solution for this data.");
            var (sse, evalMse) = Evaluate(w);
            iterations = [new IterationInfo(0, sse / n, evalMse, null, clock.ElapsedMilliseconds) { TrainingRun = trainingRun }];
            progress?.Report(iterations[0]);
        }
        else
        {
            var quadratic = Quadratic(design, xtx, xty, options, n);
            var start = warmStart is null ? new double[design.Features.Count] : design.StartFrom(warmStart);
            (w, iterations) = LinearDescent.Run(quadratic, options, start, Evaluate, trainingRun, modelName, clock, cancellationToken, observer: progress);
        }

        var qFinal = design.PredictionVector(w, size);
        RegressionMetrics? metrics = null;
        if (evalSlots.Count > 0)
        {
            var p = evalSlots.Select(s => Dot(qFinal, store.Dense(s), store.Sparse(s), acc.DenseWidth)).ToArray();
            metrics = RegressionMetrics.Compute(evalTarget, p);
        }

        var model = design.ToModel(w, schema.Label!);
        if (options.CalculatePValues)
            model = model with { Stats = CoefficientStatistics.Compute(design, xtx, options.L2Reg, model, Evaluate(w).TrainSse, n, modelName) };
        return (model, new TrainingReport(iterations, (long)Math.Round(n), evalSlots.Count, metrics));
    }

    /// <summary>
    /// BigQuery's AUTO_STRATEGY (reference §4.1): l1_reg or warm_start → gradient descent; more than 10,000 features
    /// after one-hot encoding → gradient descent; fewer training rows than 10 × that cardinality → gradient descent;
    /// otherwise the normal equation.
    /// </summary>
    public static OptimizeStrategy ChooseStrategy(GlmOptions options, int cardinality, double trainingRows)
    {
        if (options.Strategy != OptimizeStrategy.AutoStrategy) return options.Strategy;
        if (options.L1Reg > 0 || options.WarmStart) return OptimizeStrategy.BatchGradientDescent;
        if (cardinality > GlmOptions.Defaults.MaxNormalEquationCardinality) return OptimizeStrategy.BatchGradientDescent;
        if (trainingRows < 10.0 * cardinality) return OptimizeStrategy.BatchGradientDescent;
        return OptimizeStrategy.NormalEquation;
    }

    private static LinearQuadratic Quadratic(DesignMap design, double[,] xtx, double[] xty, GlmOptions options, double n)
    {
        int f = design.Features.Count;
        var a = (double[,])xtx.Clone();
        var penalized = new bool[f];
        for (int j = 0; j < f; j++)
        {
            penalized[j] = !design.IsIntercept(j);
            if (penalized[j]) a[j, j] += options.L2Reg;
        }
        return new LinearQuadratic(a, xty, penalized, options.L1Reg, options.L2Reg, n);
    }

    /// <summary>Rejects a batch with a NULL or non-finite label, or a non-finite feature value.</summary>
    public static void CheckBatch(ColumnBatch batch, TrainingSchema schema, string modelName)
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

    private static double[] Solve(DesignMap design, double[,] xtx, double[] b, double l2)
    {
        int f = design.Features.Count;
        var g = (double[,])xtx.Clone();
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
