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
}
