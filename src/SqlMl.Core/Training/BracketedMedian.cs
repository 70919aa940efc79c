using System.Buffers;
using System.Runtime.InteropServices;

namespace SqlMl.Training;

/// <summary>
/// The exact median of a column held in blocks (<see cref="MedianSample"/>'s exact rows, NULLs marked by a NaN
/// payload), without copying the column: a strided sample of about 4096 values brackets the middle ranks between two
/// pivots, one pass counts the values below the lower pivot and collects those between (a few percent), and selection
/// within them gives the same value as <see cref="ExactMedian"/> over the whole column. When the bracket misses (an
/// adversarial order, NaNs at the middle) it falls back to copying the column and <see cref="ExactMedian.Of"/>.
/// </summary>
internal static class BracketedMedian
{
    private const int SampleSize = 4096;

    public static double? Of(IReadOnlyList<double[]> blocks, int rows, int blockSize, ulong nullBits)
    {
        int stride = Math.Max(1, rows / SampleSize);
        var sample = new List<double>(SampleSize + 1);
        int n = rows;
        for (int r = 0, b = 0; r < rows; r += blockSize, b++)
            n -= MemoryMarshal.Cast<double, ulong>(blocks[b].AsSpan(0, Math.Min(blockSize, rows - r))).Count(nullBits);
        for (int r = 0; r < rows; r += stride)
        {
            double v = blocks[r / blockSize][r % blockSize];
            if (BitConverter.DoubleToUInt64Bits(v) != nullBits) sample.Add(v);
        }
        if (n == 0) return null;
        int hi = n / 2;
        bool even = n % 2 == 0;
        int lo = even ? hi - 1 : hi;
        if (n >= 4 * SampleSize && Bracket(sample, hi, n) is var (below, above))
        {
            int limit = n / 4;
            var buffer = ArrayPool<double>.Shared.Rent(limit);
            try
            {
                if (Collect(blocks, rows, blockSize, nullBits, below, above, buffer.AsSpan(0, limit)) is var (count, less)
                    && count >= 0 && less <= lo && hi < less + count)
                    return ExactMedian.Middle(buffer.AsSpan(0, count), hi - less, even);
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

    /// <summary>Pivots around rank <paramref name="rank"/> of <paramref name="n"/> from the sample, ±2√m sample
    /// positions (about ±3% of the ranks for m = 4096); null when a pivot is NaN.</summary>
    private static (double Below, double Above)? Bracket(List<double> sample, int rank, int n)
    {
        sample.Sort(ExactMedian.Compare);
        return Pivots(sample, rank, n);
    }

    /// <summary>
    /// Pivots around rank <paramref name="rank"/> of <paramref name="n"/> values from a <paramref name="sorted"/> sample
    /// of them (NaN last), ±2√m sample positions: every value of a rank within about ±3% of <paramref name="rank"/>
    /// (m = 4096) lies in [Below, Above]. Null when a pivot is NaN. Shared with <see cref="ContiguousMedian"/>.
    /// </summary>
    internal static (double Below, double Above)? Pivots(List<double> sorted, int rank, int n)
    {
        int m = sorted.Count, d = (int)(2 * Math.Sqrt(m)) + 1, at = (int)((double)rank / n * m);
        double below = at - d >= 0 ? sorted[at - d] : double.NegativeInfinity;
        double above = at + d < m ? sorted[at + d] : double.PositiveInfinity;
        return double.IsNaN(below) || double.IsNaN(above) ? null : (below, above);
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
