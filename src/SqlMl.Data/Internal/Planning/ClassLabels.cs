using DuckDB.NET.Data;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training.Logistic;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// The label side of a classifier's CREATE MODEL: the label column's type (STRING, BOOL or integer), its distinct
/// classes in the label's own order, and the SQL that maps a label to its class index for the trainer.
/// </summary>
internal static class ClassLabels
{
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
    };

    /// <summary>The kind of label a classifier accepts: integers, text or BOOLEAN; null for any other type.</summary>
    public static string? Family(string type) =>
        IntegerTypes.Contains(type) ? "integer"
        : type.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase) ? "STRING"
        : type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase) ? "BOOL"
        : null;

    /// <summary>Finds the label column, checks its type and reads its classes (at least 2, at most <see cref="GlmOptions.Defaults.MaxClasses"/>).</summary>
    public static LogisticLabels Bind(CreateModelContext context, string labelName, string modelType)
    {
        var stmt = context.Statement;
        string model = stmt.Name.ToString();
        var columns = TrainingQuery.DescribeTrainingQuery(context.Connection, stmt.Query, model);
        var label = TrainingQuery.FindLabel(columns, labelName, model);
        if (Family(label.Type) is null)
        {
            string hint = QueryColumns.IsNumeric(label.Type)
                ? " For a numeric target use model_type = 'LINEAR_REG'; if the values are class codes, CAST the label to INT64 or STRING."
                : " CAST it to STRING, INT64 or BOOL.";
            throw Errors.Binding($"CREATE MODEL {model}: label column '{label.Name}' has type {label.Type}; {modelType} needs a STRING, BOOL or integer label (the classes).{hint}");
        }
        var (classes, rows) = ReadClasses(context.Connection, stmt.Query, label.Name, model);
        if (classes.Count == 0)
        {
            bool anyRows = Convert.ToInt64(Scalar(context.Connection, $"WITH {TrainingQuery.Source} AS (\n{stmt.Query}\n) SELECT count(*) FROM {TrainingQuery.Source}", model),
                System.Globalization.CultureInfo.InvariantCulture) > 0;
            throw Errors.Training(anyRows
                ? $"CREATE MODEL {model}: label column '{label.Name}' is NULL in every row. Filter them out, e.g. WHERE {SqlText.Identifier(label.Name)} IS NOT NULL."
                : $"CREATE MODEL {model}: the training query returned no rows.");
        }
        if (classes.Count == 1)
            throw Errors.Training($"CREATE MODEL {model}: label column '{label.Name}' has only one class ({SqlText.StringLiteral(classes[0])}); {modelType} needs at least 2 distinct labels.");
        if (classes.Count > GlmOptions.Defaults.MaxClasses)
            throw Errors.Training($"CREATE MODEL {model}: label column '{label.Name}' has more than {GlmOptions.Defaults.MaxClasses} distinct values; {modelType} supports at most {GlmOptions.Defaults.MaxClasses} classes.");
        return new LogisticLabels(label.Name, label.Type.ToUpperInvariant(), classes) { ExpectedRows = rows };
    }

    /// <summary>
    /// The label's class index as DOUBLE (0 … n − 1 in <paramref name="classes"/> order), matched on the label's text;
    /// NULL for a NULL label. <paramref name="column"/> is the label's column reference.
    /// </summary>
    public static string IndexExpression(string column, IReadOnlyList<string> classes) =>
        "CAST(CASE CAST(" + column + " AS VARCHAR)" +
        string.Concat(classes.Select((c, i) => $" WHEN {SqlText.StringLiteral(c)} THEN {i.ToString(System.Globalization.CultureInfo.InvariantCulture)}")) +
        " END AS DOUBLE)";

    /// <summary>
    /// Distinct non-NULL labels as text, in the label's own order, and how many rows carry them (the trainer's size
    /// hint; the same aggregation pass); one more class than the limit is read to detect too many.
    /// </summary>
    private static (List<string> Classes, long Rows) ReadClasses(DuckDBConnection connection, string query, string label, string model)
    {
        string col = SqlText.QuotedIdentifier(label);
        string sql = $"WITH {TrainingQuery.Source} AS (\n{query}\n)\nSELECT CAST({col} AS VARCHAR), count(*) FROM {TrainingQuery.Source} WHERE {col} IS NOT NULL GROUP BY {col} " +
                     $"ORDER BY {col} LIMIT {GlmOptions.Defaults.MaxClasses + 1}";
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            var classes = new List<string>();
            long rows = 0;
            while (r.Read())
            {
                classes.Add(r.GetString(0));
                rows += r.GetInt64(1);
            }
            return (classes, rows);
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the training query failed: {e.Message}", e);
        }
    }

    private static object Scalar(DuckDBConnection connection, string sql, string model)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteScalar()!;
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the training query failed: {e.Message}", e);
        }
    }
}
