namespace SqlMl.Tests.Training;

/// <summary>
/// A deliberately plain k-means reference: encoding (standardize with mean and sample standard deviation, NULL →
/// mean, one-hot with NULL as a category) and Lloyd's algorithm written with nested loops and direct
/// Σ(x − c)² distances, to check SqlMl's trainer and SQL against.
/// </summary>
internal static class PlainKMeans
{
    public sealed record Result(double[][] Centroids, int[] Labels, List<double> Losses);

    /// <summary>Encodes numeric columns (NULL = null) as (x̃ − mean) / sd, or x̃ unchanged when not standardizing.</summary>
    public static double[][] Encode(IReadOnlyList<double?[]> numeric, IReadOnlyList<string?[]> categorical, IReadOnlyList<string?[]>? vocabularies, bool standardize, out double[] means, out double[] sds)
    {
        int n = numeric.Count > 0 ? numeric[0].Length : categorical[0].Length;
        means = numeric.Select(c => c.Where(v => v.HasValue).Average(v => v!.Value)).ToArray();
        var m = means;
        sds = numeric.Select((c, j) =>
        {
            var vals = c.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
            return Math.Sqrt(vals.Sum(v => (v - m[j]) * (v - m[j])) / (vals.Length - 1));
        }).ToArray();
        var rows = new double[n][];
        for (int r = 0; r < n; r++)
        {
            var row = new List<double>();
            for (int j = 0; j < numeric.Count; j++)
            {
                double x = numeric[j][r] ?? means[j];
                row.Add(standardize ? (x - means[j]) / (sds[j] > 0 ? sds[j] : 1) : x);
            }
            for (int c = 0; c < categorical.Count; c++)
                foreach (var v in vocabularies![c]) row.Add(categorical[c][r] == v ? 1 : 0);
            rows[r] = [.. row];
        }
        return rows;
    }

    public static double Distance2(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    /// <summary>Cosine distance² = 1 − cos (cos taken as 0 for a zero vector).</summary>
    public static double Cosine2(double[] a, double[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return 1 - (na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0);
    }

    /// <summary>Lloyd from <paramref name="init"/>: the loop SqlMl documents (update, reassign, stop on no change, max or early stop).</summary>
    public static Result Lloyd(double[][] x, double[][] init, int maxIterations, bool earlyStop, double minRelProgress, bool cosine = false)
    {
        int n = x.Length, k = init.Length, d = x[0].Length;
        var points = cosine ? x.Select(Unit).ToArray() : x;
        var c = init.Select(v => cosine ? Unit(v) : (double[])v.Clone()).ToArray();
        var (labels, loss) = Assign(points, c, cosine);
        var losses = new List<double>();
        for (int it = 0; it < maxIterations; it++)
        {
            for (int j = 0; j < k; j++)
            {
                var mean = new double[d];
                int count = 0;
                for (int r = 0; r < n; r++)
                {
                    if (labels[r] != j) continue;
                    count++;
                    for (int i = 0; i < d; i++) mean[i] += points[r][i];
                }
                if (count == 0) throw new InvalidOperationException("empty cluster in the reference");
                for (int i = 0; i < d; i++) mean[i] /= count;
                c[j] = mean;
            }
            var (next, nextLoss) = Assign(points, c, cosine);
            losses.Add(nextLoss);
            bool same = next.SequenceEqual(labels);
            bool stalled = earlyStop && loss - nextLoss < minRelProgress * loss;
            labels = next;
            if (same || stalled) break;
            loss = nextLoss;
        }
        return new Result(c, labels, losses);
    }

    public static (int[] Labels, double Loss) Assign(double[][] x, double[][] c, bool cosine = false)
    {
        var labels = new int[x.Length];
        double total = 0;
        for (int r = 0; r < x.Length; r++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < c.Length; j++)
            {
                double d = cosine ? Cosine2(x[r], c[j]) : Distance2(x[r], c[j]);
                if (d < best) { best = d; labels[r] = j; }
            }
            total += best;
        }
        return (labels, total / x.Length);
    }

    public static double[] Unit(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(a => a * a));
        return norm > 0 ? v.Select(a => a / norm).ToArray() : (double[])v.Clone();
    }
}
