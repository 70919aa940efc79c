using System.Globalization;
using System.Text;

namespace SqlMl.Tests.Preprocessing;

/// <summary>A seeded random table t(id, x, x2, s, s2, doc, arr) with NULLs and ties, and the same rows in C#.</summary>
internal sealed class RandomData
{
    private static readonly string[] Words = ["a", "b", "c", "d", "e", "f"];

    public RandomData(int seed, int rows = 50)
    {
        var rng = new Random(seed);
        for (int i = 0; i < rows; i++)
        {
            X.Add(rng.NextDouble() < 0.15 ? null : Math.Round(rng.NextDouble() * 10 - 5, rng.Next(3)));
            X2.Add(rng.NextDouble() < 0.1 ? null : rng.Next(-4, 5));
            S.Add(rng.NextDouble() < 0.15 ? null : Words[(int)Math.Floor(Math.Pow(rng.NextDouble(), 2) * Words.Length)]);
            S2.Add(rng.NextDouble() < 0.1 ? null : Words[rng.Next(3)]);
            Docs.Add(rng.NextDouble() < 0.1 ? null : Enumerable.Range(0, rng.Next(6)).Select(_ => rng.NextDouble() < 0.1 ? null : Words[rng.Next(Words.Length)]).ToArray());
            Arrays.Add(rng.NextDouble() < 0.1 ? null : Enumerable.Range(0, rng.Next(5)).Select(_ => Math.Round(rng.NextDouble() * 8 - 4, 1)).ToArray());
        }
    }

    public List<double?> X { get; } = [];
    public List<int?> X2 { get; } = [];
    public List<string?> S { get; } = [];
    public List<string?> S2 { get; } = [];
    public List<string?[]?> Docs { get; } = [];
    public List<double[]?> Arrays { get; } = [];

    public int Count => X.Count;

    public TestDb Open()
    {
        var db = new TestDb();
        var sb = new StringBuilder("CREATE TABLE t AS SELECT * FROM (VALUES ");
        for (int i = 0; i < Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(CultureInfo.InvariantCulture, $"({i}, {Num(X[i])}::DOUBLE, {(X2[i] is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NULL")}::INTEGER, {Str(S[i])}, {Str(S2[i])}, ")
              .Append(Docs[i] is { } d ? "[" + string.Join(", ", d.Select(Str)) + "]::VARCHAR[]" : "NULL::VARCHAR[]").Append(", ")
              .Append(Arrays[i] is { } a ? "[" + string.Join(", ", a.Select(e => Num(e))) + "]::DOUBLE[]" : "NULL::DOUBLE[]").Append(')');
        }
        sb.Append(") v(id, x, x2, s, s2, doc, arr)");
        db.Execute(sb.ToString());
        return db;
    }

    private static string Num(double? v) => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "NULL";

    private static string Str(string? s) => s is null ? "NULL::VARCHAR" : "'" + s + "'";
}
