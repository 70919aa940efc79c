using BenchmarkDotNet.Attributes;
using SqlMl.Data;

namespace SqlMl.Benchmarks;

/// <summary>
/// LINEAR_REG on the synthetic bench table (benchmarks/linear_data.sql): CREATE MODEL end to end against a bare
/// chunk scan of the same 17 columns. The table (in an in-memory database; DuckDB compresses it as it does a file's)
/// is built once per row count, outside the measured body.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class LinearRegBenchmarks
{
    private SqlMlConnection? _connection;

    [Params(1_000_000, 10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _connection = BenchData.Open(":memory:", fresh: false);
        BenchData.CreateTable(_connection, Rows);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection?.Dispose();
        _connection = null;
    }

    [Benchmark(Baseline = true)]
    public double ChunkScan() => Scans.Sum(_connection!.Duck, BenchData.ScanSql, 17);

    [Benchmark]
    public void CreateModel() => BenchData.Execute(_connection!, BenchData.CreateModelSql("bench_model"));

    [Benchmark]
    public void CreateModelNoSplit() => BenchData.Execute(_connection!, BenchData.CreateModelSql("bench_model_ns", "data_split_method = 'no_split'"));
}
