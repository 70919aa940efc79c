using System.Numerics.Tensors;

namespace SqlMl.Training;

/// <summary>
/// Collects the numeric feature columns of a batch stream for the trainers that keep their rows in memory (k-means,
/// logistic regression): values go into fixed 64K-row blocks (no regrowing of large arrays), NULL becomes NaN and a
/// real NaN or Infinity is refused; <see cref="ToColumns"/> then copies them once into exactly sized columns.
/// </summary>
internal sealed class NumericColumnBlocks(TrainingSchema schema, string modelName)
{
    private const int BlockRows = 1 << 16;
    private readonly List<double[][]> _blocks = [];

    public long Rows { get; private set; }

    public void Append(ColumnBatch batch)
    {
        int p = schema.Numeric.Count;
        for (int done = 0; done < batch.Count;)
        {
            int inBlock = (int)((Rows + done) % BlockRows);
            if (inBlock == 0) _blocks.Add(Enumerable.Range(0, p).Select(_ => GC.AllocateUninitializedArray<double>(BlockRows)).ToArray());
            int count = Math.Min(batch.Count - done, BlockRows - inBlock);
            for (int j = 0; j < p; j++)
            {
                var dst = _blocks[^1][j].AsSpan(inBlock, count);
                batch.Numeric[j].AsSpan(done, count).CopyTo(dst);
                var mask = batch.NumericValidity[j];
                if (mask is null && double.IsFinite(TensorPrimitives.Sum<double>(dst))) continue;
                for (int r = 0; r < count; r++)
                {
                    if (!ColumnBatch.IsValid(mask, done + r)) dst[r] = double.NaN;
                    else if (!double.IsFinite(dst[r]))
                        throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' contains NaN or Infinity.");
                }
            }
            done += count;
        }
        Rows += batch.Count;
    }

    /// <summary>
    /// The columns, each <paramref name="length"/> (≥ Rows) long with zeros past Rows, optionally pinned. The blocks are
    /// released as they are copied, so this is called once.
    /// </summary>
    public double[][] ToColumns(int length, bool pinned)
    {
        int rows = (int)Rows;
        var columns = new double[schema.Numeric.Count][];
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = GC.AllocateUninitializedArray<double>(length, pinned);
            columns[j].AsSpan(rows).Clear();
            for (int b = 0; b < _blocks.Count; b++)
            {
                int start = b * BlockRows;
                _blocks[b][j].AsSpan(0, Math.Min(BlockRows, rows - start)).CopyTo(columns[j].AsSpan(start));
                _blocks[b][j] = [];
            }
        }
        return columns;
    }
}
