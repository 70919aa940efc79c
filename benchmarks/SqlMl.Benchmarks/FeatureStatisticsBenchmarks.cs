using BenchmarkDotNet.Attributes;
using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>
/// ML.FEATURE_INFO's statistics as the training reader accumulates them, without DuckDB: 16 DOUBLE columns in batches
/// of 2048 rows through <see cref="FeatureStatistics.Add"/>, then <see cref="FeatureStatistics.Summarize"/> (medians
/// exact up to 2^20 rows, sampled beyond). One batch is generated in setup; column 0 is shifted per batch so rows stay
/// distinct (the median sample then works as on real data).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class FeatureStatisticsBenchmarks
{
    private const int Features = 16;
    private const int Capacity = 2048;
    private ColumnBatch _batch = null!;
    private double[] _first = null!;

    [Params(1_000_000, 10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _batch = SyntheticBatch.Uniform(Features, Capacity, random);
        _first = _batch.Numeric[0].ToArray();
    }

    [Benchmark]
    public double? AccumulateAndSummarize()
    {
        var statistics = new FeatureStatistics(Features, 0);
        for (int b = 0; b * Capacity < Rows; b++)
        {
            _batch.Count = Math.Min(Capacity, Rows - b * Capacity);
            for (int r = 0; r < Capacity; r++) _batch.Numeric[0][r] = _first[r] + b;
            statistics.Add(_batch);
        }
        return statistics.Summarize().Numeric[0].Median;
    }
}
