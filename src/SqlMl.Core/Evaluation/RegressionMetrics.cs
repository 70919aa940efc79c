namespace SqlMl.Evaluation;

/// <summary>
/// BigQuery ML's regression metrics (reference §1.5). mean_squared_log_error is NULL when any label or
/// prediction is ≤ −1 (its logarithm is undefined); median_absolute_error is the exact median (the mean of
/// the two middle values for an even count).
/// </summary>
internal sealed record RegressionMetrics(
    double MeanAbsoluteError,
    double MeanSquaredError,
    double? MeanSquaredLogError,
    double MedianAbsoluteError,
    double R2Score,
    double ExplainedVariance)
{
    public static readonly IReadOnlyList<string> ColumnNames =
    [
        "mean_absolute_error", "mean_squared_error", "mean_squared_log_error",
        "median_absolute_error", "r2_score", "explained_variance",
    ];

    public IReadOnlyList<double?> Values => [MeanAbsoluteError, MeanSquaredError, MeanSquaredLogError, MedianAbsoluteError, R2Score, ExplainedVariance];

    public static RegressionMetrics Compute(ReadOnlySpan<double> label, ReadOnlySpan<double> predicted)
    {
        int n = label.Length;
        if (n == 0) throw new ArgumentException("no rows", nameof(label));
        var abs = new double[n];
        double sae = 0, sse = 0, ssle = 0, meanY = 0, meanE = 0;
        bool logDefined = true;
        for (int i = 0; i < n; i++)
        {
            double e = label[i] - predicted[i];
            abs[i] = Math.Abs(e);
            sae += abs[i];
            sse += e * e;
            meanY += label[i];
            meanE += e;
            if (label[i] <= -1 || predicted[i] <= -1) logDefined = false;
            else
            {
                double le = Math.Log(1 + label[i]) - Math.Log(1 + predicted[i]);
                ssle += le * le;
            }
        }
        meanY /= n;
        meanE /= n;
        double varY = 0, varE = 0;
        for (int i = 0; i < n; i++)
        {
            double dy = label[i] - meanY, de = label[i] - predicted[i] - meanE;
            varY += dy * dy;
            varE += de * de;
        }
        Array.Sort(abs);
        double median = n % 2 == 1 ? abs[n / 2] : (abs[n / 2 - 1] + abs[n / 2]) / 2;
        return FromSums(n, sae, sse, logDefined ? ssle : null, median, varY, varE);
    }

    /// <summary>
    /// The metrics of <paramref name="count"/> rows from their sums: Σ|e|, Σe², Σ(log error)² (null when undefined),
    /// the median |e|, and the sums of squared deviations of the label and of the error from their means
    /// (population variance = that sum / count). For callers that accumulate the sums in parts and merge them.
    /// </summary>
    public static RegressionMetrics FromSums(long count, double absoluteErrors, double squaredErrors, double? squaredLogErrors,
        double medianAbsoluteError, double labelDeviations, double errorDeviations)
    {
        double n = count, varY = labelDeviations / n, varE = errorDeviations / n;
        return new RegressionMetrics(
            absoluteErrors / n,
            squaredErrors / n,
            squaredLogErrors / n,
            medianAbsoluteError,
            1 - squaredErrors / (n * varY),
            1 - varE / varY);
    }
}
