using System.Globalization;

namespace SqlMl.Preprocessing;

/// <summary>
/// ML.HASH_BUCKETIZE(string_expression, hash_bucket_size) as BigQuery computes it: the bucket is FARM_FINGERPRINT
/// of the string (FarmHash Fingerprint64 of its UTF-8 bytes, <see cref="FarmFingerprint"/>) read as an unsigned
/// 64-bit integer, modulo the size; size 0 gives the fingerprint itself (signed, as FARM_FINGERPRINT). NULL gives
/// NULL. The fingerprint is a C# scalar function registered in DuckDB under <see cref="FingerprintFunction"/>.
/// </summary>
internal sealed class HashBucketizeFunction() : PreprocessingFunction("HASH_BUCKETIZE", isAnalytic: false, minArguments: 2, maxArguments: 2,
    "(string_expression, hash_bucket_size)")
{
    /// <summary>The DuckDB scalar function <c>(VARCHAR) → BIGINT</c> that SqlMl.Data registers on every connection.</summary>
    public const string FingerprintFunction = "sqlml_farm_fingerprint";

    /// <summary>
    /// The same fingerprint as <c>(VARCHAR) → UBIGINT</c>, registered beside it: the bucket needs the unsigned value,
    /// and UBIGINT arithmetic is about ten times faster in DuckDB than widening the BIGINT to HUGEINT.
    /// </summary>
    public const string UnsignedFingerprintFunction = "sqlml_farm_fingerprint_unsigned";

    public override CompiledCall Compile(CallArguments args)
    {
        long size = args.Int(1, "hash_bucket_size", 0);
        if (size < 0) throw args.Error($"hash_bucket_size must be 0 (no bucketing) or positive, got {size}.", 1);
        string text = SqlFragments.AsVarchar(args.ScalarExpr(0, "string_expression"));
        if (size == 0) return CompiledCall.Scalar($"{FingerprintFunction}({text})");
        string n = size.ToString(CultureInfo.InvariantCulture);
        return CompiledCall.Scalar($"CAST({UnsignedFingerprintFunction}({text}) % CAST({n} AS UBIGINT) AS BIGINT)");
    }
}
