using SqlMl.Options;
using SqlMl.Training.Logistic;
using static SqlMl.Tests.Training.LogisticTestSupport;

namespace SqlMl.Tests.Training;

/// <summary>
/// LOGISTIC_REG's parallel passes over <see cref="RowChunks"/>: designs large enough for several chunks, checked against
/// plain row-by-row sums written here.
/// </summary>
public class LogisticRowChunkTests
{
    /// <summary>40,000 rows: two chunks of at least <see cref="RowChunks.MinChunkRows"/> rows.</summary>
    private const int Rows = 40_000;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Objective_gradient_and_fused_hessian_over_row_chunks_match_plain_sums(int classes)
    {
        var data = Synthetic(Rows, 3, classes, seed: 11, correlation: 0.5);
        var (x, _) = Design(data, classes, classes == 2 ? [0.5, 2] : [0.5, 2, 1.25]);
        Assert.True(new RowChunks(x.PaddedRows).Count > 1, "the design spans several row chunks");
        int scores = classes == 2 ? 1 : classes;
        const double l2 = 0.7;
        var objective = new LogisticObjective(x, scores, l2, fitIntercept: true);
        var rnd = new Random(5);
        var theta = Enumerable.Range(0, objective.Parameters).Select(_ => rnd.NextDouble() - 0.5).ToArray();

        var grad = new double[theta.Length];
        double value = objective.Evaluate(theta, grad);
        var fused = new double[theta.Length];
        var hessian = objective.Hessian(fused);

        var (pv, pg, ph) = Plain(x, scores, theta, l2);
        AssertClose(pv, value, 1e-12, 0, "objective");
        for (int a = 0; a < theta.Length; a++)
        {
            AssertClose(pg[a], grad[a], 1e-10, 1e-13, $"gradient {a}");
            AssertClose(pg[a], fused[a], 1e-10, 1e-13, $"gradient from the Hessian pass {a}");
            for (int b = 0; b < theta.Length; b++) AssertClose(ph[a, b], hessian[a, b], 1e-10, 1e-13, $"Hessian ({a}, {b})");
        }

        // Moving along a direction keeps the residuals for the fused pass: its gradient is the gradient there.
        var d = Enumerable.Range(0, theta.Length).Select(_ => rnd.NextDouble() - 0.5).ToArray();
        objective.SetDirection(d);
        var moved = theta.Select((v, i) => v + 0.5 * d[i]).ToArray();
        AssertClose(Plain(x, scores, moved, l2).Value, objective.ValueAlong(theta, d, 0.5), 1e-12, 0, "value along d");
        double movedValue = objective.EvaluateAlong(moved, default, 0.5, keepResiduals: true);
        objective.Hessian(fused);
        var (mv, mg, _) = Plain(x, scores, moved, l2);
        AssertClose(mv, movedValue, 1e-12, 0, "objective after the move");
        for (int a = 0; a < theta.Length; a++) AssertClose(mg[a], fused[a], 1e-10, 1e-13, $"gradient after the move {a}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_over_several_row_chunks_reaches_the_optimum(int classes)
    {
        // Strictly convex (l2 > 0, Hessian eigenvalues ≥ 2·l2 / S = 1e-4): f(fit) − f* ≤ ‖g‖² / (2·1e-4) < 5e-10 for every |gᵢ| < 1e-7 (9 coefficients).
        var data = Synthetic(Rows, 2, classes, seed: 3, correlation: 0.8, scales: [100, 0.01]);
        var result = Train(data, Opts(l2: 2), classes == 2 ? ["a", "b"] : ["a", "b", "c"]);
        Assert.Equal(LogisticStop.Converged, result.Stop);
        var (x, _) = Design(data, classes, [1, 1, 1]);
        var theta = result.Model.Scores.SelectMany(Coefficients).ToArray();
        var gradient = Plain(x, classes == 2 ? 1 : classes, theta, 2).Gradient;
        Assert.True(gradient.Max(Math.Abs) < 1e-7, $"gradient at the fit: max |g| = {gradient.Max(Math.Abs):E2}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    public void Newton_reuses_the_hessian_in_its_last_iterations_and_still_reaches_the_optimum(double l2)
    {
        var data = Synthetic(Rows, 3, 2, seed: 8, correlation: 0.9, scales: [1000, 1, 0.001]);
        var (x, _) = Design(data, 2, [1, 1]);
        var objective = new LogisticObjective(x, 1, l2, fitIntercept: true);
        var newton = new NewtonOptimizer(objective, new double[objective.Parameters]);
        int iterations = 0;
        while (!newton.Step().Converged) Assert.True(++iterations < 50, "Newton converges");
        Assert.True(newton.ReusedHessians >= 1, "the verifying iteration reuses the previous Hessian");
        var gradient = Plain(x, 1, newton.Theta, l2).Gradient;
        Assert.True(gradient.Max(Math.Abs) < 1e-9, $"gradient at the fit: max |g| = {gradient.Max(Math.Abs):E2}");
    }

    private static (DesignMatrix X, LogisticLayout Layout) Design(LogisticTestData data, int classes, double[] weights)
    {
        var raw = LogisticRawData.Read(data, new DataSplitOptions(DataSplitMethod.NoSplit, null, null), classes, "m", CancellationToken.None);
        var layout = LogisticLayout.Build(raw, data.Schema, data.Dictionaries, true, CategoryEncoding.OneHot, null, "m");
        return (DesignMatrix.Build(raw, layout, layout.CodeColumns(data.Dictionaries), weights, eval: false), layout);
    }

    /// <summary>f, ∇f and ∇²f of (Σ cᵢ ℓᵢ + l2·Σ θ² over non-intercept coefficients) / Σ cᵢ, row by row.</summary>
    private static (double Value, double[] Gradient, double[,] Hessian) Plain(DesignMatrix x, int scores, double[] theta, double l2)
    {
        int f = x.Columns, p = theta.Length;
        double total = 0, loss = 0;
        var g = new double[p];
        var h = new double[p, p];
        var row = new double[f];
        var z = new double[scores];
        var prob = new double[scores];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int j = 0; j < f; j++) row[j] = x.Cols[j][i];
            double c = x.Weight[i];
            int y = x.Label[i];
            total += c;
            for (int k = 0; k < scores; k++)
            {
                z[k] = 0;
                for (int j = 0; j < f; j++) z[k] += theta[k * f + j] * row[j];
            }
            if (scores == 1)
            {
                prob[0] = 1 / (1 + Math.Exp(-z[0]));
                loss += c * (Math.Log(1 + Math.Exp(z[0])) - y * z[0]);
            }
            else
            {
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                for (int k = 0; k < scores; k++) prob[k] = Math.Exp(z[k] - max) / sum;
                loss -= c * Math.Log(prob[y]);
            }
            for (int k = 0; k < scores; k++)
            {
                double target = scores == 1 ? y : (y == k ? 1 : 0);
                for (int a = 0; a < f; a++) g[k * f + a] += c * (prob[k] - target) * row[a];
                for (int l = 0; l < scores; l++)
                {
                    double w = scores == 1 ? prob[0] * (1 - prob[0]) : prob[k] * ((k == l ? 1 : 0) - prob[l]);
                    for (int a = 0; a < f; a++)
                        for (int b = 0; b < f; b++) h[k * f + a, l * f + b] += c * w * row[a] * row[b];
                }
            }
        }
        double penalty = 0;
        for (int a = 0; a < p; a++)
        {
            g[a] /= total;
            for (int b = 0; b < p; b++) h[a, b] /= total;
            if (a % f == 0) continue;
            penalty += theta[a] * theta[a];
            g[a] += 2 * l2 * theta[a] / total;
            h[a, a] += 2 * l2 / total;
        }
        return ((loss + l2 * penalty) / total, g, h);
    }
}
