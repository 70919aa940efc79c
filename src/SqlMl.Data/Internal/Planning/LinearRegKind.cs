using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>LINEAR_REG: options binding, the training query, and its ML functions.</summary>
internal sealed class LinearRegKind : IModelKind
{
    public string ModelType => GlmOptions.LinearReg;

    public (StoredModel Model, byte[] Payload) Train(CreateModelContext context)
    {
        var stmt = context.Statement;
        string name = stmt.Name.ToString();
        var bound = BoundOptions.Bind(stmt.Options, ModelType, GlmOptions.LinearSpecs, GlmOptions.NotYetSupported);
        var options = GlmOptions.Bind(bound, ModelType);
        RejectUnimplemented(bound, options);
        var plan = TrainingQuery.Plan(context, new TrainingRequest(options.Label, RequireNumericLabel: true, options.Split));
        var data = new Native.ChunkTrainingData(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn);
        var (model, report) = LinearRegressionTrainer.Train(data, options, name, context.CancellationToken);

        IReadOnlyList<KeyValuePair<string, double?>> metrics;
        string source;
        if (report.EvaluationMetrics is { } m)
        {
            metrics = Zip(m.Values);
            source = "evaluation_split";
        }
        else
        {
            metrics = ReadMetrics(context, LinearRegSql.Evaluate(model, "(\n" + stmt.Query + "\n)"));
            source = "training_data";
        }
        var stored = new StoredModel(stmt.Name, ModelType, bound.ToJson(), plan.Features, options.Label, model,
            report.Iterations, metrics, source, report.TrainingRows, report.EvaluationRows, DateTime.UtcNow);
        return (stored, ModelPayload.Write(ModelType, model.WriteTo));
    }

    /// <summary>GLM options LINEAR_REG accepts in BigQuery but this trainer does not implement yet.</summary>
    private static void RejectUnimplemented(BoundOptions bound, GlmOptions options)
    {
        const string statement = "CREATE MODEL";
        if (options.Strategy == OptimizeStrategy.BatchGradientDescent)
            throw Errors.NotYetSupported(statement, "optimize_strategy 'BATCH_GRADIENT_DESCENT' for LINEAR_REG (use 'NORMAL_EQUATION')");
        foreach (var name in new[] { "l1_reg", "warm_start", "calculate_p_values", "enable_global_explain", "category_encoding_method",
                     "learn_rate_strategy", "learn_rate", "ls_init_learn_rate", "max_iterations", "early_stop", "min_rel_progress" })
            if (bound.Has(name))
                throw Errors.NotYetSupported(statement, $"option '{name}' for LINEAR_REG");
    }

    public object ReadModel(byte[] payload, string modelName) => ModelPayload.Read(payload, modelName, ModelType, LinearModel.ReadFrom);

    public string? Compile(string function, StoredModel stored, FunctionInput? input, StructValue? settings)
    {
        var model = (LinearModel)stored.Model;
        string call = "ML." + function;
        switch (function)
        {
            case "PREDICT":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                FunctionArguments.CheckInput(call, stored, input!, requireLabel: false);
                return LinearRegSql.Predict(model, input!);
            case "EVALUATE":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                if (input is null) return StoredMetrics(stored);
                FunctionArguments.CheckInput(call, stored, input, requireLabel: true);
                return LinearRegSql.Evaluate(model, input.FromSql);
            case "WEIGHTS":
                return LinearRegSql.Weights(model, FunctionArguments.Bool(call, settings, "standardize") ?? false);
            case "TRAINING_INFO":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return FunctionArguments.TrainingInfo(stored);
            default:
                return null;
        }
    }

    private static string StoredMetrics(StoredModel stored) =>
        ValuesSql.Build(stored.Metrics.Select(m => (m.Key, "DOUBLE")).ToList(), [stored.Metrics.Select(m => SqlText.Double(m.Value)).ToList()]);

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
