namespace SqlMl.Training;

/// <summary>
/// The training rows of a k-means model copied out of the batch stream once: numeric columns (NaN marks NULL; real
/// NaN or Infinity values are refused), categorical dictionary codes (−1 is NULL), the optional per-row flag
/// (kmeans_init_col), and per-column statistics of the non-NULL values.
/// </summary>
internal sealed class KMeansRawData : IDisposable
{
    private KMeansRawData(TrainingSchema schema, IReadOnlyList<CategoryDictionary> dictionaries, int rows, double[][] numeric, int[][] codes, bool[]? flags, bool summarize,
        Task<double[]>? pendingTiles = null)
    {
        PendingTiles = pendingTiles;
        Schema = schema;
        Dictionaries = dictionaries;
        Rows = rows;
        Numeric = numeric;
        Codes = codes;
        Flags = flags;
        Mean = new double[numeric.Length];
        StdDev = new double[numeric.Length];
        NonNull = new long[numeric.Length];
        // One column per worker (each column's moments are computed exactly as alone). With the summary, a column's
        // ML.FEATURE_INFO statistics follow its moments in the same worker, while the column is still in the cache.
        int p = numeric.Length, m = codes.Length;
        bool summary = summarize && RawFeatureSummary.IsExact(rows, p);
        var numericSummary = new NumericSummary[summary ? p : 0];
        var categoricalSummary = new CategoricalSummary[summary ? m : 0];
        Parallel.For(0, summary ? p + m : p, CoreParallelism.Options(), j =>
        {
            if (j >= p)
            {
                categoricalSummary[j - p] = RawFeatureSummary.Categorical(codes[j - p].AsSpan(0, rows));
                return;
            }
            (Mean[j], StdDev[j], NonNull[j]) = ColumnMoments.Of(numeric[j].AsSpan(0, rows));
            if (summary) numericSummary[j] = RawFeatureSummary.Numeric(this, j);
        });
        if (summary) Summary = new FeatureSummary(rows, numericSummary, categoricalSummary, MedianExact: true);
        NullSeen = codes.Select(c => c.AsSpan(0, rows).Contains(-1)).ToArray();
    }

    public TrainingSchema Schema { get; }

    /// <summary>The heap room the read took for the training's large arrays (<see cref="HeapRoom"/>), or null; released
    /// by <see cref="Dispose"/>.</summary>
    public HeapRoom? Room { get; private init; }

    /// <summary>The rows are no longer needed: their large arrays become garbage (<see cref="HeapRoom"/>). The arrays
    /// themselves stay usable (a <see cref="KMeansData"/> built from them keeps them).</summary>
    public void Dispose() => Room?.Dispose();

    /// <summary>The array for <see cref="KMeansData.Tiles"/>, allocated and mapped in while the rows were copied (<see cref="TileBuffer"/>), or null.</summary>
    public Task<double[]>? PendingTiles { get; }

    public IReadOnlyList<CategoryDictionary> Dictionaries { get; }

    public int Rows { get; }

    /// <summary>
    /// Numeric columns as read; NaN is NULL. The arrays are pinned and at least <see cref="KMeansData.Pad"/>(Rows) long,
    /// so <see cref="KMeansData.Build"/> encodes them in place.
    /// </summary>
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

    /// <summary>ML.FEATURE_INFO's statistics of the rows as read (<see cref="RawFeatureSummary"/>), when <see cref="Read"/>
    /// was asked for them and the exact per-column path applies; otherwise null.</summary>
    public FeatureSummary? Summary { get; }

    /// <summary>Reads the training rows; with <paramref name="summarize"/>, also their <see cref="Summary"/> where the exact
    /// per-column path applies (<see cref="RawFeatureSummary.Of(KMeansRawData)"/> returns it, or summarizes otherwise).</summary>
    public static KMeansRawData Read(ITrainingData data, string modelName, bool withFlags, CancellationToken cancellationToken, bool summarize = false)
    {
        if (data is IColumnarTrainingData columnar)
        {
            int p = data.Schema.Numeric.Count;
            Task<double[]>? tiles = null;
            HeapRoom? heapRoom = null;
            try
            {
                var columns = columnar.ReadColumns(room =>
                {
                    // The room the reader asks for (at least the row count) is the columns' length.
                    int padded = KMeansData.Pad(CheckRows(room, modelName));
                    heapRoom = HeapRoom.Take(LargeBytes(padded, p));
                    tiles = TileBuffer.Start(padded, p);
                    return Columns(p, padded);
                }, withFlags, modelName, cancellationToken);
                return Checked(new KMeansRawData(data.Schema, data.Dictionaries, columns.Rows, columns.Numeric, columns.Codes, columns.Flags, summarize, tiles) { Room = heapRoom }, modelName);
            }
            catch
            {
                heapRoom?.Dispose();
                throw;
            }
        }
        return ReadBatches(data, modelName, withFlags, summarize, cancellationToken);
    }

