namespace SqlMl.Training;

/// <summary>
/// Deterministic starting factors for ALS: independent normal values (SplitMix64 + Box–Muller, so the sequence
/// is the same on every platform and .NET version) with standard deviation <see cref="Scale"/>. Only the item
/// side is initialized; the first half-iteration solves the users from it. Intercepts start at 0.
/// </summary>
internal static class FactorInit
{
    public const ulong DefaultSeed = 0x5EED_A15;

    public const double Scale = 0.1;

    /// <summary><paramref name="rows"/> × <paramref name="rank"/> values, row-major, row r from the r-th chunk of the sequence.</summary>
    public static double[] Normal(ulong seed, int rows, int rank)
    {
        var values = new double[rows * rank];
        ulong state = seed;
        for (int i = 0; i < values.Length; i += 2)
        {
            // Uniforms in (0, 1]: 53 random bits, never 0 so the logarithm is finite.
            double u1 = ((Next(ref state) >> 11) + 1) * (1.0 / 9007199254740992.0);
            double u2 = (Next(ref state) >> 11) * (1.0 / 9007199254740992.0);
            double radius = Math.Sqrt(-2 * Math.Log(u1)) * Scale;
            values[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < values.Length) values[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }
        return values;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
