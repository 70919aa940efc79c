using SqlMl.Training.Logistic;
using static SqlMl.Tests.Training.LogisticTestSupport;

namespace SqlMl.Tests.Training;

/// <summary>LOGISTIC_REG's optimizer against <see cref="PlainLogistic"/> (dense Newton written plainly) on synthetic data.</summary>
public class LogisticTrainerTests
{
    private static readonly string[] Binary = ["a", "b"];
    private static readonly string[] Three = ["a", "b", "c"];

    private static double[][] Columns(LogisticTestData d) => d.NumericColumns.Select(c => c.Select(v => v!.Value).ToArray()).ToArray();

    private static void AssertMatchesPlain(LogisticTrainingResult result, LogisticTestData data, int classes, double l2, double[]? classWeights = null)
    {
        var x = StandardizedDesign(Columns(data));
        var plain = PlainLogistic.Fit(x, data.Labels, classes, l2, classWeights, unpenalized: 1);
        if (plain.Length > 1) Center(plain);
        Assert.Equal(plain.Length, result.Model.Scores.Count);
        for (int s = 0; s < plain.Length; s++)
        {
            var actual = Coefficients(result.Model.Scores[s]);
            for (int j = 0; j < plain[s].Length; j++) AssertClose(plain[s][j], actual[j], 1e-5, 1e-7, $"score {s} coefficient {j}");
        }
        var c = data.Labels.Select(k => classWeights?[k] ?? 1.0).ToArray();
        int f = x[0].Length, sc = plain.Length;
        double expected = PlainLogistic.Objective(x, data.Labels, c, plain.SelectMany(v => v).ToArray(), sc, f, l2, 1);
        double got = PlainLogistic.Objective(x, data.Labels, c, result.Model.Scores.SelectMany(Coefficients).ToArray(), sc, f, l2, 1);
        AssertClose(expected, got, 1e-6, 0, "objective");
    }

    private static void Center(double[][] theta)
    {
        for (int j = 0; j < 1; j++)
        {
            double mean = theta.Average(t => t[j]);
            foreach (var t in theta) t[j] -= mean;
        }
    }

    [Fact]
    public void Binary_l2_fit_matches_plain_newton()
    {
        var data = Synthetic(400, 4, 2, seed: 1);
        var result = Train(data, Opts(l2: 3.5), Binary);
        AssertMatchesPlain(result, data, 2, 3.5);
        Assert.Equal(LogisticStop.Converged, result.Stop);
    }

    [Fact]
    public void Multiclass_fit_above_the_newton_size_goes_through_lbfgs_and_matches_plain_newton()
    {
        // 4 classes × (76 features + intercept) = 308 coefficients: more than Newton takes, so Train uses L-BFGS.
        var data = Synthetic(600, 76, 4, seed: 11);
        var result = Train(data, Opts(l2: 2, maxIterations: 2000), ["a", "b", "c", "d"]);
        AssertMatchesPlain(result, data, 4, 2);
        Assert.Equal(LogisticStop.Converged, result.Stop);
    }

    [Fact]
    public void Unregularized_fit_on_ill_conditioned_unstandardized_features_reaches_the_optimum()
    {
        var data = Synthetic(600, 5, 2, seed: 2, correlation: 0.995, scales: [1e-3, 1, 1e3, 50, 1e5]);
        var result = Train(data, Opts(), Binary);
        AssertMatchesPlain(result, data, 2, 0);
    }

    [Fact]
    public void Multiclass_with_l2_and_class_weights_matches_plain_newton()
    {
        var data = Synthetic(450, 3, 3, seed: 3);
        double[] weights = [0.5, 2, 1.25];
        var result = Train(data, Opts(l2: 1.5, classWeights: [new("a", 0.5), new("b", 2), new("c", 1.25)]), Three);
        AssertMatchesPlain(result, data, 3, 1.5, weights);
        var intercepts = result.Model.Scores.Select(s => s.Intercept).ToArray();
        Assert.True(Math.Abs(intercepts.Sum()) < 1e-9, "multiclass intercepts are centred");
    }

    [Fact]
    public void Binary_class_weights_match_plain_newton()
    {
        var data = Synthetic(300, 3, 2, seed: 4);
        var result = Train(data, Opts(l2: 0.25, classWeights: [new("b", 3), new("a", 0.5)]), Binary);
        AssertMatchesPlain(result, data, 2, 0.25, [0.5, 3]);
    }

    [Fact]
    public void Quasi_newton_reaches_the_same_optimum_as_newton()
    {
        var data = Synthetic(500, 6, 3, seed: 5, correlation: 0.9);
        var x = StandardizedDesign(Columns(data));
        var plain = PlainLogistic.Fit(x, data.Labels, 3, 0.75, unpenalized: 1);
        Center(plain);
        // Build the trainer's objective directly to drive L-BFGS (the trainer picks Newton at this size).
        var raw = LogisticRawData.Read(data, Opts().Split, 3, "m", CancellationToken.None);
        var layout = LogisticLayout.Build(raw, data.Schema, data.Dictionaries, true, SqlMl.Options.CategoryEncoding.OneHot, null, "m");
        var design = DesignMatrix.Build(raw, layout, layout.CodeColumns(data.Dictionaries), [1, 1, 1], eval: false);
        var objective = new LogisticObjective(design, 3, 0.75, true);
        var theta = new double[objective.Parameters];
        var lbfgs = new QuasiNewtonOptimizer(objective, theta, 0, 0.1);
        for (int it = 0; it < 500 && !lbfgs.Step().Converged; it++) { }
        int f = layout.Columns;
        for (int j = 0; j < f; j++)
        {
            double mean = (theta[j] + theta[f + j] + theta[2 * f + j]) / 3;
            for (int s = 0; s < 3; s++) AssertClose(plain[s][j], theta[s * f + j] - (j == 0 ? mean : 0), 1e-5, 1e-7, $"score {s} coefficient {j}");
        }
    }
}
