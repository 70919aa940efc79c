namespace SqlMl.Training;

/// <summary>
/// The training rows of a k-means model copied out of the batch stream once: numeric columns (NaN marks NULL; real
/// NaN or Infinity values are refused), categorical dictionary codes (−1 is NULL), the optional per-row flag
/// (kmeans_init_col), and per-column statistics of the non-NULL values.
/// </summary>
internal sealed class KMeansRawData
{
    private KMeansRawData(TrainingSchema schema, IReadOnlyList<CategoryDictionary> dictionaries, int rows, double[][] numeric, int[][] codes, bool[]? flags)
    {
        Schema = schema;
        Dictionaries = dictionaries;
        Rows = rows;
        Numeric = numeric;
        Codes = codes;
        Flags = flags;
        Mean = new double[numeric.Length];
        StdDev = new double[numeric.Length];
        NonNull = new long[numeric.Length];
        for (int j = 0; j < numeric.Length; j++) (Mean[j], StdDev[j], NonNull[j]) = Moments(numeric[j], rows);
        NullSeen = codes.Select(c => c.AsSpan(0, rows).Contains(-1)).ToArray();
    }

    public TrainingSchema Schema { get; }

    public IReadOnlyList<CategoryDictionary> Dictionaries { get; }

    public int Rows { get; }

    /// <summary>Numeric columns as read; NaN is NULL. Arrays may be longer than <see cref="Rows"/>.</summary>
    public double[][] Numeric { get; }

    /// <summary>Category codes per categorical column; −1 is NULL.</summary>
    public int[][] Codes { get; }

    public bool[]? Flags { get; }

    /// <summary>Mean of each numeric column's non-NULL values (NaN when all are NULL).</summary>
    public double[] Mean { get; }

    /// <summary>Sample standard deviation (n − 1) of each numeric column's non-NULL values; 0 for fewer than two.</summary>
    public double[] StdDev { get; }

    public long[] NonNull { get; }

    /// <summary>Whether each categorical column has a NULL in some row.</summary>
    public bool[] NullSeen { get; }

    public static KMeansRawData Read(ITrainingData data, string modelName, bool withFlags, CancellationToken cancellationToken)
    {
        var schema = data.Schema;
        int p = schema.Numeric.Count, m = schema.Categorical.Count;
        var numeric = new double[p][];
        var codes = new int[m][];
        for (int j = 0; j < p; j++) numeric[j] = new double[4096];
        for (int c = 0; c < m; c++) codes[c] = new int[4096];
        bool[]? flags = withFlags ? new bool[4096] : null;
        long rows = 0, capacity = 4096;
        foreach (var batch in data.ReadBatches(cancellationToken))
        {
            long needed = rows + batch.Count;
            if (needed > Array.MaxLength - 64)
                throw Errors.Training($"CREATE MODEL {modelName}: KMEANS keeps its training rows in memory and takes at most {Array.MaxLength - 64:N0} rows; sample the training query.");
            if (needed > capacity)
            {
                int size = (int)Math.Min(Math.Max(needed, 2 * capacity), Array.MaxLength);
                capacity = size;
                for (int j = 0; j < p; j++) Array.Resize(ref numeric[j], size);
                for (int c = 0; c < m; c++) Array.Resize(ref codes[c], size);
                if (flags is not null) Array.Resize(ref flags, size);
            }
            int at = (int)rows;
            for (int j = 0; j < p; j++)
            {
                var src = batch.Numeric[j].AsSpan(0, batch.Count);
                var dst = numeric[j].AsSpan(at, batch.Count);
                src.CopyTo(dst);
                var mask = batch.NumericValidity[j];
                for (int r = 0; r < dst.Length; r++)
                {
                    if (!ColumnBatch.IsValid(mask, r)) dst[r] = double.NaN;
                    else if (!double.IsFinite(dst[r]))
                        throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' contains NaN or Infinity.");
                }
            }
            for (int c = 0; c < m; c++) batch.Categorical[c].AsSpan(0, batch.Count).CopyTo(codes[c].AsSpan(at));
            if (flags is not null) batch.IsEval!.AsSpan(0, batch.Count).CopyTo(flags.AsSpan(at));
            rows = needed;
        }
        if (rows == 0) throw Errors.Training($"CREATE MODEL {modelName}: the training query returned no rows.");
        var raw = new KMeansRawData(schema, data.Dictionaries, (int)rows, numeric, codes, flags);
        for (int j = 0; j < p; j++)
            if (raw.NonNull[j] == 0)
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' is NULL in every training row; there is no value to cluster on. Remove it from the training query.");
        return raw;
    }

    private static (double Mean, double StdDev, long Count) Moments(double[] column, int rows)
    {
        double sum = 0;
        long count = 0;
        for (int r = 0; r < rows; r++)
        {
            double v = column[r];
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        if (count == 0) return (double.NaN, 0, 0);
        double mean = sum / count, ss = 0;
        for (int r = 0; r < rows; r++)
        {
            double v = column[r];
            if (!double.IsNaN(v)) ss += (v - mean) * (v - mean);
        }
        return (mean, count > 1 ? Math.Sqrt(ss / (count - 1)) : 0, count);
    }
}
