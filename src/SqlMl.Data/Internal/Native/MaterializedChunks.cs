using DuckDB.NET.Native;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// Runs a query through DuckDB's C API as a materialized (not streaming) result: DuckDB's threads produce the whole
/// result before the first chunk is read, so its row count is known up front and the caller can copy each chunk
/// straight into arrays of the final size. For trainers that keep every row in memory anyway (KMEANS).
/// </summary>
internal sealed unsafe class MaterializedChunks : IDisposable
{
    private DuckDBResult _result;
    private DuckDBPreparedStatement? _prepared;
    private bool _hasResult;

    public MaterializedChunks(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        _prepared = PreparedQuery.Execute(connection, sql, streaming: false, out _result);
        _hasResult = true;
        Rows = (long)NativeMethods.Query.DuckDBRowCount(ref _result);
        Chunks = (int)NativeMethods.Types.DuckDBResultChunkCount(_result);
    }

    /// <summary>Rows in the result.</summary>
    public long Rows { get; }

    /// <summary>Data chunks in the result.</summary>
    public int Chunks { get; }

    /// <summary>Chunk <paramref name="index"/> (0 ≤ index &lt; <see cref="Chunks"/>); the caller disposes it.</summary>
    public DuckDBDataChunk Chunk(int index) => NativeMethods.Types.DuckDBResultGetChunk(_result, index);

    /// <summary>The rows of a chunk.</summary>
    public static int Size(DuckDBDataChunk chunk) => (int)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);

    /// <summary>Vector <paramref name="column"/> of a chunk.</summary>
    public static IntPtr Vector(DuckDBDataChunk chunk, int column) => NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, column);

    public void Dispose()
    {
        if (_hasResult)
        {
            NativeMethods.Query.DuckDBDestroyResult(ref _result);
            _hasResult = false;
        }
        _prepared?.Dispose();
        _prepared = null;
    }
}
