namespace SqlMl.Training;

/// <summary>
/// The exact-median cap shared by the <see cref="FeatureStatistics"/> of threads that each read part of one input:
/// an accumulator keeps a batch's rows exactly only while all of them together have taken at most <see cref="Cap"/>
/// rows. Once they have taken more, the merged statistics are sampled anyway (the sample depends only on the multiset
/// of rows), so each thread switches to sampling at once instead of storing up to the cap on its own.
/// </summary>
internal sealed class MedianBudget(int cap)
{
    private long _rows;

    /// <summary>Rows up to which the merged medians stay exact.</summary>
    public int Cap { get; } = cap;

    /// <summary>Takes <paramref name="rows"/> more rows; false once the rows taken so far exceed <see cref="Cap"/>.</summary>
    public bool Take(int rows) => Interlocked.Add(ref _rows, rows) <= Cap;
}
