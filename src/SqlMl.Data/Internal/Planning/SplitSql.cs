using SqlMl.Data.Internal.Native;
using SqlMl.Options;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// The data split's part of a training query, shared by every model kind that splits: binding data_split_col and
/// the SQL of the per-row evaluation flag (CUSTOM, SEQ). AUTO_SPLIT and RANDOM add no column: the reader hashes
/// each row itself (<see cref="Training.RowHasher"/>).
/// </summary>
internal static class SplitSql
{
    /// <summary>Finds and checks data_split_col (BOOLEAN for CUSTOM; never the label), or null when the split has none.</summary>
    public static QueryColumn? BindColumn(DataSplitOptions split, List<QueryColumn> columns, QueryColumn? label, string model)
    {
        if (split.Column is not { } name) return null;
        var col = TrainingQuery.Find(columns, name) ?? throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{name}' is not in the training query.");
        if (split.Method == DataSplitMethod.Custom && !col.Type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase))
            throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{col.Name}' has type {col.Type}; CUSTOM split needs a BOOLEAN column (TRUE or NULL = evaluation).");
        if (label is not null && col.Name.Equals(label.Name, StringComparison.OrdinalIgnoreCase))
            throw Errors.Binding($"CREATE MODEL {model}: data_split_col cannot be the label column '{label.Name}'.");
        return col;
    }

    /// <summary>The flag expression to append to the SELECT list (null if none) and how the reader gets the split.</summary>
    public static (string? Flag, SplitColumn Kind) Select(DataSplitOptions split, QueryColumn? column) => split.Method switch
    {
        DataSplitMethod.AutoSplit or DataSplitMethod.Random => (null, SplitColumn.ComputedHash),
        DataSplitMethod.Custom => ($"coalesce(q.{SqlText.QuotedIdentifier(column!.Name)}, true)", SplitColumn.Flag),
        DataSplitMethod.Seq => (SeqFlag(SqlText.QuotedIdentifier(column!.Name), split.EvalFraction!.Value), SplitColumn.Flag),
        _ => (null, SplitColumn.None),
    };

    /// <summary>
    /// SEQ: rows sorted by the split column; the smallest (1 − f) share (by position) sets a threshold value, rows
    /// below it train, rows at or above it and NULLs evaluate (reference §2.5, recommended reading).
    /// </summary>
    private static string SeqFlag(string col, double evalFraction)
    {
        string threshold = $"(SELECT {col} FROM (SELECT {col}, row_number() OVER (ORDER BY {col} NULLS LAST) AS __rn, count(*) OVER () AS __n FROM {TrainingQuery.Source}) " +
                           $"WHERE __rn = CAST(round((1 - {SqlText.Double(evalFraction)}) * __n) AS BIGINT) + 1)";
        return $"(q.{col} IS NULL OR coalesce(q.{col} >= {threshold}, false))";
    }
}
