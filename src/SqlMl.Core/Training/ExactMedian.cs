using System.Runtime.CompilerServices;

namespace SqlMl.Training;

/// <summary>
/// The exact median of a column, as DuckDB's <c>median()</c> on DOUBLE gives it: the middle value, or the mean of the
/// two middle values for an even count; NaN sorts above every number. Found by selection (expected O(n)), not a sort.
/// </summary>
internal static class ExactMedian
{
    /// <summary>The median of <paramref name="values"/> (reordered in place), or null when empty.</summary>
    public static double? Of(Span<double> values)
    {
        int n = values.Length;
        if (n == 0) return null;
        return Middle(values, n / 2, n % 2 == 0);
    }

    /// <summary>
    /// The value of rank <paramref name="upperRank"/> (0-based) of <paramref name="values"/> (reordered in place), or,
    /// when <paramref name="even"/>, the median formula over it and the value of rank <paramref name="upperRank"/> − 1.
    /// Fully optimized at once: it runs over tens of thousands of values a few times per statement (ML.FEATURE_INFO's
    /// medians), too few calls to leave tier-0 code, and its loops ran as such in a process's first trainings.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Middle(Span<double> values, int upperRank, bool even)
    {
        double upper = Select(values, upperRank);
        if (!even) return upper;
        // After selecting position upperRank, everything before it is ≤ it: the lower middle is their maximum.
        double lower = values[0];
        for (int i = 1; i < upperRank; i++)
            if (Compare(values[i], lower) > 0) lower = values[i];
        return MiddleMean(lower, upper);
    }

    /// <summary>DuckDB's median of an even count from its two middle values (<paramref name="lower"/> ≤
    /// <paramref name="upper"/>): the upper one when they are equal (so two infinities or NaNs stay themselves), else
    /// their mean computed without overflow.</summary>
    internal static double MiddleMean(double lower, double upper) =>
        Compare(lower, upper) == 0 ? upper : lower + (upper - lower) / 2;

    /// <summary>Total order with NaN above +Infinity, as DuckDB sorts doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Compare(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);

    /// <summary>Quickselect (median-of-three pivot, three-way partition): the k-th smallest, with values[k] holding it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Select(Span<double> v, int k)
    {
        int lo = 0, hi = v.Length - 1;
        while (lo < hi)
        {
            double pivot = MedianOfThree(v[lo], v[lo + (hi - lo) / 2], v[hi]);
            // Dutch national flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                int c = Compare(v[i], pivot);
                if (c < 0)
                {
                    (v[lt], v[i]) = (v[i], v[lt]);
                    lt++;
                    i++;
                }
                else if (c > 0)
                {
                    (v[i], v[gt]) = (v[gt], v[i]);
                    gt--;
                }
                else
                {
                    i++;
                }
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return v[k];
        }
        return v[k];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MedianOfThree(double a, double b, double c)
    {
        if (Compare(a, b) > 0) (a, b) = (b, a);
        if (Compare(b, c) > 0) b = c;
        return Compare(a, b) > 0 ? a : b;
    }
}
