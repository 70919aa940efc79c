using System.Numerics.Tensors;

namespace SqlMl.Training.Logistic;

/// <summary>
/// The numeric feature columns of a LOGISTIC_REG training written straight into their final arrays when the row count
/// is known beforehand (one copy per value, no intermediate blocks): sized for the expected rows plus the design's zero
/// padding, grown only if more rows arrive than announced. NULL becomes NaN and a real NaN or Infinity is refused, as
/// in <see cref="NumericColumnBlocks"/>.
/// </summary>
internal sealed class DirectNumericColumns
{
    private readonly TrainingSchema _schema;
    private readonly string _modelName;
    private readonly double[][] _columns;

    public DirectNumericColumns(TrainingSchema schema, string modelName, int expectedRows)
    {
        _schema = schema;
        _modelName = modelName;
        _columns = new double[schema.Numeric.Count][];
        for (int j = 0; j < _columns.Length; j++) _columns[j] = GC.AllocateUninitializedArray<double>(DesignMatrix.Pad(expectedRows));
    }

    /// <summary>Copies <paramref name="batch"/>'s numeric values to rows [at, at + Count), growing the columns when needed.</summary>
    public void Append(ColumnBatch batch, int at, int capacity)
    {
        int n = batch.Count;
        for (int j = 0; j < _columns.Length; j++)
        {
            if (at + n > _columns[j].Length) Array.Resize(ref _columns[j], DesignMatrix.Pad(Math.Max(capacity, at + n)));
            var dst = _columns[j].AsSpan(at, n);
            batch.Numeric[j].AsSpan(0, n).CopyTo(dst);
            var mask = batch.NumericValidity[j];
            if (mask is null && double.IsFinite(TensorPrimitives.Sum<double>(dst))) continue;
            for (int r = 0; r < n; r++)
            {
                if (!ColumnBatch.IsValid(mask, r)) dst[r] = double.NaN;
                else if (!double.IsFinite(dst[r]))
                    throw Errors.Training($"CREATE MODEL {_modelName}: feature column '{_schema.Numeric[j]}' contains NaN or Infinity.");
            }
        }
    }

    /// <summary>The columns holding <paramref name="rows"/> rows, zero past them (at least <see cref="DesignMatrix.Pad"/>(rows) long).</summary>
    public double[][] ToColumns(int rows)
    {
        foreach (var c in _columns) c.AsSpan(rows).Clear();
        return _columns;
    }
}
