using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// The whole-column read (<see cref="IColumnarTrainingData"/>): the query runs as a materialized result
/// (<see cref="MaterializedChunks"/>), so the row count is known before any copy, and each vector is copied once,
/// straight into its final column. No <see cref="FeatureStatistics"/> are accumulated: the trainer computes
/// ML.FEATURE_INFO's statistics from the columns and hands them back with <see cref="SupplySummary"/>.
/// </summary>
internal sealed unsafe partial class ChunkTrainingData : IColumnarTrainingData
{
    /// <summary>Whether ML.FEATURE_INFO would take a summary of this reader's columns (<see cref="SupplySummary"/>):
    /// a <see cref="TrainingReads"/> log is open on the connection and no feature is expanded.</summary>
    public bool WantsSummary => Schema.MultiHot.Count == 0 && TrainingReads.On(connection) is not null;

    /// <summary>Records the statistics of every row a <see cref="ReadColumns"/> read (what <see cref="CompleteSummary"/> returns).</summary>
    public void SupplySummary(FeatureSummary summary) => _suppliedSummary = summary;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TrainingColumns ReadColumns(Func<long, double[][]> numericColumns, bool withFlags, string modelName, CancellationToken cancellationToken)
    {
        int p = Schema.Numeric.Count, c = Schema.Categorical.Count;
        if (Schema.MultiHot.Count == 0) TrainingReads.On(connection)?.Add(this);
        using var result = new MaterializedChunks(connection, sql);
        if (ReadsInParallel(result)) return ReadNumericInParallel(result, numericColumns, withFlags, modelName, cancellationToken);
        var numeric = numericColumns(result.Rows);
        int n = (int)result.Rows;
        foreach (var column in numeric) column.AsSpan(n).Clear();
        var codes = new int[c][];
        for (int k = 0; k < c; k++) codes[k] = GC.AllocateUninitializedArray<int>(n);
        var flags = withFlags ? new bool[n] : null;
        var chars = new char[256];
        int at = 0;
        for (int i = 0; i < result.Chunks; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var chunk = result.Chunk(i);
            int rows = MaterializedChunks.Size(chunk);
            if (rows == 0) continue;
            if (at + rows > n) throw new SqlMlException(SqlMlErrorCode.Engine, $"CREATE MODEL {modelName}: the training query returned more rows than it reported.");
            for (int j = 0; j < p; j++)
                CopyNumeric(MaterializedChunks.Vector(chunk, j), rows, numeric[j].AsSpan(at, rows), modelName, Schema.Numeric[j]);
            for (int k = 0; k < c; k++)
                ReadStrings(MaterializedChunks.Vector(chunk, p + k), rows, codes[k].AsSpan(at, rows), _dictionaries[k], ref chars);
            if (flags is not null) ReadFlags(MaterializedChunks.Vector(chunk, p + c), rows, flags.AsSpan(at, rows));
            at += rows;
        }
        // The non-temporal stores of CopyFinite are weakly ordered: complete them before the columns are handed on.
        if (Sse.IsSupported) Sse.StoreFence();
        if (at != n) throw new SqlMlException(SqlMlErrorCode.Engine, $"CREATE MODEL {modelName}: the training query returned fewer rows than it reported.");
        return new TrainingColumns(n, numeric, codes, flags);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> and tells whether every value is finite (no NaN
    /// or ±Infinity) from the same loads. The stores are non-temporal where AVX allows (32-byte aligned, past a scalar
    /// head): the columns are far larger than the caches, so ordinary stores would first read each destination line in
    /// and later evict it again; the caller ends the whole copy with a store fence. A fully optimized loop of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CopyFinite(ReadOnlySpan<double> source, Span<double> destination)
    {
        int n = source.Length, i = 0;
        bool finite = true;
        fixed (double* from = source, to = destination)
        {
            if (Avx.IsSupported)
            {
                for (; i < n && ((nuint)(to + i) & 31) != 0; i++)
                {
                    to[i] = from[i];
                    finite &= double.IsFinite(from[i]);
                }
                var exponent = Vector256.Create(0x7FF0_0000_0000_0000UL);
                var notFinite = Vector256<ulong>.Zero;
                for (; i <= n - 2 * Vector256<double>.Count; i += 2 * Vector256<double>.Count)
                {
                    // A value is not finite exactly when its exponent bits are all ones.
                    var a = Avx.LoadVector256(from + i);
                    var b = Avx.LoadVector256(from + i + Vector256<double>.Count);
                    notFinite |= Vector256.Equals(a.AsUInt64() & exponent, exponent) | Vector256.Equals(b.AsUInt64() & exponent, exponent);
                    Avx.StoreAlignedNonTemporal(to + i, a);
                    Avx.StoreAlignedNonTemporal(to + i + Vector256<double>.Count, b);
                }
                finite &= notFinite == Vector256<ulong>.Zero;
            }
            for (; i < n; i++)
            {
                to[i] = from[i];
                finite &= double.IsFinite(from[i]);
            }
        }
        return finite;
    }

    /// <summary>Copies a DOUBLE vector into <paramref name="destination"/>: NULL becomes NaN, a real NaN or Infinity is refused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyNumeric(IntPtr vector, int rows, Span<double> destination, string modelName, string column)
    {
        bool finite = CopyFinite(new ReadOnlySpan<double>(ChunkStream.Data(vector), rows), destination);
        var validity = ChunkStream.Validity(vector);
        if (validity == null && finite) return;
        for (int r = 0; r < rows; r++)
        {
            if (validity != null && (validity[r >> 6] & (1UL << (r & 63))) == 0) destination[r] = double.NaN;
            else if (!double.IsFinite(destination[r]))
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{column}' contains NaN or Infinity.");
        }
    }
}
