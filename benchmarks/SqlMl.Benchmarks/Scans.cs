using System.Numerics.Tensors;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Native;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Benchmarks;

/// <summary>The measured operations, shared by the compare mode and the BenchmarkDotNet classes.</summary>
internal static unsafe class Scans
{
    /// <summary>Fetches every chunk and every vector's data pointer, reading no values: DuckDB's side alone.</summary>
    public static long FetchOnly(DuckDBConnection connection, string sql)
    {
        using var stream = new ChunkStream(connection, sql);
        long rows = 0;
        nint sink = 0;
        while (stream.Next(out int n))
        {
            rows += n;
            for (int j = 0; j < stream.ColumnCount; j++) sink ^= (nint)ChunkStream.Data(stream.Vector(j));
        }
        GC.KeepAlive(sink);
        return rows;
    }

    /// <summary>The bare chunk scan: every DOUBLE value of every column is read once (SIMD sum).</summary>
    public static double Sum(DuckDBConnection connection, string sql, int doubleColumns)
    {
        using var stream = new ChunkStream(connection, sql);
        double total = 0;
        while (stream.Next(out int n))
            for (int j = 0; j < doubleColumns; j++)
                total += TensorPrimitives.Sum(new ReadOnlySpan<double>(ChunkStream.Data(stream.Vector(j)), n));
        return total;
    }

    /// <summary>The trainer's reader alone: the training query through ChunkTrainingData (vector copies into batches).</summary>
    public static long Reader(DuckDBConnection connection)
    {
        var data = new ChunkTrainingData(connection, BenchData.TrainingSql, Schema(), SplitColumn.Hash);
        long rows = 0;
        foreach (var batch in data.ReadBatches(CancellationToken.None)) rows += batch.Count;
        return rows;
    }

    /// <summary>The trainer on the reader (default AUTO_SPLIT): no binding, DESCRIBE or catalog write.</summary>
    public static LinearRegressionTrainerResult Trainer(DuckDBConnection connection)
    {
        var data = new ChunkTrainingData(connection, BenchData.TrainingSql, Schema(), SplitColumn.Hash);
        var options = GlmOptions.Bind(BoundOptions.Bind([], GlmOptions.LinearReg, GlmOptions.LinearSpecs, []), GlmOptions.LinearReg) with { Label = "y" };
        var (model, report) = LinearRegressionTrainer.Train(data, options, "bench_direct");
        return new LinearRegressionTrainerResult(model.Intercept, report.TrainingRows, report.EvaluationRows);
    }

    /// <summary>
    /// LINEAR_REG's parallel training pass (what CREATE MODEL runs for numeric features): the C-API aggregate over the
    /// training query as TrainingQuery builds it for AUTO_SPLIT (casts, no hash column), merged; returns the number of
    /// DuckDB threads that took part.
    /// </summary>
    public static int ParallelPass(DuckDBConnection connection)
    {
        var options = GlmOptions.Bind(BoundOptions.Bind([], GlmOptions.LinearReg, GlmOptions.LinearSpecs, []), GlmOptions.LinearReg) with { Label = "y" };
        var (acc, _, threads) = ParallelLinearPass.Run(connection, BenchData.CastTrainingSql, Schema(), SplitColumn.ComputedHash, options.Split, "bench_parallel", CancellationToken.None);
        GC.KeepAlive(acc);
        return threads;
    }

    /// <summary>
    /// The same pass as CREATE MODEL runs it, with ML.FEATURE_INFO's statistics accumulated on every thread
    /// (a <see cref="TrainingReads"/> log open), merged and summarized.
    /// </summary>
    public static int ParallelPassWithStatistics(DuckDBConnection connection)
    {
        using var log = TrainingReads.Begin(connection);
        int threads = ParallelPass(connection);
        GC.KeepAlive(log.Readers[0].CompleteSummary!);
        return threads;
    }

    private static TrainingSchema Schema() =>
        new(Enumerable.Range(1, BenchData.Features).Select(j => "x" + j).ToList(), [], "y");
}

internal readonly record struct LinearRegressionTrainerResult(double Intercept, long TrainingRows, long EvaluationRows);
