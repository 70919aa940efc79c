using System.Globalization;
using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Re-applies a model's frozen TRANSFORM to the input of an ML function, so callers pass the original columns
/// (reference §1.2). The model kind sees <c>SELECT transform_list, raw columns FROM input</c>; for functions whose
/// output passes the input through (ML.PREDICT, ML.EXPLAIN_PREDICT, ML.DETECT_ANOMALIES) the transformed columns
/// are dropped again and the raw input columns get their names back, so the output is the caller's columns plus
/// the model's. The label and other untransformed columns are applied only when the input has them.
/// </summary>
internal static class TransformSql
{
    private const string RawPrefix = "__sqlml_raw_";
    private const string RawRow = "__sqlml_raw";
    private const string Source = "__sqlml_t";

    /// <summary>The input the model kind compiles against, and what wraps the kind's SQL afterwards.</summary>
    public sealed record Applied(FunctionInput Input, Func<string, string> Finish);

    public static Applied Apply(DuckDBConnection connection, string call, StoredModel stored, ModelTransform transform, FunctionInput input)
    {
        var columns = input.Columns;
        var included = Included(call, stored, transform, columns);
        bool passThrough = call is "ML.PREDICT" or "ML.EXPLAIN_PREDICT" or "ML.DETECT_ANOMALIES";
        var select = included.Select(c => c.Sql + " AS " + SqlText.QuotedIdentifier(c.Name)).ToList();
        if (passThrough && columns is not null)
            select.AddRange(columns.Select((c, i) => SqlText.QuotedIdentifier(c.Name) + " AS " + Raw(i)));
        else if (passThrough)
            select.Add(Source + " AS " + RawRow); // the whole input row as one STRUCT, when its columns are not known here
        string query = SparseColumns.Expand(transform.Expansions, "SELECT " + string.Join(", ", select) + " FROM " + input.FromSql + " AS " + Source);
        var wrapped = new FunctionInput("(\n" + query + "\n)", Describe(connection, query));
        if (!passThrough) return new Applied(wrapped, sql => sql);
        string exclude = string.Join(", ", SparseColumns.ModelNames(transform.Expansions, included.Select(c => c.Name)).Select(SqlText.QuotedIdentifier));
        if (columns is not null)
        {
            string rename = string.Join(", ", columns.Select((c, i) => Raw(i) + " AS " + SqlText.QuotedIdentifier(c.Name)));
            return new Applied(wrapped, sql => $"(SELECT * EXCLUDE ({exclude}) RENAME ({rename}) FROM {sql})");
        }
        // ML.DETECT_ANOMALIES puts its columns before the input's; ML.PREDICT and ML.EXPLAIN_PREDICT after.
        string model = $"* EXCLUDE ({exclude}, {RawRow})", raw = RawRow + ".*";
        return new Applied(wrapped, sql => call == "ML.DETECT_ANOMALIES" ? $"(SELECT {model}, {raw} FROM {sql})" : $"(SELECT {raw}, {model} FROM {sql})");
    }

    /// <summary>ML.TRANSFORM: the TRANSFORM's output columns for the input rows.</summary>
    public static string Transform(StoredModel stored, FunctionInput? input)
    {
        const string call = "ML.TRANSFORM";
        var transform = stored.Transform ?? throw Errors.NoTransform(call, stored.Name.ToString());
        if (input is null)
            throw Errors.Binding($"{call}: an input is required: {call}(MODEL {stored.Name}, TABLE t) or {call}(MODEL {stored.Name}, (SELECT ...)).");
        var included = Included(call, stored, transform, input.Columns);
        return "(" + TransformBinder.Select(included, input.FromSql) + ")";
    }

    /// <summary>
    /// The transform columns to apply: all transformed ones (their input columns must be present), and each untransformed
    /// one (label, split column) when the input has it. When the input could not be described, untransformed columns are
    /// applied for functions that need the label.
    /// </summary>
    private static List<TransformColumn> Included(string call, StoredModel stored, ModelTransform transform, IReadOnlyList<QueryColumn>? columns)
    {
        if (columns is null)
        {
            bool needsLabel = call is "ML.EVALUATE" or "ML.CONFUSION_MATRIX" or "ML.ROC_CURVE";
            return transform.Columns.Where(c => !c.Untransformed || needsLabel && c.Name.Equals(stored.Label, StringComparison.OrdinalIgnoreCase)).ToList();
        }
        var present = new HashSet<string>(columns.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        var missing = transform.FeatureInputs.Where(n => !present.Contains(n)).ToList();
        if (missing.Count > 0) throw Errors.TransformInputMissing(call, stored.Name.ToString(), missing);
        return transform.Columns.Where(c => !c.Untransformed || present.Contains(c.Name)).ToList();
    }

    private static string Raw(int i) => SqlText.QuotedIdentifier(RawPrefix + i.ToString(CultureInfo.InvariantCulture));

    private static List<QueryColumn>? Describe(DuckDBConnection connection, string query)
    {
        try
        {
            return QueryColumns.Describe(connection, query);
        }
        catch (DuckDBException)
        {
            return null; // e.g. a CTE name: DuckDB binds it when the statement runs
        }
    }
}
