using System.Collections;

namespace SqlMl.Tests.Preprocessing;

/// <summary>Deep equality of values read from DuckDB, with a relative tolerance for doubles.</summary>
internal static class Same
{
    public static bool Values(object? a, object? b, double tolerance = 1e-12) => (a, b) switch
    {
        (null or DBNull, null or DBNull) => true,
        (null or DBNull, _) or (_, null or DBNull) => false,
        (double x, double y) => Close(x, y, tolerance),
        (string x, string y) => x == y,
        (IDictionary x, IDictionary y) => x.Count == y.Count && x.Keys.Cast<object>().All(k => y.Contains(k) && Values(x[k], y[k], tolerance)),
        (IList x, IList y) => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => Values(x[i], y[i], tolerance)),
        _ => Equals(a, b) || (IsNumber(a) && IsNumber(b) && Close(Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture), tolerance)),
    };

    public static bool Close(double x, double y, double tolerance) =>
        x.Equals(y) || Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

    private static bool IsNumber(object o) => o is long or int or short or double or float or decimal or byte or sbyte or ulong or uint or ushort;

    public static void AssertValues(object? expected, object? actual, string context, double tolerance = 1e-12) =>
        Assert.True(Values(expected, actual, tolerance), $"{context}: expected {Show.Value(expected)}, got {Show.Value(actual)}");
}
