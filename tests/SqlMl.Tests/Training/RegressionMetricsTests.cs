using SqlMl.Data.Internal.Planning;
using SqlMl.Evaluation;

namespace SqlMl.Tests.Training;

/// <summary>Each regression metric, in C# and in SQL, against a computation done by hand.</summary>
public class RegressionMetricsTests
{
    private static readonly double[] Label = [1, 2, 3, 4];
    private static readonly double[] Predicted = [1.5, 2, 2, 5];

    // errors y - p = [-0.5, 0, 1, -1]; |e| = [0.5, 0, 1, 1]; mean y = 2.5; var_pop(y) = 1.25
    private static readonly Dictionary<string, double> Expected = new()
    {
        ["mean_absolute_error"] = 2.5 / 4,
        ["mean_squared_error"] = 2.25 / 4,
        ["mean_squared_log_error"] = (Math.Pow(Math.Log(2) - Math.Log(2.5), 2) + 0 + Math.Pow(Math.Log(4) - Math.Log(3), 2) + Math.Pow(Math.Log(5) - Math.Log(6), 2)) / 4,
        ["median_absolute_error"] = (0.5 + 1) / 2,
        ["r2_score"] = 1 - 2.25 / (4 * 1.25),
        ["explained_variance"] = 1 - (0.5625 - 0.125 * 0.125) / 1.25,
    };

    [Fact]
    public void Csharp_metrics_match_the_hand_computation()
    {
        var m = RegressionMetrics.Compute(Label, Predicted);
        var actual = RegressionMetrics.ColumnNames.Zip(m.Values).ToDictionary(p => p.First, p => p.Second);
        foreach (var (name, value) in Expected) Assert.Equal(value, actual[name]!.Value, 14);
    }

    [Fact]
    public void Sql_metrics_match_the_hand_computation()
    {
        using var db = new TestDb();
        string pairs = "SELECT * FROM (VALUES (1.0::DOUBLE, 1.5::DOUBLE), (2.0, 2.0), (3.0, 2.0), (4.0, 5.0)) v(__y, __p)";
        var row = db.Rows("SELECT * FROM " + RegressionSql.Metrics(pairs))[0];
        var names = db.Columns("SELECT * FROM " + RegressionSql.Metrics(pairs));
        Assert.Equal(RegressionMetrics.ColumnNames, names);
        for (int i = 0; i < names.Count; i++) Assert.Equal(Expected[names[i]], (double)row[i]!, 14);
    }

    [Fact]
    public void Log_error_is_null_when_a_value_is_at_or_below_minus_one_in_both_implementations()
    {
        Assert.Null(RegressionMetrics.Compute([-1, 2], [0, 2]).MeanSquaredLogError);
        using var db = new TestDb();
        var row = db.Rows("SELECT * FROM " + RegressionSql.Metrics("SELECT * FROM (VALUES (-1.0::DOUBLE, 0.0::DOUBLE), (2.0, 2.0)) v(__y, __p)"))[0];
        Assert.Null(row[2]);
        Assert.Equal(0.5, (double)row[0]!, 14);
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value()
    {
        Assert.Equal(2.0, RegressionMetrics.Compute([0, 0, 0], [1, 2, 3]).MedianAbsoluteError);
    }
}
