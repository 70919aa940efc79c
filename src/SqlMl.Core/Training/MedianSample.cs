using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SqlMl.Training;

/// <summary>
/// The rows behind ML.FEATURE_INFO's medians, bounded in memory, deterministic and independent of row order.
/// <para>
/// While at most <c>exactCap</c> rows have been added, every row's numeric values are kept (plain arrays) with the
/// row's hash, and the medians are exact. Past that, rows are kept as distinct rows with a count, keyed by a 64-bit
/// hash of their numeric values: a row is kept when the top <c>level</c> bits of its hash are zero, and <c>level</c>
/// goes up by one (halving the kept fraction) whenever more than <c>sampleCap</c> distinct rows are kept. The kept set
/// is then a function of the multiset of rows alone — the final level is the smallest that leaves at most
/// <c>sampleCap</c> distinct rows, and each kept row carries its full count — so batch order, batch boundaries and
/// <see cref="Merge"/> do not change it. Level 0 (at most <c>sampleCap</c> distinct rows, e.g. low-cardinality
/// columns) still gives exact medians.
/// </para>
/// <para>
/// Storage of the kept rows: at level 0 a hash table merges duplicates as they arrive (few distinct rows, so it stays
/// in cache). From level 1 on, kept rows are appended to a buffer of <c>2 · sampleCap</c> rows without a lookup; when
/// it is full, or before the sample is read, <see cref="Consolidate"/> sorts the hashes, merges duplicates, raises the
/// level until at most <c>sampleCap</c> distinct rows are left and drops the rest. The level only ever rises when more
/// than <c>sampleCap</c> distinct rows were kept at the level below, so the result is the same as merging at once.
/// </para>
/// The median of a column is DuckDB's <c>median()</c> of the kept values weighted by their counts: the middle value,
/// or the mean of the two middle values for an even total.
/// </summary>
internal sealed class MedianSample
{
    /// <summary>A NaN payload no arithmetic produces, standing for NULL in the stored rows.</summary>
    private const ulong NullBits = 0x7FF4_0000_5EED_0001;
    private const ulong Seed = 0x9E3779B97F4A7C15;

    private readonly int _columns;
    private readonly int _exactCap;
    private readonly int _sampleCap;
    private readonly ulong[] _columnKeys;

    // Exact mode: row-aligned columns in blocks of BlockSize rows (block 0 grows; no copying as rows arrive), and
    // each row's hash, computed while its batch is in cache, for the switch to sampling.
    private const int BlockBits = 16;
    private const int BlockSize = 1 << BlockBits;
    private List<double[]>[]? _exact;
    private ulong[] _exactHashes = [];
    private int _exactRows;

    // Sampled mode: kept rows (values row-major), their hash and count. At level 0 distinct, found through _index;
    // from level 1 on (_index null) appended, distinct only after Consolidate.
    private Dictionary<ulong, int>? _index;
    private ulong[] _keys = [];
    private long[] _counts = [];
    private double[] _values = [];
    private int _entries;
    private int _level;
    private ulong[] _hashes = [];
    private double[] _row = [];

    private readonly MedianBudget? _budget;

    /// <summary>An empty sample; with a <paramref name="budget"/> shared by parallel readers of one input, exact rows
    /// are kept only while all of them together stay within its cap.</summary>
    public MedianSample(int columns, int exactCap, int sampleCap, MedianBudget? budget = null)
    {
        _budget = budget;
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(exactCap, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCap, 1);
        _columns = columns;
        _exactCap = exactCap;
        _sampleCap = sampleCap;
        _exact = new List<double[]>[columns];
        for (int j = 0; j < columns; j++) _exact[j] = [];
        _columnKeys = new ulong[columns];
        ulong k = 0xD6E8FEB86659FD93;
        for (int j = 0; j < columns; j++)
        {
            k = RowHasher.Finish(k + Seed);
            _columnKeys[j] = k | 1;
        }
    }

    /// <summary>Whether every distinct row is kept, so the medians are exact.</summary>
    public bool Exact
    {
        get
        {
            Consolidate();
            return _exact is not null || _level == 0;
        }
    }

