namespace SqlMl.Evaluation;

/// <summary>
/// BigQuery ML's classification metrics as SqlMl defines them (docs/semantics.md, LOGISTIC_REG): labels are class
/// indexes (−1 for a label that is not a model class), probabilities one row of K per label.
/// Binary (K = 2, positive class 1): precision, recall and F1 of the positive class with "positive iff P(1) ≥ threshold";
/// a label outside the classes counts as a negative. Multiclass: predicted = argmax (ties → lower index); precision,
/// recall and F1 are macro averages over the classes occurring among the actual labels (a class never predicted has
/// precision 0; F1 macro is the mean of per-class F1). accuracy = fraction correct; log_loss = mean −ln(max(p_true, 1e-15))
/// (p_true = 0 for a label outside the classes); roc_auc: binary AUC of P(1), ties counted half (Mann-Whitney), NULL
/// without both positives and negatives; multiclass the mean one-vs-rest AUC over classes occurring among the actual
/// labels that also have negatives (NULL when none). Division by zero in precision, recall or F1 gives 0.
/// </summary>
internal sealed record ClassificationMetrics(double Precision, double Recall, double Accuracy, double F1Score, double LogLoss, double? RocAuc)
{
    public static readonly IReadOnlyList<string> ColumnNames = ["precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"];

    public IReadOnlyList<double?> Values => [Precision, Recall, Accuracy, F1Score, LogLoss, RocAuc];

    public IReadOnlyList<KeyValuePair<string, double?>> Named => ColumnNames.Zip(Values, (n, v) => new KeyValuePair<string, double?>(n, v)).ToList();

    public static ClassificationMetrics Compute(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int classes, double threshold = 0.5)
    {
        int n = labels.Length;
        if (n == 0) throw new ArgumentException("no rows", nameof(labels));
        if (probabilities.Length != n * classes) throw new ArgumentException("one row of probabilities per label", nameof(probabilities));
        double logLoss = 0;
        for (int i = 0; i < n; i++)
        {
            double pTrue = labels[i] >= 0 ? probabilities[i * classes + labels[i]] : 0;
            logLoss -= Math.Log(Math.Max(pTrue, 1e-15));
        }
        logLoss /= n;
        return classes == 2 ? Binary(labels, probabilities, threshold, logLoss) : Multiclass(labels, probabilities, classes, logLoss);
    }

    private static ClassificationMetrics Binary(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, double threshold, double logLoss)
    {
        int n = labels.Length;
        long tp = 0, fp = 0, fn = 0, correct = 0;
        var score = new double[n];
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            score[i] = probabilities[2 * i + 1];
            positive[i] = labels[i] == 1;
            bool predicted = score[i] >= threshold;
            if (predicted && positive[i]) tp++;
            else if (predicted) fp++;
            else if (positive[i]) fn++;
            if (labels[i] >= 0 && (predicted ? 1 : 0) == labels[i]) correct++;
        }
        double precision = Ratio(tp, tp + fp), recall = Ratio(tp, tp + fn);
        return new ClassificationMetrics(precision, recall, (double)correct / n, F1(precision, recall), logLoss, Auc(score, positive));
    }

    private static ClassificationMetrics Multiclass(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int classes, double logLoss)
    {
        int n = labels.Length;
        var actual = new long[classes];
        var predictedCount = new long[classes];
        var hits = new long[classes];
        long correct = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int k = 1; k < classes; k++)
                if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
            predictedCount[best]++;
            if (labels[i] < 0) continue;
            actual[labels[i]]++;
            if (best == labels[i]) { hits[best]++; correct++; }
        }
        double precision = 0, recall = 0, f1 = 0, auc = 0;
        int present = 0, aucClasses = 0;
        var score = new double[n];
        var positive = new bool[n];
        for (int k = 0; k < classes; k++)
        {
            if (actual[k] == 0) continue;
            present++;
            double p = Ratio(hits[k], predictedCount[k]), r = Ratio(hits[k], actual[k]);
            precision += p;
            recall += r;
            f1 += F1(p, r);
            for (int i = 0; i < n; i++)
            {
                score[i] = probabilities[i * classes + k];
                positive[i] = labels[i] == k;
            }
            if (Auc(score, positive) is { } a) { auc += a; aucClasses++; }
        }
        if (present == 0) return new ClassificationMetrics(0, 0, (double)correct / n, 0, logLoss, null);
        return new ClassificationMetrics(precision / present, recall / present, (double)correct / n, f1 / present, logLoss,
            aucClasses > 0 ? auc / aucClasses : null);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

    /// <summary>
    /// Mann-Whitney AUC: P(score of a positive &gt; score of a negative), ties counted half; null without both. The
    /// positives' and the negatives' scores are sorted apart (DoubleRadixSort, side by side for large inputs), then one
    /// merge counts, for each positive, the negatives below it and those tied with it: U = Σ (below + tied / 2), kept
    /// as the integer 2U, so the only rounding is the final division.
    /// </summary>
    internal static double? Auc(double[] score, bool[] positive)
    {
        int n = score.Length, positives = 0;
        foreach (bool b in positive) positives += b ? 1 : 0;
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) return null;
        var pos = GC.AllocateUninitializedArray<double>(positives);
        var neg = GC.AllocateUninitializedArray<double>(negatives);
        for (int i = 0, a = 0, b = 0; i < n; i++)
            if (positive[i]) pos[a++] = score[i];
            else neg[b++] = score[i];
        if (n >= ParallelSortRows) Parallel.Invoke(() => DoubleRadixSort.Sort(pos), () => DoubleRadixSort.Sort(neg));
        else
        {
            DoubleRadixSort.Sort(pos);
            DoubleRadixSort.Sort(neg);
        }
        long twiceU = 0;
        int below = 0; // negatives strictly below the current positive score
        for (int i = 0; i < positives;)
        {
            double s = pos[i];
            while (below < negatives && neg[below] < s) below++;
            int tiedEnd = below;
            while (tiedEnd < negatives && neg[tiedEnd] == s) tiedEnd++;
            int same = i;
            while (same < positives && pos[same] == s) same++;
            twiceU += (long)(same - i) * (2L * below + (tiedEnd - below));
            i = same;
        }
        return twiceU / (2.0 * positives * negatives);
    }

    /// <summary>From this many rows on, <see cref="Auc"/> sorts the two classes' scores in parallel.</summary>
    private const int ParallelSortRows = 1 << 16;
}
