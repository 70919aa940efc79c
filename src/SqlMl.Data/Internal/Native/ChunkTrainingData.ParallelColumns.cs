using System.Runtime.Intrinsics.X86;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>The whole-column read of numeric-only training queries on every core (<see cref="ReadNumericInParallel"/>).</summary>
internal sealed unsafe partial class ChunkTrainingData
{
    /// <summary>Fewest chunks for which <see cref="ReadNumericInParallel"/> is used.</summary>
    private const int ParallelMinChunks = 16;

    /// <summary>Whether <see cref="ReadColumns"/> reads <paramref name="result"/> on every core: no categorical column, enough
    /// chunks, more than one core, and room for whole chunks fits in an array.</summary>
    private bool ReadsInParallel(MaterializedChunks result) =>
        Schema.Categorical.Count == 0 && result.Chunks >= ParallelMinChunks && CoreParallelism.Workers > 1
        && (long)ChunkStream.VectorSize * result.Chunks <= Array.MaxLength - 4L * KMeansData.Tile;

    /// <summary>
    /// <see cref="ReadColumns"/> for a query without categorical columns (no dictionary to fill in row order), on every
    /// core: DuckDB's chunk fetch copies each chunk out of the materialized result (about 60 % of the serial read at
    /// 1M × 16), and concurrent fetches of different chunks only read the result (DuckDB's duckdb_result_get_chunk
    /// also sets the result's set type on every call, always to the same value; recheck on DuckDB upgrades). Chunk i is
    /// copied to rows i·V … (V: DuckDB's vector size, the most rows a chunk holds), so no worker waits for the sizes of the chunks
    /// before its own; the columns get V·chunks rows of room (<paramref name="numericColumns"/> is called with that
    /// room, at least the row count), and the rows are moved down into place afterwards where a chunk before the last
    /// was not full (a filter or a part of a parallel scan can end in one). An error (a refused NaN or Infinity, or
    /// any other) is reported for the first chunk that has one, as the serial read would.
    /// </summary>
    private TrainingColumns ReadNumericInParallel(MaterializedChunks result, Func<long, double[][]> numericColumns, bool withFlags, string modelName,
        CancellationToken cancellationToken)
    {
        int p = Schema.Numeric.Count, chunks = result.Chunks;
        long n = result.Rows;
        int v = ChunkStream.VectorSize;
        long room = Math.Max(n, (long)v * chunks); // the caller checked that it fits in an array
        var numeric = numericColumns(room);
        var flagsRoom = withFlags ? new bool[room] : null;
        var sizes = new int[chunks];
        var errors = new Exception?[chunks];
        var cursor = new int[1];
        Parallel.For(0, CoreParallelism.Workers, CoreParallelism.Options(cancellationToken), (worker, state) =>
        {
            // Chunks are handed out one at a time, in order (a slower worker takes fewer).
            for (int i; (i = Interlocked.Increment(ref cursor[0]) - 1) < chunks && !state.ShouldExitCurrentIteration;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    using var chunk = result.Chunk(i);
                    int rows = MaterializedChunks.Size(chunk);
                    if (rows > v) throw new SqlMlException(SqlMlErrorCode.Engine, $"CREATE MODEL {modelName}: DuckDB returned a chunk of {rows} rows, more than its vector size {v}.");
                    sizes[i] = rows;
                    long at = (long)i * v;
                    for (int j = 0; j < p; j++)
                        CopyNumeric(MaterializedChunks.Vector(chunk, j), rows, numeric[j].AsSpan((int)at, rows), modelName, Schema.Numeric[j]);
                    if (flagsRoom is not null) ReadFlags(MaterializedChunks.Vector(chunk, p), rows, flagsRoom.AsSpan((int)at, rows));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors[i] = e;
                }
            }
            // This worker's non-temporal stores (CopyFinite) complete before the columns are read by others.
            if (Sse.IsSupported) Sse.StoreFence();
        });
        foreach (var error in errors)
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        long total = 0;
        foreach (int size in sizes) total += size;
        if (total != n)
            throw new SqlMlException(SqlMlErrorCode.Engine, $"CREATE MODEL {modelName}: the training query returned {(total > n ? "more" : "fewer")} rows than it reported.");
        Compact(numeric, flagsRoom, sizes, v);
        int rowsRead = (int)n;
        foreach (var column in numeric) column.AsSpan(rowsRead).Clear();
        var flags = flagsRoom is null ? null : flagsRoom.AsSpan(0, rowsRead).ToArray();
        return new TrainingColumns(rowsRead, numeric, [], flags);
    }

    /// <summary>Moves each chunk's rows from i·<paramref name="v"/> down to just after the rows of the chunks before it
    /// (nothing moves while every chunk so far was full), one column per worker.</summary>
    internal static void Compact(double[][] numeric, bool[]? flags, int[] sizes, int v)
    {
        int first = Array.FindIndex(sizes, size => size != v);
        if (first < 0 || first == sizes.Length - 1) return;
        Parallel.For(0, numeric.Length + (flags is null ? 0 : 1), CoreParallelism.Options(), j =>
        {
            if (j < numeric.Length) CompactColumn(numeric[j].AsSpan(), sizes, v, first);
            else CompactColumn(flags!.AsSpan(), sizes, v, first);
        });
    }

    private static void CompactColumn<T>(Span<T> column, int[] sizes, int v, int first)
    {
        long to = (long)first * v + sizes[first];
        for (int i = first + 1; i < sizes.Length; i++)
        {
            column.Slice(i * v, sizes[i]).CopyTo(column[(int)to..]);
            to += sizes[i];
        }
    }
}
