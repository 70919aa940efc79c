using System.Collections;
using System.Globalization;
using System.Text;

namespace SqlMl.Tests.Features;

/// <summary>
/// Seeded tables for the automatic-preprocessing tests: raw rows with TIMESTAMP / ARRAY / STRUCT columns, and the same
/// rows expanded by hand in C# (Unix seconds, BigQuery's calendar components, 0/1 element indicators), so a model on the
/// raw columns can be compared with a model on the hand-expanded ones.
/// </summary>
internal static class AutoTypesData
{
    public static readonly string[] Components = ["DOM", "DOW", "MOY", "HOD", "MOH", "WOY", "YEAR"];

    /// <summary>BigQuery's components of a timestamp, computed plainly: DOW 1 = Sunday; WOY counts Sunday-started weeks, week 0 before the first Sunday.</summary>
    public static int[] ComponentsOf(DateTime t) =>
        [t.Day, (int)t.DayOfWeek + 1, t.Month, t.Hour, t.Minute, (t.DayOfYear - 1 + 7 - (int)t.DayOfWeek) / 7, t.Year];

    public static double UnixSeconds(DateTime t) => (t - DateTime.UnixEpoch).TotalSeconds;

    public static string Lit(double v) => v.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE";

    public static string Lit(string? s) => s is null ? "NULL" : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string TimestampLit(DateTime? t) => t is { } v ? $"TIMESTAMP '{v.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'" : "NULL::TIMESTAMP";

    /// <summary>
    /// Table <c>t(id, ts TIMESTAMP, x DOUBLE, y DOUBLE, c VARCHAR)</c> and table <c>h</c> with the same id, x, y, c and the
    /// hand-expanded timestamp (<c>ts</c> = Unix seconds, <c>_TS_DOM_ts</c> … as VARCHAR). Some timestamps are NULL.
    /// The label depends on the hour, the day of week and the seconds; <c>c</c> is a class label 'lo'/'mid'/'hi'.
    /// </summary>
    public static void Timestamps(TestDb db, int rows = 300, int seed = 7)
    {
        var rng = new Random(seed);
        var start = new DateTime(2019, 11, 20, 0, 0, 0, DateTimeKind.Unspecified);
        var raw = new StringBuilder();
        var hand = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            DateTime? ts = i % 23 == 5 ? null : start.AddSeconds(rng.NextInt64(0, 5L * 365 * 86400));
            double x = Math.Round(rng.NextDouble() * 10, 3);
            double y = x + (ts is { } t ? 0.5 * t.Hour + 2 * (int)t.DayOfWeek + UnixSeconds(t) / 1e8 : 3) + rng.NextDouble();
            string c = y < 12 ? "lo" : y < 20 ? "mid" : "hi";
            if (i > 0) { raw.Append(", "); hand.Append(", "); }
            raw.Append($"({i}, {TimestampLit(ts)}, {Lit(x)}, {Lit(y)}, {Lit(c)})");
            hand.Append($"({i}, {(ts is { } u ? Lit(UnixSeconds(u)) : "NULL")}, ");
            hand.AppendJoin(", ", ts is { } v ? ComponentsOf(v).Select(n => Lit(n.ToString(CultureInfo.InvariantCulture))) : Components.Select(_ => "NULL"));
            hand.Append($", {Lit(x)}, {Lit(y)}, {Lit(c)})");
        }
        db.Execute($"CREATE TABLE t AS SELECT * FROM (VALUES {raw}) v(id, ts, x, y, c)");
        string names = string.Join(", ", Components.Select(n => $"_TS_{n}_ts"));
        db.Execute($"CREATE TABLE h AS SELECT id, CAST(ts AS DOUBLE) AS ts, {string.Join(", ", Components.Select(n => $"CAST(_TS_{n}_ts AS VARCHAR) AS _TS_{n}_ts"))}, x, y, c " +
                   $"FROM (VALUES {hand}) v(id, ts, {names}, x, y, c)");
    }

    /// <summary>ML.WEIGHTS rows as processed_input (+ class_label) → (weight, category → weight).</summary>
    public static Dictionary<string, (double? Weight, Dictionary<string, double> Categories)> Weights(TestDb db, string model, bool multiclass = false)
    {
        var result = new Dictionary<string, (double?, Dictionary<string, double>)>();
        foreach (var r in db.Rows($"SELECT processed_input, weight, category_weights{(multiclass ? ", class_label" : "")} FROM ML.WEIGHTS(MODEL {model})"))
        {
            var cats = ((IList)r[2]!).Cast<IDictionary<string, object?>>()
                .ToDictionary(e => (string?)e["category"] ?? "<NULL>", e => (double)e["weight"]!);
            result[(string)r[0]! + (multiclass ? "/" + r[3] : "")] = ((double?)r[1], cats);
        }
        return result;
    }

    /// <summary>Asserts two ML.WEIGHTS results are equal up to a relative tolerance.</summary>
    public static void AssertSameWeights(TestDb db, string expectedModel, string actualModel, double tolerance, bool multiclass = false)
    {
        var expected = Weights(db, expectedModel, multiclass);
        var actual = Weights(db, actualModel, multiclass);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, (w, cats)) in expected)
        {
            var (aw, acats) = actual[name];
            if (w is { } v) Close(v, aw!.Value, tolerance, name);
            else Assert.Null(aw);
            Assert.Equal(cats.Keys.Order(), acats.Keys.Order());
            foreach (var (cat, cw) in cats) Close(cw, acats[cat], tolerance, name + "/" + cat);
        }
    }

    /// <summary>A column of a query ordered by id, as doubles.</summary>
    public static List<double> Doubles(TestDb db, string sql) => db.Rows(sql).Select(r => Convert.ToDouble(r[0], CultureInfo.InvariantCulture)).ToList();

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Close(expected[i], actual[i], tolerance, $"row {i}");
    }

    public static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");
}
