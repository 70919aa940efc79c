using System.Text;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Native;
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
/// </summary>
internal sealed record TrainingRequest(string? Label, bool RequireNumericLabel, DataSplitOptions? Split, string? FlagColumn = null, string FlagOption = "");

/// <summary>
/// Binds a CREATE MODEL's AS query: describes it, finds the label and split column, classifies features, and
/// wraps it in the SQL the chunk reader expects: numeric features as DOUBLE, categorical ones as VARCHAR, the
/// label as DOUBLE, then an evaluation flag (CUSTOM, SEQ). DuckDB does the casting, vectorized; for AUTO_SPLIT and
/// RANDOM the reader hashes each row's values itself (<see cref="RowHasher"/>), which is several times cheaper than
/// DuckDB's hash() in the query.
/// </summary>
internal static class TrainingQuery
{
    private const string Source = "__sqlml_src";

    public static TrainingPlan Plan(CreateModelContext context, TrainingRequest request)
    {
        var stmt = context.Statement;
        string model = stmt.Name.ToString();
        var columns = DescribeTrainingQuery(context.Connection, stmt.Query, model);
        QueryColumn? label = null;
        if (request.Label is { } labelName)
        {
            label = Find(columns, labelName)
                ?? throw Errors.Binding($"CREATE MODEL {model}: label column '{labelName}' is not in the training query (columns: {string.Join(", ", columns.Select(c => c.Name))}). Set input_label_cols.");
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

        QueryColumn? splitCol = null;
        if (split.Column is { } sc)
        {
            splitCol = Find(columns, sc) ?? throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{sc}' is not in the training query.");
            if (split.Method == DataSplitMethod.Custom && !splitCol.Type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{splitCol.Name}' has type {splitCol.Type}; CUSTOM split needs a BOOLEAN column (TRUE or NULL = evaluation).");
            if (label is not null && splitCol.Name.Equals(label.Name, StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"CREATE MODEL {model}: data_split_col cannot be the label column '{label.Name}'.");
        }

        var features = new List<FeatureColumn>();
        foreach (var c in columns)
        {
            if (c == label || c == splitCol || c == flagCol) continue;
            var kind = QueryColumns.Classify(c.Type)
                ?? throw Errors.NotYetSupported($"CREATE MODEL {model}", $"feature column '{c.Name}' of type {c.Type}");
            features.Add(new FeatureColumn(c.Name, kind, c.Type));
        }
        if (features.Count == 0)
            throw Errors.Binding($"CREATE MODEL {model}: the training query has no feature columns" + (label is null ? "." : $" besides the label '{label.Name}'."));

        var numeric = features.Where(f => f.Kind == FeatureKind.Numeric).Select(f => f.Name).ToList();
        var categorical = features.Where(f => f.Kind == FeatureKind.Categorical).Select(f => f.Name).ToList();
        var schema = new TrainingSchema(numeric, categorical, label?.Name) { FeatureOrder = features.Select(f => f.Name).ToList() };

        var select = new List<string>();
        select.AddRange(numeric.Select(n => $"CAST(q.{SqlText.QuotedIdentifier(n)} AS DOUBLE)"));
        select.AddRange(categorical.Select(n => $"CAST(q.{SqlText.QuotedIdentifier(n)} AS VARCHAR)"));
        if (label is not null) select.Add($"CAST(q.{SqlText.QuotedIdentifier(label.Name)} AS DOUBLE)");
        var splitColumn = SplitColumn.None;
        switch (split.Method)
        {
            case DataSplitMethod.AutoSplit or DataSplitMethod.Random:
                splitColumn = SplitColumn.ComputedHash;
                break;
            case DataSplitMethod.Custom:
                select.Add($"coalesce(q.{SqlText.QuotedIdentifier(splitCol!.Name)}, true)");
                splitColumn = SplitColumn.Flag;
                break;
            case DataSplitMethod.Seq:
                select.Add(SeqFlag(SqlText.QuotedIdentifier(splitCol!.Name), split.EvalFraction!.Value));
                splitColumn = SplitColumn.Flag;
                break;
        }
        if (flagCol is not null)
        {
            if (splitColumn != SplitColumn.None)
                throw Errors.Binding($"CREATE MODEL {model}: {request.FlagOption} cannot be combined with a data split.");
            select.Add($"coalesce(q.{SqlText.QuotedIdentifier(flagCol.Name)}, false)");
            splitColumn = SplitColumn.Flag;
        }
        var sql = new StringBuilder()
            .Append("WITH ").Append(Source).Append(" AS (\n").Append(stmt.Query).Append("\n)\nSELECT ")
            .AppendJoin(", ", select).Append(" FROM ").Append(Source).Append(" AS q");
        return new TrainingPlan(sql.ToString(), schema, splitColumn, features);
    }

    /// <summary>
    /// SEQ: rows sorted by the split column; the smallest (1 − f) share (by position) sets a threshold value, rows
    /// below it train, rows at or above it and NULLs evaluate (reference §2.5, recommended reading).
    /// </summary>
    private static string SeqFlag(string col, double evalFraction)
    {
        string threshold = $"(SELECT {col} FROM (SELECT {col}, row_number() OVER (ORDER BY {col} NULLS LAST) AS __rn, count(*) OVER () AS __n FROM {Source}) " +
                           $"WHERE __rn = CAST(round((1 - {SqlText.Double(evalFraction)}) * __n) AS BIGINT) + 1)";
        return $"(q.{col} IS NULL OR coalesce(q.{col} >= {threshold}, false))";
    }

    private static List<QueryColumn> DescribeTrainingQuery(DuckDBConnection connection, string query, string model)
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

    private static QueryColumn? Find(List<QueryColumn> columns, string name) =>
        columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
