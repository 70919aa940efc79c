using DuckDB.NET.Data;
using SqlMl.Models;

namespace SqlMl.Data.Internal.Planning;

/// <summary>A column of a query's result as DuckDB describes it.</summary>
internal sealed record QueryColumn(string Name, string Type);

/// <summary>Asks DuckDB for a query's columns without running it, and classifies their types for training.</summary>
internal static class QueryColumns
{
    private static readonly HashSet<string> NumericTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
        "UHUGEINT", "FLOAT", "DOUBLE",
    };

    private static readonly HashSet<string> CategoricalTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "VARCHAR", "BOOLEAN", "BLOB", "DATE", "TIME", "UUID",
    };

    /// <summary>The text <see cref="Describe"/> puts before the query (a parser error's offset in it minus this length is in the query).</summary>
    public const string DescribePrefix = "DESCRIBE SELECT * FROM (\n";

    /// <summary>The statement <see cref="Describe"/> runs for <paramref name="query"/>.</summary>
    public static string DescribeSql(string query) => DescribePrefix + query + "\n) AS __sqlml_q";

    public static List<QueryColumn> Describe(DuckDBConnection connection, string query)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = DescribeSql(query);
        using var r = cmd.ExecuteReader();
        var cols = new List<QueryColumn>();
        while (r.Read()) cols.Add(new QueryColumn(r.GetString(0), r.GetString(1)));
        return cols;
    }

    public static bool IsNumeric(string type) => NumericTypes.Contains(type) || type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase);

    /// <summary>How a column of this type becomes a feature, or null when SqlMl does not encode it yet.</summary>
    public static FeatureKind? Classify(string type) =>
        IsNumeric(type) ? FeatureKind.Numeric
        : CategoricalTypes.Contains(type) || type.StartsWith("ENUM", StringComparison.OrdinalIgnoreCase) ? FeatureKind.Categorical
        : null;
}