    /// <summary>The hashes of the rows this sample keeps and their counts (exact mode: every row, count 1), for tests.</summary>
    internal IEnumerable<(ulong Hash, long Count)> Kept()
    {
        Consolidate();
        if (_exact is not null) return _exactHashes.Take(_exactRows).Select(h => (h, 1L)).ToArray();
        return Enumerable.Range(0, _entries).Select(e => (_keys[e], _counts[e])).ToArray();
    }

    /// <summary>The hash a row of numeric values has here (null: NULL), for tests.</summary>
    internal ulong HashOf(ReadOnlySpan<double?> row)
    {
        ulong h = Seed;
        for (int j = 0; j < _columns; j++) h += (row[j] is { } v ? BitConverter.DoubleToUInt64Bits(v) : NullBits) * _columnKeys[j];
        return RowHasher.Finish(h);
    }

    /// <summary>Adds a batch's rows; <paramref name="masks"/> are its numeric columns' validity (null: no NULLs).</summary>
    public void Add(ColumnBatch batch, ulong[]?[] masks)
    {
        if (_columns == 0 || batch.Count == 0) return;
        int rows = batch.Count;
        if (_hashes.Length < rows) _hashes = new ulong[batch.Capacity];
        var h = _hashes.AsSpan(0, rows);
        HashBatch(batch, masks, h);
        if (_exact is not null && _exactRows + rows <= _exactCap && (_budget?.Take(rows) ?? true))
        {
            AppendExact(batch, masks, h);
            return;
        }
        if (_exact is not null) ToSampled();
        AddSampled(batch, masks, h);
    }

    /// <summary>Adds <paramref name="other"/>'s rows, as if its batches had been added here.</summary>
    public void Merge(MedianSample other)
    {
        if (other._columns != _columns) throw new ArgumentException("The samples have different columns.", nameof(other));
        if (_exact is not null && other._exact is not null && _exactRows + other._exactRows <= _exactCap)
        {
            for (int j = 0; j < _columns; j++)
                for (int r = 0; r < other._exactRows; r += BlockSize)
                    Append(_exact[j], _exactRows + r, other.ExactSpan(j, r, Math.Min(BlockSize, other._exactRows - r)));
            AppendHashes(other._exactHashes.AsSpan(0, other._exactRows));
            _exactRows += other._exactRows;
            return;
        }
        if (_exact is not null) ToSampled();
        other.Consolidate();
        if (other._level > _level) RaiseLevel(other._level);
        if (other._exact is not null)
            other.InsertExactInto(this);
        else
        {
            for (int e = 0; e < other._entries; e++)
                Insert(other._keys[e], other._values.AsSpan(e * _columns, _columns), other._counts[e]);
        }
    }

    /// <summary>The median of each column's non-NULL kept values (null when there are none); columns in parallel.</summary>
    public double?[] Medians()
    {
        var medians = new double?[_columns];
        if (_exact is { } exact)
        {
            Parallel.For(0, _columns, j => medians[j] = BracketedMedian.Of(exact[j], _exactRows, BlockSize, NullBits));
            return medians;
        }
        Consolidate();
        Parallel.For(0, _columns, j =>
        {
            var values = new double[_entries];
            var counts = new long[_entries];
            int n = 0;
            long nan = 0;
            for (int e = 0; e < _entries; e++)
            {
                double v = _values[e * _columns + j];
                if (double.IsNaN(v))
                {
                    if (BitConverter.DoubleToUInt64Bits(v) != NullBits) nan += _counts[e];
                    continue;
                }
                values[n] = v;
                counts[n++] = _counts[e];
            }
            medians[j] = WeightedMedian.Of(values.AsSpan(0, n), counts.AsSpan(0, n), nan);
        });
        return medians;
    }

    private void AppendExact(ColumnBatch batch, ulong[]?[] masks, ReadOnlySpan<ulong> hashes)
    {
        int rows = batch.Count;
        for (int j = 0; j < _columns; j++)
        {
            var blocks = _exact![j];
            Append(blocks, _exactRows, batch.Numeric[j].AsSpan(0, rows));
            var mask = masks[j];
            if (mask is null) continue;
            for (int r = 0; r < rows; r++)
            {
                if (ColumnBatch.IsValid(mask, r)) continue;
                int row = _exactRows + r;
                blocks[row >> BlockBits][row & (BlockSize - 1)] = BitConverter.UInt64BitsToDouble(NullBits);
            }
        }
        AppendHashes(hashes);
        _exactRows += rows;
    }

