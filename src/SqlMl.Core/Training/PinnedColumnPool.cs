namespace SqlMl.Training;

/// <summary>
/// Pinned <see cref="double"/> columns kept between trainings that hold their rows in memory (KMEANS), so a CREATE MODEL
/// after another of similar size reuses the previous one's columns instead of taking fresh memory from the operating
/// system (at 1M × 16, 128 MB whose first touch costs page faults, often more than copying the data in). Bounded: it
/// keeps at most <see cref="Limit"/> bytes (1/16 of the memory the GC may use, at most 1 GiB), hands out an array only
/// when it is at most 1/8 longer than asked for, and keeps nothing while the GC reports high memory load. Arrays are
/// handed out uninitialized (callers overwrite every element they read).
/// </summary>
internal static class PinnedColumnPool
{
    private static readonly Lock Gate = new();
    private static readonly List<double[]> Free = [];
    private static long _bytes;

    /// <summary>The most bytes kept.</summary>
    public static long Limit { get; } = Math.Min(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16);

    /// <summary>A pinned array of at least <paramref name="length"/> elements (contents undefined).</summary>
    public static double[] Rent(int length)
    {
        lock (Gate)
        {
            int best = -1;
            for (int i = 0; i < Free.Count; i++)
            {
                int have = Free[i].Length;
                if (have >= length && have - length <= length / 8 && (best < 0 || have < Free[best].Length)) best = i;
            }
            if (best >= 0)
            {
                var array = Free[best];
                Free.RemoveAt(best);
                _bytes -= 8L * array.Length;
                return array;
            }
        }
        return GC.AllocateUninitializedArray<double>(length, pinned: true);
    }

    /// <summary>Gives back arrays from <see cref="Rent"/> that nothing uses any more; the oldest kept ones go first
    /// when the limit would be passed.</summary>
    public static void Return(IEnumerable<double[]> arrays)
    {
        var info = GC.GetGCMemoryInfo();
        bool pressure = info.MemoryLoadBytes >= info.HighMemoryLoadThresholdBytes * 9 / 10;
        lock (Gate)
        {
            if (pressure)
            {
                Free.Clear();
                _bytes = 0;
                return;
            }
            foreach (var array in arrays)
            {
                long size = 8L * array.Length;
                if (size > Limit) continue;
                while (_bytes + size > Limit)
                {
                    _bytes -= 8L * Free[0].Length;
                    Free.RemoveAt(0);
                }
                Free.Add(array);
                _bytes += size;
            }
        }
    }
}
