namespace SqlMl.Training;

/// <summary>Per-cluster sums of one assignment pass (also used per chunk before the ordered reduction).</summary>
internal sealed class PassStats
{
    public PassStats(int clusters, int dimension)
    {
        Sums = new double[clusters * dimension];
        Counts = new long[clusters];
        DistanceSums = new double[clusters];
        LengthSums = new double[clusters];
    }

    /// <summary>Coordinate sums of each cluster's rows (row-major, cluster × dimension).</summary>
    public double[] Sums { get; }

    public long[] Counts { get; }

    /// <summary>Σ distance per cluster.</summary>
    public double[] DistanceSums { get; }

    /// <summary>COSINE: Σ ‖x‖ (before unit scaling) per cluster.</summary>
    public double[] LengthSums { get; }

    /// <summary>Rows whose cluster changed from the previous pass.</summary>
    public long Changed { get; set; }

    /// <summary>Σ distance² over all rows.</summary>
    public double Loss { get; set; }

    /// <summary>Zeroes everything (the coordinate sums too unless <paramref name="keepSums"/>).</summary>
    public void Clear(bool keepSums = false)
    {
        if (!keepSums) Array.Clear(Sums);
        Array.Clear(Counts);
        Array.Clear(DistanceSums);
        Array.Clear(LengthSums);
        Changed = 0;
        Loss = 0;
    }

    public void Add(PassStats other)
    {
        for (int i = 0; i < Sums.Length; i++) Sums[i] += other.Sums[i];
        for (int k = 0; k < Counts.Length; k++)
        {
            Counts[k] += other.Counts[k];
            DistanceSums[k] += other.DistanceSums[k];
            LengthSums[k] += other.LengthSums[k];
        }
        Changed += other.Changed;
        Loss += other.Loss;
    }
}
