namespace SqlMl.Training;

/// <summary>
/// The sample and the pivots of a bracketed exact median (<see cref="BracketedMedian"/> over blocks,
/// <see cref="ContiguousMedian"/> over one span): about <see cref="SampleSize"/> positions, one at a pseudo-random offset
/// within each of that many equal strides (a plain stride can alias with periodic data, e.g. rows that repeat every
/// 100, and bias the sample), and two pivots around the wanted rank that every value of a nearby rank lies between.
/// The sample only decides how fast the median is found, never its value.
/// </summary>
internal static class MedianBracket
{
    /// <summary>Positions sampled per column.</summary>
    public const int SampleSize = 4096;

    /// <summary>The sample positions in [0, <paramref name="length"/>), ascending; the same for the same length.</summary>
    public static List<long> Positions(long length)
    {
        long stride = Math.Max(1, length / SampleSize);
        var positions = new List<long>(SampleSize + 1);
        ulong state = 0x9E3779B97F4A7C15;
        for (long start = 0; start < length; start += stride)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            long r = start + (long)((state >> 33) % (ulong)stride);
            if (r < length) positions.Add(r);
        }
        return positions;
    }

    /// <summary>
    /// Pivots around rank <paramref name="rank"/> of <paramref name="n"/> values from a <paramref name="sorted"/> sample
    /// of them (NaN last), ±2√m sample positions: every value of a rank within about ±3% of <paramref name="rank"/>
    /// (m = 4096) lies in [Below, Above]. Null when a pivot is NaN.
    /// </summary>
    public static (double Below, double Above)? Pivots(List<double> sorted, int rank, int n)
    {
        var (below, above) = SampleRanks(sorted.Count, rank, n);
        return Bracket(below >= 0 ? sorted[below] : double.NegativeInfinity, above < sorted.Count ? sorted[above] : double.PositiveInfinity);
    }

    /// <summary>
    /// <see cref="Pivots"/> from an unsorted <paramref name="sample"/> without NaN: the two sample ranks are selected
    /// (<see cref="ExactMedian.Rank"/>; <paramref name="sample"/> is reordered) instead of sorting the whole sample,
    /// the same pivots.
    /// </summary>
    public static (double Below, double Above)? PivotsOf(Span<double> sample, int rank, int n)
    {
        var (below, above) = SampleRanks(sample.Length, rank, n);
        return Bracket(below >= 0 ? ExactMedian.Rank(sample, below) : double.NegativeInfinity,
            above < sample.Length ? ExactMedian.Rank(sample, above) : double.PositiveInfinity);
    }

    /// <summary>The sample ranks of the two pivots: ±2√m sample positions around rank's place among m samples.</summary>
    private static (int Below, int Above) SampleRanks(int m, int rank, int n)
    {
        var (at, margin) = SamplePlace(m, rank, n);
        return (at - margin, at + margin);
    }

    /// <summary>Rank <paramref name="rank"/>'s place among <paramref name="m"/> sorted samples of <paramref name="n"/>
    /// values, and the margin of sample positions (2√m + 1) a pivot keeps from it.</summary>
    internal static (int At, int Margin) SamplePlace(int m, int rank, int n) => ((int)((double)rank / n * m), (int)(2 * Math.Sqrt(m)) + 1);

    private static (double Below, double Above)? Bracket(double below, double above) =>
        double.IsNaN(below) || double.IsNaN(above) ? null : (below, above);
}
