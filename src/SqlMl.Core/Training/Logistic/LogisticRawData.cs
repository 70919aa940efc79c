using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>
/// The rows of a LOGISTIC_REG training copied out of the batch stream: numeric columns (NaN marks NULL; real NaN or
/// Infinity values are refused), categorical codes (−1 NULL), the class index of each row, and which rows are
/// evaluation rows under the data split (<see cref="InMemorySplit"/>).
/// </summary>
internal sealed class LogisticRawData
{
    private LogisticRawData(int rows, double[][] numeric, int[][] codes, int[] label, bool[] isEval)
    {
        Rows = rows;
        Numeric = numeric;
        Codes = codes;
        Label = label;
        IsEval = isEval;
    }

    public int Rows { get; }

    /// <summary>
    /// Numeric columns as read (NaN is NULL), each at least <see cref="DesignMatrix.Pad"/>(Rows) long and zero past Rows.
    /// <see cref="DesignMatrix.Build"/> may encode a column in place (when every row is a training row), after which
    /// the raw values are gone.
    /// </summary>
    public double[][] Numeric { get; }

    public int[][] Codes { get; }

    /// <summary>Class index of each row.</summary>
    public int[] Label { get; }

    public bool[] IsEval { get; }

    /// <summary>
    /// Reads every batch. With <paramref name="expectedRows"/> (the row count known beforehand, e.g. from the
    /// class-discovery query; 0 when unknown) the arrays are allocated once at that size and numeric values are copied
    /// straight into their final columns; more rows than announced are still taken (the arrays grow).
    /// </summary>
    public static LogisticRawData Read(ITrainingData data, DataSplitOptions split, int classes, string modelName, CancellationToken cancellationToken,
        long expectedRows = 0)
    {
        var schema = data.Schema;
        int p = schema.Numeric.Count, m = schema.Categorical.Count;
        int capacity = expectedRows > 0 ? (int)Math.Min(expectedRows, Array.MaxLength - 64) : 1024, rows = 0;
        var direct = expectedRows > 0 ? new DirectNumericColumns(schema, modelName, capacity) : null;
        var blocks = direct is null ? new NumericColumnBlocks(schema, modelName) : null;
        var codes = Enumerable.Range(0, m).Select(_ => new int[capacity]).ToArray();
        var label = new int[capacity];
        bool hashed = split.Method is DataSplitMethod.AutoSplit or DataSplitMethod.Random;
        bool flagged = split.Method is DataSplitMethod.Custom or DataSplitMethod.Seq;
        var hash = hashed ? new ulong[capacity] : [];
        var flag = flagged ? new bool[capacity] : [];
        foreach (var batch in data.ReadBatches(cancellationToken))
        {
            long needed = (long)rows + batch.Count;
            if (needed > Array.MaxLength - 64)
                throw Errors.Training($"CREATE MODEL {modelName}: LOGISTIC_REG keeps its training rows in memory and takes at most {Array.MaxLength - 64:N0} rows; sample the training query.");
            if (needed > capacity)
            {
                capacity = (int)Math.Min(Math.Max(needed, 2L * capacity), Array.MaxLength - 64);
                for (int c = 0; c < m; c++) Array.Resize(ref codes[c], capacity);
                Array.Resize(ref label, capacity);
                if (hashed) Array.Resize(ref hash, capacity);
                if (flagged) Array.Resize(ref flag, capacity);
            }
            int n = batch.Count;
            if (direct is not null) direct.Append(batch, rows, capacity);
            else blocks!.Append(batch);
            for (int c = 0; c < m; c++) batch.Categorical[c].AsSpan(0, n).CopyTo(codes[c].AsSpan(rows));
            for (int r = 0; r < n; r++)
            {
                if (!ColumnBatch.IsValid(batch.LabelValidity, r))
                    throw Errors.Training($"CREATE MODEL {modelName}: label column '{schema.Label}' is NULL in some rows. Filter them out, e.g. WHERE {schema.Label} IS NOT NULL.");
                double v = batch.Label[r];
                if (!(v >= 0 && v < classes && v == Math.Floor(v)))
                    throw Errors.Training($"CREATE MODEL {modelName}: label column '{schema.Label}' has a value outside the {classes} classes found before training (the data changed while it was read?).");
                label[rows + r] = (int)v;
            }
            if (hashed) batch.Hash!.AsSpan(0, n).CopyTo(hash.AsSpan(rows));
            if (flagged) batch.IsEval!.AsSpan(0, n).CopyTo(flag.AsSpan(rows));
            rows += n;
        }
        if (rows == 0) throw Errors.Training($"CREATE MODEL {modelName}: the training query returned no rows.");
        // Room for the design's zero padding, so DesignMatrix can encode columns in place.
        var numeric = direct?.ToColumns(rows) ?? blocks!.ToColumns(DesignMatrix.Pad(rows), pinned: false);
        var isEval = InMemorySplit.EvaluationRows(split, rows, hash, flag) ?? new bool[rows];
        return new LogisticRawData(rows, numeric, codes, label, isEval);
    }
}
