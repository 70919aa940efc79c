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
/// modulo the size), and KMEANS ML.PREDICT's <c>sqlml_kmeans_nearest(DOUBLE, …) → BIGINT</c>
/// (<see cref="NearestCentroidsFunction"/>). DuckDB keeps scalar functions in the database instance's system catalog, shared by all its
/// connections (they live as long as the database instance), so functions already there are not registered again.
/// The functions are vectorized: one call per chunk of up to 2048 rows.
/// </summary>
internal static class ScalarFunctions
{
    /// <summary>The name documented for users.</summary>
    public const string PublicFingerprint = "farm_fingerprint";

    private static readonly ScalarFunctionOptions Options = new() { IsPureFunction = true, HandlesNulls = true };

    /// <summary>KMEANS' nearest-centroid packing: a NULL distance gives NULL (never happens: features default to means).</summary>
    private static readonly ScalarFunctionOptions NearestOptions = new() { IsPureFunction = true };

    /// <summary>
    /// Registers the functions on <paramref name="duck"/>'s database unless a probe query finds them all there
    /// (the probe costs well under a millisecond; listing duckdb_functions() costs about 20). Registering a name
    /// again replaces the function with an identical one, so a race between two connections is harmless.
    /// </summary>
    public static void Register(DuckDBConnection duck)
    {
        if (AllRegistered(duck)) return;
        duck.RegisterScalarFunction<string, long>(PublicFingerprint, Fingerprint, Options);
        duck.RegisterScalarFunction<string, long>(HashBucketizeFunction.FingerprintFunction, Fingerprint, Options);
        duck.RegisterScalarFunction<string, ulong>(HashBucketizeFunction.UnsignedFingerprintFunction, UnsignedFingerprint, Options);
        duck.RegisterScalarFunction<double, long>(NearestCentroidsFunction.Name, NearestCentroidsFunction.Nearest, NearestOptions, true);
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

    private static bool AllRegistered(DuckDBConnection duck)
    {
        using var cmd = duck.CreateCommand();
        cmd.CommandText = $"SELECT {PublicFingerprint}(NULL::VARCHAR), {HashBucketizeFunction.FingerprintFunction}(NULL::VARCHAR), {HashBucketizeFunction.UnsignedFingerprintFunction}(NULL::VARCHAR), {NearestCentroidsFunction.Name}(1.0, 2.0)";
        try
        {
            cmd.ExecuteNonQuery();
            return true;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }
}
