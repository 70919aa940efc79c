using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SqlMl.Training;

/// <summary>
/// The pinned array behind <see cref="KMeansData.Tiles"/>: whether one is made, its size limit and alignment, its
/// allocation, and an early start. A
/// fresh 136 MB array (1M rows × 16 features) takes a page fault per 4 KiB when <see cref="KMeansData.Build"/> first
/// writes it; started as soon as the training query's row count is known, its pages are mapped in on a pool thread
/// (<see cref="PagePopulation"/>) while the rows are copied out of DuckDB and their statistics computed. If the read
/// fails, the task still finishes and its array is left to the garbage collector.
/// </summary>
internal static unsafe class TileBuffer
{
    /// <summary>The largest tiled copy made (bytes); larger data keeps to the columns.</summary>
    public const long MaxBytes = 2L << 30;

    /// <summary>Alignment of the tiles in bytes: a cache line, so no 512-bit load of a tile splits across two.</summary>
    private const int Alignment = 64;

    /// <summary>Spare doubles at the start, so the tiles can begin at an <see cref="Alignment"/> boundary.</summary>
    private const int Slack = Alignment / sizeof(double);

    /// <summary>Doubles per tile of 16 rows: the <paramref name="numeric"/> features' values, then the rows' ‖x‖².</summary>
    public static int Stride(int numeric) => (numeric + 1) * KMeansData.Tile;

    /// <summary>The tiles' doubles for <paramref name="padded"/> rows (a multiple of the tile) of <paramref name="numeric"/> features.</summary>
    public static long Doubles(int padded, int numeric) => (long)padded / KMeansData.Tile * Stride(numeric);

    /// <summary>Whether data of <paramref name="padded"/> rows and <paramref name="numeric"/> numeric features gets tiles.</summary>
    public static bool Wanted(int padded, int numeric) =>
        numeric > 0 && Doubles(padded, numeric) * sizeof(double) <= MaxBytes && DistanceKernel.FusedAssign;

    /// <summary>Where the tiles start in the pinned <paramref name="array"/>: its first 64-byte boundary.</summary>
    public static double* Aligned(double[] array)
    {
        nint at = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (double*)((at + Alignment - 1) & ~(nint)(Alignment - 1));
    }

    /// <summary>A pinned array for the tiles of <paramref name="padded"/> rows (uninitialized: <see cref="KMeansData.Build"/>
    /// writes every tile, padding rows included).</summary>
    public static double[] Allocate(int padded, int numeric) =>
        GC.AllocateUninitializedArray<double>((int)Doubles(padded, numeric) + Slack, pinned: true);

    /// <summary>
    /// The array for tiles of <paramref name="padded"/> rows: the one <paramref name="pending"/> made, when it made one
    /// that is large enough, otherwise a fresh one. A failed early allocation (out of memory) is not an error here: the
    /// fresh allocation is tried, and its failure is.
    /// </summary>
    public static double[] Take(Task<double[]>? pending, int padded, int numeric)
    {
        double[]? array = null;
        try
        {
            array = pending?.Result;
        }
        catch (AggregateException)
        {
        }
        return array is not null && array.Length >= Doubles(padded, numeric) + Slack ? array : Allocate(padded, numeric);
    }

    /// <summary>Allocates and maps in the array on a pool thread, when tiles are wanted; otherwise null.</summary>
    public static Task<double[]>? Start(int padded, int numeric)
    {
        if (!Wanted(padded, numeric)) return null;
        return Task.Run(() =>
        {
            var array = Allocate(padded, numeric);
            PagePopulation.Populate(array);
            return array;
        });
    }
}
