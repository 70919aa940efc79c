namespace SqlMl.Training;

/// <summary>
/// The <see cref="ParallelOptions"/> every trainer's data-parallel loop uses: at most one worker per core. Without the
/// cap the thread pool injects extra workers during long loops and each pass waits for descheduled stragglers
/// (measured ~3× slower ALS iterations on 2 cores; benchmarks/README.md).
/// </summary>
internal static class CoreParallelism
{
    /// <summary>The most workers <see cref="Options"/> allows: one per core.</summary>
    public static int Workers => Environment.ProcessorCount;

    /// <summary>One worker per core, observing <paramref name="cancellationToken"/>.</summary>
    public static ParallelOptions Options(CancellationToken cancellationToken = default) =>
        new() { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken };
}
