using System.Runtime.CompilerServices;
using System.Text;
using DuckDB.NET.Data;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// Training data read from a DuckDB query whose columns are, in order: numeric features (DOUBLE), categorical
/// features (VARCHAR), the label (DOUBLE) when the schema has one, then optionally a row hash (UBIGINT) or a
/// per-row flag (BOOLEAN; NULL counts as true).
/// Vectors are copied straight into reusable <see cref="ColumnBatch"/> arrays; strings are dictionary-coded
/// without allocating for values already seen.
/// While a <see cref="TrainingReads"/> log is open on the connection, the first read that runs to the end also
/// accumulates ML.FEATURE_INFO's statistics of the feature columns (<see cref="CompleteSummary"/>).
/// </summary>
internal sealed unsafe partial class ChunkTrainingData(DuckDBConnection connection, string sql, TrainingSchema schema, SplitColumn split) : ITrainingData, ITrainingRead
{
    /// <summary>Statistics of every row, from the first streamed read that reached the end while a log was open.</summary>
    private FeatureStatistics? _statistics;
    private FeatureSummary? _summary;
    private FeatureSummary? _suppliedSummary;
    private readonly CategoryDictionary[] _dictionaries = schema.Categorical.Select(_ => new CategoryDictionary()).ToArray();

    public TrainingSchema Schema { get; } = schema;

    public IReadOnlyList<CategoryDictionary> Dictionaries => _dictionaries;

    /// <summary>The query this reader reads.</summary>
    public string Sql => sql;

    /// <summary>
    /// ML.FEATURE_INFO's statistics over every row: those a trainer computed from the columns it read
    /// (<see cref="SupplySummary"/>), else those the first streamed read that reached the end while a
    /// <see cref="TrainingReads"/> log was open accumulated (summarized when first asked for); null when neither exists.
    /// </summary>
    public FeatureSummary? CompleteSummary => _suppliedSummary ?? (_summary ??= _statistics?.Summarize());

    public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
    {
        int p = Schema.Numeric.Count, c = Schema.Categorical.Count;
        int capacity = ChunkStream.VectorSize;
        var batch = new ColumnBatch(p, c, capacity);
        var masks = new ulong[p][];
        for (int j = 0; j < p; j++) masks[j] = new ulong[(capacity + 63) / 64];
        var labelMask = new ulong[(capacity + 63) / 64];
        var hash = split is SplitColumn.Hash or SplitColumn.ComputedHash ? new ulong[capacity] : null;
        var rowHash = split == SplitColumn.ComputedHash ? new RowHasher(_dictionaries, Schema.Label is not null) : null;
        var flag = split == SplitColumn.Flag ? new bool[capacity] : null;
        var chars = new char[256];
        var log = Schema.MultiHot.Count == 0 && _statistics is null ? TrainingReads.On(connection) : null;
        log?.Add(this);
        var statistics = log is null ? null : new FeatureStatistics(p, c);
        using var stream = new ChunkStream(connection, sql);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!stream.Next(out int rows))
            {
                if (statistics is not null) _statistics ??= statistics;
                yield break;
            }
            if (rows == 0) continue;
            Fill(stream, rows, batch, masks, labelMask, rowHash is null ? hash : null, flag, ref chars);
            statistics?.Add(batch);
            if (rowHash is not null)
            {
                rowHash.Hash(batch, hash!);
                batch.Hash = hash;
            }
            yield return batch;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadFlags(IntPtr vector, int rows, Span<bool> flag)
    {
        var data = (byte*)ChunkStream.Data(vector);
        var valid = ChunkStream.Validity(vector);
        for (int r = 0; r < rows; r++)
            flag[r] = valid != null && (valid[r >> 6] & (1UL << (r & 63))) == 0 || data[r] != 0;
    }

    private void Fill(ChunkStream stream, int rows, ColumnBatch batch, ulong[][] masks, ulong[] labelMask, ulong[]? hash, bool[]? flag, ref char[] chars)
    {
        int p = Schema.Numeric.Count, c = Schema.Categorical.Count;
        batch.Count = rows;
        for (int j = 0; j < p; j++)
        {
            var v = stream.Vector(j);
            new ReadOnlySpan<double>(ChunkStream.Data(v), rows).CopyTo(batch.Numeric[j]);
            batch.NumericValidity[j] = ChunkStream.CopyValidity(ChunkStream.Validity(v), rows, masks[j]);
        }
        for (int k = 0; k < c; k++)
            ReadStrings(stream.Vector(p + k), rows, batch.Categorical[k], _dictionaries[k], ref chars);
        int next = p + c;
        if (Schema.Label is not null)
        {
            var lv = stream.Vector(next++);
            new ReadOnlySpan<double>(ChunkStream.Data(lv), rows).CopyTo(batch.Label);
            batch.LabelValidity = ChunkStream.CopyValidity(ChunkStream.Validity(lv), rows, labelMask);
        }
        if (hash is not null)
        {
            new ReadOnlySpan<ulong>(ChunkStream.Data(stream.Vector(next)), rows).CopyTo(hash);
            batch.Hash = hash;
        }
        if (flag is not null)
        {
            ReadFlags(stream.Vector(next), rows, flag);
            batch.IsEval = flag;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadStrings(IntPtr vector, int rows, Span<int> codes, CategoryDictionary dictionary, ref char[] chars)
    {
        var data = (byte*)ChunkStream.Data(vector);
        var validity = ChunkStream.Validity(vector);
        for (int r = 0; r < rows; r++)
        {
            if (validity != null && (validity[r >> 6] & (1UL << (r & 63))) == 0)
            {
                codes[r] = -1;
                continue;
            }
            // duckdb_string_t: uint32 length, then 12 inline bytes, or a 4-byte prefix and a pointer.
            byte* s = data + (long)r * 16;
            int length = *(int*)s;
            byte* bytes = length <= 12 ? s + 4 : *(byte**)(s + 8);
            var utf8 = new ReadOnlySpan<byte>(bytes, length);
            int needed = Encoding.UTF8.GetMaxCharCount(length);
            if (needed > chars.Length) chars = new char[needed];
            int n = Encoding.UTF8.GetChars(utf8, chars);
            codes[r] = dictionary.GetOrAdd(chars.AsSpan(0, n));
        }
    }
}

/// <summary>Which split column follows the label in the training query.</summary>
internal enum SplitColumn
{
    None,
    /// <summary>A UBIGINT hash column computed by the query.</summary>
    Hash,
    /// <summary>A BOOLEAN flag column computed by the query.</summary>
    Flag,
    /// <summary>No column: the reader hashes each row's values itself (<see cref="RowHasher"/>).</summary>
    ComputedHash,
}
