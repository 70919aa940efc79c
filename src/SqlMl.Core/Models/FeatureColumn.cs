namespace SqlMl.Models;

/// <summary>How a training column is encoded.</summary>
internal enum FeatureKind
{
    /// <summary>Read as DOUBLE, standardized, NULL → training mean.</summary>
    Numeric,
    /// <summary>Read as VARCHAR, one-hot encoded, NULL is its own category.</summary>
    Categorical,
    /// <summary>
    /// Expanded by automatic preprocessing into several model features (TIMESTAMP/DATE → Unix seconds and calendar
    /// components, ARRAY → multi-hot, STRUCT → its fields); see <see cref="Features.AutoFeatures"/>.
    /// </summary>
    Expanded,
}

/// <summary>A feature column of a trained model: its name, encoding, and the DuckDB type it had at training.</summary>
internal sealed record FeatureColumn(string Name, FeatureKind Kind, string SqlType);
