using static SqlMl.Tests.Training.LogisticTestSupport;

namespace SqlMl.Tests.Training;

/// <summary>
/// LOGISTIC_REG against scikit-learn 1.2.1 and statsmodels 0.13.5 on breast_cancer and iris; the numbers come from
/// References/logistic_reference.py (run it to reproduce them). SqlMl's l2_reg = 1 / (2C), l1_reg = 1 / C.
/// </summary>
public class LogisticSklearnReferenceTests
{
    private static readonly string[] FiveFeatures = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points", "worst_symmetry"];

    private static string[] AllFeatures() => File.ReadLines(LogisticTestData.DataPath("breast_cancer.csv")).First().Split(',')[..30];

    private static void AssertAll(double[] expected, IReadOnlyList<double> actual, double relative, double floor, string what)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], relative, floor, $"{what}[{i}]");
    }

    [Fact]
    public void Unregularized_breast_cancer_matches_sklearn()
    {
        var (data, classes) = LogisticTestData.FromCsv(LogisticTestData.DataPath("breast_cancer.csv"), FiveFeatures, "diagnosis");
        Assert.Equal(["benign", "malignant"], classes);
        var result = Train(data, Opts(), classes);
        AssertAll([-0.82517663185308, 3.623912963763071, 1.6950684868877812, 0.6388884817902903, 2.572574308967752, 1.3543684454521234],
            Coefficients(result.Model.Scores[0]), 1e-5, 1e-7, "coefficient");
        AssertClose(65.6149613721369 / 569, result.Report.Iterations[^1].Loss, 1e-6, 0, "mean log loss");
    }

    [Fact]
    public void P_values_match_statsmodels_logit()
    {
        var (data, classes) = LogisticTestData.FromCsv(LogisticTestData.DataPath("breast_cancer.csv"), FiveFeatures, "diagnosis");
        var model = Train(data, Opts(pValues: true), classes).Model.Scores[0];
        var stats = model.Stats!;
        AssertAll([-36.92577787452984, 1.0283378992412238, 0.39410704272135155, 45.42681046896362, 66.29860041012294, 21.89144795565451],
            model.Coefficients(standardized: false), 1e-5, 1e-7, "raw coefficient");
        AssertAll([5.878950257148936, 0.20784876345316816, 0.06716421414554336, 29.364928851227855, 18.293617939539395, 5.0634659685308465],
            stats.RawStandardErrors, 1e-4, 0, "raw standard error");
        double[] p = [3.3636853212735516e-10, 7.516129631219014e-07, 4.415811170036317e-09, 0.12186927695200699, 0.0002899265065751123, 1.536346529884958e-05];
        for (int i = 0; i < p.Length; i++)
        {
            AssertClose(p[i], stats.RawPValues[i], 1e-4, 0, $"raw p-value[{i}]");
            if (i > 0) AssertClose(p[i], stats.PValues[i], 1e-4, 0, $"p-value[{i}]");
        }
    }

    [Fact]
    public void L2_breast_cancer_matches_sklearn()
    {
        var (data, classes) = LogisticTestData.FromCsv(LogisticTestData.DataPath("breast_cancer.csv"), AllFeatures(), "diagnosis");
        var result = Train(data, Opts(l2: 1), classes);
        AssertAll([-0.3592994930016405, 0.4194195040369342, 0.4598664428904146,
            0.40650750219806314, 0.45230009012300504, 0.15888227656312834,
            -0.3217667705962351, 0.6840157428599368, 0.7607979045258132,
            -0.01616206793678579, -0.33096809756997647, 0.9911689623250861,
            -0.16981013329188063, 0.6000773899709972, 0.7574197319647062,
            0.1898716615232176, -0.6172296069039566, -0.05673869118861875,
            0.25419429060775883, -0.2560698917583362, -0.5145063281051446,
            0.8396431962865892, 1.0266142989404556, 0.7120996394455295,
            0.797224440379495, 0.6320904663690671, 0.032134837300070135,
            0.7183258224193896, 0.7907759788097748, 0.743732236792158,
            0.3237027583503881], Coefficients(result.Model.Scores[0]), 1e-5, 1e-6, "coefficient");
    }

    [Fact]
    public void L1_breast_cancer_reaches_sklearn_saga_objective()
    {
        var (data, classes) = LogisticTestData.FromCsv(LogisticTestData.DataPath("breast_cancer.csv"), AllFeatures(), "diagnosis");
        var result = Train(data, Opts(l1: 1, maxIterations: 2000), classes);
        var w = Coefficients(result.Model.Scores[0]);
        double objective = result.Report.Iterations[^1].Loss * 569 + w.Skip(1).Sum(Math.Abs);
        AssertClose(46.095389153611485, objective, 1e-6, 0, "L1 objective");
        Assert.Contains(w.Skip(1), v => v == 0); // OWL-QN lands on exact zeros
    }

    [Fact]
    public void Multinomial_iris_matches_sklearn()
    {
        var (data, classes) = LogisticTestData.FromCsv(LogisticTestData.DataPath("iris.csv"), ["sepal_length", "sepal_width", "petal_length", "petal_width"], "species");
        var result = Train(data, Opts(l2: 0.5), classes);
        double[] intercepts = [-0.2057872395305392, 2.0700262873927615, -1.8642390478622224];
        double[][] coef =
        [
            [-1.0760398226959935, 1.1620038285312908, -1.9331017444241225, -1.8137648951350511],
            [0.5881204605280209, -0.36323488336808385, -0.3624613011897045, -0.8271807343615589],
            [0.48791936216797294, -0.7987689451632065, 2.2955630456138247, 2.640945629496609],
        ];
        for (int k = 0; k < 3; k++)
            AssertAll([intercepts[k], .. coef[k]], Coefficients(result.Model.Scores[k]), 1e-5, 1e-6, $"class {classes[k]}");
        var w = result.Model.Scores.SelectMany(s => s.Numeric.Select(f => f.Weight));
        AssertClose(31.45877412325153, result.Report.Iterations[^1].Loss * 150 + 0.5 * w.Sum(v => v * v), 1e-6, 0, "objective");
    }
}
