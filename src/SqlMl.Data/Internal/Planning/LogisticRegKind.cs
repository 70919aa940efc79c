using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training.Logistic;

namespace SqlMl.Data.Internal.Planning;

/// <summary>LOGISTIC_REG: options, label classes, warm start, the training query, and its ML functions.</summary>
internal sealed class LogisticRegKind : IModelKind
{
    public string ModelType => GlmOptions.LogisticReg;

    public (StoredModel Model, byte[] Payload) Train(CreateModelContext context)
    {
        var stmt = context.Statement;
        string name = stmt.Name.ToString();
        var bound = BoundOptions.Bind(stmt.Options, ModelType, GlmOptions.LogisticSpecs, GlmOptions.NotYetSupported);
        var options = GlmOptions.Bind(bound, ModelType);
        var labels = ClassLabels.Bind(context, options.Label, ModelType);
        var previous = options.WarmStart ? WarmStart.Existing(context, ModelType, name) : null;
        var plan = TrainingQuery.Plan(context, new TrainingRequest(labels.Label, RequireNumericLabel: false, options.Split,
            LabelExpression: column => ClassLabels.IndexExpression(column, labels.Classes)));
        if (previous is not null) CheckWarmStart(previous, plan.Features, labels, name);
        var data = new Native.ChunkTrainingData(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn);
        var result = LogisticRegressionTrainer.Train(data, options, labels, name, previous is null ? null : MultiHotUnfolding.Unfold((LogisticModel)previous.Model, plan.Schema),
            WarmStart.NextRun(previous), context.CancellationToken, context.Progress);
        var model = WithInputs(MultiHotFolding.Fold(result.Model, plan.Schema.MultiHot), FeatureSql.Inputs(plan.Features, $"CREATE MODEL {name}"));
        var stored = new StoredModel(stmt.Name, ModelType, bound.ToJson(), plan.Features, labels.Label, model,
            WarmStart.Iterations(previous, result.Report.Iterations), result.Metrics, result.MetricsSource,
            result.Report.TrainingRows, result.Report.EvaluationRows, DateTime.UtcNow);
        return (stored, ModelPayload.Write(ModelType, model.WriteTo));
    }

    /// <summary>Every class score with the derivation of the automatically preprocessed features (see <see cref="LinearModel.Inputs"/>).</summary>
    private static LogisticModel WithInputs(LogisticModel model, InputExpansion? inputs) =>
        inputs is null ? model : model with { Scores = model.Scores.Select(s => s with { Inputs = inputs }).ToList() };

    /// <summary>warm_start continues a model with the same features, label and classes.</summary>
    private static void CheckWarmStart(StoredModel previous, IReadOnlyList<FeatureColumn> features, LogisticLabels labels, string name)
    {
        WarmStart.CheckSameFeatures(previous, features, name);
        var old = (LogisticModel)previous.Model;
        if (!old.Label.Equals(labels.Label, StringComparison.OrdinalIgnoreCase))
            throw Errors.Training($"CREATE MODEL {name}: warm_start needs the same label column as the existing model ('{old.Label}'), got '{labels.Label}'. Train a new model without warm_start instead.");
        if (!old.Classes.SequenceEqual(labels.Classes))
            throw Errors.Training($"CREATE MODEL {name}: warm_start needs the same classes as the existing model ({string.Join(", ", old.Classes.Select(SqlText.StringLiteral))}), " +
                $"but the training data has {string.Join(", ", labels.Classes.Select(SqlText.StringLiteral))}. Train a new model without warm_start instead.");
    }

    public object ReadModel(byte[] payload, string modelName) => ModelPayload.Read(payload, modelName, ModelType, LogisticModel.ReadFrom);

