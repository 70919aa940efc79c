using System.Diagnostics;
using SqlMl.Data.Internal.Native;
using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>LINEAR_REG: options binding, warm start, the training query, global explanations, and its ML functions.</summary>
internal sealed class LinearRegKind : IModelKind
{
    public string ModelType => GlmOptions.LinearReg;

    public (StoredModel Model, byte[] Payload) Train(CreateModelContext context)
    {
        var stmt = context.Statement;
        string name = stmt.Name.ToString();
        var bound = BoundOptions.Bind(stmt.Options, ModelType, GlmOptions.LinearSpecs, GlmOptions.NotYetSupported);
        var options = GlmOptions.Bind(bound, ModelType);
        var previous = options.WarmStart ? WarmStart.Existing(context, ModelType, name) : null;
        var plan = TrainingQuery.Plan(context, new TrainingRequest(options.Label, RequireNumericLabel: true, options.Split));
        if (previous is not null)
        {
            if (!previous.Label.Equals(options.Label, StringComparison.OrdinalIgnoreCase))
                throw Errors.Training($"CREATE MODEL {name}: warm_start continues model {name}, whose label is '{previous.Label}', but the label now is '{options.Label}'. Train a new model without warm_start instead.");
            WarmStart.CheckSameFeatures(previous, plan.Features, name);
        }
        var warm = previous is null ? null : MultiHotUnfolding.Unfold((LinearModel)previous.Model, plan.Schema);
        bool parallel = ParallelLinearPass.Supports(plan.Schema, options.Split.Method, plan.SplitColumn);
        var (model, report) = TrainModel(context, plan, options, name, warm, WarmStart.NextRun(previous), parallel);
        model = MultiHotFolding.Fold(model, plan.Schema.MultiHot) with { Inputs = FeatureSql.Inputs(plan.Features, $"CREATE MODEL {name}") };

        string query = "(\n" + stmt.Query + "\n)";
        if (options.EnableGlobalExplain)
            model = model with { GlobalAttributions = GlobalAttributions(context, model, query) };
        IReadOnlyList<KeyValuePair<string, double?>> metrics;
        string source;
        if (report.EvaluationMetrics is { } m)
        {
            metrics = Zip(m.Values);
            source = "evaluation_split";
        }
        else
        {
            metrics = parallel
                ? ParallelRegressionMetrics.Compute(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn, model, context.CancellationToken)
                : ReadMetrics(context, LinearRegSql.Evaluate(model, query));
            source = "training_data";
        }
        var iterations = WarmStart.Iterations(previous, report.Iterations);
        var stored = new StoredModel(stmt.Name, ModelType, bound.ToJson(), plan.Features, options.Label, model,
            iterations, metrics, source, report.TrainingRows, report.EvaluationRows, DateTime.UtcNow);
        return (stored, ModelPayload.Write(ModelType, model.WriteTo));
    }

    /// <summary>
    /// The training pass: inside DuckDB's parallel pipeline (<see cref="ParallelLinearPass"/>) when
    /// <paramref name="parallel"/> (<see cref="ParallelLinearPass.Supports"/>: the features are all numeric and the split
    /// needs no row order), otherwise one streamed pass (<see cref="Native.ChunkTrainingData"/>).
    /// </summary>
    private static (LinearModel Model, TrainingReport Report) TrainModel(CreateModelContext context, TrainingPlan plan, GlmOptions options,
        string name, LinearModel? warm, int run, bool parallel)
    {
        if (!parallel)
        {
            var data = new Native.ChunkTrainingData(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn);
            return LinearRegressionTrainer.Train(data, options, name, warm, run, context.CancellationToken, context.Progress);
        }
        var clock = Stopwatch.StartNew();
        LinearRegressionTrainer.CheckOptions(plan.Schema, options, name);
        var (acc, router, _) = ParallelLinearPass.Run(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn, options.Split, name, context.CancellationToken);
        return LinearRegressionTrainer.Fit(acc, router, plan.Schema, [], options, name, warm, run, context.CancellationToken, context.Progress, clock);
    }

