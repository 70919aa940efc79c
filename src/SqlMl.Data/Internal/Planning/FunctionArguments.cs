using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>Checks shared by ML functions: settings STRUCTs, input columns; and the stored metrics and ML.TRAINING_INFO rows every kind returns.</summary>
internal static class FunctionArguments
{
    public static void RejectSettings(string call, StructValue? settings, string modelType, params string[] allowed)
    {
        if (settings is null) return;
        foreach (var f in settings.Fields)
            if (f.Name is null || !allowed.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: setting '{f.Name ?? f.Value.ToString()}' does not apply to {modelType} models." +
                    (allowed.Length > 0 ? $" Allowed: {string.Join(", ", allowed)}." : ""));
    }

    public static bool? Bool(string call, StructValue? settings, string name)
    {
        if (settings is null) return null;
        bool? result = null;
        foreach (var f in settings.Fields)
        {
            if (f.Name is null || !f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: unknown setting '{f.Name ?? f.Value.ToString()}'. Allowed: {name}.");
            result = f.Value is BoolValue b ? b.Value : throw Errors.Binding($"{call}: setting '{name}' expects BOOL, got {f.Value.TypeName} {f.Value}.");
        }
        return result;
    }

    /// <summary>Checks that the input has every feature column (and the label when evaluating), with usable types.</summary>
    public static void CheckInput(string call, StoredModel model, FunctionInput input, bool requireLabel)
    {
        if (input.Columns is not { } cols) return; // DuckDB could not describe it alone (e.g. a CTE name): it binds the columns itself
        var byName = cols.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var missing = model.Features.Where(f => !byName.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        if (requireLabel && !byName.ContainsKey(model.Label)) missing.Add(model.Label);
        if (missing.Count > 0)
            throw Errors.Prediction($"{call}: the input lacks column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => "'" + m + "'"))} that model {model.Name} was trained with.");
        foreach (var f in model.Features.Where(f => f.Kind == FeatureKind.Numeric))
        {
            var c = byName[f.Name];
            if (!QueryColumns.IsNumeric(c.Type))
                throw Errors.Prediction($"{call}: input column '{c.Name}' has type {c.Type}, but model {model.Name} was trained with it as a numeric feature ({f.SqlType}).");
        }
        foreach (var f in model.Features.Where(f => f.Kind == FeatureKind.Expanded))
        {
            var c = byName[f.Name];
            if (!Features.AutoFeatures.Accepts(f.SqlType, c.Type, QueryColumns.Classify))
                throw Errors.Prediction($"{call}: input column '{c.Name}' has type {c.Type}, but model {model.Name} was trained with it as {f.SqlType} (expanded by automatic preprocessing). Cast it to {f.SqlType}.");
        }
        if (requireLabel) CheckLabel(call, model, byName[model.Label]);
    }

    /// <summary>
    /// The input's label type: numeric for regression; for a classifier the same kind as at training (integer, STRING
    /// or BOOL), since labels are matched to the classes by their text.
    /// </summary>
    private static void CheckLabel(string call, StoredModel model, QueryColumn label)
    {
        if (model.Model is LogisticModel classifier)
        {
            string? trained = ClassLabels.Family(classifier.LabelType);
            if (ClassLabels.Family(label.Type) != trained)
                throw Errors.Prediction($"{call}: input label column '{label.Name}' has type {label.Type}, but model {model.Name} was trained with a label of type {classifier.LabelType} (labels match classes within integers, STRING or BOOL). CAST it to {classifier.LabelType}.");
            return;
        }
        if (!QueryColumns.IsNumeric(label.Type))
            throw Errors.Prediction($"{call}: input label column '{model.Label}' has type {label.Type}; a numeric label is needed.");
    }

    /// <summary>Refuses an input table for a function that reads only the model.</summary>
    public static void RejectInput(string call, StoredModel stored, FunctionInput? input)
    {
        if (input is not null) throw Errors.Binding($"{call}: takes no input table; use {call}(MODEL {stored.Name}).");
    }

    /// <summary>ML.EVALUATE without an input: the metrics stored at CREATE MODEL, one DOUBLE column each.</summary>
    public static string StoredMetrics(StoredModel stored) =>
        ValuesSql.Build(stored.Metrics.Select(m => (m.Key, "DOUBLE")).ToList(), [stored.Metrics.Select(m => SqlText.Double(m.Value)).ToList()]);

    public static string TrainingInfo(StoredModel model) =>
        ValuesSql.Build(
            [("training_run", "BIGINT"), ("iteration", "BIGINT"), ("loss", "DOUBLE"), ("eval_loss", "DOUBLE"), ("learning_rate", "DOUBLE"), ("duration_ms", "BIGINT")],
            model.Iterations.Select(i => (IReadOnlyList<string>)
                [ValuesSql.Int(i.TrainingRun), ValuesSql.Int(i.Iteration), SqlText.Double(i.Loss), SqlText.Double(i.EvalLoss), SqlText.Double(i.LearningRate), ValuesSql.Int(i.DurationMs)]));
}