    public string? Compile(string function, StoredModel stored, FunctionInput? input, StructValue? settings)
    {
        string call = "ML." + function;
        var model = WithInputs((LogisticModel)stored.Model, FeatureSql.Inputs(stored.Features, call));
        switch (function)
        {
            case "PREDICT":
            {
                double threshold = ClassificationArguments.Threshold(call, settings, stored) ?? ClassificationArguments.DefaultThreshold;
                FunctionArguments.CheckInput(call, stored, input!, requireLabel: false);
                return LogisticRegSql.Predict(model, input!, threshold);
            }
            case "EVALUATE":
            {
                double? threshold = ClassificationArguments.Threshold(call, settings, stored);
                if (input is null)
                {
                    if (threshold is not null)
                        throw Errors.Binding($"{call}: setting 'threshold' needs input data: {call}(MODEL {stored.Name}, TABLE t, STRUCT({threshold} AS threshold)). Without input it returns the metrics stored at training (threshold 0.5).");
                    return FunctionArguments.StoredMetrics(stored);
                }
                FunctionArguments.CheckInput(call, stored, input, requireLabel: true);
                return ClassificationSql.Evaluate(model, input.FromSql, threshold ?? ClassificationArguments.DefaultThreshold);
            }
            case "CONFUSION_MATRIX":
            {
                double threshold = ClassificationArguments.Threshold(call, settings, stored) ?? ClassificationArguments.DefaultThreshold;
                if (input is null)
                    throw Errors.Binding($"{call}: an input with the label column is required: SqlMl keeps no evaluation rows. Use {call}(MODEL {stored.Name}, TABLE t) or (SELECT ...).");
                FunctionArguments.CheckInput(call, stored, input, requireLabel: true);
                return ClassificationSql.ConfusionMatrix(model, input.FromSql, threshold);
            }
            case "WEIGHTS":
                return LogisticRegSql.Weights(model, FunctionArguments.Bool(call, settings, "standardize") ?? false);
            case "TRAINING_INFO":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return FunctionArguments.TrainingInfo(stored);
            case "EXPLAIN_PREDICT":
            {
                if (input is null)
                    throw Errors.Binding($"{call}: an input is required: {call}(MODEL {stored.Name}, TABLE t) or {call}(MODEL {stored.Name}, (SELECT ...), STRUCT(3 AS top_k_features)).");
                int topK = ExplainSql.TopK(call, settings, ModelType, "threshold");
                var thresholdOnly = settings is null ? null
                    : new StructValue(settings.Fields.Where(f => f.Name is not null && f.Name.Equals("threshold", StringComparison.OrdinalIgnoreCase)).ToList());
                double threshold = ClassificationArguments.Threshold(call, thresholdOnly, stored) ?? ClassificationArguments.DefaultThreshold;
                FunctionArguments.CheckInput(call, stored, input, requireLabel: false);
                return LogisticExplainSql.ExplainPredict(model, input, topK, threshold);
            }
            case "GLOBAL_EXPLAIN":
            {
                FunctionArguments.RejectInput(call, stored, input);
                bool classLevel = FunctionArguments.Bool(call, settings, "class_level_explain") ?? false;
                var perScore = model.Scores.Select(s => s.GlobalAttributions).ToList();
                if (perScore.Any(a => a is null))
                    throw Errors.Binding($"{call}: model {stored.Name} was trained without enable_global_explain. Retrain it with OPTIONS(enable_global_explain = TRUE).");
                var attributions = perScore.Select(a => a!).ToList();
                return classLevel
                    ? LogisticExplainSql.ClassLevel(model, attributions)
                    : ExplainSql.GlobalExplain(LogisticExplainSql.Overall(model, attributions));
            }
            case "ADVANCED_WEIGHTS":
            {
                FunctionArguments.RejectInput(call, stored, input);
                bool standardize = FunctionArguments.Bool(call, settings, "standardize") ?? false;
                if (!model.IsBinary)
                    throw Errors.Binding($"{call}: applies to binary LOGISTIC_REG models only (as in BigQuery); model {stored.Name} has {model.Classes.Count} classes. Use ML.WEIGHTS for its coefficients.");
                return AdvancedWeightsSql.Build(model.Scores[0], model.Scores[0].Stats
                    ?? throw Errors.Binding($"{call}: model {stored.Name} was trained without calculate_p_values. Retrain it with OPTIONS(calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING')."), standardize);
            }
            default:
                return null;
        }
    }

    public string? CompileRocCurve(StoredModel stored, FunctionInput? input, IReadOnlyList<double>? thresholds, StructValue? settings)
    {
        const string call = "ML.ROC_CURVE";
        var model = WithInputs((LogisticModel)stored.Model, FeatureSql.Inputs(stored.Features, call));
        FunctionArguments.RejectSettings(call, settings, ModelType);
        if (!model.IsBinary)
            throw Errors.Binding($"{call} applies to binary classification models only; model {stored.Name} has {model.Classes.Count} classes. Use ML.CONFUSION_MATRIX or ML.EVALUATE instead.");
        if (input is null)
            throw Errors.Binding($"{call}: an input with the label column is required: {call}(MODEL {stored.Name}, TABLE t [, GENERATE_ARRAY(0.0, 1.0, 0.1)]).");
        FunctionArguments.CheckInput(call, stored, input, requireLabel: true);
        return ClassificationSql.RocCurve(model, input.FromSql, thresholds);
    }
}
