using SqlMl.Evaluation;

namespace SqlMl.Data.Internal.Planning;

/// <summary>BigQuery ML's regression metrics as one DuckDB aggregate query (the same definitions as <see cref="RegressionMetrics"/>).</summary>
internal static class RegressionSql
{
    /// <summary>Metrics over rows of (label, prediction) given by <paramref name="pairsSql"/>, which yields columns __y and __p.</summary>
    public static string Metrics(string pairsSql) => $"""
        (SELECT
            avg(abs(__e)) AS mean_absolute_error,
            avg(__e * __e) AS mean_squared_error,
            CASE WHEN bool_and(__y > -1 AND __p > -1)
                 THEN avg(pow(ln(greatest(1 + __y, 1e-300)) - ln(greatest(1 + __p, 1e-300)), 2)) END AS mean_squared_log_error,
            median(abs(__e)) AS median_absolute_error,
            1 - sum(__e * __e) / (count(*) * var_pop(__y)) AS r2_score,
            1 - var_pop(__e) / var_pop(__y) AS explained_variance
         FROM (SELECT __y, __p, __y - __p AS __e FROM ({pairsSql}) AS __sqlml_pairs WHERE __y IS NOT NULL) AS __sqlml_e)
        """;
}
