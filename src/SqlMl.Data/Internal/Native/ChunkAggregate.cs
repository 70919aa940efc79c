using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// Runs C# code over a query's rows inside DuckDB's parallel pipeline, as an ungrouped C-API aggregate
/// <c>sqlml_chunk_aggregate_N(session BIGINT, DOUBLE × N) → BIGINT</c>: DuckDB gives each of its threads its own
/// aggregate state and calls update with that thread's data chunks, so every core both scans and computes.
/// <para>
/// The state is 8 bytes: 0, or 1 + the index of a <see cref="ChunkWorker"/> that the <see cref="ChunkAggregateSession"/>
/// named by the first argument created at the state's first update. Workers belong to the session, not to DuckDB:
/// combine and finalize do nothing with them (every row reaches exactly one worker), and the caller merges the
/// session's workers after the query. Exceptions never cross into native code: update catches them, keeps the first
/// in the session and reports it with <c>duckdb_aggregate_function_set_error</c>; <see cref="Run"/> rethrows it.
/// </para>
/// The function is registered in the database's system catalog on first use, once per argument count.
/// </summary>
internal static unsafe class ChunkAggregate
{
    private const string FunctionPrefix = "sqlml_chunk_aggregate_";
    private static readonly ConcurrentDictionary<long, ChunkAggregateSession> Sessions = new();

    /// <summary>
    /// Runs <c>SELECT sqlml_chunk_aggregate_N(id, c0, …) FROM (<paramref name="sql"/>)</c>; each column of the
    /// query, whose types are <paramref name="columnTypes"/>, is passed as DOUBLE (others are cast: BOOLEAN → 1/0).
    /// On return the session's workers hold every row. Errors from the workers are rethrown as they were raised.
    /// </summary>
    public static void Run(DuckDBConnection connection, string sql, IReadOnlyList<string> columnTypes, ChunkAggregateSession session)
    {
        int n = columnTypes.Count;
        EnsureRegistered(connection, n);
        // A random id, not a counter: SQL on another connection of the process cannot name a running session
        // (and feed it rows or fail it) by guessing the next number.
        long id;
        do id = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        while (id == 0 || !Sessions.TryAdd(id, session));
        try
        {
            var text = new StringBuilder("SELECT ").Append(FunctionPrefix).Append(n).Append('(').Append(id).Append("::BIGINT");
            for (int i = 0; i < n; i++)
                text.Append(columnTypes[i].Equals("DOUBLE", StringComparison.OrdinalIgnoreCase) ? $", c{i}" : $", CAST(c{i} AS DOUBLE)");
            text.Append(") FROM (\n").Append(sql).Append("\n) AS __sqlml_chunks(")
                .AppendJoin(", ", Enumerable.Range(0, n).Select(i => $"c{i}")).Append(')');
            using var cmd = connection.CreateCommand();
            cmd.CommandText = text.ToString();
            try
            {
                cmd.ExecuteScalar();
            }
            catch (DuckDBException e)
            {
                if (session.Error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
                session.Token.ThrowIfCancellationRequested();
                throw new SqlMlException(SqlMlErrorCode.Engine, e.Message, inner: e);
            }
            if (session.Error is { } failed) ExceptionDispatchInfo.Capture(failed).Throw();
        }
        finally
        {
            Sessions.TryRemove(id, out _);
        }
    }

    private static void EnsureRegistered(DuckDBConnection connection, int n)
    {
        string name = FunctionPrefix + n;
        if (IsRegistered(connection, name, n)) return;
        // Two connections of one database could otherwise both miss the function and both create it in the shared
        // system catalog; the second creation would fail (or conflict) instead of finding the first.
        lock (RegisterLock)
        {
            if (!IsRegistered(connection, name, n)) Register(connection, name, n);
        }
    }

    private static readonly Lock RegisterLock = new();

    private static bool IsRegistered(DuckDBConnection connection, string name, int n)
    {
        string probe = $"SELECT {name}(NULL::BIGINT{string.Concat(Enumerable.Repeat(", NULL::DOUBLE", n))})";
        bool ok = NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, probe, out var prepared) == DuckDBState.Success;
        prepared.Dispose();
        return ok;
    }

