using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>The in-memory batches the trainer-only benchmarks re-send instead of reading DuckDB.</summary>
internal static class SyntheticBatch
{
    /// <summary>A full batch of <paramref name="features"/> numeric columns of uniform [0, 1) values (no NULLs).</summary>
    public static ColumnBatch Uniform(int features, int capacity, Random random)
    {
        var batch = new ColumnBatch(features, 0, capacity) { Count = capacity };
        for (int j = 0; j < features; j++)
            for (int r = 0; r < capacity; r++) batch.Numeric[j][r] = random.NextDouble();
        return batch;
    }
}
