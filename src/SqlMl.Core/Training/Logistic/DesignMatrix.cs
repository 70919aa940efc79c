namespace SqlMl.Training.Logistic;

/// <summary>
/// Encoded rows, column-major (one array per design column, padded with zero rows to a multiple of 8 for the SIMD
/// kernels), with each row's class index and class weight.
/// </summary>
internal sealed class DesignMatrix
{
    /// <summary>Refuse designs above this many cells (rows × columns): about 3.2 GB of doubles.</summary>
    public const long MaxCells = 400_000_000;

    private DesignMatrix(double[][] cols, int rows, int[] label, double[] weight)
    {
        Cols = cols;
        Rows = rows;
        Label = label;
        Weight = weight;
    }

    public double[][] Cols { get; }

    public int Rows { get; }

    public int PaddedRows => Pad(Rows);

    public int Columns => Cols.Length;

    public int[] Label { get; }

    /// <summary>Class weight of each row (0 in the padding).</summary>
    public double[] Weight { get; }

    public static int Pad(int rows) => (rows + 7) & ~7;

    private static bool IsNumericColumn(LogisticLayout layout, int column, out int feature)
    {
        feature = column - layout.NumericColumn(0);
        return feature >= 0 && feature < layout.Numeric.Count;
    }

    /// <summary>Encodes the training rows (<paramref name="eval"/> false) or the evaluation rows of <paramref name="raw"/>.</summary>
    public static DesignMatrix Build(LogisticRawData raw, LogisticLayout layout, int[][] codeColumns, double[] classWeights, bool eval)
    {
        int n = 0;
        for (int r = 0; r < raw.Rows; r++) n += raw.IsEval[r] == eval ? 1 : 0;
        int padded = Pad(n);
        var rows = new int[n];
        for (int r = 0, i = 0; r < raw.Rows; r++)
            if (raw.IsEval[r] == eval) rows[i++] = r;
        // With every row in this design, numeric columns are encoded in place in the raw arrays (no copy).
        bool inPlace = n == raw.Rows;
        var cols = new double[layout.Columns][];
        for (int k = 0; k < cols.Length; k++) cols[k] = inPlace && IsNumericColumn(layout, k, out int j) ? raw.Numeric[j] : new double[padded];
        if (layout.FitIntercept) cols[0].AsSpan(0, n).Fill(1);
        // Numeric columns side by side (each column's pass is independent).
        Parallel.For(0, layout.Numeric.Count, CoreParallelism.Options(), j =>
        {
            var f = layout.Numeric[j];
            var src = raw.Numeric[j];
            var dst = cols[layout.NumericColumn(j)];
            double inv = 1 / f.Scale;
            if (inPlace)
            {
                // Every row is in this design: a vector pass, then NULLs (NaN) set to the mean's value.
                var d = dst.AsSpan(0, n);
                System.Numerics.Tensors.TensorPrimitives.Subtract(src.AsSpan(0, n), f.Center, d);
                System.Numerics.Tensors.TensorPrimitives.Multiply(d, inv, d);
                if (double.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum<double>(d)))
                    for (int i = 0; i < n; i++)
                        if (double.IsNaN(d[i])) d[i] = (f.Mean - f.Center) * inv;
                return;
            }
            for (int i = 0; i < n; i++)
            {
                double v = src[rows[i]];
                dst[i] = ((double.IsNaN(v) ? f.Mean : v) - f.Center) * inv;
            }
        });
        for (int c = 0; c < codeColumns.Length; c++)
        {
            var codes = raw.Codes[c];
            var map = codeColumns[c];
            for (int i = 0; i < n; i++)
            {
                int col = map[codes[rows[i]] + 1];
                if (col >= 0) cols[col][i] = 1;
            }
        }
        var label = new int[padded];
        var weight = new double[padded];
        for (int i = 0; i < n; i++)
        {
            label[i] = raw.Label[rows[i]];
            weight[i] = classWeights[label[i]];
        }
        return new DesignMatrix(cols, n, label, weight);
    }
}
