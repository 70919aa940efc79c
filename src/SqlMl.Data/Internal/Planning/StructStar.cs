using DuckDB.NET.Data;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// <c>expression.*</c> in TRANSFORM: the STRUCT expression is checked and frozen once, and each of its fields becomes
/// an output column named after the field (<c>ML.FEATURE_CROSS(STRUCT(a, b)).*</c> gives the column <c>a_b</c>).
/// </summary>
internal static class StructStar
{
    public static IEnumerable<TransformExpression> Expand(DuckDBConnection connection, TransformSource source, TransformStructStar item, string query, FunctionCatalog functions)
    {
        var expression = new TransformExpression(item.Sql, "__sqlml_struct", null, item.Offset);
        TransformRules.Check(source, expression, functions);
        string frozen = TransformBinder.FreezeOne(connection, source, item.Sql, item.Offset, query);
        List<QueryColumn> fields;
        try
        {
            string type = QueryColumns.Describe(connection, $"SELECT {frozen} AS __sqlml_s FROM (\n{query}\n) AS __sqlml_t")[0].Type;
            if (!type.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase))
                throw source.Error(item.Offset, $"'{item.Sql}.*' needs a STRUCT expression; '{item.Sql}' has type {type}.");
            fields = QueryColumns.Describe(connection, $"SELECT unnest({frozen}) FROM (\n{query}\n) AS __sqlml_t");
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {source.Model}: the TRANSFORM clause failed on '{item.Sql}.*': {e.Message}", e);
        }
        return fields.Select(f => new TransformExpression($"struct_extract({frozen}, {SqlText.StringLiteral(f.Name)})", f.Name, null, item.Offset)).ToList();
    }
}
