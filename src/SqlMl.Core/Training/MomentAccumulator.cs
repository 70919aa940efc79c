using System.Numerics.Tensors;

namespace SqlMl.Training;

/// <summary>What one sparse coordinate of the augmented row stands for.</summary>
internal readonly record struct SparseFeature(bool IsNullIndicator, int Column, int Code);

/// <summary>
/// Streams training batches into the second-moment matrix M = Σ a aᵀ of the augmented row
/// a = [1, u₁…u_p, ỹ, e…], where u_j = x_j − pivot_j (0 when x_j is NULL), ỹ = y − pivot_y, and e are sparse
/// 0/1 coordinates: one per category of each categorical column (NULL is a category) and one NULL indicator per
/// numeric column that has NULLs. Every statistic a linear model needs (means with NULL imputation, standard
/// deviations, XᵀX and Xᵀy of standardized and one-hot features) is a linear function of M, so one pass suffices.
/// Pivots (the first batch's means) keep the sums well conditioned. The dense block is accumulated per batch by a
/// register-tiled kernel (4×4 column pairs per pass over the rows); sparse coordinates are updated per row only when
/// a batch has any, and a split sees, in augmented form, only the rows its <see cref="RowVisitor.Candidates"/> names.
/// </summary>
internal sealed class MomentAccumulator
{
    private readonly int _p;
    private readonly int _cats;
    private readonly double[] _gram;
    private readonly double[] _pivot;
    private readonly double[][] _cols;
    private readonly int _paddedWidth;
    private readonly int[] _candidates;
    private readonly List<double[]> _sparseDense = [];
    private readonly Dictionary<long, double> _pairs = [];
    private readonly List<int>[] _catSparse;
    private readonly int[] _catNullSparse;
    private readonly int[] _numNullSparse;
    private readonly double[] _rowBuffer;
    private readonly int[] _sparseBuffer;
    private double _labelPivot;
    private bool _pivotSet;

    public MomentAccumulator(int numeric, int categorical, int batchCapacity)
    {
        _p = numeric;
        _cats = categorical;
        DenseWidth = numeric + 2;
        _gram = new double[DenseWidth * DenseWidth];
        _pivot = new double[numeric];
        // Columns padded with zero columns to a multiple of the tile width, rows to a multiple of 8 (zeroed past the
        // batch's rows), so the Gram kernel has no edge cases; padding contributes exact zeros.
        _paddedWidth = (DenseWidth + GramKernel.Tile - 1) / GramKernel.Tile * GramKernel.Tile;
        int paddedRows = (batchCapacity + 7) / 8 * 8;
        _cols = new double[_paddedWidth][];
        for (int i = 0; i < _paddedWidth; i++) _cols[i] = new double[paddedRows];
        _candidates = new int[batchCapacity];
        _catSparse = new List<int>[categorical];
        for (int i = 0; i < categorical; i++) _catSparse[i] = [];
        _catNullSparse = Enumerable.Repeat(-1, categorical).ToArray();
        _numNullSparse = Enumerable.Repeat(-1, numeric).ToArray();
        _rowBuffer = new double[DenseWidth];
        _sparseBuffer = new int[categorical + numeric];
    }

    /// <summary>Width of the dense part of the augmented row: 1 + numeric + label.</summary>
    public int DenseWidth { get; }

    /// <summary>Most sparse coordinates one row can activate.</summary>
    public int MaxSparsePerRow => _cats + _p;

    public IReadOnlyList<double> Pivots => _pivot;

    public double LabelPivot => _labelPivot;

    public List<SparseFeature> SparseFeatures { get; } = [];

    /// <summary>Sparse coordinate of category <paramref name="code"/> (-1 = NULL) of categorical column <paramref name="column"/>, or -1 if never seen.</summary>
    public int CategorySparseIndex(int column, int code) =>
        code < 0 ? _catNullSparse[column] : code < _catSparse[column].Count ? _catSparse[column][code] : -1;

    /// <summary>Sparse coordinate of numeric column <paramref name="column"/>'s NULL indicator, or -1 if it had no NULLs.</summary>
    public int NullIndicatorIndex(int column) => _numNullSparse[column];

    /// <summary>
    /// Adds a batch. <paramref name="onRow"/>, when given, sees rows' augmented form (dense values and active sparse
    /// coordinates) so that a split can keep evaluation rows aside: every row when the batch has sparse coordinates,
    /// otherwise only the rows its <see cref="RowVisitor.Candidates"/> names.
    /// </summary>
    public void Add(ColumnBatch batch, RowVisitor? onRow)
    {
        int n = batch.Count;
        if (n == 0) return;
        if (!_pivotSet) SetPivots(batch);
        FillColumns(batch);
        AccumulateGram(n);

        bool anySparse = _cats > 0 || batch.NumericValidity.Any(v => v is not null);
        if (anySparse)
        {
            for (int r = 0; r < n; r++)
            {
                for (int k = 0; k < DenseWidth; k++) _rowBuffer[k] = _cols[k][r];
                int active = ActiveSparse(batch, r);
                var sparse = _sparseBuffer.AsSpan(0, active);
                if (active > 0) AddSparse(_rowBuffer, sparse, 1.0);
                onRow?.Visit(r, _rowBuffer, sparse);
            }
        }
        else if (onRow is not null)
        {
            int count = onRow.Candidates(batch, _candidates);
            for (int i = 0; i < count; i++)
            {
                int r = _candidates[i];
                for (int k = 0; k < DenseWidth; k++) _rowBuffer[k] = _cols[k][r];
                onRow.Visit(r, _rowBuffer, []);
            }
        }
    }