    /// <summary>Stores the hashes of exact rows <c>_exactRows</c>… (before <c>_exactRows</c> moves on).</summary>
    private void AppendHashes(ReadOnlySpan<ulong> hashes)
    {
        int needed = _exactRows + hashes.Length;
        if (needed > _exactHashes.Length)
            Array.Resize(ref _exactHashes, Math.Min(_exactCap, Math.Max(needed, Math.Max(1024, 2 * _exactHashes.Length))));
        hashes.CopyTo(_exactHashes.AsSpan(_exactRows));
    }

    /// <summary>Copies <paramref name="values"/> into rows <paramref name="row"/>… of a blocked column.</summary>
    private static void Append(List<double[]> blocks, int row, ReadOnlySpan<double> values)
    {
        while (!values.IsEmpty)
        {
            int b = row >> BlockBits, offset = row & (BlockSize - 1);
            if (b == blocks.Count) blocks.Add(GC.AllocateUninitializedArray<double>(b == 0 ? Math.Max(1024, values.Length) : BlockSize));
            var block = blocks[b];
            if (block.Length < BlockSize && offset + values.Length > block.Length)
            {
                Array.Resize(ref block, Math.Min(BlockSize, Math.Max(2 * block.Length, offset + values.Length)));
                blocks[b] = block;
            }
            int take = Math.Min(values.Length, block.Length - offset);
            values[..take].CopyTo(block.AsSpan(offset));
            values = values[take..];
            row += take;
        }
    }

    /// <summary>Exact rows [row, row + count) of column <paramref name="j"/>, within one block.</summary>
    private ReadOnlySpan<double> ExactSpan(int j, int row, int count) =>
        _exact![j][row >> BlockBits].AsSpan(row & (BlockSize - 1), count);

    /// <summary>
    /// Moves the exact rows into the sampled storage, leaving exact mode for good. The level comes first, from the
    /// stored hashes alone (<see cref="SampleLevel"/>); then one sequential pass over the rows keeps those the level
    /// keeps: the same rows as inserting them one by one, without the intermediate compactions or random row reads.
    /// </summary>
    private void ToSampled()
    {
        int rows = _exactRows;
        var hashes = _exactHashes.AsSpan(0, rows);
        int level = SampleLevel(hashes, _sampleCap);
        if (level == 0) _index = new Dictionary<ulong, int>(Math.Min(_sampleCap, rows) + 1);
        else
        {
            _level = level;
            Reserve(2 * _sampleCap);
        }
        var exact = _exact!;
        _exact = null;
        var row = new double[_columns];
        for (int r = 0; r < rows; r++)
        {
            if (!Keeps(hashes[r])) continue;
            for (int j = 0; j < _columns; j++) row[j] = exact[j][r >> BlockBits][r & (BlockSize - 1)];
            Insert(hashes[r], row, 1);
        }
        _exactHashes = [];
        _exactRows = 0;
    }

    /// <summary>The smallest level whose kept rows (hash with at least that many leading zero bits) have at most
    /// <paramref name="cap"/> distinct hashes. Row counts per leading-zero count bound it from above; distinct hashes
    /// are only counted below that bound, where duplicates may still fit.</summary>
    internal static int SampleLevel(ReadOnlySpan<ulong> hashes, int cap)
    {
        var atZeros = new long[65];
        foreach (ulong h in hashes) atZeros[BitOperations.LeadingZeroCount(h)]++;
        int level = 64;
        long kept = atZeros[64];
        while (level > 0 && kept + atZeros[level - 1] <= cap) kept += atZeros[--level];
        if (level == 0) return 0;
        var distinct = new HashSet<ulong>(cap + 1);
        foreach (ulong h in hashes)
            if (BitOperations.LeadingZeroCount(h) >= level) distinct.Add(h);
        for (; level > 0; level--)
        {
            foreach (ulong h in hashes)
                if (BitOperations.LeadingZeroCount(h) == level - 1 && distinct.Add(h) && distinct.Count > cap) return level;
        }
        return 0;
    }

