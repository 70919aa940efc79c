using SqlMl.Data.Internal.Catalog;
using SqlMl.Models;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// warm_start, shared by the model kinds that continue training: the existing model it continues, the check that the
/// training query still has that model's features, and the next training_run number.
/// </summary>
internal static class WarmStart
{
    /// <summary>The model warm_start continues: it must exist and be of <paramref name="modelType"/>.</summary>
    public static StoredModel Existing(CreateModelContext context, string modelType, string name)
    {
        var previous = ModelCatalog.TryGet(context.Connection, context.Statement.Name)
            ?? throw Errors.Training($"CREATE MODEL {name}: warm_start = TRUE continues training an existing model, but model {name} does not exist. Train it first without warm_start.");
        if (previous.ModelType != modelType)
            throw Errors.Training($"CREATE MODEL {name}: warm_start = TRUE continues model {name}, which is a {previous.ModelType} model, not {modelType}.");
        return previous;
    }

    /// <summary>The same feature columns (by name, case-insensitively, and encoding) as the model being continued.</summary>
    public static void CheckSameFeatures(StoredModel previous, IReadOnlyList<FeatureColumn> features, string name)
    {
        static string Describe(FeatureColumn f) => f.Kind switch
        {
            FeatureKind.Numeric => $"{f.Name} (numeric)",
            FeatureKind.Categorical => $"{f.Name} (categorical)",
            _ => $"{f.Name} ({f.SqlType})", // expanded: the type decides the derived features
        };
        var now = features.Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var before = previous.Features.Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = now.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
        var removed = before.Except(now, StringComparer.OrdinalIgnoreCase).ToList();
        if (added.Count == 0 && removed.Count == 0) return;
        throw Errors.Training($"CREATE MODEL {name}: warm_start needs the same feature columns as the existing model." +
            (removed.Count > 0 ? $" Missing now: {string.Join(", ", removed)}." : "") +
            (added.Count > 0 ? $" New: {string.Join(", ", added)}." : "") + " Train a new model without warm_start instead.");
    }

    /// <summary>training_run of the new iterations: 0 for a new model, one more than the continued model's last run.</summary>
    public static int NextRun(StoredModel? previous) =>
        previous is null ? 0 : previous.Iterations.Select(i => i.TrainingRun).DefaultIfEmpty(-1).Max() + 1;

    /// <summary>The continued model's iterations followed by the new ones (ML.TRAINING_INFO keeps every run).</summary>
    public static List<IterationInfo> Iterations(StoredModel? previous, IEnumerable<IterationInfo> added) =>
        (previous?.Iterations ?? []).Concat(added).ToList();
}
