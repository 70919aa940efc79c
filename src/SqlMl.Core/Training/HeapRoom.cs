namespace SqlMl.Training;

/// <summary>
/// Makes room in the managed heap before a KMEANS training allocates its large pinned arrays (about 280 MB at 1M × 16:
/// the columns, their tiles, the per-row values). The previous training's arrays are then usually still in the heap
/// as garbage: left to the collector's own schedule, the new allocations either start a full collection in the middle
/// of the read or take fresh memory whose pages the kernel must map in and zero (measured at 1M × 16: the read's
/// allocation and page mapping took 25–150 ms, against 20–35 ms after a collection here that costs 3–7 ms). A
/// blocking, non-compacting full collection right before the allocation hands the garbage's memory straight to the new
/// arrays. It runs only where it is cheap and likely to pay: the allocation is large, the heap holds at least as much
/// as is about to be allocated (so there is garbage to reuse: the first training of a process does not collect), and
/// the live heap after the last full collection was small (a host with a large heap of its own is never paused here).
/// </summary>
internal static class HeapRoom
{
    /// <summary>Allocations below this are left to the collector's own schedule.</summary>
    public const long MinBytes = 64L << 20;

    /// <summary>The largest live heap (after the last full collection) for which a collection is started here.</summary>
    public const long MaxLiveBytes = 512L << 20;

    /// <summary>Collects (see the class summary) before <paramref name="bytes"/> of arrays are allocated; returns whether it did.</summary>
    public static bool Make(long bytes)
    {
        if (bytes < MinBytes) return false;
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var last = full.Index >= background.Index ? full : background;
        long live = last.Index == 0 ? 0 : last.HeapSizeBytes - last.FragmentedBytes;
        if (!ShouldCollect(bytes, GC.GetTotalMemory(forceFullCollection: false), live)) return false;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        return true;
    }

    /// <summary>The rule of <see cref="Make"/>: <paramref name="bytes"/> about to be allocated, <paramref name="heap"/> bytes in
    /// the heap now (garbage included), <paramref name="live"/> bytes live after the last full collection (0: none yet).</summary>
    internal static bool ShouldCollect(long bytes, long heap, long live) =>
        bytes >= MinBytes && heap >= bytes && live <= MaxLiveBytes;
}
