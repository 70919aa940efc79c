using DuckDB.NET.Data;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// DuckDB's function names by kind (from <c>duckdb_functions()</c>), for TRANSFORM's rules: which names are only
/// aggregates, and which are user-defined (macros and UDFs the user created).
/// </summary>
internal sealed class FunctionCatalog
{
    private readonly HashSet<string> _aggregates;
    private readonly HashSet<string> _userDefined;

    private FunctionCatalog(HashSet<string> aggregates, HashSet<string> userDefined)
    {
        _aggregates = aggregates;
        _userDefined = userDefined;
    }

    public static FunctionCatalog Load(DuckDBConnection connection)
    {
        var aggregates = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var userDefined = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT function_name,
                   bool_or(function_type = 'aggregate') AND NOT bool_or(function_type IN ('scalar', 'macro')),
                   bool_and(NOT internal)
            FROM duckdb_functions() GROUP BY function_name
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (r.GetBoolean(1)) aggregates.Add(r.GetString(0));
            if (r.GetBoolean(2)) userDefined.Add(r.GetString(0));
        }
        return new FunctionCatalog(aggregates, userDefined);
    }

    /// <summary>Whether the name is an aggregate function (and not also a scalar one).</summary>
    public bool IsAggregate(string name) => _aggregates.Contains(name);

    /// <summary>Whether the name is a function or macro the user created.</summary>
    public bool IsUserDefined(string name) => _userDefined.Contains(name);
}