    /// <summary>Inserts this sample's exact rows into <paramref name="target"/> with their stored hashes.</summary>
    private void InsertExactInto(MedianSample target)
    {
        var row = new double[_columns];
        for (int r = 0; r < _exactRows; r++)
        {
            ulong hash = _exactHashes[r];
            if (!target.Keeps(hash)) continue;
            for (int j = 0; j < _columns; j++) row[j] = _exact![j][r >> BlockBits][r & (BlockSize - 1)];
            target.Insert(hash, row, 1);
        }
    }

    private void AddSampled(ColumnBatch batch, ulong[]?[] masks, ReadOnlySpan<ulong> h)
    {
        int rows = batch.Count;
        if (_row.Length != _columns) _row = new double[_columns];
        var row = _row;
        var numeric = batch.Numeric;
        for (int r = 0; r < rows; r++)
        {
            if (!Keeps(h[r])) continue;
            for (int j = 0; j < _columns; j++)
                row[j] = ColumnBatch.IsValid(masks[j], r) ? numeric[j][r] : BitConverter.UInt64BitsToDouble(NullBits);
            Insert(h[r], row, 1);
        }
    }

    private bool Keeps(ulong hash) => _level == 0 || hash >> (64 - _level) == 0;

    private void Insert(ulong hash, ReadOnlySpan<double> row, long count)
    {
        if (!Keeps(hash)) return;
        if (_index is null)
        {
            // Level 1 and up: append; a full buffer is consolidated first (which may raise the level).
            if (_entries == _keys.Length)
            {
                Consolidate();
                if (!Keeps(hash)) return;
            }
            Put(_entries++, hash, row, count);
            return;
        }
        Upsert(hash, row, count);
        if (_entries > _sampleCap) RaiseLevel(1);
    }

