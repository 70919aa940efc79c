using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        _paddedWidth = (DenseWidth + GramTile - 1) / GramTile * GramTile;
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
        for (int j = 0; j < _p; j++)
        {
            double sum = 0;
            int count = 0;
            var v = batch.NumericValidity[j];
            for (int r = 0; r < batch.Count; r++)
                if (ColumnBatch.IsValid(v, r)) { sum += batch.Numeric[j][r]; count++; }
            _pivot[j] = count > 0 ? sum / count : 0;
        }
        _labelPivot = TensorPrimitives.Sum(batch.Label.AsSpan(0, batch.Count)) / batch.Count;
        if (!double.IsFinite(_labelPivot)) _labelPivot = 0;
        _pivotSet = true;
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

    private const int GramTile = 4;

    /// <summary>
    /// Adds the upper triangle of ColsᵀCols over the batch's first <paramref name="n"/> rows (padded to 8) to the Gram
    /// block: 4×4 tiles of column pairs, 16 vector accumulators each, so every vector loaded feeds 4 FMAs.
    /// </summary>
    private void AccumulateGram(int n)
    {
        int rows = (n + 7) / 8 * 8;
        Span<double> tile = stackalloc double[GramTile * GramTile];
        for (int a0 = 0; a0 < _paddedWidth; a0 += GramTile)
            for (int b0 = a0; b0 < _paddedWidth; b0 += GramTile)
            {
                GramTile4x4(_cols, a0, b0, rows, tile);
                for (int i = 0; i < GramTile; i++)
                    for (int j = 0; j < GramTile; j++)
                    {
                        int a = a0 + i, b = b0 + j;
                        if (a < DenseWidth && b < DenseWidth && b >= a) _gram[a * DenseWidth + b] += tile[i * GramTile + j];
                    }
            }
    }

    private static void GramTile4x4(double[][] cols, int a0, int b0, int rows, Span<double> tile)
    {
        ReadOnlySpan<double> a0s = cols[a0].AsSpan(0, rows), a1s = cols[a0 + 1].AsSpan(0, rows),
            a2s = cols[a0 + 2].AsSpan(0, rows), a3s = cols[a0 + 3].AsSpan(0, rows);
        ReadOnlySpan<double> b0s = cols[b0].AsSpan(0, rows), b1s = cols[b0 + 1].AsSpan(0, rows),
            b2s = cols[b0 + 2].AsSpan(0, rows), b3s = cols[b0 + 3].AsSpan(0, rows);
        if (Vector512.IsHardwareAccelerated)
        {
            Kernel512(a0s, a1s, a2s, a3s, b0s, b1s, b2s, b3s, rows, tile);
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Kernel256(a0s, a1s, a2s, a3s, b0s, b1s, b2s, b3s, rows, tile);
            return;
        }
        tile.Clear();
        for (int r = 0; r < rows; r++)
        {
            double x0 = a0s[r], x1 = a1s[r], x2 = a2s[r], x3 = a3s[r];
            double y0 = b0s[r], y1 = b1s[r], y2 = b2s[r], y3 = b3s[r];
            tile[0] += x0 * y0; tile[1] += x0 * y1; tile[2] += x0 * y2; tile[3] += x0 * y3;
            tile[4] += x1 * y0; tile[5] += x1 * y1; tile[6] += x1 * y2; tile[7] += x1 * y3;
            tile[8] += x2 * y0; tile[9] += x2 * y1; tile[10] += x2 * y2; tile[11] += x2 * y3;
            tile[12] += x3 * y0; tile[13] += x3 * y1; tile[14] += x3 * y2; tile[15] += x3 * y3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(ReadOnlySpan<double> x0s, ReadOnlySpan<double> x1s, ReadOnlySpan<double> x2s, ReadOnlySpan<double> x3s,
        ReadOnlySpan<double> y0s, ReadOnlySpan<double> y1s, ReadOnlySpan<double> y2s, ReadOnlySpan<double> y3s, int rows, Span<double> tile)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x0s), x1 = ref MemoryMarshal.GetReference(x1s),
            x2 = ref MemoryMarshal.GetReference(x2s), x3 = ref MemoryMarshal.GetReference(x3s);
        ref double y0 = ref MemoryMarshal.GetReference(y0s), y1 = ref MemoryMarshal.GetReference(y1s),
            y2 = ref MemoryMarshal.GetReference(y2s), y3 = ref MemoryMarshal.GetReference(y3s);
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        for (nuint r = 0; r < (nuint)rows; r += 8)
        {
            var a0 = Vector512.LoadUnsafe(ref x0, r);
            var a1 = Vector512.LoadUnsafe(ref x1, r);
            var a2 = Vector512.LoadUnsafe(ref x2, r);
            var a3 = Vector512.LoadUnsafe(ref x3, r);
            var b0 = Vector512.LoadUnsafe(ref y0, r);
            var b1 = Vector512.LoadUnsafe(ref y1, r);
            var b2 = Vector512.LoadUnsafe(ref y2, r);
            var b3 = Vector512.LoadUnsafe(ref y3, r);
            s00 = Vector512.FusedMultiplyAdd(a0, b0, s00); s01 = Vector512.FusedMultiplyAdd(a0, b1, s01); s02 = Vector512.FusedMultiplyAdd(a0, b2, s02); s03 = Vector512.FusedMultiplyAdd(a0, b3, s03);
            s10 = Vector512.FusedMultiplyAdd(a1, b0, s10); s11 = Vector512.FusedMultiplyAdd(a1, b1, s11); s12 = Vector512.FusedMultiplyAdd(a1, b2, s12); s13 = Vector512.FusedMultiplyAdd(a1, b3, s13);
            s20 = Vector512.FusedMultiplyAdd(a2, b0, s20); s21 = Vector512.FusedMultiplyAdd(a2, b1, s21); s22 = Vector512.FusedMultiplyAdd(a2, b2, s22); s23 = Vector512.FusedMultiplyAdd(a2, b3, s23);
            s30 = Vector512.FusedMultiplyAdd(a3, b0, s30); s31 = Vector512.FusedMultiplyAdd(a3, b1, s31); s32 = Vector512.FusedMultiplyAdd(a3, b2, s32); s33 = Vector512.FusedMultiplyAdd(a3, b3, s33);
        }
        tile[0] = Vector512.Sum(s00); tile[1] = Vector512.Sum(s01); tile[2] = Vector512.Sum(s02); tile[3] = Vector512.Sum(s03);
        tile[4] = Vector512.Sum(s10); tile[5] = Vector512.Sum(s11); tile[6] = Vector512.Sum(s12); tile[7] = Vector512.Sum(s13);
        tile[8] = Vector512.Sum(s20); tile[9] = Vector512.Sum(s21); tile[10] = Vector512.Sum(s22); tile[11] = Vector512.Sum(s23);
        tile[12] = Vector512.Sum(s30); tile[13] = Vector512.Sum(s31); tile[14] = Vector512.Sum(s32); tile[15] = Vector512.Sum(s33);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(ReadOnlySpan<double> x0s, ReadOnlySpan<double> x1s, ReadOnlySpan<double> x2s, ReadOnlySpan<double> x3s,
        ReadOnlySpan<double> y0s, ReadOnlySpan<double> y1s, ReadOnlySpan<double> y2s, ReadOnlySpan<double> y3s, int rows, Span<double> tile)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x0s), x1 = ref MemoryMarshal.GetReference(x1s),
            x2 = ref MemoryMarshal.GetReference(x2s), x3 = ref MemoryMarshal.GetReference(x3s);
        ref double y0 = ref MemoryMarshal.GetReference(y0s), y1 = ref MemoryMarshal.GetReference(y1s),
            y2 = ref MemoryMarshal.GetReference(y2s), y3 = ref MemoryMarshal.GetReference(y3s);
        Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        for (nuint r = 0; r < (nuint)rows; r += 4)
        {
            var a0 = Vector256.LoadUnsafe(ref x0, r);
            var a1 = Vector256.LoadUnsafe(ref x1, r);
            var a2 = Vector256.LoadUnsafe(ref x2, r);
            var a3 = Vector256.LoadUnsafe(ref x3, r);
            var b0 = Vector256.LoadUnsafe(ref y0, r);
            var b1 = Vector256.LoadUnsafe(ref y1, r);
            var b2 = Vector256.LoadUnsafe(ref y2, r);
            var b3 = Vector256.LoadUnsafe(ref y3, r);
            s00 = Vector256.FusedMultiplyAdd(a0, b0, s00); s01 = Vector256.FusedMultiplyAdd(a0, b1, s01); s02 = Vector256.FusedMultiplyAdd(a0, b2, s02); s03 = Vector256.FusedMultiplyAdd(a0, b3, s03);
            s10 = Vector256.FusedMultiplyAdd(a1, b0, s10); s11 = Vector256.FusedMultiplyAdd(a1, b1, s11); s12 = Vector256.FusedMultiplyAdd(a1, b2, s12); s13 = Vector256.FusedMultiplyAdd(a1, b3, s13);
            s20 = Vector256.FusedMultiplyAdd(a2, b0, s20); s21 = Vector256.FusedMultiplyAdd(a2, b1, s21); s22 = Vector256.FusedMultiplyAdd(a2, b2, s22); s23 = Vector256.FusedMultiplyAdd(a2, b3, s23);
            s30 = Vector256.FusedMultiplyAdd(a3, b0, s30); s31 = Vector256.FusedMultiplyAdd(a3, b1, s31); s32 = Vector256.FusedMultiplyAdd(a3, b2, s32); s33 = Vector256.FusedMultiplyAdd(a3, b3, s33);
        }
        tile[0] = Vector256.Sum(s00); tile[1] = Vector256.Sum(s01); tile[2] = Vector256.Sum(s02); tile[3] = Vector256.Sum(s03);
        tile[4] = Vector256.Sum(s10); tile[5] = Vector256.Sum(s11); tile[6] = Vector256.Sum(s12); tile[7] = Vector256.Sum(s13);
        tile[8] = Vector256.Sum(s20); tile[9] = Vector256.Sum(s21); tile[10] = Vector256.Sum(s22); tile[11] = Vector256.Sum(s23);
        tile[12] = Vector256.Sum(s30); tile[13] = Vector256.Sum(s31); tile[14] = Vector256.Sum(s32); tile[15] = Vector256.Sum(s33);
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