    /// <summary>The bytes of the large arrays a training of <paramref name="padded"/> rows and <paramref name="numeric"/>
    /// numeric features allocates: the columns, the tiles where they are made, ‖x‖² and the distances, the labels.</summary>
    private static long LargeBytes(int padded, int numeric) =>
        ((long)padded * (numeric + 2) + (TileBuffer.Wanted(padded, numeric) ? TileBuffer.Doubles(padded, numeric) : 0)) * sizeof(double) + (long)padded * sizeof(int);

    /// <summary>Pinned columns of at least <paramref name="length"/> rows, uninitialized (the read writes every row and
    /// zeroes the padding), their pages mapped in by all cores at once (<see cref="PagePopulation"/>): the serial copy
    /// that fills them would otherwise take a page fault per 4 KiB (about half of the read's time at 1M × 16).</summary>
    private static double[][] Columns(int count, int length)
    {
        var columns = new double[count][];
        for (int j = 0; j < count; j++) columns[j] = GC.AllocateUninitializedArray<double>(length, pinned: true);
        PagePopulation.Populate(columns);
        return columns;
    }

    /// <summary><paramref name="rows"/> when KMEANS can keep them in memory; otherwise the error.</summary>
    private static int CheckRows(long rows, string modelName)
    {
        if (rows > Array.MaxLength - 2 * KMeansData.Tile)
            throw Errors.Training($"CREATE MODEL {modelName}: KMEANS keeps its training rows in memory and takes at most {Array.MaxLength - 2 * KMeansData.Tile:N0} rows; sample the training query.");
        if (rows == 0) throw Errors.Training($"CREATE MODEL {modelName}: the training query returned no rows.");
        return (int)rows;
    }

    /// <summary><paramref name="raw"/>, unless a numeric column is NULL in every row.</summary>
    private static KMeansRawData Checked(KMeansRawData raw, string modelName)
    {
        for (int j = 0; j < raw.Numeric.Length; j++)
            if (raw.NonNull[j] == 0)
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{raw.Schema.Numeric[j]}' is NULL in every training row; there is no value to cluster on. Remove it from the training query.");
        return raw;
    }

    /// <summary>Reads a batch stream (data that cannot be read as whole columns): 64K-row blocks, then one copy into the columns.</summary>
    private static KMeansRawData ReadBatches(ITrainingData data, string modelName, bool withFlags, bool summarize, CancellationToken cancellationToken)
    {
        const int initialCapacity = 1 << 16;
        var schema = data.Schema;
        int m = schema.Categorical.Count;
        var blocks = new NumericColumnBlocks(schema, modelName);
        var codes = new int[m][];
        for (int c = 0; c < m; c++) codes[c] = new int[initialCapacity];
        bool[]? flags = withFlags ? new bool[initialCapacity] : null;
        long rows = 0;
        foreach (var batch in data.ReadBatches(cancellationToken))
        {
            long needed = rows + batch.Count;
            if (needed > Array.MaxLength - 2 * KMeansData.Tile) CheckRows(needed, modelName);
            if (needed > codes.FirstOrDefault()?.Length)
                for (int c = 0; c < m; c++) Array.Resize(ref codes[c], (int)Math.Min(Math.Max(needed, 2L * codes[c].Length), Array.MaxLength));
            if (flags is not null && needed > flags.Length) Array.Resize(ref flags, (int)Math.Min(Math.Max(needed, 2L * flags.Length), Array.MaxLength));
            blocks.Append(batch);
            int at = (int)rows;
            for (int c = 0; c < m; c++) batch.Categorical[c].AsSpan(0, batch.Count).CopyTo(codes[c].AsSpan(at));
            if (flags is not null) batch.IsEval!.AsSpan(0, batch.Count).CopyTo(flags.AsSpan(at));
            rows = needed;
        }
        int n = CheckRows(rows, modelName);
        var numeric = blocks.ToColumns(KMeansData.Pad(n), pinned: true);
        return Checked(new KMeansRawData(schema, data.Dictionaries, n, numeric, codes, flags, summarize), modelName);
    }
}
