namespace SqlMl.Training;

/// <summary>
/// The median of values repeated by their counts (<see cref="MedianSample"/>'s distinct sampled rows with their
/// multiplicities), as DuckDB's <c>median()</c> would give it over the repeated values (<see cref="ExactMedian"/>'s
/// even-count rule).
/// </summary>
internal static class WeightedMedian
{
    /// <summary>DuckDB's median of values repeated by their counts, with <paramref name="nan"/> NaNs above every number
    /// (<paramref name="values"/> has none); the middle ranks by selection, not a sort.</summary>
    public static double? Of(Span<double> values, Span<long> counts, long nan)
    {
        long numbers = 0;
        foreach (long c in counts) numbers += c;
        long total = numbers + nan;
        if (total == 0) return null;
        long hi = total / 2;
        double upper = hi < numbers ? Select(values, counts, hi) : double.NaN;
        if (total % 2 == 1) return upper;
        double lower = hi - 1 < numbers ? Select(values, counts, hi - 1) : double.NaN;
        return ExactMedian.MiddleMean(lower, upper);
    }

    /// <summary>The value at <paramref name="rank"/> (0-based, below the total count) of the values repeated by their
    /// counts: three-way quickselect by weight, reordering both spans together.</summary>
    private static double Select(Span<double> values, Span<long> counts, long rank)
    {
        while (values.Length > 16)
        {
            double a = values[0], b = values[values.Length / 2], c = values[^1];
            double pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int lt = 0, i = 0, gt = values.Length;
            long below = 0, equal = 0;
            while (i < gt)
            {
                double v = values[i];
                if (v < pivot)
                {
                    below += counts[i];
                    (values[lt], values[i]) = (values[i], values[lt]);
                    (counts[lt], counts[i]) = (counts[i], counts[lt]);
                    lt++;
                    i++;
                }
                else if (v > pivot)
                {
                    gt--;
                    (values[gt], values[i]) = (values[i], values[gt]);
                    (counts[gt], counts[i]) = (counts[i], counts[gt]);
                }
                else
                {
                    equal += counts[i++];
                }
            }
            if (rank < below)
            {
                values = values[..lt];
                counts = counts[..lt];
            }
            else if (rank < below + equal)
            {
                return pivot;
            }
            else
            {
                rank -= below + equal;
                values = values[gt..];
                counts = counts[gt..];
            }
        }
        values.Sort(counts);
        return At(values, counts, rank);
    }

    /// <summary>The value at <paramref name="rank"/> (0-based) of the sorted values repeated by their counts; NaN past them.</summary>
    private static double At(ReadOnlySpan<double> sorted, ReadOnlySpan<long> counts, long rank)
    {
        for (int i = 0; i < sorted.Length; i++)
        {
            if (rank < counts[i]) return sorted[i];
            rank -= counts[i];
        }
        return double.NaN;
    }
}
