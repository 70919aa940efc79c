namespace SqlMl.Training;

/// <summary>
/// Large pinned arrays kept from one training to the next in the same process (a KMEANS training at 1M × 16 takes
/// about 300 MB of them: the columns, their tiled copy, the per-row distances). A fresh array costs more than its
/// first use: the garbage collector often runs a full blocking collection to make room (its allocation budget for
/// large and pinned objects is far smaller than one training's arrays), and each 4 KiB page is faulted in and zeroed
/// by the kernel on first write. A rented array comes back with whatever the last user left in it, exactly like
/// <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>, so callers that write every element before reading it
/// can take either.
/// <para>
/// What is kept is bounded: arrays below <see cref="MinBytes"/> are not kept (the allocator serves them well), at most
/// <see cref="MaxRetainedBytes"/> in all (the oldest go first), and everything is let go once no training has returned
/// an array for <see cref="IdleRelease"/>, or at once when the machine's memory load is high. A rent takes the smallest
/// kept array that is long enough and at most an eighth longer (so a small training does not hold a large array).
/// </para>
/// </summary>
internal static class PinnedArrayPool<T> where T : unmanaged
{
    /// <summary>Arrays smaller than this are neither kept nor looked for.</summary>
    public const long MinBytes = 1L << 20;

    /// <summary>The most bytes kept at once.</summary>
    public const long MaxRetainedBytes = 1L << 30;

    /// <summary>How long kept arrays outlive the last return.</summary>
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(30);

    private static readonly List<T[]> Kept = [];
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<T[], object?> Ours = [];
    private static readonly Lock Gate = new();
    private static long _keptBytes;
    private static Timer? _release;

    /// <summary>A pinned array of at least <paramref name="length"/> elements with unspecified contents; <paramref name="fresh"/>
    /// tells whether it was just allocated (its pages not yet touched).</summary>
    public static T[] Rent(int length, out bool fresh)
    {
        if (Bytes(length) >= MinBytes)
        {
            lock (Gate)
            {
                int best = -1;
                for (int i = 0; i < Kept.Count; i++)
                {
                    int have = Kept[i].Length;
                    if (have >= length && have - length <= length / 8 && (best < 0 || have < Kept[best].Length)) best = i;
                }
                if (best >= 0)
                {
                    var array = Kept[best];
                    Kept.RemoveAt(best);
                    _keptBytes -= Bytes(array.Length);
                    fresh = false;
                    return array;
                }
            }
        }
        fresh = true;
        var made = GC.AllocateUninitializedArray<T>(length, pinned: true);
        if (Bytes(length) >= MinBytes) Ours.AddOrUpdate(made, null);
        return made;
    }

    /// <summary>A pinned array of at least <paramref name="length"/> elements with unspecified contents.</summary>
    public static T[] Rent(int length) => Rent(length, out _);

    /// <summary>
    /// Hands <paramref name="array"/> back (the caller must not use it after this). Null and small arrays are
    /// ignored, and so is any array this pool did not make (it might not be pinned).
    /// </summary>
    public static void Return(T[]? array)
    {
        if (array is null || Bytes(array.Length) < MinBytes || Bytes(array.Length) > MaxRetainedBytes || !Ours.TryGetValue(array, out _)) return;
        if (HighMemoryLoad())
        {
            Clear();
            return;
        }
        lock (Gate)
        {
            Kept.Add(array);
            _keptBytes += Bytes(array.Length);
            while (_keptBytes > MaxRetainedBytes)
            {
                _keptBytes -= Bytes(Kept[0].Length);
                Kept.RemoveAt(0);
            }
            _release ??= new Timer(_ => Clear(), null, Timeout.Infinite, Timeout.Infinite);
            _release.Change(IdleRelease, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Returns every array of <paramref name="arrays"/> (<see cref="Return(T[])"/>).</summary>
    public static void Return(IEnumerable<T[]?> arrays)
    {
        foreach (var array in arrays) Return(array);
    }

    /// <summary>Lets every kept array go.</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Kept.Clear();
            _keptBytes = 0;
        }
    }

    /// <summary>The bytes kept now (tests).</summary>
    internal static long KeptBytes
    {
        get
        {
            lock (Gate) return _keptBytes;
        }
    }

    private static unsafe long Bytes(int length) => (long)length * sizeof(T);

    /// <summary>Whether the last collection saw the machine's memory load at or above the collector's high-load threshold.</summary>
    private static bool HighMemoryLoad()
    {
        var info = GC.GetGCMemoryInfo();
        return info.HighMemoryLoadThresholdBytes > 0 && info.MemoryLoadBytes >= info.HighMemoryLoadThresholdBytes;
    }
}
