namespace SqlMl.Models;

/// <summary>
/// One side (users or items) of a matrix factorization model: ids, one intercept per id (0 for implicit models)
/// and the factor matrix, row-major, <see cref="Rank"/> values per id.
/// </summary>
internal sealed class FactorSide(IdSet ids, double[] intercepts, double[] factors, int rank)
{
    public IdSet Ids { get; } = ids;

    public double[] Intercepts { get; } = intercepts;

    public double[] Factors { get; } = factors;

    public int Rank { get; } = rank;

    public int Count => Ids.Count;

    public ReadOnlySpan<double> Row(int code) => Factors.AsSpan(code * Rank, Rank);

    /// <summary>Layout: ids (<see cref="IdSet.WriteTo"/>), n × intercept double, n·rank × factor double (row-major).</summary>
    public void WriteTo(BinaryWriter w)
    {
        Ids.WriteTo(w);
        foreach (double b in Intercepts) w.Write(b);
        foreach (double f in Factors) w.Write(f);
    }

    public static FactorSide ReadFrom(BinaryReader r, int rank)
    {
        var ids = IdSet.ReadFrom(r);
        var intercepts = new double[ids.Count];
        for (int i = 0; i < intercepts.Length; i++) intercepts[i] = r.ReadDouble();
        var factors = new double[ids.Count * rank];
        for (int i = 0; i < factors.Length; i++) factors[i] = r.ReadDouble();
        return new FactorSide(ids, intercepts, factors, rank);
    }
}
