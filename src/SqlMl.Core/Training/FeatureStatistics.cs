using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SqlMl.Training;

/// <summary>
/// ML.FEATURE_INFO's statistics accumulated over <see cref="ColumnBatch"/>es as a trainer reads them, so CREATE MODEL
/// needs no extra pass over the data. Numeric columns: min, max, mean, sample standard deviation (per-batch centred
/// sums merged with Chan et al.'s formula), NULL count and median (<see cref="MedianSample"/>: exact up to
/// <see cref="DefaultMedianCap"/> rows, beyond that the median of a deterministic sample of at most
/// <see cref="DefaultSampleSize"/> distinct rows). Categorical columns: distinct non-NULL codes
/// and NULL count. Accumulators over parts of the data <see cref="Merge"/> into the one over all of it; categorical
/// codes of merged accumulators must come from the same <see cref="CategoryDictionary"/>.
/// </summary>
internal sealed class FeatureStatistics
{
    /// <summary>Rows up to which medians are exact (2^20: the 1M-row benchmarks stay exact), for at most 16 numeric
    /// columns; wider inputs keep <see cref="MaxMedianValues"/> / columns rows.</summary>
    public const int DefaultMedianCap = 1 << 20;

    /// <summary>Distinct rows the median sample keeps past the cap (2^17: its median's rank is within ±0.3% of the
    /// middle with 95% confidence).</summary>
    public const int DefaultSampleSize = 1 << 17;

    private readonly int _numeric;
    private readonly RunningMoments[] _moments;
    private readonly double[] _min;
    private readonly double[] _max;
    private readonly long[] _numericNulls;
    private readonly bool[] _nonFinite;
    private readonly ulong[][] _seen;
    private readonly long[] _categoricalNulls;
    private readonly MedianSample _medians;
    private readonly ulong[]?[] _masks;
    private long _rows;

    /// <summary>An empty accumulator with the default median cap.</summary>
    public FeatureStatistics(int numericColumns, int categoricalColumns)
        : this(numericColumns, categoricalColumns, Bounded(DefaultMedianCap, numericColumns), Bounded(DefaultSampleSize, numericColumns))
    {
    }

    /// <summary>An empty accumulator with the default caps, for one of several threads reading parts of one input: its
    /// exact median rows count against <paramref name="shared"/> (<see cref="SharedBudget"/>), so together the threads
    /// store at most the cap.</summary>
    public FeatureStatistics(int numericColumns, int categoricalColumns, MedianBudget shared)
        : this(numericColumns, categoricalColumns, shared.Cap, Math.Min(shared.Cap, Bounded(DefaultSampleSize, numericColumns)), shared)
    {
    }

    /// <summary>The budget for the accumulators of threads reading parts of one input (default median cap).</summary>
    public static MedianBudget SharedBudget(int numericColumns) => new(Bounded(DefaultMedianCap, numericColumns));

    /// <summary>The most values the median rows may hold (128 MB): wide inputs keep fewer rows than the caps.</summary>
    public const int MaxMedianValues = 1 << 24;

    /// <summary><paramref name="rows"/>, or fewer so that rows × columns stays within <see cref="MaxMedianValues"/>.</summary>
    public static int Bounded(int rows, int columns) => Math.Clamp(MaxMedianValues / Math.Max(1, columns), 1024, rows);

    /// <summary>An empty accumulator whose medians are exact up to <paramref name="medianCap"/> rows and beyond
    /// come from a sample of at most <paramref name="sampleSize"/> distinct rows (default: the smaller of the cap and
    /// <see cref="DefaultSampleSize"/>).</summary>
    public FeatureStatistics(int numericColumns, int categoricalColumns, int medianCap, int? sampleSize = null)
        : this(numericColumns, categoricalColumns, medianCap, sampleSize ?? Math.Min(medianCap, DefaultSampleSize), null)
    {
    }

