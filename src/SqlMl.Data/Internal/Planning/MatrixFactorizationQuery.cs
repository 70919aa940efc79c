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
    /// <summary>Integer types whose values fit BIGINT: ids stay integers. Other ids must be strings.</summary>
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER",
    };

    public static RatingQueryPlan Plan(CreateModelContext context, MatrixFactorizationOptions options)
    {
        var stmt = context.Statement;
        string model = stmt.Name.ToString();
        var columns = TrainingQuery.DescribeTrainingQuery(context.Connection, stmt.Query, model);
        var user = Require(columns, "user_col", options.UserColumn, model);
        var item = Require(columns, "item_col", options.ItemColumn, model);
        var rating = Require(columns, "rating_col", options.RatingColumn, model);
        bool userInt = IdType(user, "user_col", model);
        bool itemInt = IdType(item, "item_col", model);
        if (!QueryColumns.IsNumeric(rating.Type))
            throw Errors.Binding($"CREATE MODEL {model}: rating_col '{rating.Name}' has type {rating.Type}; ratings must be numeric.");

        string q(QueryColumn c) => "q." + SqlText.QuotedIdentifier(c.Name);
        var select = new List<string> { $"CAST({q(user)} AS VARCHAR)", $"CAST({q(item)} AS VARCHAR)", $"CAST({q(rating)} AS DOUBLE)" };
        // AUTO_SPLIT and RANDOM: the reader hashes user, item and rating (RowHasher), as for LINEAR_REG
        var (flag, split) = SplitSql.Select(options.Split, SplitSql.BindColumn(options.Split, columns, null, model));
        if (flag is not null) select.Add(flag);
        string sql = TrainingQuery.Wrap(stmt.Query, select);
        var schema = new TrainingSchema([], [user.Name, item.Name], rating.Name);
        var types = new RatingIdTypes(userInt ? user.Type : "VARCHAR", userInt, itemInt ? item.Type : "VARCHAR", itemInt);
        var features = new List<FeatureColumn> { new(user.Name, FeatureKind.Categorical, user.Type), new(item.Name, FeatureKind.Categorical, item.Type) };
        return new RatingQueryPlan(sql, schema, split, types, features);
    }

    private static QueryColumn Require(List<QueryColumn> columns, string option, string name, string model) =>
        TrainingQuery.Find(columns, name)
        ?? throw Errors.Binding($"CREATE MODEL {model}: {option} '{name}' is not in the training query (columns: {string.Join(", ", columns.Select(c => c.Name))}). Set {option} to the column's name.");

    private static bool IdType(QueryColumn c, string option, string model)
    {
        if (IntegerTypes.Contains(c.Type)) return true;
        if (c.Type.Equals("VARCHAR", StringComparison.OrdinalIgnoreCase) || c.Type.StartsWith("ENUM", StringComparison.OrdinalIgnoreCase)) return false;
        throw Errors.Binding($"CREATE MODEL {model}: {option} '{c.Name}' has type {c.Type}; user and item ids must be INTEGER (up to BIGINT) or STRING. Cast it, e.g. CAST({SqlText.Identifier(c.Name)} AS VARCHAR).");
    }
}
