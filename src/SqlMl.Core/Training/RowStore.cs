namespace SqlMl.Training;

/// <summary>
/// Rows kept aside during a streaming pass (evaluation rows), in the accumulator's augmented form:
/// <see cref="DenseWidth"/> doubles and up to <see cref="SparseWidth"/> active sparse indices per row (-1 padded).
/// </summary>
internal sealed class RowStore(int denseWidth, int sparseWidth)
{
    private double[] _dense = new double[denseWidth * 64];
    private int[] _sparse = new int[Math.Max(1, sparseWidth) * 64];

    public int DenseWidth { get; } = denseWidth;

    public int SparseWidth { get; } = Math.Max(1, sparseWidth);

    public int Count { get; private set; }

    public int Append(ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        if ((Count + 1) * DenseWidth > _dense.Length)
        {
            Array.Resize(ref _dense, _dense.Length * 2);
            Array.Resize(ref _sparse, _sparse.Length * 2);
        }
        Overwrite(Count, dense, sparse);
        return Count++;
    }

    public void Overwrite(int slot, ReadOnlySpan<double> dense, ReadOnlySpan<int> sparse)
    {
        dense.CopyTo(_dense.AsSpan(slot * DenseWidth, DenseWidth));
        var s = _sparse.AsSpan(slot * SparseWidth, SparseWidth);
        s.Fill(-1);
        sparse.CopyTo(s);
    }

    public ReadOnlySpan<double> Dense(int slot) => _dense.AsSpan(slot * DenseWidth, DenseWidth);

    public ReadOnlySpan<int> Sparse(int slot)
    {
        var s = _sparse.AsSpan(slot * SparseWidth, SparseWidth);
        int n = s.IndexOf(-1);
        return n < 0 ? s : s[..n];
    }
}
