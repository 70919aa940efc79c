using DuckDB.NET.Data;
using SqlMl.Data.Internal.Native;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>The training query of a matrix factorization model and what the trainer needs to read it.</summary>
internal sealed record RatingQueryPlan(string Sql, TrainingSchema Schema, SplitColumn Split, RatingIdTypes Types, IReadOnlyList<FeatureColumn> Features);

/// <summary>
/// Binds a MATRIX_FACTORIZATION training query: finds user_col, item_col and rating_col (other columns are
/// ignored, except data_split_col), checks their types, and wraps the query so DuckDB delivers user and item as
/// VARCHAR (dictionary-coded by <see cref="ChunkTrainingData"/>), the rating as DOUBLE, then the CUSTOM/SEQ flag;
/// AUTO_SPLIT and RANDOM hash each row's user, item and rating in the reader.
/// </summary>
internal static class MatrixFactorizationQuery
{
    private const string Source = "__sqlml_src";

    /// <summary>Integer types whose values fit BIGINT: ids stay integers. Other ids must be strings.</summary>
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER",
    };

    public static RatingQueryPlan Plan(CreateModelContext context, MatrixFactorizationOptions options)
    {
        var stmt = context.Statement;
        string model = stmt.Name.ToString();
        List<QueryColumn> columns;
        try
        {
            columns = QueryColumns.Describe(context.Connection, stmt.Query);
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the training query failed: {e.Message}", e);
        }
        var user = Require(columns, "user_col", options.UserColumn, model);
        var item = Require(columns, "item_col", options.ItemColumn, model);
        var rating = Require(columns, "rating_col", options.RatingColumn, model);
        bool userInt = IdType(user, "user_col", model);
        bool itemInt = IdType(item, "item_col", model);
        if (!QueryColumns.IsNumeric(rating.Type))
            throw Errors.Binding($"CREATE MODEL {model}: rating_col '{rating.Name}' has type {rating.Type}; ratings must be numeric.");

        string q(QueryColumn c) => "q." + SqlText.QuotedIdentifier(c.Name);
        var select = new List<string> { $"CAST({q(user)} AS VARCHAR)", $"CAST({q(item)} AS VARCHAR)", $"CAST({q(rating)} AS DOUBLE)" };
        var split = SplitColumn.None;
        switch (options.Split.Method)
        {
            case DataSplitMethod.AutoSplit or DataSplitMethod.Random:
                split = SplitColumn.ComputedHash; // the reader hashes user, item and rating (RowHasher), as for LINEAR_REG
                break;
            case DataSplitMethod.Custom or DataSplitMethod.Seq:
            {
                var col = columns.FirstOrDefault(c => c.Name.Equals(options.Split.Column, StringComparison.OrdinalIgnoreCase))
                    ?? throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{options.Split.Column}' is not in the training query.");
                if (options.Split.Method == DataSplitMethod.Custom && !col.Type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase))
                    throw Errors.Binding($"CREATE MODEL {model}: data_split_col '{col.Name}' has type {col.Type}; CUSTOM split needs a BOOLEAN column (TRUE or NULL = evaluation).");
                select.Add(options.Split.Method == DataSplitMethod.Custom ? $"coalesce({q(col)}, true)" : SeqFlag(SqlText.QuotedIdentifier(col.Name), options.Split.EvalFraction!.Value));
                split = SplitColumn.Flag;
                break;
            }
        }
        string sql = $"WITH {Source} AS (\n{stmt.Query}\n)\nSELECT {string.Join(", ", select)} FROM {Source} AS q";
        var schema = new TrainingSchema([], [user.Name, item.Name], rating.Name);
        var types = new RatingIdTypes(userInt ? user.Type : "VARCHAR", userInt, itemInt ? item.Type : "VARCHAR", itemInt);
        var features = new List<FeatureColumn> { new(user.Name, FeatureKind.Categorical, user.Type), new(item.Name, FeatureKind.Categorical, item.Type) };
        return new RatingQueryPlan(sql, schema, split, types, features);
    }

    private static QueryColumn Require(List<QueryColumn> columns, string option, string name, string model) =>
        columns.FirstOrDefault(c => c.Name == name) ?? columns.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw Errors.Binding($"CREATE MODEL {model}: {option} '{name}' is not in the training query (columns: {string.Join(", ", columns.Select(c => c.Name))}). Set {option} to the column's name.");

    private static bool IdType(QueryColumn c, string option, string model)
    {
        if (IntegerTypes.Contains(c.Type)) return true;
        if (c.Type.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase) || c.Type.StartsWith("ENUM", StringComparison.OrdinalIgnoreCase)) return false;
        throw Errors.Binding($"CREATE MODEL {model}: {option} '{c.Name}' has type {c.Type}; user and item ids must be INTEGER (up to BIGINT) or STRING. Cast it, e.g. CAST({SqlText.Identifier(c.Name)} AS VARCHAR).");
    }

    /// <summary>SEQ, as for LINEAR_REG (docs/semantics.md): rows below the (1 − f) position's value train; the rest and NULLs evaluate.</summary>
    private static string SeqFlag(string col, double evalFraction)
    {
        string threshold = $"(SELECT {col} FROM (SELECT {col}, row_number() OVER (ORDER BY {col} NULLS LAST) AS __rn, count(*) OVER () AS __n FROM {Source}) " +
                           $"WHERE __rn = CAST(round((1 - {SqlText.Double(evalFraction)}) * __n) AS BIGINT) + 1)";
        return $"(q.{col} IS NULL OR coalesce(q.{col} >= {threshold}, false))";
    }
}
