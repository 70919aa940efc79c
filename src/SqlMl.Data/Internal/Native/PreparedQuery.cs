using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// Prepares and executes a query through DuckDB's C API, streaming (<see cref="ChunkStream"/>) or materialized
/// (<see cref="MaterializedChunks"/>). On failure it releases what it created and throws DuckDB's error; on success
/// the caller owns the statement and the result and must destroy both.
/// </summary>
internal static class PreparedQuery
{
    public static DuckDBPreparedStatement Execute(DuckDBConnection connection, string sql, bool streaming, out DuckDBResult result)
    {
        if (NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, sql, out var prepared) != DuckDBState.Success)
        {
            string error = NativeMethods.PreparedStatements.DuckDBPrepareError(prepared);
            prepared.Dispose();
            throw new SqlMlException(SqlMlErrorCode.Engine, error);
        }
        var state = streaming
            ? NativeMethods.PreparedStatements.DuckDBExecutePreparedStreaming(prepared, out result)
            : NativeMethods.PreparedStatements.DuckDBExecutePrepared(prepared, out result);
        if (state != DuckDBState.Success)
        {
            string error = NativeMethods.Query.DuckDBResultError(ref result);
            NativeMethods.Query.DuckDBDestroyResult(ref result);
            prepared.Dispose();
            throw new SqlMlException(SqlMlErrorCode.Engine, error);
        }
        return prepared;
    }
}
