using DuckDB.NET.Data;
using DuckDB.NET.Data.DataChunk.Reader;
using DuckDB.NET.Data.DataChunk.Writer;
using SqlMl.Preprocessing;

namespace SqlMl.Data.Internal.Functions;

/// <summary>
/// The C# scalar functions SqlMl adds to DuckDB, registered on every connection SqlMl opens:
/// <c>farm_fingerprint(VARCHAR) → BIGINT</c> (BigQuery's FARM_FINGERPRINT, documented for users), and for the compiled
/// ML.HASH_BUCKETIZE the same function as <c>sqlml_farm_fingerprint</c> (so a user macro named farm_fingerprint cannot
/// change it) and as <c>sqlml_farm_fingerprint_unsigned(VARCHAR) → UBIGINT</c> (the bucket is the unsigned value
/// modulo the size). DuckDB keeps scalar functions in the database instance's system catalog, shared by all its
/// connections, so a name already there is not registered again. The functions are vectorized: one call per chunk
/// of up to 2048 rows.
/// </summary>
internal static class ScalarFunctions
{
    /// <summary>The name documented for users.</summary>
    public const string PublicFingerprint = "farm_fingerprint";

    private static readonly ScalarFunctionOptions Options = new() { IsPureFunction = true, HandlesNulls = true };

    /// <summary>Registers the functions on <paramref name="duck"/>'s database unless they are there already.</summary>
    public static void Register(DuckDBConnection duck)
    {
        (string Name, Action<DuckDBConnection> Register)[] functions =
        [
            (PublicFingerprint, d => d.RegisterScalarFunction<string, long>(PublicFingerprint, Fingerprint, Options)),
            (HashBucketizeFunction.FingerprintFunction,
                d => d.RegisterScalarFunction<string, long>(HashBucketizeFunction.FingerprintFunction, Fingerprint, Options)),
            (HashBucketizeFunction.UnsignedFingerprintFunction,
                d => d.RegisterScalarFunction<string, ulong>(HashBucketizeFunction.UnsignedFingerprintFunction, UnsignedFingerprint, Options)),
        ];
        var present = Registered(duck, functions.Select(f => f.Name));
        foreach (var (name, register) in functions)
        {
            if (present.Contains(name)) continue;
            try
            {
                register(duck);
            }
            catch (InvalidOperationException) when (Registered(duck, [name]).Count == 1)
            {
                // Another connection to the same database registered it in the meantime.
            }
        }
    }

    /// <summary>One vector: the fingerprint of each string's UTF-8 bytes; NULL stays NULL.</summary>
    private static void Fingerprint(IReadOnlyList<IDuckDBDataReader> readers, IDuckDBDataWriter writer, ulong rows)
    {
        var input = readers[0];
        for (ulong i = 0; i < rows; i++)
        {
            if (input.IsValid(i)) writer.WriteValue(FarmFingerprint.Of(input.GetValue<string>(i)), i);
            else writer.WriteNull(i);
        }
    }

    /// <summary>One vector: the fingerprints read as unsigned.</summary>
    private static void UnsignedFingerprint(IReadOnlyList<IDuckDBDataReader> readers, IDuckDBDataWriter writer, ulong rows)
    {
        var input = readers[0];
        for (ulong i = 0; i < rows; i++)
        {
            if (input.IsValid(i)) writer.WriteValue(unchecked((ulong)FarmFingerprint.Of(input.GetValue<string>(i))), i);
            else writer.WriteNull(i);
        }
    }

    /// <summary>Those of <paramref name="names"/> that the database's system catalog holds.</summary>
    private static HashSet<string> Registered(DuckDBConnection duck, IEnumerable<string> names)
    {
        using var cmd = duck.CreateCommand();
        var list = names.ToList();
        cmd.CommandText = "SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = 'system' AND function_name IN ("
            + string.Join(", ", list.Select((_, i) => "$n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
        for (int i = 0; i < list.Count; i++) cmd.Parameters.Add(new DuckDBParameter("n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), list[i]));
        var found = new HashSet<string>(StringComparer.Ordinal);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) found.Add(reader.GetString(0));
        return found;
    }
}
