using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Chooses evaluation rows while the accumulator streams every row, and keeps them in a <see cref="RowStore"/>
/// so their contribution can be subtracted after the pass:
/// <list type="bullet">
/// <item>CUSTOM and SEQ: a per-row flag computed in SQL.</item>
/// <item>RANDOM: rows whose value hash falls below eval_fraction · 2⁶⁴ (deterministic, like BigQuery's fingerprint split).</item>
/// <item>AUTO_SPLIT: the k rows with the smallest value hashes, k from the final row count (0 below 500 rows,
/// 20 % up to 50,000, then 10,000). k never exceeds 10,000, so a bounded max-heap of candidates suffices.</item>
/// </list>
/// <see cref="Candidates"/> preselects, per batch, the rows that can be kept (flag set, hash below the threshold or
/// below the heap's current maximum), so the accumulator materializes and visits only those when it can.
/// </summary>
internal sealed class SplitRouter : MomentAccumulator.RowVisitor
{
    private readonly DataSplitOptions _split;
    private readonly RowStore _store;
    // A max-heap of hashes as a min-heap of their complements: the default comparer, no delegate call per comparison.
    private readonly PriorityQueue<int, ulong> _heap = new();
    private readonly List<ulong> _slotHash = [];
    private readonly ulong _randomThreshold;
    private ColumnBatch? _batch;

    public SplitRouter(DataSplitOptions split, int denseWidth, int sparseWidth)
    {
        _split = split;
        _store = new RowStore(denseWidth, sparseWidth);
        if (split.Method == DataSplitMethod.Random && split.EvalFraction is { } f)
            _randomThreshold = (ulong)(f * 18446744073709551616.0);
    }

    public long Rows { get; private set; }

    public MomentAccumulator.RowVisitor? Visitor(ColumnBatch batch)
    {
        _batch = batch;
        Rows += batch.Count;
        return _split.Method == DataSplitMethod.NoSplit ? null : this;
    }

    /// <summary>AUTO_SPLIT, and RANDOM without eval_fraction: keep the k smallest hashes.</summary>
    private bool IsAuto => _split.Method is DataSplitMethod.AutoSplit || (_split.Method is DataSplitMethod.Random && _split.EvalFraction is null);

    public override int Candidates(ColumnBatch batch, Span<int> rows)
    {
        int n = batch.Count, count = 0;
        if (_split.Method is DataSplitMethod.Custom or DataSplitMethod.Seq)
        {
            var flag = batch.IsEval!;
            for (int r = 0; r < n; r++)
            {
                rows[count] = r;
                count += flag[r] ? 1 : 0;
            }
            return count;
        }
        ulong bound;
        if (!IsAuto) bound = _randomThreshold;
        else if (_heap.Count < DataSplitOptions.Defaults.AutoLargeEvalRows || !TryMax(out _, out bound))
        {
            // The heap is not full yet: every row is kept for now.
            for (int r = 0; r < n; r++) rows[r] = r;
            return n;
        }
        // The heap's maximum only decreases during the batch, so rows at or above it now are never kept.
        var hash = batch.Hash!;
        for (int r = 0; r < n; r++)
        {
            rows[count] = r;
            count += hash[r] < bound ? 1 : 0;
        }
        return count;
    }

    public override void Visit(int row, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        switch (_split.Method)
        {
            case DataSplitMethod.Custom or DataSplitMethod.Seq:
                VisitFlag(row, dense, sparse);
                break;
            case DataSplitMethod.AutoSplit or DataSplitMethod.Random when IsAuto:
                VisitAuto(row, dense, sparse);
                break;
            case DataSplitMethod.Random:
                VisitRandom(row, dense, sparse);
                break;
        }
    }

    private void VisitFlag(int row, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        if (_batch!.IsEval![row]) _store.Append(dense, sparse);
    }

    private void VisitRandom(int row, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        if (_batch!.Hash![row] < _randomThreshold) _store.Append(dense, sparse);
    }

    private void VisitAuto(int row, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse) => Offer(_batch!.Hash![row], dense, sparse);

    /// <summary>AUTO_SPLIT: keeps the row if its hash is among the smallest seen so far.</summary>
    private void Offer(ulong h, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        if (_heap.Count < DataSplitOptions.Defaults.AutoLargeEvalRows)
        {
            int slot = _store.Append(dense, sparse);
            _slotHash.Add(h);
            _heap.Enqueue(slot, ~h);
        }
        else if (TryMax(out int top, out ulong max) && h < max)
        {
            _store.Overwrite(top, dense, sparse);
            _slotHash[top] = h;
            _heap.DequeueEnqueue(top, ~h);
        }
    }

    /// <summary>The kept row with the largest hash, and that hash.</summary>
    private bool TryMax(out int slot, out ulong max)
    {
        bool any = _heap.TryPeek(out slot, out ulong complement);
        max = ~complement;
        return any;
    }

    /// <summary>
    /// Adds what <paramref name="other"/> (same split options) kept from a disjoint part of the rows: its row count
    /// and its candidate evaluation rows, their sparse coordinates renamed by <paramref name="sparseMap"/> (from
    /// <see cref="MomentAccumulator.Merge"/>). AUTO_SPLIT keeps the smallest hashes of both, so the result does not
    /// depend on how rows were divided between the two.
    /// </summary>
    public void Merge(SplitRouter other, IReadOnlyList<int> sparseMap)
    {
        Rows += other.Rows;
        var sparse = new int[_store.SparseWidth];
        for (int slot = 0; slot < other._store.Count; slot++)
        {
            var source = other._store.Sparse(slot);
            for (int i = 0; i < source.Length; i++) sparse[i] = sparseMap[source[i]];
            var mapped = sparse.AsSpan(0, source.Length);
            if (IsAuto) Offer(other._slotHash[slot], other._store.Dense(slot), mapped);
            else _store.Append(other._store.Dense(slot), mapped);
        }
    }

    /// <summary>After the pass: the store and the slots of the evaluation rows in it.</summary>
    public (RowStore Store, IReadOnlyList<int> EvalSlots) Finish()
    {
        if (_split.Method is DataSplitMethod.AutoSplit || (_split.Method is DataSplitMethod.Random && _split.EvalFraction is null))
        {
            long k = DataSplitOptions.AutoEvalRows(Rows);
            var slots = Enumerable.Range(0, _store.Count).OrderBy(s => _slotHash[s]).ThenBy(s => s).Take((int)k).ToList();
            return (_store, slots);
        }
        return (_store, Enumerable.Range(0, _store.Count).ToList());
    }
}
