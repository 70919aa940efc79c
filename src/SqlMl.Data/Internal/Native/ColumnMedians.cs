using DuckDB.NET.Data;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// Exact medians of numeric columns of a query for ML.FEATURE_INFO: one scan through the data-chunk API into
/// per-column arrays, then selection in C#, in about half the time of DuckDB's <c>median()</c> aggregates on
/// 1M × 16 (benchmarks/README.md, KMEANS), with the same values.
/// </summary>
internal static class ColumnMedians
{
    public static double?[] Compute(DuckDBConnection connection, string query, IReadOnlyList<string> columns)
    {
        if (columns.Count == 0) return [];
        string sql = "SELECT " + string.Join(", ", columns.Select(c => $"CAST(q.{SqlText.QuotedIdentifier(c)} AS DOUBLE)"))
                     + " FROM (\n" + query + "\n) AS q";
        var schema = new TrainingSchema(columns, [], null);
        var data = new ChunkTrainingData(connection, sql, schema, SplitColumn.None);
        var values = columns.Select(_ => new double[1024]).ToArray();
        var counts = new int[columns.Count];
        foreach (var batch in data.ReadBatches(CancellationToken.None))
        {
            for (int j = 0; j < columns.Count; j++)
            {
                var src = batch.Numeric[j];
                var mask = batch.NumericValidity[j];
                if (counts[j] + batch.Count > values[j].Length)
                    Array.Resize(ref values[j], Math.Max(values[j].Length * 2, counts[j] + batch.Count));
                var dst = values[j];
                int n = counts[j];
                if (mask is null)
                {
                    src.AsSpan(0, batch.Count).CopyTo(dst.AsSpan(n));
                    n += batch.Count;
                }
                else
                {
                    for (int r = 0; r < batch.Count; r++)
                        if (ColumnBatch.IsValid(mask, r)) dst[n++] = src[r];
                }
                counts[j] = n;
            }
        }
        var medians = new double?[columns.Count];
        Parallel.For(0, columns.Count, j =>
        {
            medians[j] = ExactMedian.Of(values[j].AsSpan(0, counts[j]));
            values[j] = [];
        });
        return medians;
    }
}
