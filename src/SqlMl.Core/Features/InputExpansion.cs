using SqlMl.Models;

namespace SqlMl.Features;

/// <summary>
/// The derived features of a trained model's expanded input columns (<see cref="FeatureKind.Expanded"/>), by model
/// feature name. A feature that is not here is a plain input column of the same name.
/// </summary>
internal sealed class InputExpansion
{
    private readonly Dictionary<string, AutoFeature> _byName;

    private InputExpansion(Dictionary<string, AutoFeature> byName) => _byName = byName;

    /// <summary>Recomputes the expansion from the model's feature columns as stored in the catalog.</summary>
    public static InputExpansion From(IEnumerable<FeatureColumn> columns, Func<string, FeatureKind?> classify, string statement)
    {
        var map = new Dictionary<string, AutoFeature>(StringComparer.Ordinal);
        foreach (var c in columns.Where(c => c.Kind == FeatureKind.Expanded))
            foreach (var f in AutoFeatures.Expand(c.Name, c.SqlType, classify, statement))
                map[f.Name] = f;
        return new InputExpansion(map);
    }

    /// <summary>The derivation of a model feature, or null for a plain column.</summary>
    public AutoFeature? Find(string feature) => _byName.GetValueOrDefault(feature);
}
