using SqlMl.Options;
using SqlMl.Training.Logistic;

namespace SqlMl.Tests.Training;

/// <summary>Options, training calls and tolerance checks shared by the LOGISTIC_REG trainer tests.</summary>
internal static class LogisticTestSupport
{
    public static GlmOptions Opts(double l1 = 0, double l2 = 0, int maxIterations = 100, bool earlyStop = false, double minRelProgress = 0.01,
        bool fitIntercept = true, IReadOnlyList<KeyValuePair<string, double>>? classWeights = null, bool autoClassWeights = false,
        bool pValues = false, bool explain = false, CategoryEncoding encoding = CategoryEncoding.OneHot, DataSplitOptions? split = null,
        LearnRateStrategy strategy = LearnRateStrategy.LineSearch, double learnRate = 0.1, bool warmStart = false) =>
        new(GlmOptions.LogisticReg, "y", l1, l2, fitIntercept, OptimizeStrategy.AutoStrategy, strategy, learnRate, 0.1, maxIterations,
            earlyStop, minRelProgress, warmStart, classWeights, autoClassWeights, pValues, explain, encoding,
            split ?? new DataSplitOptions(DataSplitMethod.NoSplit, null, null));

    public static LogisticTrainingResult Train(LogisticTestData data, GlmOptions options, string[] classes, Models.LogisticModel? warm = null, int run = 0) =>
        LogisticRegressionTrainer.Train(data, options, new LogisticLabels("y", "VARCHAR", classes), "m", warm, run, CancellationToken.None);

    public static void AssertClose(double expected, double actual, double relative, double absoluteFloor = 1e-12, string what = "")
    {
        double tol = relative * Math.Max(Math.Abs(expected), 1) + absoluteFloor;
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tol:E2})");
    }

    /// <summary>SqlMl's standardized design for all-numeric rows: intercept then (x − mean) / sd (sample sd).</summary>
    public static double[][] StandardizedDesign(double[][] columns, bool intercept = true)
    {
        int n = columns[0].Length;
        var mean = columns.Select(c => c.Average()).ToArray();
        var sd = columns.Select((c, j) => Math.Sqrt(c.Sum(v => (v - mean[j]) * (v - mean[j])) / (n - 1))).ToArray();
        return Enumerable.Range(0, n).Select(i =>
            (intercept ? new[] { 1.0 } : []).Concat(columns.Select((c, j) => (c[i] - (intercept ? mean[j] : 0)) / sd[j])).ToArray()).ToArray();
    }

    /// <summary>A score's coefficients in design order: intercept (when fitted) then numeric weights then level weights.</summary>
    public static double[] Coefficients(Models.LinearModel m) => [.. m.Coefficients(standardized: true)];

    public static double Gaussian(Random rnd) => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());

    /// <summary>Rows with <paramref name="p"/> correlated raw-scale features and labels drawn from a softmax/logistic model.</summary>
    public static LogisticTestData Synthetic(int n, int p, int classes, int seed, double correlation = 0, double[]? scales = null, double signal = 1)
    {
        var rnd = new Random(seed);
        var cols = Enumerable.Range(0, p).Select(_ => new double?[n]).ToArray();
        var labels = new int[n];
        var beta = Enumerable.Range(0, classes * p).Select(_ => signal * Gaussian(rnd)).ToArray();
        for (int i = 0; i < n; i++)
        {
            double common = Gaussian(rnd);
            var z = new double[p];
            for (int j = 0; j < p; j++) z[j] = Math.Sqrt(correlation) * common + Math.Sqrt(1 - correlation) * Gaussian(rnd);
            for (int j = 0; j < p; j++) cols[j][i] = z[j] * (scales?[j] ?? 1) + 3 * j;
            var logits = Enumerable.Range(0, classes).Select(k => Enumerable.Range(0, p).Sum(j => beta[k * p + j] * z[j])).ToArray();
            double max = logits.Max();
            var e = logits.Select(v => Math.Exp(v - max)).ToArray();
            double u = rnd.NextDouble() * e.Sum(), acc = 0;
            int label = 0;
            for (int k = 0; k < classes; k++) { acc += e[k]; if (u <= acc) { label = k; break; } }
            labels[i] = label;
        }
        return new LogisticTestData(Enumerable.Range(0, p).Select(j => "x" + j).ToArray(), cols, [], [], labels);
    }
}
