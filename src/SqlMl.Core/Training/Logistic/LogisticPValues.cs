using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using SqlMl.Models;

namespace SqlMl.Training.Logistic;

/// <summary>
/// Wald statistics of a binary LOGISTIC_REG fit (calculate_p_values): the covariance is the inverse of the Hessian of
/// the penalized objective Σ cᵢ ℓᵢ + l2·‖β‖² at the optimum (a pseudo-inverse if it is singular), standard errors its
/// diagonal, p = 2·(1 − Φ(|β / se|)). Raw (input-unit) values: se / Scale for numeric features, and for the raw
/// intercept √(aᵀ Σ a) with a = e₀ − Σⱼ (Centerⱼ / Scaleⱼ) eⱼ. Dropped DUMMY_ENCODING levels have NaN.
/// </summary>
internal static class LogisticPValues
{
    public static CoefficientStats Compute(LogisticObjective objective, double[] theta, LogisticLayout layout)
    {
        objective.Evaluate(theta, new double[theta.Length]);
        var h = Matrix<double>.Build.DenseOfArray(objective.Hessian()) * objective.TotalWeight;
        var evd = h.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        double tol = values.Max(Math.Abs) * Math.Max(values.Length, 10) * 1e-13;
        var inv = Vector<double>.Build.Dense(values.Length, i => values[i] > tol ? 1 / values[i] : 0);
        var cov = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(inv) * evd.EigenVectors.Transpose();

        var columns = new List<int>();
        if (layout.FitIntercept) columns.Add(0);
        for (int j = 0; j < layout.Numeric.Count; j++) columns.Add(layout.NumericColumn(j));
        foreach (var c in layout.Categorical) columns.AddRange(c.Columns);

        var se = new List<double>();
        var pv = new List<double>();
        var rawSe = new List<double>();
        var rawPv = new List<double>();
        foreach (int col in columns)
        {
            double s = col < 0 ? double.NaN : Math.Sqrt(Math.Max(0, cov[col, col]));
            double beta = col < 0 ? double.NaN : theta[col];
            se.Add(s);
            pv.Add(PValue(beta, s));
        }
        int at = 0;
        if (layout.FitIntercept)
        {
            var a = Vector<double>.Build.Dense(theta.Length);
            a[0] = 1;
            double rawIntercept = theta[0];
            for (int j = 0; j < layout.Numeric.Count; j++)
            {
                var f = layout.Numeric[j];
                a[layout.NumericColumn(j)] = -f.Center / f.Scale;
                rawIntercept -= theta[layout.NumericColumn(j)] * f.Center / f.Scale;
            }
            double s = Math.Sqrt(Math.Max(0, a * (cov * a)));
            rawSe.Add(s);
            rawPv.Add(PValue(rawIntercept, s));
            at = 1;
        }
        for (int j = 0; j < layout.Numeric.Count; j++, at++)
        {
            rawSe.Add(se[at] / layout.Numeric[j].Scale);
            rawPv.Add(pv[at]);
        }
        for (; at < columns.Count; at++)
        {
            rawSe.Add(se[at]);
            rawPv.Add(pv[at]);
        }
        return new CoefficientStats(se, pv, rawSe, rawPv);
    }

    private static double PValue(double beta, double se) =>
        double.IsNaN(se) || double.IsNaN(beta) || se == 0 ? double.NaN : SpecialFunctions.Erfc(Math.Abs(beta / se) / Math.Sqrt(2));
}
