namespace SqlMl.Training;

/// <summary>
/// ML.FEATURE_INFO's statistics of one numeric column (of the non-NULL values; null when there are none).
/// <see cref="StdDev"/> is the sample standard deviation, null below two values, as DuckDB's <c>stddev_samp</c>.
/// <see cref="Finite"/> is false when some value was NaN or ±Infinity (or a sum overflowed): the moments are then not
/// DuckDB's, and callers compute the statistics in SQL instead.
/// </summary>
internal sealed record NumericSummary(double? Min, double? Max, double? Mean, double? Median, double? StdDev, long NullCount, bool Finite);

/// <summary>ML.FEATURE_INFO's statistics of one categorical column: distinct non-NULL values and NULLs.</summary>
internal sealed record CategoricalSummary(long CategoryCount, long NullCount);

/// <summary>The result of a <see cref="FeatureStatistics"/>: one entry per column, in batch order.</summary>
/// <param name="Rows">Rows added.</param>
/// <param name="Numeric">Per numeric column.</param>
/// <param name="Categorical">Per categorical column.</param>
/// <param name="MedianExact">Whether the medians are exact (the median sample kept every distinct row).</param>
internal sealed record FeatureSummary(long Rows, IReadOnlyList<NumericSummary> Numeric, IReadOnlyList<CategoricalSummary> Categorical, bool MedianExact);
