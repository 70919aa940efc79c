namespace SqlMl.Training.Logistic;

/// <summary>
/// A fixed partition of a design's (padded) rows into contiguous chunks, each a multiple of 8 rows, that the passes of
/// <see cref="LogisticObjective"/> process in parallel (at most <see cref="Environment.ProcessorCount"/> at a time).
/// The partition depends on the row count only, and partial results (sums, gradients, Gram matrices) are combined in
/// chunk order, so results do not depend on the number of threads or on scheduling.
/// </summary>
internal sealed class RowChunks
{
    /// <summary>Chunks hold at least this many rows (smaller designs are one chunk, processed on the calling thread).</summary>
    public const int MinChunkRows = 1 << 14;

    /// <summary>At most this many chunks.</summary>
    public const int MaxChunks = 16;

    private static readonly ParallelOptions Parallelism = CoreParallelism.Options();

    public RowChunks(int paddedRows)
    {
        PaddedRows = paddedRows;
        Count = Math.Clamp(paddedRows / MinChunkRows, 1, MaxChunks);
        Size = DesignMatrix.Pad((paddedRows + Count - 1) / Count);
    }

    public int PaddedRows { get; }

    public int Count { get; }

    /// <summary>Rows per chunk (the last one may hold fewer).</summary>
    public int Size { get; }

    public int Start(int chunk) => chunk * Size;

    /// <summary>Rows of <paramref name="chunk"/> below <paramref name="limit"/> (0 when the chunk starts at or past it).</summary>
    public int Length(int chunk, int limit) => Math.Max(0, Math.Min(limit, Math.Min(PaddedRows, Start(chunk) + Size)) - Start(chunk));

    /// <summary>Runs <paramref name="body"/>(chunk) for every chunk, in parallel when there is more than one.</summary>
    public void For(Action<int> body)
    {
        if (Count == 1) body(0);
        else Parallel.For(0, Count, Parallelism, body);
    }

    /// <summary>Σ over chunks of <paramref name="partial"/>(chunk), added in chunk order.</summary>
    public double Sum(Func<int, double> partial)
    {
        var parts = new double[Count];
        For(c => parts[c] = partial(c));
        double sum = 0;
        foreach (double v in parts) sum += v;
        return sum;
    }
}
