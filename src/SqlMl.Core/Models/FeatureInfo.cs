namespace SqlMl.Models;

/// <summary>
/// One row of ML.FEATURE_INFO: statistics of an input column (before any TRANSFORM) over the training query's rows.
/// Numeric columns fill min…stddev; categorical ones category_count; ARRAY&lt;STRUCT&gt; ones dimension.
/// </summary>
internal sealed record FeatureInfo(
    string Input,
    double? Min,
    double? Max,
    double? Mean,
    double? Median,
    double? Stddev,
    long? CategoryCount,
    long NullCount,
    long? Dimension);