    private FeatureStatistics(int numericColumns, int categoricalColumns, int medianCap, int sampleSize, MedianBudget? budget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numericColumns);
        ArgumentOutOfRangeException.ThrowIfNegative(categoricalColumns);
        _numeric = numericColumns;
        _moments = new RunningMoments[numericColumns];
        _min = new double[numericColumns];
        _max = new double[numericColumns];
        _numericNulls = new long[numericColumns];
        _masks = new ulong[numericColumns][];
        _nonFinite = new bool[numericColumns];
        _seen = new ulong[categoricalColumns][];
        for (int k = 0; k < categoricalColumns; k++) _seen[k] = [];
        _categoricalNulls = new long[categoricalColumns];
        _medians = new MedianSample(numericColumns, medianCap, sampleSize, budget);
    }

    /// <summary>Adds a batch's rows: its first numeric and categorical columns are this accumulator's (label, hash and
    /// flag are ignored).</summary>
    public void Add(ColumnBatch batch)
    {
        int n = batch.Count;
        if (n == 0) return;
        if (batch.Numeric.Length < _numeric || batch.Categorical.Length < _seen.Length)
            throw new ArgumentException("The batch has fewer columns than the statistics.", nameof(batch));
        _rows += n;
        for (int j = 0; j < _numeric; j++)
        {
            var values = batch.Numeric[j].AsSpan(0, n);
            var mask = _masks[j] = NullsIn(batch.NumericValidity[j], n);
            var (count, mean, m2, min, max) = mask is null ? Dense(values) : Masked(values, mask);
            _numericNulls[j] += n - count;
            if (_nonFinite[j] || count == 0) continue;
            if (!double.IsFinite(mean) || !double.IsFinite(m2)) _nonFinite[j] = true;
            else Combine(j, new RunningMoments { Count = count, Mean = mean, M2 = m2 }, min, max);
        }
        for (int k = 0; k < _seen.Length; k++)
        {
            var codes = batch.Categorical[k].AsSpan(0, n);
            int max = TensorPrimitives.Max(codes);
            if (max >= 0 && (max >> 6) >= _seen[k].Length) Array.Resize(ref _seen[k], Math.Max((max >> 6) + 1, _seen[k].Length * 2));
            var seen = _seen[k];
            long nulls = 0;
            foreach (int code in codes)
            {
                if (code < 0) nulls++;
                else seen[code >> 6] |= 1UL << (code & 63);
            }
            _categoricalNulls[k] += nulls;
        }
        _medians.Add(batch, _masks);
    }

    /// <summary>Adds <paramref name="other"/>'s rows, giving what one accumulator over both inputs gives.</summary>
    public void Merge(FeatureStatistics other)
    {
        if (other._numeric != _numeric || other._seen.Length != _seen.Length)
            throw new ArgumentException("The statistics have different columns.", nameof(other));
        _rows += other._rows;
        for (int j = 0; j < _numeric; j++)
        {
            _numericNulls[j] += other._numericNulls[j];
            _nonFinite[j] |= other._nonFinite[j];
            if (!_nonFinite[j] && other._moments[j].Count > 0)
                Combine(j, other._moments[j], other._min[j], other._max[j]);
        }
        for (int k = 0; k < _seen.Length; k++)
        {
            _categoricalNulls[k] += other._categoricalNulls[k];
            var theirs = other._seen[k];
            if (theirs.Length > _seen[k].Length) Array.Resize(ref _seen[k], theirs.Length);
            for (int w = 0; w < theirs.Length; w++) _seen[k][w] |= theirs[w];
        }
        _medians.Merge(other._medians);
    }

    /// <summary>The statistics of every row added so far.</summary>
    public FeatureSummary Summarize()
    {
        var medians = _medians.Medians();
        var numeric = new NumericSummary[_numeric];
        for (int j = 0; j < _numeric; j++)
        {
            var (n, mean, m2) = (_moments[j].Count, _moments[j].Mean, _moments[j].M2);
            bool any = n > 0 && !_nonFinite[j];
            numeric[j] = new NumericSummary(
                any ? _min[j] : null, any ? _max[j] : null, any ? mean : null, medians[j],
                any && n > 1 ? Math.Sqrt(m2 / (n - 1)) : null, _numericNulls[j], !_nonFinite[j]);
        }
        var categorical = new CategoricalSummary[_seen.Length];
        for (int k = 0; k < _seen.Length; k++)
        {
            long distinct = 0;
            foreach (ulong word in _seen[k]) distinct += BitOperations.PopCount(word);
            categorical[k] = new CategoricalSummary(distinct, _categoricalNulls[k]);
        }
        return new FeatureSummary(_rows, numeric, categorical, _medians.Exact);
    }

    /// <summary><paramref name="mask"/>, or null when its first <paramref name="rows"/> bits are all set: DuckDB often
    /// hands over a validity mask without NULLs, and the dense paths are much faster than the masked ones.</summary>
    private static ulong[]? NullsIn(ulong[]? mask, int rows)
    {
        if (mask is null) return null;
        int full = rows >> 6, rest = rows & 63;
        if (mask.AsSpan(0, full).ContainsAnyExcept(ulong.MaxValue)) return mask;
        return rest == 0 || (mask[full] | ~((1UL << rest) - 1)) == ulong.MaxValue ? null : mask;
    }

    /// <summary>Merges another part's moments, minimum and maximum of column <paramref name="j"/> into this one's.</summary>
    private void Combine(int j, RunningMoments moments, double min, double max)
    {
        bool first = _moments[j].Count == 0;
        _moments[j].Merge(moments);
        if (first || min < _min[j]) _min[j] = min;
        if (first || max > _max[j]) _max[j] = max;
    }

    /// <summary>Moments of a batch column without NULLs, in two vectorized passes (sum, min and max; centred squares);
    /// a non-finite value shows in the sum.</summary>
    private static (long Count, double Mean, double M2, double Min, double Max) Dense(ReadOnlySpan<double> values)
    {
        var (sum, min, max) = Vector512.IsHardwareAccelerated ? SumMinMax512(values) : SumMinMax256(values);
        int n = values.Length;
        if (!double.IsFinite(sum)) return (n, double.NaN, double.NaN, 0, 0);
        // The native min/max instructions order -0 and +0 as equal; Math.Min/Max (and the scalar path) put -0 first.
        if (min == 0) min = HasBits(values, NegativeZero) ? -0.0 : 0.0;
        if (max == 0) max = HasBits(values, 0) ? 0.0 : -0.0;
        double mean = sum / n;
        return (n, mean, ColumnMoments.Sum(values, mean, squares: true), min, max);
    }

    private const ulong NegativeZero = 0x8000_0000_0000_0000;

    private static bool HasBits(ReadOnlySpan<double> values, ulong bits) => MemoryMarshal.Cast<double, ulong>(values).Contains(bits);

    /// <summary>Sum, minimum and maximum with 512-bit vectors (two accumulators each) and the native min/max
    /// instructions, which are exact for finite values; NaN and ±Infinity show in the sum.</summary>
    private static (double Sum, double Min, double Max) SumMinMax512(ReadOnlySpan<double> values)
    {
        int n = values.Length, i = 0, w = Vector512<double>.Count;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        ref double start = ref MemoryMarshal.GetReference(values);
        if (n >= 2 * w)
        {
            Vector512<double> s0 = Vector512<double>.Zero, s1 = s0;
            Vector512<double> lo0 = Vector512.Create(double.PositiveInfinity), lo1 = lo0;
            Vector512<double> hi0 = Vector512.Create(double.NegativeInfinity), hi1 = hi0;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                var a = Vector512.LoadUnsafe(ref start, (nuint)i);
                var b = Vector512.LoadUnsafe(ref start, (nuint)(i + w));
                s0 += a;
                s1 += b;
                lo0 = Vector512.MinNative(lo0, a);
                lo1 = Vector512.MinNative(lo1, b);
                hi0 = Vector512.MaxNative(hi0, a);
                hi1 = Vector512.MaxNative(hi1, b);
            }
            sum = Vector512.Sum(s0 + s1);
            var lo = Vector512.MinNative(lo0, lo1);
            var hi = Vector512.MaxNative(hi0, hi1);
            for (int k = 0; k < w; k++)
            {
                min = Math.Min(min, lo.GetElement(k));
                max = Math.Max(max, hi.GetElement(k));
            }
        }
        return AddTail(values, i, sum, min, max);
    }

    /// <summary>Adds values[i …] in order to a sum, minimum and maximum (the tail after the vectors).</summary>
    private static (double Sum, double Min, double Max) AddTail(ReadOnlySpan<double> values, int i, double sum, double min, double max)
    {
        for (; i < values.Length; i++)
        {
            double v = values[i];
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return (sum, min, max);
    }

    /// <summary><see cref="SumMinMax512"/> with 256-bit vectors (or scalar).</summary>
    private static (double Sum, double Min, double Max) SumMinMax256(ReadOnlySpan<double> values)
    {
        int n = values.Length, i = 0, w = Vector256<double>.Count;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        ref double start = ref MemoryMarshal.GetReference(values);
        if (Vector256.IsHardwareAccelerated && n >= w)
        {
            var s = Vector256<double>.Zero;
            var lo = Vector256.Create(double.PositiveInfinity);
            var hi = Vector256.Create(double.NegativeInfinity);
            for (; i <= n - w; i += w)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                s += v;
                lo = Vector256.MinNative(lo, v);
                hi = Vector256.MaxNative(hi, v);
            }
            sum = Vector256.Sum(s);
            for (int k = 0; k < w; k++)
            {
                min = Math.Min(min, lo.GetElement(k));
                max = Math.Max(max, hi.GetElement(k));
            }
        }
        return AddTail(values, i, sum, min, max);
    }

    /// <summary>Moments of a batch column's valid rows, in two scalar passes.</summary>
    private static (long Count, double Mean, double M2, double Min, double Max) Masked(ReadOnlySpan<double> values, ulong[] mask)
    {
        long count = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int r = 0; r < values.Length; r++)
        {
            if (!ColumnBatch.IsValid(mask, r)) continue;
            double v = values[r];
            count++;
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (count == 0) return (0, 0, 0, 0, 0);
        if (!double.IsFinite(sum)) return (count, double.NaN, double.NaN, 0, 0);
        double mean = sum / count, m2 = 0;
        for (int r = 0; r < values.Length; r++)
            if (ColumnBatch.IsValid(mask, r)) m2 += (values[r] - mean) * (values[r] - mean);
        return (count, mean, m2, min, max);
    }
}
