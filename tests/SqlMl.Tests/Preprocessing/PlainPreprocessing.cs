using System.Globalization;
using System.Numerics;
using System.Text;

using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>Plain C# reimplementations of the preprocessing functions' documented semantics, as test references.</summary>
internal static class PlainPreprocessing
{
    /// <summary>
    /// ML.HASH_BUCKETIZE as BigQuery defines it: FARM_FINGERPRINT of the UTF-8 bytes (checked against published
    /// vectors in FarmFingerprintTests) as an unsigned 64-bit number, modulo the size; size 0 gives the signed fingerprint.
    /// </summary>
    public static long HashBucket(string s, long size)
    {
        long fingerprint = unchecked((long)FarmFingerprint.Hash64(Encoding.UTF8.GetBytes(s)));
        if (size == 0) return fingerprint;
        var unsigned = fingerprint < 0 ? new BigInteger(fingerprint) + (BigInteger.One << 64) : new BigInteger(fingerprint);
        return (long)(unsigned % size);
    }

    /// <summary>The lower (discrete) quantile: the ⌈n·q⌉-th smallest value.</summary>
    public static double QuantileDisc(IReadOnlyList<double> sorted, double q) => sorted[Math.Max(1, (int)Math.Ceiling(sorted.Count * q)) - 1];

    public static string? Bucket(double? x, IReadOnlyList<double> splits, string format)
    {
        if (x is not { } v || double.IsNaN(v)) return null;
        int i = 1 + splits.Count(s => s <= v);
        string lower = i == 1 ? null! : Number(splits[i - 2]);
        string upper = i == splits.Count + 1 ? null! : Number(splits[i - 1]);
        return format switch
        {
            "bucket_ranges" => (i == 1 ? "(-inf" : "[" + lower) + ", " + (i == splits.Count + 1 ? "+inf)" : upper + ")"),
            "bucket_ranges_json" => "{\"start\": \"" + (i == 1 ? "-Infinity" : lower) + "\", \"end\": \"" + (i == splits.Count + 1 ? "Infinity" : upper) + "\"}",
            _ => "bin_" + i.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Number(double d) => d == Math.Truncate(d) ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Vocabulary: counts ≥ threshold, top_k by count (ties alphabetical), sorted (ordinal).</summary>
    public static List<string> Vocabulary(IEnumerable<string> countedValues, long topK, long threshold) =>
        countedValues.GroupBy(v => v).Select(g => (Value: g.Key, Count: g.Count()))
            .Where(e => e.Count >= threshold).OrderByDescending(e => e.Count).ThenBy(e => e.Value, StringComparer.Ordinal)
            .Take((int)topK).Select(e => e.Value).Order(StringComparer.Ordinal).ToList();

    public static long Index(List<string> vocabulary, string? value) => value is null ? 0 : vocabulary.IndexOf(value) + 1;

    /// <summary>Document frequencies: each distinct non-NULL element once per document.</summary>
    public static IEnumerable<string> DocumentTerms(IEnumerable<string?[]?> docs) =>
        docs.Where(d => d is not null).SelectMany(d => d!.Where(t => t is not null).Distinct()).Select(t => t!);

    public static List<(long Index, double Value)> TfIdf(string?[] doc, List<string> vocabulary, IReadOnlyList<string?[]?> docs)
    {
        int n = docs.Count(d => d is not null);
        var result = new SortedDictionary<long, double>();
        foreach (var term in doc.Distinct())
        {
            int count = doc.Count(t => t == term);
            int df = docs.Count(d => d is not null && d.Contains(term));
            double w = (double)count / doc.Length * Math.Log(1 + (double)n / (1 + df));
            long i = Index(vocabulary, term);
            result[i] = result.GetValueOrDefault(i) + w;
        }
        return result.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public static IEnumerable<int[]> Combinations(int fields, int minSize, int maxSize, bool repetition)
    {
        var result = new List<int[]>();
        void Walk(List<int> current, int start)
        {
            if (current.Count >= minSize) result.Add([.. current]);
            if (current.Count == maxSize) return;
            for (int i = start; i < fields; i++) Walk([.. current, i], repetition ? i : i + 1);
        }
        Walk([], 0);
        return result;
    }
}
