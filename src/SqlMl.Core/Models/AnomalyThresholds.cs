namespace SqlMl.Models;

/// <summary>
/// The upper half of the training rows' normalized distances (k-means anomaly scores), enough to turn any
/// contamination c in [0, 0.5] into a cutoff: with the n training scores sorted ascending, the cutoff is the score
/// at rank n − ⌊c·n⌋, and a row is an anomaly when its score is above it, so ⌊c·n⌋ training rows (fewer when
/// scores tie) are anomalies. Up to <see cref="MaxStored"/> ranks are kept exactly; above that, evenly spaced ranks
/// are kept and the cutoff is the score at the nearest kept rank at or above n − ⌊c·n⌋, so at most c·n training
/// rows are flagged and the contamination is resolved to 0.5 / (MaxStored − 1).
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

    /// <summary>Builds the table from the training scores; <paramref name="scores"/> is sorted in place.</summary>
    public static AnomalyThresholds FromScores(double[] scores)
    {
        Array.Sort(scores);
        long n = scores.Length;
        if (n == 0) return new AnomalyThresholds(0, [], []);
        long first = n - n / 2; // rank for c = 0.5 (1-based)
        long count = n - first + 1;
        int stored = (int)Math.Min(count, MaxStored);
        var ranks = new long[stored];
        var values = new double[stored];
        for (int i = 0; i < stored; i++)
        {
            long rank = stored == count ? first + i : first + (long)Math.Round((double)i * (count - 1) / (stored - 1), MidpointRounding.AwayFromZero);
            ranks[i] = rank;
            values[i] = scores[rank - 1];
        }
        return new AnomalyThresholds(n, ranks, values);
    }

    /// <summary>The cutoff for <paramref name="contamination"/> in [0, 0.5]: rows scoring above it are anomalies.</summary>
    public double Cutoff(double contamination)
    {
        if (Rows == 0) return double.PositiveInfinity;
        long target = Rows - (long)Math.Floor(contamination * Rows);
        int i = Array.BinarySearch(_ranks, target);
        if (i < 0) i = Math.Min(~i, _ranks.Length - 1);
        return _values[i];
    }

    /// <summary>Layout: rows int64, count int32, count × (rank int64, score double).</summary>
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
