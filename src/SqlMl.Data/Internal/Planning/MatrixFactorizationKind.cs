using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>MATRIX_FACTORIZATION: options binding, the training query, and ML.RECOMMEND / PREDICT / EVALUATE / WEIGHTS / TRAINING_INFO.</summary>
internal sealed class MatrixFactorizationKind : IModelKind
{
    public string ModelType => MatrixFactorizationOptions.ModelType;

    public (StoredModel Model, byte[] Payload) Train(CreateModelContext context)
    {
        var stmt = context.Statement;
        string name = stmt.Name.ToString();
        var bound = BoundOptions.Bind(stmt.Options, ModelType, MatrixFactorizationOptions.Specs, MatrixFactorizationOptions.NotYetSupported);
        var options = MatrixFactorizationOptions.Bind(bound);
        var plan = MatrixFactorizationQuery.Plan(context, options);
        var data = new Native.ChunkTrainingData(context.Connection, plan.Sql, plan.Schema, plan.Split);
        var result = MatrixFactorizationTrainer.Train(data, options, plan.Types, name, context.CancellationToken, progress: context.Progress);
        var stored = new StoredModel(stmt.Name, ModelType, bound.ToJson(), plan.Features, options.RatingColumn, result.Model,
            result.Iterations, result.Metrics, result.MetricsSource, result.TrainingRows, result.EvaluationRows, DateTime.UtcNow);
        return (stored, ModelPayload.Write(ModelType, result.Model.WriteTo));
    }

    public object ReadModel(byte[] payload, string modelName) =>
        ModelPayload.Read(payload, modelName, ModelType, MatrixFactorizationModel.ReadFrom);

    public string? Compile(string function, StoredModel stored, FunctionInput? input, StructValue? settings)
    {
        var model = (MatrixFactorizationModel)stored.Model;
        string call = "ML." + function;
        switch (function)
        {
            case "RECOMMEND":
            {
                long? topK = TopK(call, settings);
                if (input is null) return RecommendSql.SeenPairs(model, topK);
                var (user, item) = IdColumns(call, stored, model, input);
                if (user is not null && item is not null) return RecommendSql.Pairs(model, input, user, item, topK);
                if (user is not null) return RecommendSql.Expand(model, input, user, usersGiven: true, topK);
                if (item is not null) return RecommendSql.Expand(model, input, item, usersGiven: false, topK);
                throw Errors.Prediction($"{call}: the input has neither the user column '{model.UserColumn}' nor the item column '{model.ItemColumn}' of model {stored.Name}; give one or both.");
            }
            case "PREDICT":
            {
                FunctionArguments.RejectSettings(call, settings, ModelType);
                var (user, item) = IdColumns(call, stored, model, input!);
                if (user is null || item is null)
                    throw Errors.Prediction($"{call}: model {stored.Name} predicts (user, item) pairs; the input needs both '{model.UserColumn}' and '{model.ItemColumn}'. For every item of a user use ML.RECOMMEND.");
                return RecommendSql.Pairs(model, input!, user, item, null);
            }
            case "EVALUATE":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return input is null ? FunctionArguments.StoredMetrics(stored) : Evaluate(call, stored, model, input);
            case "WEIGHTS":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return WeightsSql(model);
            case "TRAINING_INFO":
                FunctionArguments.RejectSettings(call, settings, ModelType);
                return FunctionArguments.TrainingInfo(stored);
            default:
                return null;
        }
    }

    private static string Evaluate(string call, StoredModel stored, MatrixFactorizationModel model, FunctionInput input)
    {
        var (user, item) = IdColumns(call, stored, model, input);
        var rating = Find(input.Columns!, model.RatingColumn);
        var missing = new[] { (user, model.UserColumn), (item, model.ItemColumn), (rating?.Name, model.RatingColumn) }.Where(c => c.Item1 is null).Select(c => "'" + c.Item2 + "'").ToList();
        if (missing.Count > 0)
            throw Errors.Prediction($"{call}: the input lacks column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} that model {stored.Name} was trained with.");
        if (!QueryColumns.IsNumeric(rating!.Type))
            throw Errors.Prediction($"{call}: input rating column '{rating.Name}' has type {rating.Type}; a numeric rating is needed.");
        return model.Feedback == FeedbackType.Implicit
            ? ImplicitEvaluationSql.Metrics(model, input, user!, item!, rating.Name)
            : RegressionSql.Metrics(RecommendSql.RatedPairs(model, input, user!, item!, rating.Name));
    }

    /// <summary>The input's user and item column names (null when absent); the input's columns must be known.</summary>
    private static (string? User, string? Item) IdColumns(string call, StoredModel stored, MatrixFactorizationModel model, FunctionInput input)
    {
        if (input.Columns is null)
            throw Errors.Prediction($"{call}: the columns of input {input.FromSql.Trim()} cannot be determined on their own (does it refer to a CTE?). Model {stored.Name} needs to know whether '{model.UserColumn}' and '{model.ItemColumn}' are present: use a table or a self-contained query.");
        return (Find(input.Columns, model.UserColumn)?.Name, Find(input.Columns, model.ItemColumn)?.Name);
    }

    private static QueryColumn? Find(IReadOnlyList<QueryColumn> columns, string name) =>
        columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static long? TopK(string call, StructValue? settings)
    {
        if (settings is null) return null;
        long? topK = null;
        foreach (var f in settings.Fields)
        {
            if (f.Name is null || !f.Name.Equals("top_k", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: unknown setting '{f.Name ?? f.Value.ToString()}' for MATRIX_FACTORIZATION models. Allowed: top_k.");
            if (f.Value is not NumberValue { IsInteger: true, Value: >= 1 } n)
                throw Errors.Binding($"{call}: setting 'top_k' expects a positive INT64, got {f.Value.TypeName} {f.Value}.");
            topK = (long)n.Value;
        }
        return topK;
    }

    /// <summary>ML.WEIGHTS: one row per user and per item, then global__intercept__ (0 for implicit models).</summary>
    private static string WeightsSql(MatrixFactorizationModel model)
    {
        string factors = $"list_transform(range(1, {model.Rank + 1}), lambda j: {{'factor': j, 'weight': __f[j]}})";
        const string type = "STRUCT(factor BIGINT, weight DOUBLE)[]";
        return $"(WITH {FactorTableSql.Ctes(model)} " +
               $"SELECT {ValuesSql.String(model.UserColumn)} AS processed_input, CAST(__id AS VARCHAR) AS feature, CAST({factors} AS {type}) AS factor_weights, __b AS intercept FROM __u " +
               $"UNION ALL SELECT {ValuesSql.String(model.ItemColumn)}, CAST(__id AS VARCHAR), CAST({factors} AS {type}), __b FROM __i " +
               $"UNION ALL SELECT 'global__intercept__', NULL, CAST([] AS {type}), {SqlText.Double(model.GlobalIntercept)})";
    }
}
