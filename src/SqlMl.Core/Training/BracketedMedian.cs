using System.Buffers;
using System.Runtime.InteropServices;

namespace SqlMl.Training;

/// <summary>
/// The exact median of a column held in blocks (<see cref="MedianSample"/>'s exact rows, NULLs marked by a NaN
/// payload), without copying the column: a sample of about 4096 values (<see cref="MedianBracket"/>) brackets the middle ranks between two
/// pivots, one pass counts the values below the lower pivot and collects those between (a few percent), and selection
/// within them gives the same value as <see cref="ExactMedian"/> over the whole column. When the bracket misses (an
/// adversarial order, NaNs at the middle) it falls back to copying the column and <see cref="ExactMedian.Of"/>.
/// </summary>
internal static class BracketedMedian
{
    public static double? Of(IReadOnlyList<double[]> blocks, int rows, int blockSize, ulong nullBits)
    {
        var sample = new List<double>(MedianBracket.SampleSize + 1);
        int n = rows;
        for (int r = 0, b = 0; r < rows; r += blockSize, b++)
            n -= MemoryMarshal.Cast<double, ulong>(blocks[b].AsSpan(0, Math.Min(blockSize, rows - r))).Count(nullBits);
        foreach (long r in MedianBracket.Positions(rows))
        {
            double v = blocks[(int)r / blockSize][(int)r % blockSize];
            if (BitConverter.DoubleToUInt64Bits(v) != nullBits) sample.Add(v);
        }
        if (n == 0) return null;
        int hi = n / 2;
        bool even = n % 2 == 0;
        int lo = even ? hi - 1 : hi;
        if (n >= 4 * MedianBracket.SampleSize && Bracket(sample, hi, n) is var (below, above))
        {
            int limit = n / 4;
            var buffer = ArrayPool<double>.Shared.Rent(limit);
            try
            {
                if (Collect(blocks, rows, blockSize, nullBits, below, above, buffer.AsSpan(0, limit)) is var (count, less)
                    && count >= 0 && less <= lo && hi < less + count)
                    return ExactMedian.MiddleBetween(buffer.AsSpan(0, count), hi - less, even, below, above);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }
        var all = ArrayPool<double>.Shared.Rent(n);
        try
        {
            int k = 0;
            for (int r = 0, b = 0; r < rows; r += blockSize, b++)
                foreach (double v in blocks[b].AsSpan(0, Math.Min(blockSize, rows - r)))
                    if (BitConverter.DoubleToUInt64Bits(v) != nullBits) all[k++] = v;
            return ExactMedian.Of(all.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(all);
        }
    }

    /// <summary>Pivots around rank <paramref name="rank"/> of <paramref name="n"/> from the sorted sample
    /// (<see cref="MedianBracket.Pivots"/>).</summary>
    private static (double Below, double Above)? Bracket(List<double> sample, int rank, int n)
    {
        sample.Sort(ExactMedian.Compare);
        return MedianBracket.Pivots(sample, rank, n);
    }

    /// <summary>Counts the values below <paramref name="below"/> and copies those in [below, above] into
    /// <paramref name="buffer"/>; count −1 when they do not fit.</summary>
    private static (int Count, int Less) Collect(IReadOnlyList<double[]> blocks, int rows, int blockSize, ulong nullBits, double below, double above, Span<double> buffer)
    {
        int count = 0, less = 0;
        for (int r = 0, b = 0; r < rows; r += blockSize, b++)
        {
            foreach (double v in blocks[b].AsSpan(0, Math.Min(blockSize, rows - r)))
            {
                if (v < below)
                {
                    less++;
                }
                else if (v <= above)
                {
                    if (count == buffer.Length) return (-1, less);
                    buffer[count++] = v;
                }
            }
        }
        return (count, less);
    }
}
