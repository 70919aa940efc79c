using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SqlMl.Training;

/// <summary>
/// Maps in the pages of large fresh pinned arrays before they are first written (Linux: madvise MADV_POPULATE_WRITE),
/// one call per array instead of one page fault per 4 KiB on first touch, and across all cores. It changes no value
/// (pages already mapped keep their contents; new ones come zeroed, as a first write would find them) and is skipped
/// on other systems, for small arrays, and where the kernel (older than 5.14) or libc refuses it.
/// </summary>
internal static partial class PagePopulation
{
    private const int MadvPopulateWrite = 23;
    private const long PageBytes = 4096;

    /// <summary>Arrays smaller than this are left to ordinary page faults.</summary>
    public const long MinBytes = 1L << 20;

    private static volatile bool _unavailable;

    /// <summary>Populates the pages of every array in <paramref name="arrays"/> (each must be pinned), one array per worker.</summary>
    public static void Populate(double[][] arrays)
    {
        if (!OperatingSystem.IsLinux() || _unavailable || arrays.Length == 0) return;
        Parallel.For(0, arrays.Length, CoreParallelism.Options(), j => Populate(arrays[j]));
    }

    /// <summary>Populates the whole pages inside the pinned <paramref name="array"/>; false when nothing was done.</summary>
    public static unsafe bool Populate(double[] array)
    {
        if (!OperatingSystem.IsLinux() || _unavailable || (long)array.Length * sizeof(double) < MinBytes) return false;
        long start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        long end = start + (long)array.Length * sizeof(double);
        // Only pages that lie wholly inside the array: the call touches no neighbouring object's memory.
        long first = (start + PageBytes - 1) & ~(PageBytes - 1), last = end & ~(PageBytes - 1);
        if (last <= first) return false;
        try
        {
            // A refusal (EINVAL before Linux 5.14, other page sizes) is remembered: later arrays take ordinary faults.
            if (Madvise((nint)first, (nuint)(last - first), MadvPopulateWrite) == 0) return true;
            _unavailable = true;
            return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