    /// <summary>enable_global_explain: mean |attribution| per feature over the rows of the training query, in one aggregate query.</summary>
    private static List<KeyValuePair<string, double>> GlobalAttributions(CreateModelContext context, LinearModel model, string query)
    {
        var features = ExplainSql.Attributions(model);
        var values = ReadMetrics(context, ExplainSql.MeanAbsoluteAttributions(model, query));
        return features.Select((f, i) => new KeyValuePair<string, double>(f.Feature, values[i].Value ?? 0)).ToList();
    }

    public object ReadModel(byte[] payload, string modelName) => ModelPayload.Read(payload, modelName, ModelType, LinearModel.ReadFrom);

    public string? Compile(string function, StoredModel stored, FunctionInput? input, StructValue? settings)
    {
        string call = "ML." + function;
        var model = (LinearModel)stored.Model with { Inputs = FeatureSql.Inputs(stored.Features, call) };
        switch (function)
        {
            case "PREDICT":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                FunctionArguments.CheckInput(call, stored, input!, requireLabel: false);
                return LinearRegSql.Predict(model, input!);
            case "EVALUATE":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                if (input is null) return FunctionArguments.StoredMetrics(stored);
                FunctionArguments.CheckInput(call, stored, input, requireLabel: true);
                return LinearRegSql.Evaluate(model, input.FromSql);
            case "WEIGHTS":
                return LinearRegSql.Weights(model, FunctionArguments.Bool(call, settings, "standardize") ?? false);
            case "ADVANCED_WEIGHTS":
                FunctionArguments.RejectInput(call, stored, input);
                bool standardize = FunctionArguments.Bool(call, settings, "standardize") ?? false;
                return AdvancedWeightsSql.Build(model, model.Stats
                    ?? throw Errors.Binding($"{call}: model {stored.Name} was trained without calculate_p_values. Retrain it with OPTIONS(calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING')."), standardize);
            case "EXPLAIN_PREDICT":
                if (input is null)
                    throw Errors.Binding($"{call}: an input is required: {call}(MODEL {stored.Name}, TABLE t) or {call}(MODEL {stored.Name}, (SELECT ...), STRUCT(3 AS top_k_features)).");
                int topK = ExplainSql.TopK(call, settings, ModelType);
                FunctionArguments.CheckInput(call, stored, input, requireLabel: false);
                return ExplainSql.ExplainPredict(model, input, topK, score => [("predicted_" + model.Label, score)]);
            case "GLOBAL_EXPLAIN":
                FunctionArguments.RejectInput(call, stored, input);
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return ExplainSql.GlobalExplain(model.GlobalAttributions
                    ?? throw Errors.Binding($"{call}: model {stored.Name} was trained without enable_global_explain. Retrain it with OPTIONS(enable_global_explain = TRUE)."));
            case "TRAINING_INFO":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return FunctionArguments.TrainingInfo(stored);
            default:
                return null;
        }
    }

    private static List<KeyValuePair<string, double?>> Zip(IReadOnlyList<double?> values) =>
        Evaluation.RegressionMetrics.ColumnNames.Zip(values, (k, v) => new KeyValuePair<string, double?>(k, v)).ToList();

    private static List<KeyValuePair<string, double?>> ReadMetrics(CreateModelContext context, string sql)
    {
        using var cmd = context.Connection.CreateCommand();
        cmd.CommandText = "SELECT * FROM " + sql;
        using var r = cmd.ExecuteReader();
        r.Read();
        var list = new List<KeyValuePair<string, double?>>();
        for (int i = 0; i < r.FieldCount; i++)
        {
            double? v = r.IsDBNull(i) ? null : r.GetDouble(i);
            list.Add(new(r.GetName(i), v is { } d && double.IsFinite(d) ? d : null));
        }
        return list;
    }
}
