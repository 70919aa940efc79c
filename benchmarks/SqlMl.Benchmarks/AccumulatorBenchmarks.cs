using BenchmarkDotNet.Attributes;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>
/// The trainer's own share of LINEAR_REG, without DuckDB: 16 DOUBLE features + label in batches of 2048 rows (DuckDB's
/// vector size) through <see cref="MomentAccumulator"/> and <see cref="SplitRouter"/>, then the evaluation rows
/// subtracted, as <see cref="LinearRegressionTrainer"/> does. Batches are generated once in setup and re-sent.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class AccumulatorBenchmarks
{
    private const int Features = 16;
    private const int Capacity = 2048;
    private ColumnBatch _batch = null!;
    private ulong[][] _hashes = null!;

    [Params(10_000_000)]
    public int Rows { get; set; }

    [Params("NO_SPLIT", "AUTO_SPLIT", "RANDOM")]
    public string Split { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _batch = SyntheticBatch.Uniform(Features, Capacity, random);
        for (int r = 0; r < Capacity; r++) _batch.Label[r] = random.NextDouble();
        // Distinct hashes per batch, as DuckDB's hash() of distinct rows would give.
        _hashes = new ulong[(Rows + Capacity - 1) / Capacity][];
        for (int b = 0; b < _hashes.Length; b++)
        {
            _hashes[b] = new ulong[Capacity];
            for (int r = 0; r < Capacity; r++) _hashes[b][r] = (ulong)random.NextInt64();
        }
    }

    [Benchmark]
    public double Accumulate()
    {
        var split = Split switch
        {
            "AUTO_SPLIT" => new DataSplitOptions(DataSplitMethod.AutoSplit, null, null),
            "RANDOM" => new DataSplitOptions(DataSplitMethod.Random, 0.2, null),
            _ => new DataSplitOptions(DataSplitMethod.NoSplit, null, null),
        };
        var acc = new MomentAccumulator(Features, 0, Capacity);
        var router = new SplitRouter(split, acc.DenseWidth, acc.MaxSparsePerRow);
        for (int b = 0; b < _hashes.Length; b++)
        {
            _batch.Count = Math.Min(Capacity, Rows - b * Capacity);
            _batch.Hash = _hashes[b];
            acc.Add(_batch, router.Visitor(_batch));
        }
        var (store, slots) = router.Finish();
        foreach (int slot in slots) acc.Subtract(store.Dense(slot), store.Sparse(slot));
        return acc.ToMatrix()[0, 0];
    }
}
