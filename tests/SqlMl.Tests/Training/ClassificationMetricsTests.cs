using SqlMl.Evaluation;

namespace SqlMl.Tests.Training;

/// <summary>ClassificationMetrics against scikit-learn's metrics on fixed inputs (numbers from References/logistic_reference.py).</summary>
public class ClassificationMetricsTests
{
    private static void AssertValues(double[] expected, ClassificationMetrics m)
    {
        var actual = m.Values;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]!.Value) < 1e-12, $"{ClassificationMetrics.ColumnNames[i]}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void Binary_metrics_match_sklearn()
    {
        int[] y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
        double[] p1 = [0.9, 0.2, 0.6, 0.4, 0.5, 0.1, 0.8, 0.7, 0.5, 0.3];
        var m = ClassificationMetrics.Compute(y, p1.SelectMany(p => new[] { 1 - p, p }).ToArray(), 2);
        AssertValues([0.6666666666666666, 0.8, 0.7, 0.7272727272727272, 0.5031066598968776, 0.82], m);
    }

    [Fact]
    public void Multiclass_macro_metrics_match_sklearn()
    {
        int[] y = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2];
        double[] p = [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.2, 0.2, 0.6, 0.1, 0.6, 0.3, 0.5, 0.3, 0.2,
            0.4, 0.4, 0.2, 0.1, 0.1, 0.8, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.25, 0.25, 0.5];
        AssertValues([0.6944444444444443, 0.6944444444444443, 0.7, 0.6944444444444443, 0.7921438356864942, 0.8531746031746031],
            ClassificationMetrics.Compute(y, p, 3));
    }

    [Fact]
    public void Threshold_moves_binary_decisions_and_ties_count_as_positive()
    {
        int[] y = [1, 0, 0, 0];
        double[] p = [0.4, 0.6, 0.6, 0.4, 0.3, 0.7, 0.8, 0.2];
        var m = ClassificationMetrics.Compute(y, p, 2, threshold: 0.6);
        // P(1) = 0.6, 0.4, 0.7, 0.2; predicted positive iff P(1) >= 0.6: rows 0 (TP) and 2 (FP)
        Assert.Equal(0.5, m.Precision);
        Assert.Equal(1.0, m.Recall);
        Assert.Equal(0.75, m.Accuracy);
    }

    [Fact]
    public void Label_outside_the_classes_counts_as_wrong_with_log_loss_of_p_zero()
    {
        int[] y = [0, -1];
        double[] p = [0.9, 0.1, 0.5, 0.5];
        var m = ClassificationMetrics.Compute(y, p, 2);
        Assert.Equal(0.5, m.Accuracy);
        Assert.Equal((-Math.Log(0.9) - Math.Log(1e-15)) / 2, m.LogLoss, 12);
    }

    [Fact]
    public void Roc_auc_is_null_with_a_single_actual_class()
    {
        var m = ClassificationMetrics.Compute([1, 1], [0.2, 0.8, 0.6, 0.4], 2);
        Assert.Null(m.RocAuc);
    }
    [Theory]
    [InlineData(200, 1)]
    [InlineData(100_000, 2)]
    public void Roc_auc_with_ties_matches_the_mid_rank_statistic(int n, int seed)
    {
        // Scores on a coarse grid: many ties within and across classes. 100,000 rows take the parallel sort.
        var rnd = new Random(seed);
        var positive = Enumerable.Range(0, n).Select(_ => rnd.NextDouble() < 0.3).ToArray();
        var score = positive.Select(p => Math.Round(rnd.NextDouble() * 0.7 + (p ? 0.3 : 0), 2)).ToArray();
        double expected = n <= 1000 ? PairwiseAuc(score, positive) : MidRankAuc(score, positive);
        Assert.Equal(expected, ClassificationMetrics.Auc(score, positive)!.Value, 12);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(50_000)]
    public void Radix_sort_orders_doubles_as_array_sort(int n)
    {
        // Negatives, both zeros, infinities, tiny and huge magnitudes, many duplicates.
        var rnd = new Random(n);
        double[] specials = [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue];
        var values = Enumerable.Range(0, n).Select(i => i % 17 == 0 ? specials[i % specials.Length]
            : i % 5 == 0 ? Math.Round(rnd.NextDouble(), 2) : (rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-300, 300))).ToArray();
        var expected = values.ToArray();
        Array.Sort(expected);
        DoubleRadixSort.Sort(values);
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < n; i++) Assert.True(expected[i] == values[i], $"position {i}: expected {expected[i]:R}, got {values[i]:R}");
    }

    /// <summary>Σ over (positive, negative) pairs of 1 (positive above), ½ (tie), 0, over the pair count.</summary>
    private static double PairwiseAuc(double[] score, bool[] positive)
    {
        double u = 0;
        long pairs = 0;
        for (int i = 0; i < score.Length; i++)
            for (int j = 0; j < score.Length; j++)
                if (positive[i] && !positive[j])
                {
                    pairs++;
                    u += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                }
        return u / pairs;
    }

    /// <summary>Mann-Whitney from the rank sum of the positives (tied scores share their mean rank).</summary>
    private static double MidRankAuc(double[] score, bool[] positive)
    {
        var order = Enumerable.Range(0, score.Length).OrderBy(i => score[i]).ToArray();
        double rankSum = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && score[order[j + 1]] == score[order[i]]) j++;
            for (int k = i; k <= j; k++)
                if (positive[order[k]]) rankSum += (i + j) / 2.0 + 1;
            i = j + 1;
        }
        double pos = positive.Count(b => b), neg = score.Length - pos;
        return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
    }
}
