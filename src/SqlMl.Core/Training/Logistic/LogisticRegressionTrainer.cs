using SqlMl.Evaluation;
using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>The label side of a LOGISTIC_REG training: the label column, its DuckDB type, and the classes in ascending label order.</summary>
internal sealed record LogisticLabels(string Label, string LabelType, IReadOnlyList<string> Classes)
{
    /// <summary>
    /// Rows the training query is expected to return (counted with the classes; 0 when unknown): the trainer sizes its
    /// in-memory columns once from it. Only a size hint: the rows actually read decide.
    /// </summary>
    public long ExpectedRows { get; init; }
}

/// <summary>What LOGISTIC_REG training returns: the model, per-iteration info and row counts, and the stored evaluation metrics.</summary>
internal sealed record LogisticTrainingResult(
    LogisticModel Model,
    TrainingReport Report,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    string MetricsSource)
{
    /// <summary>Why the optimizer stopped.</summary>
    public LogisticStop Stop { get; init; }
}

/// <summary>
/// LOGISTIC_REG training: rows are read into memory (<see cref="LogisticRawData"/>), split, standardized and encoded
/// (<see cref="LogisticLayout"/>, <see cref="DesignMatrix"/>), then the regularized objective is minimized by Newton
/// (few coefficients, no L1), L-BFGS / OWL-QN (many coefficients or L1) or constant-step gradient descent
/// (learn_rate_strategy = 'CONSTANT'), under BigQuery's iteration semantics (<see cref="LogisticIterations"/>).
/// </summary>
internal static class LogisticRegressionTrainer
{
    /// <summary>Newton is used up to this many coefficients (scores × design columns); L-BFGS above.</summary>
    public const int MaxNewtonParameters = 300;

