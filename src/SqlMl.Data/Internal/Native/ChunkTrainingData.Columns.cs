using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (at != n) throw new SqlMlException(SqlMlErrorCode.Engine, $"CREATE MODEL {modelName}: the training query returned fewer rows than it reported.");
        return new TrainingColumns(n, numeric, codes, flags);
    }

    /// <summary>Whether every value is finite (no NaN or ±Infinity), vectorized: a fully optimized loop of its own, as the
    /// generic library sum runs as unoptimized or instrumented code in a process's first trainings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        int i = 0;
        var exponent = Vector256.Create(0x7FF0_0000_0000_0000UL);
        var all = Vector256<ulong>.Zero;
        ref double start = ref MemoryMarshal.GetReference(values);
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            // A value is not finite exactly when its exponent bits are all ones.
            var bits = Vector256.LoadUnsafe(ref start, (nuint)i).AsUInt64() & exponent;
            all |= Vector256.Equals(bits, exponent);
        }
        if (all != Vector256<ulong>.Zero) return false;
        for (; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return false;
        return true;
    }

    /// <summary>Copies a DOUBLE vector into <paramref name="destination"/>: NULL becomes NaN, a real NaN or Infinity is refused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyNumeric(IntPtr vector, int rows, Span<double> destination, string modelName, string column)
    {
        new ReadOnlySpan<double>(ChunkStream.Data(vector), rows).CopyTo(destination);
        var validity = ChunkStream.Validity(vector);
        if (validity == null && AllFinite(destination)) return;
        for (int r = 0; r < rows; r++)
        {
            if (validity != null && (validity[r >> 6] & (1UL << (r & 63))) == 0) destination[r] = double.NaN;
            else if (!double.IsFinite(destination[r]))
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{column}' contains NaN or Infinity.");
        }
    }
}
