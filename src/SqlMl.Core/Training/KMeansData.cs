using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// The k-means training matrix, materialized once in the coordinates distances are measured in: contiguous,
/// pinned, column-major numeric columns (padded with zero rows to a multiple of <see cref="Tile"/>), the one-hot
/// coordinate index of each categorical value, and per-row ‖x‖². For COSINE every row is scaled to unit length
/// (numeric columns divided, one-hot coordinates carried as a per-row weight 1/‖x‖), so cosine distance becomes
/// half the squared Euclidean distance between unit vectors.
/// </summary>
internal sealed unsafe class KMeansData
{
    /// <summary>Rows per kernel tile; columns are padded to a multiple of it.</summary>
    public const int Tile = 16;

    private KMeansData(int rows, double[][] numeric, int[][] oneHot, int oneHotWidth, double[] norm2, double[]? weight, double[]? length, bool[]? flags, KMeansDistance distance,
        double[]? tiles)
    {
        _tiles = tiles;
        if (tiles is not null) _tilesAddress = (nint)TileBuffer.Aligned(tiles);
        Rows = rows;
        PaddedRows = Pad(rows);
        Numeric = numeric;
        NumericPointers = numeric.Select(c => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(c))).ToArray();
        OneHot = oneHot;
        OneHotWidth = oneHotWidth;
        Norm2 = norm2;
        OneHotWeight = weight;
        Length = length;
        Flags = flags;
        Distance = distance;
    }

    public int Rows { get; }

    public int PaddedRows { get; }

    /// <summary>Numeric coordinates, one pinned array per feature, at least <see cref="PaddedRows"/> long (zeros after the rows).</summary>
    public double[][] Numeric { get; }

    /// <summary>Addresses of the pinned <see cref="Numeric"/> arrays.</summary>
    public nint[] NumericPointers { get; }

    /// <summary>Per categorical feature: the row's one-hot coordinate, as an index into the one-hot block (0..OneHotWidth−1).</summary>
    public int[][] OneHot { get; }

    public int OneHotWidth { get; }

    public int Dimension => Numeric.Length + OneHotWidth;

    /// <summary>‖x‖² per row (1 for every row with COSINE, including all-zero rows, whose cosine to anything is taken as 0).</summary>
    public double[] Norm2 { get; }

    /// <summary>COSINE: the value of the row's one-hot coordinates (1/‖x‖); null means 1.</summary>
    public double[]? OneHotWeight { get; }

    /// <summary>COSINE: ‖x‖ before scaling to unit length.</summary>
    public double[]? Length { get; }

    /// <summary>The kmeans_init_col flag per row (CUSTOM), or null.</summary>
    public bool[]? Flags { get; }

    public KMeansDistance Distance { get; }

    /// <summary>
    /// The numeric coordinates and ‖x‖² again, tile by tile: for tile t (rows 16t … 16t + 15) a pinned block of
    /// <see cref="TileStride"/> doubles, feature j's 16 values at j·16, then the 16 ‖x‖². The Lloyd pass reads a tile as
    /// one contiguous run instead of 17 column streams (which the hardware prefetchers do not keep up with: a steady
    /// pass at 1M × 16, k = 8 took twice the kernel's time). Null when the AVX-512 kernel is not used, there are no
    /// numeric features, or the copy would exceed <see cref="TileBuffer.MaxBytes"/>. 64-byte aligned
    /// (<see cref="TileBuffer.Aligned"/>).
    /// </summary>
    public double* Tiles => (double*)_tilesAddress;

    /// <summary>Whether there is a tiled copy (<see cref="Tiles"/> is not null).</summary>
    public bool HasTiles => _tiles is not null;

    /// <summary>The pinned allocation behind <see cref="Tiles"/> (kept alive with the data).</summary>
    private readonly double[]? _tiles;

    private readonly nint _tilesAddress;

    /// <summary>Doubles per tile of <see cref="Tiles"/>: (numeric features + 1) × <see cref="Tile"/>.</summary>
    public int TileStride => TileBuffer.Stride(Numeric.Length);

    /// <summary>Rows per block of <see cref="Build"/> (a multiple of every vector width, so blocks split no vector).</summary>
    private const int BuildBlockRows = 8192;

    public static int Pad(int rows) => (rows + Tile - 1) / Tile * Tile + Tile;

    /// <summary>
    /// Encodes the raw rows; the raw numeric columns (pinned, padded) are converted in place and owned from now on. The
    /// numeric work (NULL → mean, centring, scaling, ‖x‖², COSINE unit scaling) runs block by block of
    /// <see cref="BuildBlockRows"/> rows in parallel, each block's columns and ‖x‖² still in cache between the steps;
    /// every value is computed by the same element-wise operations in the same order as one pass per step would.
    /// </summary>
    /// <param name="raw">The raw rows.</param>
    /// <param name="encoding">How the rows are encoded.</param>
    /// <param name="distance">The distance.</param>
    /// <param name="tiles">Whether to make the tiled copy where it is used (tests compare the two Lloyd paths).</param>
    public static KMeansData Build(KMeansRawData raw, KMeansEncoding encoding, KMeansDistance distance, bool tiles = true)
    {
        int n = raw.Rows, padded = Pad(n), p = encoding.Numeric.Count, m = encoding.Categorical.Count;
        var numeric = new double[p][];
        for (int j = 0; j < p; j++)
        {
            numeric[j] = raw.Numeric[j];
            numeric[j].AsSpan(n).Clear();
        }
        var oneHot = new int[m][];
        for (int c = 0; c < m; c++) oneHot[c] = new int[padded];
        var norm2 = new double[padded];
        bool cosine = distance == KMeansDistance.Cosine;
        double[]? weight = cosine ? new double[padded] : null, length = cosine ? new double[padded] : null;
        var tiled = tiles && TileBuffer.Wanted(padded, p) ? TileBuffer.Take(raw.PendingTiles, padded, p) : null;
        double* tileBase = tiled is null ? null : TileBuffer.Aligned(tiled);
        Parallel.For(0, (n + BuildBlockRows - 1) / BuildBlockRows, CoreParallelism.Options(), block =>
        {
            int start = block * BuildBlockRows, count = Math.Min(BuildBlockRows, n - start);
            BuildBlock(raw, encoding, numeric, oneHot, norm2, weight, length, start, count);
            if (tileBase is not null) TileBlock(numeric, norm2, tileBase, start, count);
        });
        // The tile of padding rows after the last one (the array is not zeroed when it is made).
        int whole = (n + Tile - 1) / Tile * Tile;
        if (tileBase is not null) TileBlock(numeric, norm2, tileBase, whole, padded - whole);
        return new KMeansData(n, numeric, oneHot, encoding.OneHotWidth, norm2, weight, length, raw.Flags, distance, tiled);
    }

    /// <summary>
    /// Encodes rows <paramref name="start"/> … + <paramref name="count"/> − 1 (<see cref="Build"/>). Fully optimized at
    /// once, with its own vector loops rather than the (not precompiled) generic library ones: it runs a few hundred
    /// times per training, too few for the runtime's tiering, so the first trainings of a process ran it as unoptimized
    /// code. Each value gets the same IEEE operations as the scalar definition: v − center, then ÷ scale, and
    /// ‖x‖² += v·v (a product rounded, then a sum rounded: no fused multiply-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildBlock(KMeansRawData raw, KMeansEncoding encoding, double[][] numeric, int[][] oneHot, double[] norm2, double[]? weight, double[]? length, int start, int count)
    {
        int n = raw.Rows, p = numeric.Length, m = oneHot.Length;
        var n2 = norm2.AsSpan(start, count);
        n2.Fill(m);
        for (int j = 0; j < p; j++)
        {
            var f = encoding.Numeric[j];
            var values = numeric[j].AsSpan(start, count);
            if (raw.NonNull[j] < n)
                for (int r = 0; r < count; r++)
                    if (double.IsNaN(values[r])) values[r] = f.Mean;
            if (f.Center != 0) SubtractInPlace(values, f.Center);
            if (f.Scale != 1) DivideInPlace(values, f.Scale);
            AddSquares(values, n2);
        }
        for (int c = 0; c < m; c++)
        {
            var codes = raw.Codes[c];
            var map = encoding.CodeMaps[c];
            int offset = encoding.Offsets[c], nullIndex = encoding.NullIndex[c];
            var col = oneHot[c];
            for (int r = start; r < start + count; r++) col[r] = offset + (codes[r] < 0 ? nullIndex : map[codes[r]]);
        }
        if (weight is null) return;
        for (int r = start; r < start + count; r++)
        {
            double len = Math.Sqrt(norm2[r]);
            length![r] = len;
            weight[r] = len > 0 ? 1 / len : 0;
            norm2[r] = 1;
        }
        var w = weight.AsSpan(start, count);
        foreach (var col in numeric) MultiplyInPlace(col.AsSpan(start, count), w);
    }

    /// <summary>
    /// Copies the tiles of rows <paramref name="start"/> … + <paramref name="count"/> − 1 into <see cref="Tiles"/> while
    /// the block is still in cache (the tile holding the last row takes the zero padding rows after it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileBlock(double[][] numeric, double[] norm2, double* tiles, int start, int count)
    {
        int p = numeric.Length, stride = TileBuffer.Stride(p);
        for (int t = start / Tile, end = (start + count + Tile - 1) / Tile; t < end; t++)
        {
            var tile = new Span<double>(tiles + (long)t * stride, stride);
            for (int j = 0; j < p; j++) numeric[j].AsSpan(t * Tile, Tile).CopyTo(tile.Slice(j * Tile, Tile));
            norm2.AsSpan(t * Tile, Tile).CopyTo(tile.Slice(p * Tile, Tile));
        }
    }

    /// <summary>values[i] −= <paramref name="center"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractInPlace(Span<double> values, double center)
    {
        var c = new Vector<double>(center);
        int i = 0;
        for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(values[i..]) - c).CopyTo(values[i..]);
        for (; i < values.Length; i++) values[i] -= center;
    }

    /// <summary>values[i] /= <paramref name="scale"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DivideInPlace(Span<double> values, double scale)
    {
        var s = new Vector<double>(scale);
        int i = 0;
        for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(values[i..]) / s).CopyTo(values[i..]);
        for (; i < values.Length; i++) values[i] /= scale;
    }

    /// <summary>sums[i] = values[i]·values[i] + sums[i] (two roundings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSquares(ReadOnlySpan<double> values, Span<double> sums)
    {
        int i = 0;
        for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(values[i..]);
            (v * v + new Vector<double>(sums[i..])).CopyTo(sums[i..]);
        }
        for (; i < values.Length; i++) sums[i] = values[i] * values[i] + sums[i];
    }

    /// <summary>values[i] ·= factors[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyInPlace(Span<double> values, ReadOnlySpan<double> factors)
    {
        int i = 0;
        for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(values[i..]) * new Vector<double>(factors[i..])).CopyTo(values[i..]);
        for (; i < values.Length; i++) values[i] *= factors[i];
    }

    /// <summary>Row <paramref name="row"/> as a point of <see cref="Dimension"/> coordinates (unit length with COSINE).</summary>
    public void CopyRow(int row, Span<double> point)
    {
        point.Clear();
        int p = Numeric.Length;
        for (int j = 0; j < p; j++) point[j] = Numeric[j][row];
        double w = OneHotWeight?[row] ?? 1;
        foreach (var col in OneHot) point[p + col[row]] = w;
    }

    /// <summary>
    /// Exact squared Euclidean distances (no ‖x‖² + ‖c‖² − 2x·c expansion, so duplicates of the center give exactly 0)
    /// from rows <paramref name="start"/> … <paramref name="start"/> + result.Length − 1 to row <paramref name="center"/>.
    /// </summary>
    public void RowDistances2(int center, int start, Span<double> result)
    {
        result.Clear();
        int n = result.Length;
        foreach (var col in Numeric)
        {
            var x = col.AsSpan(start, n);
            var cv = new System.Numerics.Vector<double>(col[center]);
            int w = System.Numerics.Vector<double>.Count, r = 0;
            for (; r <= n - w; r += w)
            {
                var d = new System.Numerics.Vector<double>(x[r..]) - cv;
                (new System.Numerics.Vector<double>(result[r..]) + d * d).CopyTo(result[r..]);
            }
            for (; r < n; r++)
            {
                double d = x[r] - col[center];
                result[r] += d * d;
            }
        }
        if (OneHot.Length == 0) return;
        double wc = OneHotWeight?[center] ?? 1;
        for (int r = 0; r < n; r++)
        {
            double wr = OneHotWeight?[start + r] ?? 1;
            foreach (var col in OneHot)
                result[r] += col[start + r] == col[center] ? (wr - wc) * (wr - wc) : wr * wr + wc * wc;
        }
    }

    /// <summary>Exact squared Euclidean distance between two rows (in the matrix's coordinates).</summary>
    public double RowDistance2(int a, int b)
    {
        double s = 0;
        foreach (var col in Numeric)
        {
            double d = col[a] - col[b];
            s += d * d;
        }
        double wa = OneHotWeight?[a] ?? 1, wb = OneHotWeight?[b] ?? 1;
        foreach (var col in OneHot)
            s += col[a] == col[b] ? (wa - wb) * (wa - wb) : wa * wa + wb * wb;
        return s;
    }
}
