using System.Text;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Native;
using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>The DuckDB query that feeds a trainer, with the schema it produces.</summary>
internal sealed record TrainingPlan(string Sql, TrainingSchema Schema, SplitColumn SplitColumn, IReadOnlyList<FeatureColumn> Features);

/// <summary>
/// What a model kind needs from the training query: an optional label (numeric or not), an optional data split,
/// and an optional BOOLEAN flag column (e.g. kmeans_init_col) that is read per row and excluded from features.
/// <see cref="LabelExpression"/>, when set, maps the label's column reference (q."name") to the DOUBLE the trainer reads,
/// e.g. a CASE that turns LOGISTIC_REG's class labels into class indexes.
/// </summary>
internal sealed record TrainingRequest(string? Label, bool RequireNumericLabel, DataSplitOptions? Split, string? FlagColumn = null, string FlagOption = "",
    Func<string, string>? LabelExpression = null);

/// <summary>
/// Binds a CREATE MODEL's AS query: describes it, finds the label and split column, classifies features (expanding
/// TIMESTAMP/DATE, ARRAY and STRUCT columns by automatic preprocessing, <see cref="AutoFeatureColumns"/>), and
/// wraps it in the SQL the chunk reader expects: numeric features as DOUBLE, categorical ones as VARCHAR, the
/// label as DOUBLE, then an evaluation flag (CUSTOM, SEQ). DuckDB does the casting, vectorized; for AUTO_SPLIT and
/// RANDOM the reader hashes each row's values itself (<see cref="RowHasher"/>), which is several times cheaper than
/// DuckDB's hash() in the query.
/// </summary>
internal static class TrainingQuery
{
    /// <summary>Name of the CTE that holds the user's query.</summary>
    public const string Source = "__sqlml_src";

    public static TrainingPlan Plan(CreateModelContext context, TrainingRequest request)
    {
        var stmt = context.Statement;
        string model = stmt.Name.ToString();
        var columns = DescribeTrainingQuery(context.Connection, stmt.Query, model);
        QueryColumn? label = null;
        if (request.Label is { } labelName)
        {
            label = FindLabel(columns, labelName, model);
            if (request.RequireNumericLabel && !QueryColumns.IsNumeric(label.Type))
                throw Errors.Binding($"CREATE MODEL {model}: label column '{label.Name}' has type {label.Type}; this model type needs a numeric label.");
        }
        var split = request.Split ?? new DataSplitOptions(DataSplitMethod.NoSplit, null, null);

        QueryColumn? flagCol = null;
        if (request.FlagColumn is { } fc)
        {
            flagCol = Find(columns, fc) ?? throw Errors.Binding($"CREATE MODEL {model}: {request.FlagOption} '{fc}' is not in the training query.");
            if (!flagCol.Type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"CREATE MODEL {model}: {request.FlagOption} '{flagCol.Name}' has type {flagCol.Type}; it must be BOOLEAN.");
        }

        var splitCol = SplitSql.BindColumn(split, columns, label, model);

        var features = new List<FeatureColumn>();
        var derived = new List<AutoFeature>();
        foreach (var c in columns)
        {
            if (c == label || c == splitCol || c == flagCol) continue;
            if (AutoFeatures.IsExpanded(c.Type))
            {
                features.Add(new FeatureColumn(c.Name, FeatureKind.Expanded, c.Type));
                derived.AddRange(AutoFeatures.Expand(c.Name, c.Type, QueryColumns.Classify, $"CREATE MODEL {model}"));
                continue;
            }
            var kind = QueryColumns.Classify(c.Type)
                ?? throw Errors.NotYetSupported($"CREATE MODEL {model}", $"feature column '{c.Name}' of type {c.Type}");
            features.Add(new FeatureColumn(c.Name, kind, c.Type));
            derived.Add(AutoFeature.Plain(c.Name, kind, c.Type));
        }
        if (features.Count == 0)
            throw Errors.Binding($"CREATE MODEL {model}: the training query has no feature columns" + (label is null ? "." : $" besides the label '{label.Name}'."));
        var (schema, featureSql) = AutoFeatureColumns.Build(context, stmt.Query, derived, label?.Name, model);

        var select = new List<string>();
        select.AddRange(featureSql);
        if (label is not null)
        {
            string column = "q." + SqlText.QuotedIdentifier(label.Name);
            select.Add(request.LabelExpression is { } map ? map(column) : $"CAST({column} AS DOUBLE)");
        }
        var (splitFlag, splitColumn) = SplitSql.Select(split, splitCol);
        if (splitFlag is not null) select.Add(splitFlag);
        if (flagCol is not null)
        {
            if (splitColumn != SplitColumn.None)
                throw Errors.Binding($"CREATE MODEL {model}: {request.FlagOption} cannot be combined with a data split.");
            select.Add($"coalesce(q.{SqlText.QuotedIdentifier(flagCol.Name)}, false)");
            splitColumn = SplitColumn.Flag;
        }
        return new TrainingPlan(Wrap(stmt.Query, select), schema, splitColumn, features);
    }

    /// <summary>The user's query as a CTE, read through the given SELECT list (columns as q."name").</summary>
    public static string Wrap(string query, IEnumerable<string> select) =>
        new StringBuilder().Append("WITH ").Append(Source).Append(" AS (\n").Append(query).Append("\n)\nSELECT ")
            .AppendJoin(", ", select).Append(" FROM ").Append(Source).Append(" AS q").ToString();

    /// <summary>Whether <paramref name="sql"/> is <see cref="Wrap"/> of <paramref name="query"/>: one row per row of the query.</summary>
    public static bool IsWrapOf(string sql, string query) =>
        sql.StartsWith("WITH " + Source + " AS (\n" + query + "\n)\nSELECT ", StringComparison.Ordinal)
        && sql.EndsWith(" FROM " + Source + " AS q", StringComparison.Ordinal);

    /// <summary>DESCRIBE of the training query; its failure is reported as the model's training query failing.</summary>
    public static List<QueryColumn> DescribeTrainingQuery(DuckDBConnection connection, string query, string model)
    {
        try
        {
            return QueryColumns.Describe(connection, query);
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the training query failed: {e.Message}", e);
        }
    }

    /// <summary>The label column, or the error that names the columns the training query has.</summary>
    public static QueryColumn FindLabel(List<QueryColumn> columns, string labelName, string model) =>
        Find(columns, labelName)
        ?? throw Errors.Binding($"CREATE MODEL {model}: label column '{labelName}' is not in the training query (columns: {string.Join(", ", columns.Select(c => c.Name))}). Set input_label_cols.");

    /// <summary>A column by exact name, else case-insensitively (DuckDB identifiers).</summary>
    public static QueryColumn? Find(List<QueryColumn> columns, string name) =>
        columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