    /// <summary>
    /// Trains on <paramref name="data"/>, whose label column holds the class index (0 … Classes.Count − 1, as DOUBLE)
    /// in <see cref="LogisticLabels.Classes"/> order. <paramref name="warmStart"/> is the existing model for warm_start.
    /// </summary>
    public static LogisticTrainingResult Train(ITrainingData data, GlmOptions options, LogisticLabels labels, string modelName,
        LogisticModel? warmStart, int trainingRun, CancellationToken cancellationToken, IProgress<IterationInfo>? progress = null)
    {
        int k = labels.Classes.Count;
        if (k < 2)
            throw Errors.Training($"CREATE MODEL {modelName}: label column '{labels.Label}' has {(k == 0 ? "no values" : $"only one distinct value ('{labels.Classes[0]}')")}; LOGISTIC_REG needs at least two classes.");
        if (k > GlmOptions.Defaults.MaxClasses)
            throw Errors.Training($"CREATE MODEL {modelName}: label column '{labels.Label}' has {k} distinct values; LOGISTIC_REG takes at most {GlmOptions.Defaults.MaxClasses} classes.");
        var schema = data.Schema;
        if (warmStart is not null) LogisticWarmStart.Check(warmStart, schema, labels, options, modelName);

        var raw = LogisticRawData.Read(data, options.Split, k, modelName, cancellationToken, labels.ExpectedRows);
        var counts = new long[k];
        for (int r = 0; r < raw.Rows; r++)
            if (!raw.IsEval[r]) counts[raw.Label[r]]++;
        long trainRows = counts.Sum(), evalRows = raw.Rows - trainRows;
        if (trainRows == 0)
            throw Errors.Training($"CREATE MODEL {modelName}: every row went to the evaluation split; no training rows are left. Check data_split_col / data_split_eval_fraction.");
        for (int c = 0; c < k; c++)
            if (counts[c] == 0)
                throw Errors.Training($"CREATE MODEL {modelName}: class '{labels.Classes[c]}' of label column '{labels.Label}' has no training rows after the data split; use data_split_method = 'NO_SPLIT' or another split, or filter the class out.");
        var classWeights = LogisticClassWeights.Resolve(options, labels.Classes, counts, modelName);
        if (options.CalculatePValues) CheckPValues(options, schema, k, modelName);

        var layout = LogisticLayout.Build(raw, schema, data.Dictionaries, options.FitIntercept, options.Encoding, warmStart?.Scores[0], modelName);
        if ((long)layout.Columns * raw.Rows > DesignMatrix.MaxCells)
            throw Errors.Training($"CREATE MODEL {modelName}: {raw.Rows:N0} rows × {layout.Columns:N0} encoded features exceed LOGISTIC_REG's in-memory limit of {DesignMatrix.MaxCells:N0} values; sample the training query or drop high-cardinality categorical columns.");
        var codeColumns = layout.CodeColumns(data.Dictionaries);
        var train = DesignMatrix.Build(raw, layout, codeColumns, classWeights, eval: false);
        var eval = evalRows > 0 ? DesignMatrix.Build(raw, layout, codeColumns, classWeights, eval: true) : null;

        int scores = k == 2 ? 1 : k;
        var theta = new double[scores * layout.Columns];
        if (warmStart is not null)
            for (int s = 0; s < scores; s++) layout.FromModel(warmStart.Scores[s]).CopyTo(theta, s * layout.Columns);
        var objective = new LogisticObjective(train, scores, options.L2Reg, options.FitIntercept);
        LogisticOptimizer optimizer = options.LearnRateStrategy == LearnRateStrategy.Constant
            ? new GradientDescentOptimizer(objective, theta, options.L1Reg, options.LearnRate)
            : options.L1Reg > 0 || objective.Parameters > MaxNewtonParameters
                ? new QuasiNewtonOptimizer(objective, theta, options.L1Reg, options.LsInitLearnRate)
                : new NewtonOptimizer(objective, theta);
        var (iterations, stop) = LogisticIterations.Run(optimizer, options, eval, scores, trainingRun, cancellationToken, progress);
        if (theta.Any(v => !double.IsFinite(v)))
            throw Errors.Training($"CREATE MODEL {modelName}: the optimizer diverged (non-finite weights); use learn_rate_strategy = 'LINE_SEARCH' or a smaller learn_rate.");
        if (scores > 1) CenterLogits(theta, scores, layout.Columns, objective, options);

        var models = new List<LinearModel>();
        for (int s = 0; s < scores; s++)
        {
            var w = theta.AsSpan(s * layout.Columns, layout.Columns);
            var model = layout.ToModel(w, labels.Label);
            if (options.EnableGlobalExplain) model = model with { GlobalAttributions = LogisticExplain.Global(train, layout, w, schema.MultiHot) };
            models.Add(model);
        }
        if (options.CalculatePValues) models[0] = models[0] with { Stats = LogisticPValues.Compute(objective, theta, layout) };

        var metricsData = eval ?? train;
        var probabilities = LogisticObjective.Probabilities(metricsData, scores, k, theta);
        var metrics = ClassificationMetrics.Compute(metricsData.Label.AsSpan(0, metricsData.Rows), probabilities, k);
        var result = new LogisticModel(labels.Label, labels.LabelType, labels.Classes, models);
        return new LogisticTrainingResult(result, new TrainingReport(iterations, trainRows, evalRows, null), metrics.Named,
            eval is null ? "training_data" : "evaluation_split") { Stop = stop };
    }

    private static void CheckPValues(GlmOptions options, TrainingSchema schema, int classes, string modelName)
    {
        if (classes > 2)
            throw Errors.OptionValue("CREATE MODEL", "calculate_p_values", $"applies to binary LOGISTIC_REG only; label column '{options.Label}' of model {modelName} has {classes} classes");
        if (schema.Categorical.Count > 0 && options.Encoding != CategoryEncoding.Dummy)
            throw Errors.OptionValue("CREATE MODEL", "calculate_p_values", $"needs category_encoding_method = 'DUMMY_ENCODING' when there are categorical features (here {string.Join(", ", schema.Categorical.Select(c => $"'{c}'"))}), as in BigQuery");
    }

    /// <summary>
    /// Softmax logits are unchanged by adding the same vector to every class: the intercepts (never penalized) are centred
    /// to sum 0 over the classes, and so are all coefficients when there is no penalty at all. Neither changes the objective.
    /// </summary>
    private static void CenterLogits(double[] theta, int scores, int columns, LogisticObjective objective, GlmOptions options)
    {
        bool all = options.L1Reg == 0 && options.L2Reg == 0;
        for (int j = 0; j < columns; j++)
        {
            if (objective.IsPenalized(j) && !all) continue;
            double mean = 0;
            for (int s = 0; s < scores; s++) mean += theta[s * columns + j];
            mean /= scores;
            for (int s = 0; s < scores; s++) theta[s * columns + j] -= mean;
        }
    }
}
