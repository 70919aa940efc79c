namespace SqlMl.Tests.Training;

/// <summary>
/// The independent reference: multinomial (K scores) or binary (1 score, the log-odds of class 1) logistic regression by
/// plain dense Newton with step halving, on an explicit design matrix; minimizes Σ cᵢ ℓᵢ + l2·Σ penalized θ².
/// </summary>
internal static class PlainLogistic
{
    public static double[][] Fit(double[][] x, int[] y, int classes, double l2, double[]? classWeight = null, int unpenalized = 0, int iterations = 100)
    {
        int n = x.Length, f = x[0].Length, s = classes == 2 ? 1 : classes, p = s * f;
        var c = y.Select(k => classWeight?[k] ?? 1.0).ToArray();
        var theta = new double[p];
        for (int it = 0; it < iterations; it++)
        {
            var (g, h) = GradientHessian(x, y, c, theta, s, f, l2, unpenalized);
            for (int i = 0; i < p; i++) h[i, i] += 1e-12; // the softmax's redundant intercept direction
            var d = PlainLinearAlgebra.Solve(h, g.Select(v => -v).ToArray());
            double f0 = Objective(x, y, c, theta, s, f, l2, unpenalized), t = 1;
            while (t > 1e-12)
            {
                var trial = theta.Select((v, i) => v + t * d[i]).ToArray();
                if (Objective(x, y, c, trial, s, f, l2, unpenalized) <= f0) { theta = trial; break; }
                t /= 2;
            }
            if (g.Max(Math.Abs) < 1e-13) break;
        }
        return Enumerable.Range(0, s).Select(k => theta.Skip(k * f).Take(f).ToArray()).ToArray();
    }

    public static double Objective(double[][] x, int[] y, double[] c, double[] theta, int s, int f, double l2, int unpenalized)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            var p = Probabilities(x[i], theta, s, f);
            int k = s == 1 ? y[i] : y[i];
            sum -= c[i] * Math.Log(p[k]);
        }
        for (int i = 0; i < theta.Length; i++)
            if (i % f >= unpenalized) sum += l2 * theta[i] * theta[i];
        return sum;
    }

    /// <summary>Class probabilities (K of them) of one row.</summary>
    public static double[] Probabilities(double[] row, double[] theta, int s, int f)
    {
        var z = new double[s];
        for (int k = 0; k < s; k++)
            for (int j = 0; j < f; j++) z[k] += theta[k * f + j] * row[j];
        if (s == 1) return [1 / (1 + Math.Exp(z[0])), 1 / (1 + Math.Exp(-z[0]))];
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    private static (double[] G, double[,] H) GradientHessian(double[][] x, int[] y, double[] c, double[] theta, int s, int f, double l2, int unpenalized)
    {
        int p = s * f;
        var g = new double[p];
        var h = new double[p, p];
        for (int i = 0; i < x.Length; i++)
        {
            var prob = Probabilities(x[i], theta, s, f);
            var q = s == 1 ? [prob[1]] : prob;
            for (int k = 0; k < s; k++)
            {
                double target = s == 1 ? (y[i] == 1 ? 1 : 0) : (y[i] == k ? 1 : 0);
                for (int a = 0; a < f; a++) g[k * f + a] += c[i] * (q[k] - target) * x[i][a];
                for (int l = 0; l < s; l++)
                {
                    double w = c[i] * q[k] * ((k == l ? 1 : 0) - q[l]);
                    for (int a = 0; a < f; a++)
                        for (int b = 0; b < f; b++) h[k * f + a, l * f + b] += w * x[i][a] * x[i][b];
                }
            }
        }
        for (int i = 0; i < p; i++)
            if (i % f >= unpenalized)
            {
                g[i] += 2 * l2 * theta[i];
                h[i, i] += 2 * l2;
            }
        return (g, h);
    }
}
