using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;

namespace SqlMl.Data.Internal.Catalog;

/// <summary>
/// <see cref="SqlMlConnection.GetSchema(string, string?[])"/>'s collections, read from DuckDB's information_schema
/// and the model catalog. Restrictions are exact values (null or absent: any), in the order of the Restrictions
/// collection. The model catalog's own schema (sqlml) is left out of Tables and Columns.
/// </summary>
internal static class SchemaCollections
{
    private static readonly (string Collection, string[] Restrictions)[] Collections =
    [
        ("MetaDataCollections", []),
        ("Restrictions", []),
        ("Tables", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE"]),
        ("Columns", ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME"]),
        ("Models", ["MODEL_SCHEMA", "MODEL_NAME"]),
    ];

    public static DataTable Get(DuckDBConnection connection, string collectionName, string?[] restrictions)
    {
        var entry = Collections.FirstOrDefault(c => string.Equals(c.Collection, collectionName, StringComparison.OrdinalIgnoreCase));
        if (entry.Collection is null)
            throw new ArgumentException($"Unknown schema collection '{collectionName}'. SqlMl has: {string.Join(", ", Collections.Select(c => c.Collection))}.", nameof(collectionName));
        if (restrictions.Length > entry.Restrictions.Length)
            throw new ArgumentException($"Schema collection {entry.Collection} takes at most {entry.Restrictions.Length} restrictions ({string.Join(", ", entry.Restrictions)}); {restrictions.Length} were given.", nameof(restrictions));
        return entry.Collection switch
        {
            "MetaDataCollections" => MetaDataCollections(),
            "Restrictions" => RestrictionsTable(),
            "Tables" => Query(connection, entry, restrictions, """
                SELECT table_catalog AS TABLE_CATALOG, table_schema AS TABLE_SCHEMA, table_name AS TABLE_NAME, table_type AS TABLE_TYPE
                FROM information_schema.tables WHERE table_schema <> 'sqlml'
                """, "ORDER BY 1, 2, 3"),
            "Columns" => Query(connection, entry, restrictions, """
                SELECT table_catalog AS TABLE_CATALOG, table_schema AS TABLE_SCHEMA, table_name AS TABLE_NAME, column_name AS COLUMN_NAME,
                       ordinal_position::INTEGER AS ORDINAL_POSITION, data_type AS DATA_TYPE, is_nullable = 'YES' AS IS_NULLABLE, column_default AS COLUMN_DEFAULT
                FROM information_schema.columns WHERE table_schema <> 'sqlml'
                """, "ORDER BY 1, 2, 3, 5"),
            _ => Models(connection, entry, restrictions),
        };
    }

    private static DataTable Models(DuckDBConnection connection, (string Collection, string[] Restrictions) entry, string?[] restrictions)
    {
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'sqlml' AND table_name = 'models'";
            if (Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                var empty = Query(connection, entry, [], """
                    SELECT NULL::VARCHAR AS MODEL_SCHEMA, NULL::VARCHAR AS MODEL_NAME, NULL::VARCHAR AS MODEL_TYPE, NULL::VARCHAR AS LABEL,
                                  NULL::BIGINT AS TRAINING_ROWS, NULL::BIGINT AS EVAL_ROWS, NULL::TIMESTAMP AS CREATED_AT WHERE false
                    """, "");
                return empty;
            }
        }
        return Query(connection, entry, restrictions, """
            SELECT schema_name AS MODEL_SCHEMA, model_name AS MODEL_NAME, model_type AS MODEL_TYPE, label AS LABEL,
                   training_rows AS TRAINING_ROWS, eval_rows AS EVAL_ROWS, created_at AS CREATED_AT
            FROM sqlml.models
            """, "ORDER BY 1, 2");
    }

    private static DataTable Query(DuckDBConnection connection, (string Collection, string[] Restrictions) entry, string?[] restrictions, string select, string orderBy)
    {
        using var cmd = connection.CreateCommand();
        // Restrictions filter an outer query, where the upper-case column aliases are visible.
        var where = new System.Text.StringBuilder();
        for (int i = 0; i < restrictions.Length; i++)
        {
            if (restrictions[i] is not { } value) continue;
            where.Append(" AND ").Append(entry.Restrictions[i]).Append(" = $r").Append(i);
            cmd.Parameters.Add(new DuckDBParameter("r" + i, value));
        }
        cmd.CommandText = $"SELECT * FROM ({select}) AS t WHERE true{where} {orderBy}";
        using var reader = cmd.ExecuteReader();
        var table = new DataTable(entry.Collection);
        table.Load(reader);
        return table;
    }

    private static DataTable MetaDataCollections()
    {
        var table = new DataTable("MetaDataCollections")
        {
            Columns =
            {
                { DbMetaDataColumnNames.CollectionName, typeof(string) },
                { DbMetaDataColumnNames.NumberOfRestrictions, typeof(int) },
                { DbMetaDataColumnNames.NumberOfIdentifierParts, typeof(int) },
            },
        };
        foreach (var (name, restrictions) in Collections)
            table.Rows.Add(name, restrictions.Length, name is "Tables" or "Models" ? 2 : name == "Columns" ? 3 : 0);
        return table;
    }

    private static DataTable RestrictionsTable()
    {
        var table = new DataTable("Restrictions")
        {
            Columns =
            {
                { "CollectionName", typeof(string) },
                { "RestrictionName", typeof(string) },
                { "RestrictionDefault", typeof(string) },
                { "RestrictionNumber", typeof(int) },
            },
        };
        foreach (var (name, restrictions) in Collections)
            for (int i = 0; i < restrictions.Length; i++)
                table.Rows.Add(name, restrictions[i], null, i + 1);
        return table;
    }
}