    /// <summary>Sees rows of a batch in augmented form, e.g. to keep evaluation rows aside.</summary>
    public abstract class RowVisitor
    {
        /// <summary>
        /// Writes to <paramref name="rows"/>, in ascending order, the rows of <paramref name="batch"/> that
        /// <see cref="Visit"/> may keep, and returns their count; a row left out must be one <see cref="Visit"/>
        /// would ignore. It runs before any of the batch's rows is visited.
        /// </summary>
        public abstract int Candidates(ColumnBatch batch, Span<int> rows);

        /// <summary>One row: its index in the batch, its dense augmented values and its active sparse coordinates.</summary>
        public abstract void Visit(int row, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse);
    }

    /// <summary>Removes a row added earlier (an evaluation row chosen after the pass).</summary>
    public void Subtract(ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        for (int a = 0; a < DenseWidth; a++)
            for (int b = a; b < DenseWidth; b++)
                _gram[a * DenseWidth + b] -= dense[a] * dense[b];
        AddSparse(dense, sparse, -1.0);
    }

    /// <summary>The full symmetric moment matrix, dense coordinates first, then sparse.</summary>
    public double[,] ToMatrix()
    {
        int d = DenseWidth, size = d + SparseFeatures.Count;
        var m = new double[size, size];
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
                m[a, b] = m[b, a] = _gram[a * d + b];
        for (int s = 0; s < _sparseDense.Count; s++)
        {
            var v = _sparseDense[s];
            for (int k = 0; k < d; k++) m[d + s, k] = m[k, d + s] = v[k];
            m[d + s, d + s] = v[0];
        }
        foreach (var (key, count) in _pairs)
        {
            int s = (int)(key >> 32), t = (int)(key & 0xffffffff);
            m[d + s, d + t] = m[d + t, d + s] = count;
        }
        return m;
    }

    private void SetPivots(ColumnBatch batch)
    {
        var (numeric, label) = PivotsOf(batch);
        SetPivots(numeric, label);
    }

    /// <summary>
    /// The pivots a batch suggests: each numeric column's mean over its non-NULL values (0 if none), and the label's
    /// mean (0 if not finite). Any values work (they only keep the sums well conditioned); accumulators that are
    /// merged must share them.
    /// </summary>
    public static (double[] Numeric, double Label) PivotsOf(ColumnBatch batch)
    {
        var pivot = new double[batch.Numeric.Length];
        for (int j = 0; j < pivot.Length; j++)
        {
            double sum = 0;
            int count = 0;
            var v = batch.NumericValidity[j];
            for (int r = 0; r < batch.Count; r++)
                if (ColumnBatch.IsValid(v, r)) { sum += batch.Numeric[j][r]; count++; }
            pivot[j] = count > 0 ? sum / count : 0;
        }
        double label = TensorPrimitives.Sum(batch.Label.AsSpan(0, batch.Count)) / batch.Count;
        return (pivot, double.IsFinite(label) ? label : 0);
    }

    /// <summary>Fixes the pivots before the first batch (instead of taking them from it), e.g. to share them between accumulators that are merged later.</summary>
    public void SetPivots(IReadOnlyList<double> numeric, double label)
    {
        if (_pivotSet) throw new InvalidOperationException("The pivots are already set.");
        for (int j = 0; j < _p; j++) _pivot[j] = numeric[j];
        _labelPivot = label;
        _pivotSet = true;
    }

