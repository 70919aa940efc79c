using System.Runtime;

namespace SqlMl.Training;

/// <summary>
/// Room in the managed heap for a KMEANS training's large pinned arrays (about 280 MB at 1M × 16: the columns, their
/// tiles, the per-row values), held from their allocation until the training ends. When a training is about to allocate
/// them, the previous training's arrays are usually still in the heap as garbage; left to the collector's schedule, the
/// new allocations either start a full collection in the middle of the read or take fresh memory whose pages the kernel
/// must map in and zero (at 1M × 16 the read's allocation and copy took typically 40–110 ms, and 25–35 ms after a
/// collection here that costs 1.5–10 ms). <see cref="Take"/> therefore runs a blocking, non-compacting full collection
/// first, but only where it frees that garbage and stays cheap (<see cref="ShouldCollect"/>): the allocation is large,
/// the previous training's arrays (recorded when it ended) are at least half as large and apparently not yet collected,
/// and the rest of the heap is small, so a host with a heap of its own is not paused here. It never runs while another
/// training holds room, in a low-latency GC mode, or with the AppContext switch <see cref="DisableSwitch"/> set.
/// </summary>
internal sealed class HeapRoom : IDisposable
{
    /// <summary>Allocations below this are left to the collector's own schedule.</summary>
    public const long MinBytes = 64L << 20;

    /// <summary>The most heap besides the previous training's garbage for which a collection is started here.</summary>
    public const long MaxOtherBytes = 128L << 20;

    /// <summary>AppContext switch that turns the collection off (a host that manages its collections itself).</summary>
    public const string DisableSwitch = "SqlMl.DisableCollectionBeforeTraining";

    private static int _holders;
    private static long _released;
    private readonly long _bytes;
    private int _disposed;

    private HeapRoom(long bytes) => _bytes = bytes;

    /// <summary>Before <paramref name="bytes"/> of a training's arrays are allocated: collects when <see cref="ShouldCollect"/>
    /// says so; the room is held until disposed, when the training's arrays become garbage.</summary>
    public static HeapRoom Take(long bytes)
    {
        bool alone = Interlocked.Increment(ref _holders) == 1;
        if (alone && Allowed() && ShouldCollect(bytes, Interlocked.Read(ref _released), GC.GetTotalMemory(forceFullCollection: false)))
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            Interlocked.Exchange(ref _released, 0);
        }
        return new HeapRoom(bytes);
    }

    /// <summary>The training is over: its arrays are garbage from now on.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Interlocked.Exchange(ref _released, _bytes);
        Interlocked.Decrement(ref _holders);
    }

    /// <summary>
    /// The rule of <see cref="Take"/>: <paramref name="bytes"/> about to be allocated, <paramref name="released"/> bytes the
    /// previous training let go (0 once collected here), <paramref name="heap"/> bytes in the heap now, garbage included.
    /// The released arrays must be at least half the new ones, still counted in the heap, and the rest of the heap at
    /// most <see cref="MaxOtherBytes"/>.
    /// </summary>
    internal static bool ShouldCollect(long bytes, long released, long heap) =>
        bytes >= MinBytes && released >= bytes / 2 && heap >= released && heap - released <= MaxOtherBytes;

    private static bool Allowed() =>
        !(AppContext.TryGetSwitch(DisableSwitch, out bool disabled) && disabled)
        && GCSettings.LatencyMode is not (GCLatencyMode.LowLatency or GCLatencyMode.SustainedLowLatency or GCLatencyMode.NoGCRegion);
}
