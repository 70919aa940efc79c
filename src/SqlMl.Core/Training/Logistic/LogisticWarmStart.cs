using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>
/// warm_start checks: the existing model must have the same label column, classes, fit_intercept and features (names,
/// numeric or categorical, in the same order); otherwise a clear error naming what differs.
/// </summary>
internal static class LogisticWarmStart
{
    public static void Check(LogisticModel warm, TrainingSchema schema, LogisticLabels labels, GlmOptions options, string modelName)
    {
        string prefix = $"CREATE MODEL {modelName}: warm_start needs the same schema as the existing model, but ";
        if (!string.Equals(warm.Label, labels.Label, StringComparison.OrdinalIgnoreCase))
            throw Errors.Training(prefix + $"its label column is '{warm.Label}', not '{labels.Label}'.");
        if (!warm.Classes.SequenceEqual(labels.Classes, StringComparer.Ordinal))
            throw Errors.Training(prefix + $"its classes are [{Join(warm.Classes)}] and the training data's are [{Join(labels.Classes)}].");
        var score = warm.Scores[0];
        if (score.FitIntercept != options.FitIntercept)
            throw Errors.Training(prefix + $"it was trained with fit_intercept = {score.FitIntercept.ToString().ToUpperInvariant()}.");
        var oldNumeric = score.Numeric.Select(f => f.Name).ToList();
        var oldCategorical = score.Categorical.Select(f => f.Name).ToList();
        if (!oldNumeric.SequenceEqual(schema.Numeric, StringComparer.OrdinalIgnoreCase)
            || !oldCategorical.SequenceEqual(schema.Categorical, StringComparer.OrdinalIgnoreCase))
            throw Errors.Training(prefix + $"its features are numeric [{Join(oldNumeric)}] and categorical [{Join(oldCategorical)}], " +
                                  $"the query's numeric [{Join(schema.Numeric)}] and categorical [{Join(schema.Categorical)}].");
    }

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Select(s => $"'{s}'"));
}
