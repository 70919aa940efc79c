using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// DuckDB's SQL type names of a statement's result columns (<c>DOUBLE</c>, <c>VARCHAR[]</c>,
/// <c>STRUCT(label VARCHAR, prob DOUBLE)[]</c>), for <see cref="SqlMlDataReader.GetDataTypeName"/>: the statement is
/// prepared, not run, and the column logical types are read through DuckDB's C API (two entry points DuckDB.NET does
/// not bind, declared here).
/// </summary>
internal static partial class ResultTypeNames
{
    /// <summary>The column type names, or null when DuckDB cannot prepare the statement on its own.</summary>
    public static string[]? TryGet(DuckDBConnection connection, string sql)
    {
        if (NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, sql, out var prepared) != DuckDBState.Success)
        {
            prepared.Dispose();
            return null;
        }
        using (prepared)
        {
            long count = ColumnCount(prepared);
            var names = new string[count];
            for (long i = 0; i < count; i++)
            {
                using var type = ColumnLogicalType(prepared, i);
                names[i] = Name(type);
            }
            return names;
        }
    }

    private static string Name(DuckDBLogicalType type)
    {
        var id = NativeMethods.LogicalType.DuckDBGetTypeId(type);
        switch (id)
        {
            case DuckDBType.List:
                using (var child = NativeMethods.LogicalType.DuckDBListTypeChildType(type)) return Name(child) + "[]";
            case DuckDBType.Array:
                using (var child = NativeMethods.LogicalType.DuckDBArrayTypeChildType(type))
                    return $"{Name(child)}[{NativeMethods.LogicalType.DuckDBArrayVectorGetSize(type)}]";
            case DuckDBType.Struct:
                long n = NativeMethods.LogicalType.DuckDBStructTypeChildCount(type);
                var fields = new string[n];
                for (long i = 0; i < n; i++)
                {
                    using var child = NativeMethods.LogicalType.DuckDBStructTypeChildType(type, i);
                    fields[i] = Identifier(NativeMethods.LogicalType.DuckDBStructTypeChildName(type, i)) + " " + Name(child);
                }
                return "STRUCT(" + string.Join(", ", fields) + ")";
            case DuckDBType.Map:
                using (var key = NativeMethods.LogicalType.DuckDBMapTypeKeyType(type))
                using (var value = NativeMethods.LogicalType.DuckDBMapTypeValueType(type))
                    return $"MAP({Name(key)}, {Name(value)})";
            case DuckDBType.Decimal:
                return $"DECIMAL({NativeMethods.LogicalType.DuckDBDecimalWidth(type)},{NativeMethods.LogicalType.DuckDBDecimalScale(type)})";
            default:
                return ScalarName(id);
        }
    }

    /// <summary>DuckDB's name of a scalar type id.</summary>
    public static string ScalarName(DuckDBType id) => id switch
    {
        DuckDBType.UnsignedTinyInt => "UTINYINT",
        DuckDBType.UnsignedSmallInt => "USMALLINT",
        DuckDBType.UnsignedInteger => "UINTEGER",
        DuckDBType.UnsignedBigInt => "UBIGINT",
        DuckDBType.UnsignedHugeInt => "UHUGEINT",
        DuckDBType.TimestampS => "TIMESTAMP_S",
        DuckDBType.TimestampMs => "TIMESTAMP_MS",
        DuckDBType.TimestampNs => "TIMESTAMP_NS",
        DuckDBType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDBType.TimeTz => "TIME WITH TIME ZONE",
        DuckDBType.List => "LIST",
        _ => id.ToString().ToUpperInvariant(),
    };

    private static string Identifier(string name) =>
        PlainIdentifier().IsMatch(name) ? name : SqlText.QuotedIdentifier(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();

    [LibraryImport("duckdb", EntryPoint = "duckdb_prepared_statement_column_count")]
    private static partial long ColumnCount(DuckDBPreparedStatement preparedStatement);

    [LibraryImport("duckdb", EntryPoint = "duckdb_prepared_statement_column_logical_type")]
    private static partial DuckDBLogicalType ColumnLogicalType(DuckDBPreparedStatement preparedStatement, long index);
}
