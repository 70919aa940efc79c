using SqlMl.Data.Internal.Catalog;
using SqlMl.Models;

namespace SqlMl.Data.Internal.Planning;

/// <summary>warm_start: finding the model a CREATE MODEL continues, and checking that its features still match.</summary>
internal static class WarmStart
{
    /// <summary>The existing model of the statement's name; it must exist and have <paramref name="modelType"/>.</summary>
    public static StoredModel Find(CreateModelContext context, string modelType, string name)
    {
        var previous = ModelCatalog.TryGet(context.Connection, context.Statement.Name)
            ?? throw Errors.Training($"CREATE MODEL {name}: warm_start = TRUE continues training an existing model, but model {name} does not exist. Train it first without warm_start.");
        if (previous.ModelType != modelType)
            throw Errors.Training($"CREATE MODEL {name}: warm_start = TRUE continues model {name}, which is a {previous.ModelType} model, not {modelType}.");
        return previous;
    }

    /// <summary>The training run number of the new run: one more than the existing model's last.</summary>
    public static int NextRun(StoredModel? previous) =>
        previous is null ? 0 : previous.Iterations.Select(i => i.TrainingRun).DefaultIfEmpty(-1).Max() + 1;

    public static void CheckSameFeatures(StoredModel previous, IReadOnlyList<FeatureColumn> features, string name)
    {
        static string Describe(FeatureColumn f) => $"{f.Name} ({(f.Kind == FeatureKind.Numeric ? "numeric" : "categorical")})";
        var now = features.Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var before = previous.Features.Select(Describe).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = now.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
        var removed = before.Except(now, StringComparer.OrdinalIgnoreCase).ToList();
        if (added.Count == 0 && removed.Count == 0) return;
        throw Errors.Training($"CREATE MODEL {name}: warm_start needs the same feature columns as the existing model." +
            (removed.Count > 0 ? $" Missing now: {string.Join(", ", removed)}." : "") +
            (added.Count > 0 ? $" New: {string.Join(", ", added)}." : "") + " Train a new model without warm_start instead.");
    }
}
