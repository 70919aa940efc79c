namespace SqlMl.Preprocessing;

/// <summary>
/// ML.HASH_BUCKETIZE(string_expression, hash_bucket_size). SqlMl's documented, stable hash: the first 15 hex
/// digits of the MD5 of the string's UTF-8 bytes, read as an integer (0 ≤ hash &lt; 2^60); the bucket is hash mod
/// size, or the hash itself when the size is 0. NULL gives NULL.
/// </summary>
internal sealed class HashBucketizeFunction : PreprocessingFunction
{
    public override string Name => "HASH_BUCKETIZE";

    public override bool IsAnalytic => false;

    public override int MinArguments => 2;

    public override int MaxArguments => 2;

    public override string Signature => "(string_expression, hash_bucket_size)";

    public override CompiledCall Compile(CallArguments args)
    {
        long size = args.Int(1, "hash_bucket_size", 0);
        if (size < 0) throw args.Error($"hash_bucket_size must be 0 (no bucketing) or positive, got {size}.", 1);
        string hash = $"CAST('0x' || substr(md5({SqlFragments.AsVarchar(args.ScalarExpr(0, "string_expression"))}), 1, 15) AS BIGINT)";
        return CompiledCall.Scalar(size == 0 ? hash : $"{hash} % {size}");
    }
}
