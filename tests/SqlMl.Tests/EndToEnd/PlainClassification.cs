namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// The agreed classification metrics computed plainly (loops, pairwise AUC), to check the SQL of ML.EVALUATE,
/// ML.CONFUSION_MATRIX and ML.ROC_CURVE. A row is (class probabilities, actual class index or −1 for a label
/// that is not a class, predicted class index).
/// </summary>
internal static class PlainClassification
{
    public sealed record Metrics(double? Precision, double? Recall, double? Accuracy, double? F1, double? LogLoss, double? RocAuc);

    public static Metrics Evaluate(IReadOnlyList<(double[] P, int Y, int K)> rows, bool binary)
    {
        if (rows.Count == 0) return new Metrics(null, null, null, null, null, null);
        int classes = rows[0].P.Length;
        var included = binary ? [1] : Enumerable.Range(0, classes).Where(c => rows.Any(r => r.Y == c)).ToList();
        var prec = new List<double>();
        var rec = new List<double>();
        var f1 = new List<double>();
        var auc = new List<double>();
        foreach (int c in included)
        {
            int tp = rows.Count(r => r.Y == c && r.K == c), predicted = rows.Count(r => r.K == c), actual = rows.Count(r => r.Y == c);
            double p = predicted == 0 ? 0 : (double)tp / predicted;
            prec.Add(p);
            if (actual == 0) continue;
            double rc = (double)tp / actual;
            rec.Add(rc);
            f1.Add(p + rc > 0 ? 2 * p * rc / (p + rc) : 0);
            if (Auc(rows.Select(r => (r.P[c], r.Y == c)).ToList()) is { } a) auc.Add(a);
        }
        double? Mean(List<double> v) => v.Count == 0 ? null : v.Average();
        return new Metrics(Mean(prec), Mean(rec), rows.Average(r => r.Y == r.K ? 1.0 : 0.0), Mean(f1),
            rows.Average(r => -Math.Log(Math.Max(r.Y >= 0 ? r.P[r.Y] : 0, 1e-15))), Mean(auc));
    }

    /// <summary>Mann-Whitney AUC with ties counted half; null without positives or negatives.</summary>
    public static double? Auc(IReadOnlyList<(double Score, bool Positive)> rows)
    {
        var pos = rows.Where(r => r.Positive).Select(r => r.Score).ToList();
        var neg = rows.Where(r => !r.Positive).Select(r => r.Score).ToList();
        if (pos.Count == 0 || neg.Count == 0) return null;
        double sum = 0;
        foreach (double a in pos)
            foreach (double b in neg)
                sum += a > b ? 1 : a == b ? 0.5 : 0;
        return sum / ((double)pos.Count * neg.Count);
    }

    /// <summary>(TP, FP, TN, FN) at a threshold: positive = class 1, predicted positive iff P(class 1) ≥ t.</summary>
    public static (long Tp, long Fp, long Tn, long Fn) Counts(IReadOnlyList<(double[] P, int Y, int K)> rows, double t) =>
        (rows.Count(r => r.Y == 1 && r.P[1] >= t), rows.Count(r => r.Y != 1 && r.P[1] >= t),
         rows.Count(r => r.Y != 1 && r.P[1] < t), rows.Count(r => r.Y == 1 && r.P[1] < t));
}
