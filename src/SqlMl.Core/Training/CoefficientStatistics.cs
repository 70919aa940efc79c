using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using SqlMl.Models;

namespace SqlMl.Training;

/// <summary>
/// calculate_p_values for LINEAR_REG, as statsmodels OLS: σ² = RSS / (n − p) with p the number of fitted
/// coefficients (intercept included), covariance σ²·A⁻¹·XᵀX·A⁻¹ with A = XᵀX + l2·R (the sandwich form of the ridge
/// estimator; with l2 = 0 it is σ²(XᵀX)⁻¹, the OLS covariance), and two-sided p-values from Student's t with n − p
/// degrees of freedom. Raw (input-unit) values divide a numeric feature's by its scale; the raw intercept's variance
/// is aᵀ·Cov·a for a = (1, −Center/Scale …). A dropped DUMMY_ENCODING level has NaN.
/// </summary>
internal static class CoefficientStatistics
{
    public static CoefficientStats Compute(DesignMap design, double[,] xtx, double l2, LinearModel model, double sse, double n, string modelName)
    {
        int f = design.Features.Count;
        double df = n - f;
        if (df < 1)
            throw Errors.Training($"CREATE MODEL {modelName}: calculate_p_values needs more training rows ({n:0}) than fitted coefficients ({f}).");
        var g = Matrix<double>.Build.DenseOfArray(xtx);
        var a = g.Clone();
        for (int j = 0; j < f; j++)
            if (!design.IsIntercept(j)) a[j, j] += l2;
        var evd = a.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        if (values.Min() <= values.Max() * Math.Max(f, 10) * 1e-13)
            throw Errors.Training($"CREATE MODEL {modelName}: calculate_p_values: the features are linearly dependent (a constant, duplicated or collinear column, or a one-hot category set beside the intercept), so standard errors are undefined. Remove the dependent columns; categorical features need category_encoding_method = 'DUMMY_ENCODING'.");
        var inverse = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(values.Select(v => 1 / v).ToArray()) * evd.EigenVectors.Transpose();
        var cov = inverse * g * inverse * (sse / df);

        var map = design.CoefficientFeatures();
        var standardized = model.Coefficients(standardized: true);
        var raw = model.Coefficients(standardized: false);
        var se = new double[map.Count];
        var rawSe = new double[map.Count];
        int numericStart = model.FitIntercept ? 1 : 0;
        for (int i = 0; i < map.Count; i++)
        {
            int feature = map[i];
            se[i] = feature < 0 ? double.NaN : Math.Sqrt(Math.Max(0, cov[feature, feature]));
            int j = i - numericStart;
            rawSe[i] = j >= 0 && j < model.Numeric.Count ? se[i] / model.Numeric[j].Scale : se[i];
        }
        if (model.FitIntercept)
        {
            var v = Vector<double>.Build.Dense(f);
            v[0] = 1;
            for (int j = 0; j < model.Numeric.Count; j++)
            {
                var (scale, center) = design.Standardization(j);
                v[map[numericStart + j]] = -center / scale;
            }
            rawSe[0] = Math.Sqrt(Math.Max(0, v * cov * v));
        }
        return new CoefficientStats(se, PValues(standardized, se, df), rawSe, PValues(raw, rawSe, df));
    }

    private static double[] PValues(IReadOnlyList<double> coefficients, double[] se, double df) =>
        coefficients.Select((c, i) => double.IsNaN(se[i]) ? double.NaN
            : se[i] == 0 ? (c == 0 ? 1 : 0)
            : 2 * StudentT.CDF(0, 1, df, -Math.Abs(c / se[i]))).ToArray();
}
