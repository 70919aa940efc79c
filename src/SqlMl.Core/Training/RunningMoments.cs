using System.Numerics.Tensors;

namespace SqlMl.Training;

/// <summary>
/// Count, mean and sum of squared deviations (M2) of a set of values, mergeable: parts computed apart (batches,
/// threads) combine by Chan et al.'s parallel update into the moments of their union.
/// </summary>
internal struct RunningMoments
{
    public long Count;
    public double Mean;
    public double M2;

    /// <summary>Adds <paramref name="other"/>'s values.</summary>
    public void Merge(RunningMoments other)
    {
        if (other.Count == 0) return;
        if (Count == 0)
        {
            this = other;
            return;
        }
        long n = Count + other.Count;
        double delta = other.Mean - Mean;
        Mean += delta * other.Count / n;
        M2 += other.M2 + delta * delta * ((double)Count * other.Count / n);
        Count = n;
    }

    /// <summary>The moments of <paramref name="values"/> (two passes; <paramref name="scratch"/> as long as them).</summary>
    public static RunningMoments Of(ReadOnlySpan<double> values, Span<double> scratch)
    {
        double mean = TensorPrimitives.Sum(values) / values.Length;
        TensorPrimitives.Subtract(values, mean, scratch);
        return new RunningMoments { Count = values.Length, Mean = mean, M2 = TensorPrimitives.SumOfSquares(scratch) };
    }
}
