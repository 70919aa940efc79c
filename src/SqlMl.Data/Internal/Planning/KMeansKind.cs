using SqlMl.Evaluation;
using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>KMEANS: options binding, warm start, the training query, and its ML functions.</summary>
internal sealed class KMeansKind : IModelKind
{
    public string ModelType => KMeansOptions.ModelType;

    public (StoredModel Model, byte[] Payload) Train(CreateModelContext context)
    {
        var stmt = context.Statement;
        string name = stmt.Name.ToString();
        var bound = BoundOptions.Bind(stmt.Options, ModelType, KMeansOptions.Specs, KMeansOptions.NotYetSupported);
        var options = KMeansOptions.Bind(bound);
        var previous = options.WarmStart ? WarmStartFrom(context, bound, name) : null;
        var plan = TrainingQuery.Plan(context, new TrainingRequest(null, RequireNumericLabel: false, Split: null, options.InitColumn, "kmeans_init_col"));
        if (previous is not null) WarmStart.CheckSameFeatures(previous, plan.Features, name);
        var data = new Native.ChunkTrainingData(context.Connection, plan.Sql, plan.Schema, plan.SplitColumn);
        int run = WarmStart.NextRun(previous);
        var result = KMeansTrainer.Train(data, options, name, previous is null ? null : MultiHotUnfolding.Unfold((KMeansModel)previous.Model, plan.Schema), run, context.CancellationToken, context.Progress,
            summarize: data.WantsSummary);
        if (result.Summary is { } summary) data.SupplySummary(summary);
        var model = MultiHotFolding.Fold(result.Model, plan.Schema.MultiHot);

        var iterations = WarmStart.Iterations(previous, result.Report.Iterations);
        var metrics = ClusteringMetrics.ColumnNames.Zip(result.Metrics.Values, (k, v) => new KeyValuePair<string, double?>(k, v)).ToList();
        var stored = new StoredModel(stmt.Name, ModelType, bound.ToJson(), plan.Features, "", model,
            iterations, metrics, "training_data", result.Report.TrainingRows, 0, DateTime.UtcNow);
        return (stored, ModelPayload.Write(ModelType, model.WriteTo));
    }

    public object ReadModel(byte[] payload, string modelName) => ModelPayload.Read(payload, modelName, ModelType, KMeansModel.ReadFrom);

    public string? Compile(string function, StoredModel stored, FunctionInput? input, StructValue? settings)
    {
        var model = (KMeansModel)stored.Model;
        string call = "ML." + function;
        var inputs = FeatureSql.Inputs(stored.Features, call);
        switch (function)
        {
            case "PREDICT":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                FunctionArguments.CheckInput(call, stored, input!, requireLabel: false);
                return KMeansSql.Predict(model, input!, inputs);
            case "EVALUATE":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                if (input is null) return FunctionArguments.StoredMetrics(stored);
                FunctionArguments.CheckInput(call, stored, input, requireLabel: false);
                return KMeansSql.Evaluate(model, input, inputs);
            case "CENTROIDS":
                if (input is not null) throw Errors.Binding($"{call}: takes no input table; use {call}(MODEL {stored.Name}) or {call}(MODEL {stored.Name}, STRUCT(TRUE AS standardize)).");
                return KMeansSql.Centroids(model, FunctionArguments.Bool(call, settings, "standardize") ?? false);
            case "TRAINING_INFO":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return TrainingInfo(stored);
            case "DETECT_ANOMALIES":
                if (input is null)
                    throw Errors.Binding($"{call}: an input is required for KMEANS models: {call}(MODEL {stored.Name}, STRUCT(0.02 AS contamination), TABLE t) or (SELECT ...).");
                double contamination = Contamination(call, settings, stored.Name);
                FunctionArguments.CheckInput(call, stored, input, requireLabel: false);
                return KMeansSql.DetectAnomalies(model, input, model.Anomalies.Cutoff(contamination), inputs);
            case "WEIGHTS":
                throw Errors.Binding($"{call} does not apply to KMEANS models; use ML.CENTROIDS(MODEL {stored.Name}) to see the cluster centers.");
            default:
                return null;
        }
    }

    private static double Contamination(string call, StructValue? settings, ModelName model)
    {
        double? value = null;
        foreach (var f in settings?.Fields ?? [])
        {
            if (f.Name is null || !f.Name.Equals("contamination", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: setting '{f.Name ?? f.Value.ToString()}' does not apply to KMEANS models. Allowed: contamination.");
            value = f.Value is NumberValue n ? n.Value : throw Errors.Binding($"{call}: setting 'contamination' expects FLOAT64, got {f.Value.TypeName} {f.Value}.");
        }
        if (value is not { } c)
            throw Errors.Binding($"{call}: KMEANS models need the expected share of anomalies in the training data: {call}(MODEL {model}, STRUCT(0.02 AS contamination), TABLE t).");
        if (!(c >= 0 && c <= 0.5)) throw Errors.Binding($"{call}: setting 'contamination' must be between 0 and 0.5, got {c}.");
        return c;
    }

    private static string TrainingInfo(StoredModel model) =>
        ValuesSql.Build(
            [("training_run", "BIGINT"), ("iteration", "BIGINT"), ("loss", "DOUBLE"), ("duration_ms", "BIGINT"),
             ("cluster_info", "STRUCT(centroid_id BIGINT, cluster_radius DOUBLE, cluster_size BIGINT)[]")],
            model.Iterations.Select(i => (IReadOnlyList<string>)
                [ValuesSql.Int(i.TrainingRun), ValuesSql.Int(i.Iteration), SqlText.Double(i.Loss), ValuesSql.Int(i.DurationMs),
                 "[" + string.Join(", ", (i.ClusterInfo ?? []).Select(c =>
                     $"{{'centroid_id': {ValuesSql.Int(c.CentroidId)}, 'cluster_radius': {SqlText.Double(c.ClusterRadius)}, 'cluster_size': {ValuesSql.Int(c.ClusterSize)}}}")) + "]"]));

    /// <summary>The model warm_start continues: it must exist, be KMEANS, and agree with the options given now.</summary>
    private static StoredModel WarmStartFrom(CreateModelContext context, BoundOptions bound, string name)
    {
        var previous = WarmStart.Existing(context, KMeansOptions.ModelType, name);
        var old = (KMeansModel)previous.Model;
        if (bound.Int("num_clusters") is { } k && k != old.Clusters)
            throw Errors.OptionValue("CREATE MODEL", "num_clusters", $"is {k}, but warm_start continues model {name}, which has {old.Clusters} clusters");
        if (bound.Enum("distance_type") is { } dist && dist != KMeansOptions.DistanceNames[(int)old.Distance])
            throw Errors.OptionValue("CREATE MODEL", "distance_type", $"is '{dist}', but warm_start continues model {name}, which uses '{KMeansOptions.DistanceNames[(int)old.Distance]}'");
        if (bound.Bool("standardize_features") is { } s && s != old.Standardize)
            throw Errors.OptionValue("CREATE MODEL", "standardize_features", $"is {(s ? "TRUE" : "FALSE")}, but warm_start continues model {name}, which was trained with {(old.Standardize ? "TRUE" : "FALSE")}");
        return previous;
    }
}
