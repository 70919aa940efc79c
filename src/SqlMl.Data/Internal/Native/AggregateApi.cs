using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// DuckDB's C API for aggregate functions (duckdb.h, "Aggregate Functions"), which DuckDB.NET 1.5.6.1 does not wrap.
/// The entry points are looked up once in the same native library DuckDB.NET loads (<c>duckdb</c>, resolved against
/// DuckDB.NET's bindings assembly, so the runtimes/ folder it ships is found the same way).
/// Callback signatures, in C:
/// <code>
/// idx_t state_size(duckdb_function_info);
/// void  init(duckdb_function_info, duckdb_aggregate_state);
/// void  update(duckdb_function_info, duckdb_data_chunk input, duckdb_aggregate_state *states);
/// void  combine(duckdb_function_info, duckdb_aggregate_state *source, duckdb_aggregate_state *target, idx_t count);
/// void  finalize(duckdb_function_info, duckdb_aggregate_state *source, duckdb_vector result, idx_t count, idx_t offset);
/// </code>
/// </summary>
internal static unsafe class AggregateApi
{
    /// <summary>DUCKDB_TYPE_BIGINT in duckdb.h's duckdb_type enum.</summary>
    public const int TypeBigInt = 5;

    /// <summary>DUCKDB_TYPE_DOUBLE in duckdb.h's duckdb_type enum.</summary>
    public const int TypeDouble = 11;

    private static readonly IntPtr Library = NativeLibrary.Load("duckdb", typeof(NativeMethods).Assembly, null);

    public static readonly delegate* unmanaged[Cdecl]<IntPtr> CreateAggregateFunction =
        (delegate* unmanaged[Cdecl]<IntPtr>)Export("duckdb_create_aggregate_function");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr*, void> DestroyAggregateFunction =
        (delegate* unmanaged[Cdecl]<IntPtr*, void>)Export("duckdb_destroy_aggregate_function");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, void> SetName =
        (delegate* unmanaged[Cdecl]<IntPtr, byte*, void>)Export("duckdb_aggregate_function_set_name");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> AddParameter =
        (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export("duckdb_aggregate_function_add_parameter");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> SetReturnType =
        (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)Export("duckdb_aggregate_function_set_return_type");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, void> SetFunctions =
        (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, void>)Export("duckdb_aggregate_function_set_functions");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, void> SetSpecialHandling =
        (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("duckdb_aggregate_function_set_special_handling");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, void> SetError =
        (delegate* unmanaged[Cdecl]<IntPtr, byte*, void>)Export("duckdb_aggregate_function_set_error");

    /// <summary>Returns DuckDBSuccess (0) or DuckDBError (1).</summary>
    public static readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> RegisterAggregateFunction =
        (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)Export("duckdb_register_aggregate_function");

    public static readonly delegate* unmanaged[Cdecl]<int, IntPtr> CreateLogicalType =
        (delegate* unmanaged[Cdecl]<int, IntPtr>)Export("duckdb_create_logical_type");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr*, void> DestroyLogicalType =
        (delegate* unmanaged[Cdecl]<IntPtr*, void>)Export("duckdb_destroy_logical_type");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, ulong> DataChunkGetSize =
        (delegate* unmanaged[Cdecl]<IntPtr, ulong>)Export("duckdb_data_chunk_get_size");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, ulong, IntPtr> DataChunkGetVector =
        (delegate* unmanaged[Cdecl]<IntPtr, ulong, IntPtr>)Export("duckdb_data_chunk_get_vector");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, void*> VectorGetData =
        (delegate* unmanaged[Cdecl]<IntPtr, void*>)Export("duckdb_vector_get_data");

    public static readonly delegate* unmanaged[Cdecl]<IntPtr, ulong*> VectorGetValidity =
        (delegate* unmanaged[Cdecl]<IntPtr, ulong*>)Export("duckdb_vector_get_validity");

    private static IntPtr Export(string name) => NativeLibrary.GetExport(Library, name);
}