    /// <summary>Level 0: adds <paramref name="count"/> to a kept row's count, or keeps it as a new distinct row.</summary>
    private void Upsert(ulong hash, ReadOnlySpan<double> row, long count)
    {
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index!, hash, out bool exists);
        if (exists)
        {
            _counts[slot] += count;
            return;
        }
        slot = _entries;
        if (_entries == _keys.Length) Reserve(Math.Max(1024, _keys.Length * 2));
        Put(_entries++, hash, row, count);
    }

    private void Put(int entry, ulong hash, ReadOnlySpan<double> row, long count)
    {
        _keys[entry] = hash;
        _counts[entry] = count;
        row.CopyTo(_values.AsSpan(entry * _columns, _columns));
    }

    private void Reserve(int size)
    {
        if (size <= _keys.Length) return;
        Array.Resize(ref _keys, size);
        Array.Resize(ref _counts, size);
        Array.Resize(ref _values, size * _columns);
    }

    /// <summary>Raises the level to at least <paramref name="level"/>, leaving level 0's hash table for the append
    /// buffer, and consolidates (which raises it further while more than the cap of distinct rows are kept).</summary>
    private void RaiseLevel(int level)
    {
        _level = Math.Max(_level, level);
        _index = null;
        Reserve(2 * _sampleCap);
        Consolidate(force: true);
    }

    // From level 1 on: the hashes of entries [0, _consolidated) in ascending order (distinct) with their entries, and
    // scratch space for the next consolidation.
    private int _consolidated;
    private ulong[] _sortedKeys = [];
    private int[] _sortedEntries = [];
    private ulong[] _mergedKeys = [];
    private int[] _mergedEntries = [];
    private ulong[] _tailKeys = [];
    private int[] _tailEntries = [];
    private int[] _moved = [];

    /// <summary>
    /// From level 1 on: merges the rows appended since the last consolidation into the distinct rows before them (sorting
    /// only the new hashes, then one merge with the sorted ones), summing the counts of equal hashes into their first
    /// row in buffer order; raises the level until at most the cap of distinct rows is left (those a level keeps are a
    /// prefix of the sorted hashes) and drops the rest, keeping the others in buffer order.
    /// </summary>
    private void Consolidate(bool force = false)
    {
        if (_index is not null || _exact is not null || (_consolidated == _entries && !force)) return;
        int head = _consolidated, n = _entries, t = n - head;
        if (_tailKeys.Length < n)
        {
            int size = Math.Max(n, _keys.Length);
            _tailKeys = new ulong[size];
            _tailEntries = new int[size];
            _mergedKeys = new ulong[size];
            _mergedEntries = new int[size];
            _moved = new int[size];
            Array.Resize(ref _sortedKeys, size);
            Array.Resize(ref _sortedEntries, size);
        }
        var tailKeys = _tailKeys.AsSpan(0, t);
        var tailEntries = _tailEntries.AsSpan(0, t);
        _keys.AsSpan(head, t).CopyTo(tailKeys);
        for (int e = 0; e < t; e++) tailEntries[e] = head + e;
        HashRadixSort.Sort(tailKeys, tailEntries, _mergedKeys.AsSpan(0, t), _mergedEntries.AsSpan(0, t));

        // Merge the sorted head (distinct, entries below head) with the sorted tail; -1 marks an entry merged into another.
        var moved = _moved.AsSpan(0, n);
        moved.Clear();
        int m = 0, i = 0, j = 0;
        while (i < head || j < t)
        {
            ulong key;
            int first;
            if (j == t || (i < head && _sortedKeys[i] <= tailKeys[j]))
            {
                key = _sortedKeys[i];
                first = _sortedEntries[i++];
            }
            else
            {
                key = tailKeys[j];
                first = tailEntries[j++];
            }
            for (; j < t && tailKeys[j] == key; j++)
            {
                int other = tailEntries[j];
                if (other < first) (first, other) = (other, first);
                _counts[first] += _counts[other];
                moved[other] = -1;
            }
            _mergedKeys[m] = key;
            _mergedEntries[m++] = first;
        }

        // The level: smallest (not below the current one) leaving at most the cap of distinct hashes.
        int distinct = _level == 0 ? m : LowerBound(_mergedKeys.AsSpan(0, m), 1UL << (64 - _level));
        while (distinct > _sampleCap && _level < 64)
        {
            _level++;
            distinct = LowerBound(_mergedKeys.AsSpan(0, distinct), 1UL << (64 - _level));
        }
        for (int k = distinct; k < m; k++) moved[_mergedEntries[k]] = -1;

        // Compact the live entries in buffer order; moved[e] becomes entry e's new index.
        int kept = 0;
        for (int e = 0; e < n; e++)
        {
            if (moved[e] < 0) continue;
            if (kept != e)
            {
                _keys[kept] = _keys[e];
                _counts[kept] = _counts[e];
                _values.AsSpan(e * _columns, _columns).CopyTo(_values.AsSpan(kept * _columns));
            }
            moved[e] = kept++;
        }
        for (int k = 0; k < distinct; k++)
        {
            _sortedKeys[k] = _mergedKeys[k];
            _sortedEntries[k] = moved[_mergedEntries[k]];
        }
        _entries = _consolidated = kept;
    }

    /// <summary>How many of the ascending <paramref name="keys"/> are below <paramref name="limit"/>.</summary>
    private static int LowerBound(ReadOnlySpan<ulong> keys, ulong limit)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < limit) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Hash of each batch row's numeric values: the finished sum of value bits × a per-column odd key.</summary>
    private void HashBatch(ColumnBatch batch, ulong[]?[] masks, Span<ulong> h)
    {
        int rows = h.Length;
        h.Fill(Seed);
        for (int j = 0; j < _columns; j++)
        {
            var bits = MemoryMarshal.Cast<double, ulong>(batch.Numeric[j].AsSpan(0, rows));
            ulong key = _columnKeys[j];
            TensorPrimitives.MultiplyAdd(bits, key, h, h);
            var mask = masks[j];
            if (mask is null) continue;
            for (int r = 0; r < rows; r++)
                if (!ColumnBatch.IsValid(mask, r)) h[r] += (NullBits - bits[r]) * key;
        }
        RowHasher.FinishAll(h);
    }
}
