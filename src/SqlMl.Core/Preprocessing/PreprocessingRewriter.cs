namespace SqlMl.Preprocessing;

/// <summary>
/// Compiles BigQuery ML's preprocessing functions (ML.BUCKETIZE, ML.STANDARD_SCALER(…) OVER(), …) to plain DuckDB
/// SQL. Scalar functions become row expressions; analytic functions become the same row expressions over
/// statistics learned over all rows of the query they appear in: an uncorrelated scalar subquery over that query's
/// FROM … WHERE (computed once), or a window aggregate <c>… OVER ()</c> where the query is not simple enough for
/// that. Pure text: no database is touched.
/// </summary>
public static class PreprocessingRewriter
{
    /// <summary>The preprocessing function names (upper case, without "ML.").</summary>
    public static IReadOnlyCollection<string> FunctionNames => PreprocessingFunctions.Names;

    /// <summary>Whether <paramref name="name"/> (without "ML.", any case) is a preprocessing function.</summary>
    public static bool IsPreprocessingFunction(string name) => PreprocessingFunctions.Find(name) is not null;

    /// <summary>
    /// Rewrites every ML.&lt;preprocessing&gt;(…)[ OVER()] call in <paramref name="sql"/> (at any depth: subqueries,
    /// table-function arguments) to DuckDB SQL; other text, including ML table functions, is kept as it is.
    /// Bad calls throw <see cref="SqlMlException"/> with the call's line and column in <paramref name="sql"/>.
    /// </summary>
    public static string Rewrite(string sql)
    {
        if (sql.IndexOf("ML", StringComparison.OrdinalIgnoreCase) < 0) return sql;
        var scanner = new CallScanner(sql, rejectUnknown: false);
        return Marker.SubstituteStats(scanner.Template(), scanner.WindowStatistic);
    }

    /// <summary>
    /// Analyzes one select-list expression (without alias) for a TRANSFORM clause: the statistics its analytic
    /// calls learn, and how to rebuild it with those statistics frozen.
    /// </summary>
    public static AnalyzedExpression Analyze(string expressionSql)
    {
        var scanner = new CallScanner(expressionSql, rejectUnknown: true);
        string template = scanner.Template();
        return new AnalyzedExpression(template, scanner.Aggregates.Select(a => a.Replace(Marker.Over, "", StringComparison.Ordinal)).ToList());
    }
}
