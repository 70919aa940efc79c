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

    /// <summary>Buckets of <see cref="MiddleBetween"/>.</summary>
    private const int Buckets = 4096;

    /// <summary>
    /// <see cref="Middle"/> for values that all lie in [<paramref name="below"/>, <paramref name="above"/>] (no NaN: a
    /// median bracket's values), without a comparison branch per value: each value's bucket among
    /// <see cref="Buckets"/> equal slices of the range is counted (the bucket index is monotone in the value, so all of a
    /// bucket's values are ≤ those of the next), the bucket holding the middle rank is found from the counts, and only
    /// its values (and the lower middle's bucket's) are sorted. The same value as <see cref="Middle"/>, which the
    /// Dutch-flag partition of this selection made cost about a millisecond per 60K values, mostly branch mispredictions.
    /// Falls back to <see cref="Middle"/> (which reorders <paramref name="values"/>) when the range is empty or not
    /// finite, or a bucket is too crowded; otherwise <paramref name="values"/> is left in its order. Where −0 and +0 meet
    /// at the middle, the zero returned may carry the other sign than <see cref="Middle"/>'s (equal values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double MiddleBetween(Span<double> values, int upperRank, bool even, double below, double above)
    {
        double scale = Buckets / (above - below);
        if (!(above > below) || !double.IsFinite(scale) || !double.IsFinite(below) || !double.IsFinite(above) || values.Length < 2 * Buckets)
            return Middle(values, upperRank, even);
        var counts = new int[Buckets];
        foreach (double v in values) counts[Bucket(v, below, scale)]++;
        int lowerRank = even ? upperRank - 1 : upperRank;
        int upperBucket = -1, lowerBucket = -1, upperStart = 0, lowerStart = 0;
        for (int b = 0, seen = 0; b < Buckets; b++)
        {
            int next = seen + counts[b];
            if (lowerBucket < 0 && lowerRank < next) (lowerBucket, lowerStart) = (b, seen);
            if (upperRank < next) { (upperBucket, upperStart) = (b, seen); break; }
            seen = next;
        }
        int picked = counts[upperBucket] + (lowerBucket == upperBucket ? 0 : counts[lowerBucket]);
        if (picked > values.Length / 8) return Middle(values, upperRank, even);
        // The two buckets' values, in bucket order (lower first), then each bucket sorted.
        var chosen = new double[picked];
        int lowerCount = lowerBucket == upperBucket ? 0 : counts[lowerBucket], atLower = 0, atUpper = lowerCount;
        foreach (double v in values)
        {
            int b = Bucket(v, below, scale);
            if (b == upperBucket) chosen[atUpper++] = v;
            else if (b == lowerBucket) chosen[atLower++] = v;
        }
        Array.Sort(chosen, 0, lowerCount);
        Array.Sort(chosen, lowerCount, picked - lowerCount);
        double upper = chosen[lowerCount + upperRank - upperStart];
        if (!even) return upper;
        double lower = lowerBucket == upperBucket ? chosen[upperRank - 1 - upperStart] : chosen[lowerRank - lowerStart];
        return MiddleMean(lower, upper);
    }

    /// <summary>The bucket of <paramref name="value"/> in [below, below + Buckets / scale], clamped to the valid range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(double value, double below, double scale) =>
        Math.Clamp((int)((value - below) * scale), 0, Buckets - 1);

    /// <summary>The value of rank <paramref name="k"/> (0-based, NaN last) in <paramref name="values"/>, which is reordered.</summary>
    internal static double Rank(Span<double> values, int k) => Select(values, k);

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