    private static void Register(DuckDBConnection connection, string name, int n)
    {
        IntPtr function = AggregateApi.CreateAggregateFunction();
        IntPtr bigint = AggregateApi.CreateLogicalType(AggregateApi.TypeBigInt);
        IntPtr dbl = AggregateApi.CreateLogicalType(AggregateApi.TypeDouble);
        try
        {
            var utf8 = Encoding.UTF8.GetBytes(name + "\0");
            fixed (byte* p = utf8) AggregateApi.SetName(function, p);
            AggregateApi.AddParameter(function, bigint);
            for (int i = 0; i < n; i++) AggregateApi.AddParameter(function, dbl);
            AggregateApi.SetReturnType(function, bigint);
            AggregateApi.SetSpecialHandling(function);
            AggregateApi.SetFunctions(function,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, ulong>)&StateSize,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, long*, void>)&Init,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, long**, void>)&Update,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, long**, long**, ulong, void>)&Combine,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, long**, IntPtr, ulong, ulong, void>)&Finalize);
            bool connectionLock = false;
            var native = connection.NativeConnection;
            native.DangerousAddRef(ref connectionLock);
            try
            {
                if (AggregateApi.RegisterAggregateFunction(native.DangerousGetHandle(), function) != 0)
                    throw new SqlMlException(SqlMlErrorCode.Engine, $"DuckDB refused to register SqlMl's aggregate function {name}.");
            }
            finally
            {
                if (connectionLock) native.DangerousRelease();
            }
        }
        finally
        {
            AggregateApi.DestroyLogicalType(&bigint);
            AggregateApi.DestroyLogicalType(&dbl);
            AggregateApi.DestroyAggregateFunction(&function);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static ulong StateSize(IntPtr info) => sizeof(long);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Init(IntPtr info, long* state) => *state = 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Update(IntPtr info, IntPtr chunk, long** states)
    {
        ChunkAggregateSession? session = null;
        try
        {
            int rows = (int)AggregateApi.DataChunkGetSize(chunk);
            if (rows == 0) return;
            long id = *(long*)AggregateApi.VectorGetData(AggregateApi.DataChunkGetVector(chunk, 0));
            if (!Sessions.TryGetValue(id, out session))
                throw new InvalidOperationException($"{FunctionPrefix}: no SqlMl session {id} is running.");
            session.Token.ThrowIfCancellationRequested();
            if (session.Error is not null) throw new OperationCanceledException("An earlier chunk failed.");
            // Ungrouped: every row of the chunk points at the thread's one state.
            long* state = states[0];
            if (*state == 0) *state = session.AddWorker() + 1;
            session.Worker((int)(*state - 1)).Update(new ChunkView(chunk, rows));
        }
        catch (Exception e)
        {
            session?.Fail(e);
            var message = Encoding.UTF8.GetBytes((session?.Error ?? e).Message + "\0");
            fixed (byte* p = message) AggregateApi.SetError(info, p);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Combine(IntPtr info, long** source, long** target, ulong count)
    {
        // Nothing to do: the workers stay with their session, which the caller merges after the query.
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Finalize(IntPtr info, long** source, IntPtr result, ulong count, ulong offset)
    {
        var data = (long*)AggregateApi.VectorGetData(result);
        for (ulong i = 0; i < count; i++) data[offset + i] = 0;
    }
}

/// <summary>
/// One aggregate query's C# side: creates a <see cref="ChunkWorker"/> per DuckDB thread (state) and keeps them,
/// with the first error any of them raised, for the caller to merge after <see cref="ChunkAggregate.Run"/>.
/// </summary>
internal abstract class ChunkAggregateSession(CancellationToken token)
{
    private readonly List<ChunkWorker> _workers = [];
    private readonly Lock _lock = new();
    private Exception? _error;

    public CancellationToken Token { get; } = token;

    /// <summary>The first exception a worker raised, if any.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>The workers, one per aggregate state DuckDB updated, in creation order.</summary>
    public IReadOnlyList<ChunkWorker> Workers
    {
        get
        {
            lock (_lock) return [.. _workers];
        }
    }

    /// <summary>A new worker for a thread's state (called on DuckDB's threads).</summary>
    protected abstract ChunkWorker CreateWorker();

    internal int AddWorker()
    {
        var worker = CreateWorker();
        lock (_lock)
        {
            _workers.Add(worker);
            return _workers.Count - 1;
        }
    }

    internal ChunkWorker Worker(int index)
    {
        lock (_lock) return _workers[index];
    }

    internal void Fail(Exception e) => Interlocked.CompareExchange(ref _error, e, null);
}

/// <summary>Consumes the data chunks of one DuckDB thread; never called by two threads at once.</summary>
internal abstract class ChunkWorker
{
    public abstract void Update(ChunkView chunk);
}

/// <summary>
/// A data chunk handed to <see cref="ChunkWorker.Update"/>, valid only during that call. Column i is argument i + 1 of
/// the aggregate (argument 0 is the session id): flat DOUBLE data and a validity mask (null when all are valid).
/// </summary>
internal readonly unsafe struct ChunkView(IntPtr chunk, int rows)
{
    public int Rows { get; } = rows;

    public double* Data(int column) =>
        (double*)AggregateApi.VectorGetData(AggregateApi.DataChunkGetVector(chunk, (ulong)column + 1));

    public ulong* Validity(int column) =>
        AggregateApi.VectorGetValidity(AggregateApi.DataChunkGetVector(chunk, (ulong)column + 1));
}