    /// <summary>
    /// Adds the moments of <paramref name="other"/> (same columns and pivots, no categorical columns) to this one and
    /// returns, for each of its sparse coordinates (numeric NULL indicators), the coordinate it has here, for
    /// remapping rows kept aside by its split. Used to combine accumulators that saw disjoint parts of the rows.
    /// </summary>
    public int[] Merge(MomentAccumulator other)
    {
        if (_cats > 0 || other._cats > 0 || other._p != _p)
            throw new InvalidOperationException("Only accumulators of the same numeric columns, without categorical ones, can be merged.");
        var map = new int[other.SparseFeatures.Count];
        if (!other._pivotSet) return map;
        if (!_pivotSet) SetPivots(other._pivot, other._labelPivot);
        else if (!other._pivot.AsSpan().SequenceEqual(_pivot) || other._labelPivot.CompareTo(_labelPivot) != 0)
            throw new InvalidOperationException("Accumulators with different pivots cannot be merged.");
        TensorPrimitives.Add(_gram, other._gram, _gram);
        for (int s = 0; s < map.Length; s++)
        {
            int column = other.SparseFeatures[s].Column;
            if (_numNullSparse[column] < 0) _numNullSparse[column] = NewSparse(new SparseFeature(true, column, -1));
            map[s] = _numNullSparse[column];
            var acc = _sparseDense[map[s]].AsSpan();
            TensorPrimitives.Add(acc, other._sparseDense[s], acc);
        }
        foreach (var (key, count) in other._pairs)
        {
            int s = map[(int)(key >> 32)], t = map[(int)(key & 0xffffffff)];
            long mapped = s < t ? ((long)s << 32) | (uint)t : ((long)t << 32) | (uint)s;
            _pairs[mapped] = _pairs.GetValueOrDefault(mapped) + count;
        }
        return map;
    }

    private void FillColumns(ColumnBatch batch)
    {
        int n = batch.Count;
        _cols[0].AsSpan(0, n).Fill(1.0);
        for (int j = 0; j < _p; j++)
        {
            var dst = _cols[1 + j].AsSpan(0, n);
            TensorPrimitives.Subtract(batch.Numeric[j].AsSpan(0, n), _pivot[j], dst);
            var v = batch.NumericValidity[j];
            if (v is null) continue;
            for (int r = 0; r < n; r++)
                if (!ColumnBatch.IsValid(v, r)) dst[r] = 0;
        }
        TensorPrimitives.Subtract(batch.Label.AsSpan(0, n), _labelPivot, _cols[DenseWidth - 1].AsSpan(0, n));
        int padded = (n + 7) / 8 * 8;
        if (padded > n)
            for (int k = 0; k < DenseWidth; k++) _cols[k].AsSpan(n, padded - n).Clear();
    }

    /// <summary>
    /// Adds the upper triangle of ColsᵀCols over the batch's first <paramref name="n"/> rows (padded to 8) to the Gram
    /// block: 4×4 tiles of column pairs, 16 vector accumulators each, so every vector loaded feeds 4 FMAs.
    /// </summary>
    private void AccumulateGram(int n)
    {
        int rows = (n + 7) / 8 * 8;
        Span<double> tile = stackalloc double[GramKernel.Tile * GramKernel.Tile];
        for (int a0 = 0; a0 < _paddedWidth; a0 += GramKernel.Tile)
            for (int b0 = a0; b0 < _paddedWidth; b0 += GramKernel.Tile)
            {
                GramKernel.Tile4x4(_cols, a0, b0, rows, tile);
                for (int i = 0; i < GramKernel.Tile; i++)
                    for (int j = 0; j < GramKernel.Tile; j++)
                    {
                        int a = a0 + i, b = b0 + j;
                        if (a < DenseWidth && b < DenseWidth && b >= a) _gram[a * DenseWidth + b] += tile[i * GramKernel.Tile + j];
                    }
            }
    }

    private int ActiveSparse(ColumnBatch batch, int r)
    {
        int active = 0;
        for (int c = 0; c < _cats; c++)
            _sparseBuffer[active++] = CategoryIndex(c, batch.Categorical[c][r]);
        for (int j = 0; j < _p; j++)
        {
            if (ColumnBatch.IsValid(batch.NumericValidity[j], r)) continue;
            if (_numNullSparse[j] < 0) _numNullSparse[j] = NewSparse(new SparseFeature(true, j, -1));
            _sparseBuffer[active++] = _numNullSparse[j];
        }
        return active;
    }

    private int CategoryIndex(int column, int code)
    {
        if (code < 0)
        {
            if (_catNullSparse[column] < 0) _catNullSparse[column] = NewSparse(new SparseFeature(false, column, -1));
            return _catNullSparse[column];
        }
        var map = _catSparse[column];
        while (map.Count <= code) map.Add(NewSparse(new SparseFeature(false, column, map.Count)));
        return map[code];
    }

    private int NewSparse(SparseFeature feature)
    {
        SparseFeatures.Add(feature);
        _sparseDense.Add(new double[DenseWidth]);
        return SparseFeatures.Count - 1;
    }

    private void AddSparse(ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse, double sign)
    {
        for (int i = 0; i < sparse.Length; i++)
        {
            int s = sparse[i];
            var acc = _sparseDense[s].AsSpan();
            if (sign > 0) TensorPrimitives.Add(acc, dense, acc);
            else TensorPrimitives.Subtract(acc, dense, acc);
            for (int k = i + 1; k < sparse.Length; k++)
            {
                int t = sparse[k];
                long key = s < t ? ((long)s << 32) | (uint)t : ((long)t << 32) | (uint)s;
                _pairs[key] = _pairs.GetValueOrDefault(key) + sign;
            }
        }
    }
}
