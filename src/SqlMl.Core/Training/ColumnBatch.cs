namespace SqlMl.Training;

/// <summary>
/// A batch of training rows in columnar form, filled by the data reader and consumed before the next batch
/// is read (arrays are reused). Validity masks follow DuckDB's layout: bit (i % 64) of word (i / 64) set
/// means row i is not NULL; a null mask means every row is valid.
/// </summary>
internal sealed class ColumnBatch
{
    public ColumnBatch(int numeric, int categorical, int capacity)
    {
        Capacity = capacity;
        Numeric = new double[numeric][];
        NumericValidity = new ulong[]?[numeric];
        for (int i = 0; i < numeric; i++) Numeric[i] = new double[capacity];
        Categorical = new int[categorical][];
        for (int i = 0; i < categorical; i++) Categorical[i] = new int[capacity];
        Label = new double[capacity];
    }

    public int Capacity { get; }

    public int Count { get; set; }

    public double[][] Numeric { get; }

    public ulong[]?[] NumericValidity { get; }

    /// <summary>Category codes per categorical column; -1 is NULL.</summary>
    public int[][] Categorical { get; }

    public double[] Label { get; }

    public ulong[]? LabelValidity { get; set; }

    /// <summary>Per-row hash of the row's values, for hash-based splits (AUTO_SPLIT, RANDOM).</summary>
    public ulong[]? Hash { get; set; }

    /// <summary>Per-row flag computed in SQL: for CUSTOM and SEQ splits true means evaluation row; other trainers
    /// may use it for their own BOOLEAN column (e.g. k-means' kmeans_init_col).</summary>
    public bool[]? IsEval { get; set; }

    public static bool IsValid(ulong[]? mask, int row) => mask is null || (mask[row >> 6] & (1UL << (row & 63))) != 0;
}

/// <summary>A stream of training batches plus the category dictionaries its codes refer to.</summary>
internal interface ITrainingData
{
    TrainingSchema Schema { get; }

    IReadOnlyList<CategoryDictionary> Dictionaries { get; }

    /// <summary>Reads the data once, batch by batch. Each batch is valid until the next is requested.</summary>
    IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken);
}
