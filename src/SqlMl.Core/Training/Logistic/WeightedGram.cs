namespace SqlMl.Training.Logistic;

/// <summary>
/// Xᵀ diag(d) X over column-major rows with <see cref="GramKernel"/>'s register-tiled kernel: rows are processed in
/// blocks (small enough for the scratch to stay in a core's L2 cache) copied into a scratch of d·X columns and X
/// columns (column count padded to the kernel's tile of 4); a diagonal block, whose weights are ≥ 0, uses one scratch
/// of √d·X columns against itself instead (half the copying and cache). One instance per thread: the scratch is not shared.
/// </summary>
internal sealed class WeightedGram
{
    private const int BlockRows = 512;
    private readonly int _columns;
    private readonly int _padded;
    private readonly double[][] _scratch;
    private readonly double[] _tile = new double[GramKernel.Tile * GramKernel.Tile];

    public WeightedGram(int columns)
    {
        _columns = columns;
        _padded = (columns + GramKernel.Tile - 1) / GramKernel.Tile * GramKernel.Tile;
        _scratch = new double[2 * _padded][];
        for (int k = 0; k < _scratch.Length; k++) _scratch[k] = new double[BlockRows];
    }

    /// <summary>
    /// Adds Xᵀ diag(d) X over rows [<paramref name="start"/>, <paramref name="end"/>) into <paramref name="h"/> at
    /// (offset, offset2); start and end are multiples of 8 and d is zero in padding rows. With <paramref name="symmetric"/>
    /// (a diagonal block) only the upper tiles are computed and mirrored. With a <paramref name="residual"/>, also adds
    /// Xᵀ r over the same rows into <paramref name="gradient"/> while the rows are in cache.
    /// </summary>
    public void Add(double[][] x, int start, int end, ReadOnlySpan<double> d, double[,] h, int offset, int offset2, bool symmetric,
        ReadOnlySpan<double> residual = default, Span<double> gradient = default)
    {
        int f = _columns, fp = _padded;
        var block = new double[fp, fp];
        for (int from = start; from < end; from += BlockRows)
        {
            int count = Math.Min(BlockRows, end - from);
            var dBlock = d.Slice(from, count);
            if (symmetric)
            {
                // Weights ≥ 0 on a diagonal block (tiny negatives from rounding count as 0): (√d·X)ᵀ(√d·X).
                var root = _scratch[fp].AsSpan(0, count);
                System.Numerics.Tensors.TensorPrimitives.Max(dBlock, 0.0, root);
                System.Numerics.Tensors.TensorPrimitives.Sqrt(root, root);
                for (int j = 0; j < f; j++)
                {
                    var src = x[j].AsSpan(from, count);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(src, root, _scratch[j].AsSpan(0, count));
                    if (!residual.IsEmpty) gradient[j] += System.Numerics.Tensors.TensorPrimitives.Dot(src, residual.Slice(from, count));
                }
            }
            else
                for (int j = 0; j < f; j++)
                {
                    var src = x[j].AsSpan(from, count);
                    src.CopyTo(_scratch[fp + j]);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(src, dBlock, _scratch[j].AsSpan(0, count));
                    if (!residual.IsEmpty) gradient[j] += System.Numerics.Tensors.TensorPrimitives.Dot(src, residual.Slice(from, count));
                }
            int other = symmetric ? 0 : fp;
            for (int a = 0; a < fp; a += GramKernel.Tile)
                for (int b = symmetric ? a : 0; b < fp; b += GramKernel.Tile)
                {
                    GramKernel.Tile4x4(_scratch, a, other + b, count, _tile);
                    for (int i = 0; i < GramKernel.Tile; i++)
                        for (int j = 0; j < GramKernel.Tile; j++) block[a + i, b + j] += _tile[i * GramKernel.Tile + j];
                }
        }
        for (int a = 0; a < f; a++)
            for (int b = 0; b < f; b++)
            {
                double v = symmetric && b < a ? block[b, a] : block[a, b];
                h[offset + a, offset2 + b] += v;
            }
    }
}
