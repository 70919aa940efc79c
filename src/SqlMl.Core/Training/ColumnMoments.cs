using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SqlMl.Training;

/// <summary>
/// Mean, sample standard deviation (n − 1; 0 for fewer than two values) and count of a numeric column's non-NULL
/// values, NaN marking NULL (the in-memory columns of <see cref="NumericColumnBlocks"/>). All NULL: (NaN, 0, 0).
/// </summary>
internal static class ColumnMoments
{
    /// <summary>Of every row of <paramref name="values"/>; vectorized when no value is NULL. Fully optimized at once:
    /// it runs a few times per training over millions of values, too few calls to leave tier-0 code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double StdDev, long Count) Of(ReadOnlySpan<double> values)
    {
        double total = TensorPrimitives.Sum(values);
        if (double.IsNaN(total)) return Of(values, default);
        int rows = values.Length;
        double average = total / rows, squares = 0;
        Span<double> centred = stackalloc double[1024];
        for (int start = 0; start < rows; start += centred.Length)
        {
            var chunk = values.Slice(start, Math.Min(centred.Length, rows - start));
            TensorPrimitives.Subtract(chunk, average, centred);
            squares += TensorPrimitives.SumOfSquares(centred[..chunk.Length]);
        }
        return (average, rows > 1 ? Math.Sqrt(squares / (rows - 1)) : 0, rows);
    }

    /// <summary>Of the rows whose <paramref name="exclude"/> entry is false (empty: every row), in two scalar passes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Mean, double StdDev, long Count) Of(ReadOnlySpan<double> values, ReadOnlySpan<bool> exclude)
    {
        double sum = 0;
        long count = 0;
        for (int r = 0; r < values.Length; r++)
            if ((exclude.IsEmpty || !exclude[r]) && !double.IsNaN(values[r])) { sum += values[r]; count++; }
        if (count == 0) return (double.NaN, 0, 0);
        double mean = sum / count, ss = 0;
        for (int r = 0; r < values.Length; r++)
            if ((exclude.IsEmpty || !exclude[r]) && !double.IsNaN(values[r])) ss += (values[r] - mean) * (values[r] - mean);
        return (mean, count > 1 ? Math.Sqrt(ss / (count - 1)) : 0, count);
    }
}
