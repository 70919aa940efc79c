using System.Runtime.CompilerServices;

namespace SqlMl.Models;

/// <summary>
/// Cutoffs from the upper half of the training rows' normalized distances (k-means anomaly scores), enough for any
/// contamination c in [0, 0.5]: with the n training scores sorted ascending, the cutoff lies halfway between the
/// scores at ranks ρ = n − ⌊c·n⌋ and ρ + 1 (for ρ = n, or when the two are equal up to a relative 10⁻⁹, just above
/// the score at ρ), and a row is an anomaly when its score is above it, so exactly ⌊c·n⌋ training rows (fewer when
/// scores tie) are anomalies, even when SQL recomputes the scores with different rounding. Up to <see cref="MaxStored"/> ranks are kept exactly; above that,
/// evenly spaced ranks are kept and the cutoff of the nearest kept rank at or above ρ is used, so at most c·n
/// training rows are flagged and the contamination is resolved to 0.5 / (MaxStored − 1).
/// </summary>
internal sealed class AnomalyThresholds
{
    public const int MaxStored = 100_001;

    private readonly long[] _ranks;
    private readonly double[] _values;

    private AnomalyThresholds(long rows, long[] ranks, double[] values)
    {
        Rows = rows;
        _ranks = ranks;
        _values = values;
    }

    /// <summary>Training rows the scores came from.</summary>
    public long Rows { get; }

    /// <summary>Whether every rank needed for c in [0, 0.5] is kept (the cutoff is exact).</summary>
    public bool IsExact => _ranks.Length == 0 || _ranks[^1] - _ranks[0] + 1 == _ranks.Length;

    /// <summary>Builds the table from the training scores; <paramref name="scores"/> is used as scratch (its contents are lost).</summary>
    public static AnomalyThresholds FromScores(double[] scores) => FromScores(scores, scores.Length);

    /// <summary>Builds the table from the first <paramref name="count"/> entries of <paramref name="scores"/>, which are
    /// used as scratch (their contents are lost; the rest is left alone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static AnomalyThresholds FromScores(double[] scores, int count)
    {
        long n = count;
        if (n == 0) return new AnomalyThresholds(0, [], []);
        long first = n - n / 2; // rank for c = 0.5 (1-based)
        // Only the upper half is needed: on several cores sorted as two buckets side by side (UpperRanks); otherwise
        // moved to the end, then sorted in place.
        var sorted = Evaluation.UpperRanks.TrySort(scores, count, (int)first - 1);
        if (sorted is null)
        {
            Select(scores, count, (int)first - 1);
            Evaluation.DoubleRadixSort.Sort(scores, (int)first - 1, (int)(n - first + 1));
        }
        long upper = n - first + 1;
        int stored = (int)Math.Min(upper, MaxStored);
        var ranks = new long[stored];
        var values = new double[stored];
        for (int i = 0; i < stored; i++)
        {
            long rank = stored == upper ? first + i : first + (long)Math.Round((double)i * (upper - 1) / (stored - 1), MidpointRounding.AwayFromZero);
            ranks[i] = rank;
            double at = sorted?[rank - 1] ?? scores[rank - 1];
            // Halfway to the next score, unless it is the last one or equal up to rounding: then just above (a tie).
            double next = rank < n ? sorted?[rank] ?? scores[rank] : 0;
            values[i] = rank < n && next > Above(at) ? at + (next - at) / 2 : Above(at);
        }
        return new AnomalyThresholds(n, ranks, values);
    }

    /// <summary>A value above <paramref name="score"/> by far more than rounding, far less than any real gap.</summary>
    private static double Above(double score) => score + Math.Max(Math.Abs(score) * 1e-9, 1e-300);

    /// <summary>The cutoff for <paramref name="contamination"/> in [0, 0.5]: rows scoring above it are anomalies.</summary>
    public double Cutoff(double contamination)
    {
        if (Rows == 0) return double.PositiveInfinity;
        long target = Rows - (long)Math.Floor(contamination * Rows);
        int i = Array.BinarySearch(_ranks, target);
        if (i < 0) i = Math.Min(~i, _ranks.Length - 1);
        return _values[i];
    }

    /// <summary>Reorders the first <paramref name="count"/> <paramref name="values"/> so that position <paramref name="k"/> holds the value a full sort would put there, smaller ones before it and larger ones after (quickselect).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Select(double[] values, int count, int k)
    {
        int lo = 0, hi = count - 1;
        while (hi > lo)
        {
            int mid = lo + (hi - lo) / 2;
            double a = values[lo], b = values[mid], c = values[hi];
            double pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    /// <summary>Layout: rows int64, count int32, count × (rank int64, cutoff double).</summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(Rows);
        w.Write(_ranks.Length);
        for (int i = 0; i < _ranks.Length; i++)
        {
            w.Write(_ranks[i]);
            w.Write(_values[i]);
        }
    }

    public static AnomalyThresholds ReadFrom(BinaryReader r)
    {
        long rows = r.ReadInt64();
        int count = r.ReadInt32();
        var ranks = new long[count];
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            ranks[i] = r.ReadInt64();
            values[i] = r.ReadDouble();
        }
        return new AnomalyThresholds(rows, ranks, values);
    }
}
