namespace SqlMl.Tests.Training;

/// <summary>Doubles as their 64-bit patterns, for asserting bit-for-bit equality (−0 ≠ +0, every NaN payload).</summary>
internal static class DoubleBits
{
    public static long[] Of(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        return bits;
    }
}
