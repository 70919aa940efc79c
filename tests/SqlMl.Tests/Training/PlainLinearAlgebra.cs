namespace SqlMl.Tests.Training;

/// <summary>The independent reference: textbook least squares, written plainly, no shared code with the trainer.</summary>
internal static class PlainLinearAlgebra
{
    /// <summary>Solves A x = b by Gaussian elimination with partial pivoting.</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int pivot = k;
            for (int i = k + 1; i < n; i++)
                if (Math.Abs(m[i, k]) > Math.Abs(m[pivot, k])) pivot = i;
            if (pivot != k)
            {
                for (int j = 0; j < n; j++) (m[k, j], m[pivot, j]) = (m[pivot, j], m[k, j]);
                (x[k], x[pivot]) = (x[pivot], x[k]);
            }
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i, k] / m[k, k];
                for (int j = k; j < n; j++) m[i, j] -= f * m[k, j];
                x[i] -= f * x[k];
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int j = i + 1; j < n; j++) s -= m[i, j] * x[j];
            x[i] = s / m[i, i];
        }
        return x;
    }

    /// <summary>Least squares with an optional ridge penalty on every column but <paramref name="unpenalized"/>: (XᵀX + λD) w = Xᵀy.</summary>
    public static double[] LeastSquares(double[][] rows, double[] y, double lambda = 0, int unpenalized = -1)
    {
        int p = rows[0].Length;
        var xtx = new double[p, p];
        var xty = new double[p];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int i = 0; i < p; i++)
            {
                xty[i] += rows[r][i] * y[r];
                for (int j = 0; j < p; j++) xtx[i, j] += rows[r][i] * rows[r][j];
            }
        }
        for (int i = 0; i < p; i++)
            if (i != unpenalized) xtx[i, i] += lambda;
        return Solve(xtx, xty);
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
