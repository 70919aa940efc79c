using SqlMl.Options;
using SqlMl.Training.Logistic;
using static SqlMl.Tests.Training.LogisticTestSupport;

namespace SqlMl.Tests.Training;

/// <summary>LOGISTIC_REG training behaviour: separable data, iteration semantics, warm start, splits, encodings and errors.</summary>
public class LogisticBehaviourTests
{
    private static readonly string[] Binary = ["no", "yes"];

    private static LogisticTestData Separable()
    {
        var x = Enumerable.Range(0, 60).Select(i => (double?)(i < 30 ? i * 0.1 : 5 + i * 0.1)).ToArray();
        var noise = Enumerable.Range(0, 60).Select(i => (double?)Math.Sin(i)).ToArray();
        return new LogisticTestData(["x", "n"], [x, noise], [], [], Enumerable.Range(0, 60).Select(i => i < 30 ? 0 : 1).ToArray());
    }

    [Fact]
    public void Separable_data_stops_with_finite_weights_that_classify_every_row()
    {
        var data = Separable();
        var result = Train(data, Opts(maxIterations: 1000), Binary);
        Assert.Equal(LogisticStop.Separated, result.Stop);
        Assert.True(result.Report.Iterations.Count < 1000);
        var score = result.Model.Scores[0];
        Assert.All(Coefficients(score), w => Assert.True(double.IsFinite(w) && Math.Abs(w) <= LogisticOptimizer.WeightBound));
        for (int i = 0; i < data.Rows; i++)
        {
            double z = score.Predict([data.NumericColumns[0][i], data.NumericColumns[1][i]], []);
            Assert.Equal(data.Labels[i] == 1, z > 0);
        }
        Assert.Equal(1.0, result.Metrics.Single(kv => kv.Key == "accuracy").Value);
    }

    [Fact]
    public void Separable_data_with_l2_has_a_finite_optimum_and_converges()
    {
        var result = Train(Separable(), Opts(l2: 0.1), Binary);
        Assert.Equal(LogisticStop.Converged, result.Stop);
    }

    [Fact]
    public void Early_stop_ends_after_the_first_iteration_below_min_rel_progress()
    {
        var data = Synthetic(500, 3, 2, seed: 11, signal: 0.3);
        var result = Train(data, Opts(earlyStop: true, minRelProgress: 0.001), Binary);
        var losses = new List<double> { Math.Log(2) }; // the objective at θ = 0 (no penalty: objective = mean loss)
        losses.AddRange(result.Report.Iterations.Select(i => i.Loss));
        Assert.Equal(LogisticStop.EarlyStop, result.Stop);
        for (int i = 1; i < losses.Count - 1; i++) Assert.True(losses[i - 1] - losses[i] >= 0.001 * losses[i - 1]);
        Assert.True(losses[^2] - losses[^1] < 0.001 * losses[^2]);
        Assert.Equal(Enumerable.Range(0, result.Report.Iterations.Count), result.Report.Iterations.Select(i => i.Iteration));
    }

    [Fact]
    public void Without_early_stop_max_iterations_bounds_the_iterations()
    {
        var data = Synthetic(300, 3, 2, seed: 12);
        var result = Train(data, Opts(maxIterations: 2), Binary);
        Assert.Equal(2, result.Report.Iterations.Count);
        Assert.Equal(LogisticStop.MaxIterations, result.Stop);
        Assert.All(result.Report.Iterations, i => Assert.Null(i.EvalLoss));
        Assert.Equal(1.0, result.Report.Iterations[0].LearningRate); // Newton's full step is accepted from θ = 0
    }

    [Fact]
    public void Constant_learn_rate_takes_plain_gradient_steps_on_the_mean_objective()
    {
        var data = Synthetic(200, 2, 2, seed: 13);
        var result = Train(data, Opts(strategy: LearnRateStrategy.Constant, learnRate: 0.5, maxIterations: 1), Binary);
        var x = StandardizedDesign(data.NumericColumns.Select(c => c.Select(v => v!.Value).ToArray()).ToArray());
        // at θ = 0 every p = 1/2: ∇ = Σ (1/2 − y) x / n
        var grad = Enumerable.Range(0, 3).Select(j => x.Select((row, i) => (0.5 - data.Labels[i]) * row[j]).Sum() / data.Rows).ToArray();
        var w = Coefficients(result.Model.Scores[0]);
        for (int j = 0; j < 3; j++) AssertClose(-0.5 * grad[j], w[j], 1e-12, 1e-15, $"coefficient {j}");
        Assert.Equal(0.5, result.Report.Iterations[0].LearningRate);
    }

    [Fact]
    public void Warm_start_continues_to_the_same_optimum_and_counts_the_run()
    {
        var data = Synthetic(400, 3, 3, seed: 14);
        string[] classes = ["a", "b", "c"];
        var full = Train(data, Opts(l2: 0.5), classes);
        var first = Train(data, Opts(l2: 0.5, maxIterations: 1), classes);
        var second = Train(data, Opts(l2: 0.5, warmStart: true), classes, first.Model, run: 1);
        Assert.All(second.Report.Iterations, i => Assert.Equal(1, i.TrainingRun));
        Assert.Equal(0, second.Report.Iterations[0].Iteration);
        Assert.True(second.Report.Iterations[0].Loss < first.Report.Iterations[0].Loss);
        for (int s = 0; s < 3; s++)
        {
            var a = Coefficients(full.Model.Scores[s]);
            var b = Coefficients(second.Model.Scores[s]);
            for (int j = 0; j < a.Length; j++) AssertClose(a[j], b[j], 1e-7, 1e-9, $"score {s} coefficient {j}");
            Assert.Equal(first.Model.Scores[s].Numeric.Select(f => f.Scale), second.Model.Scores[s].Numeric.Select(f => f.Scale));
        }
    }

    [Fact]
    public void Warm_start_with_other_classes_or_features_is_an_error()
    {
        var data = Synthetic(200, 2, 2, seed: 15);
        var model = Train(data, Opts(), Binary).Model;
        var e = Assert.Throws<SqlMlException>(() => Train(data, Opts(warmStart: true), ["no", "si"], model));
        Assert.Contains("classes", e.Message);
        var other = new LogisticTestData(["x0", "z"], data.NumericColumns, [], [], data.Labels);
        e = Assert.Throws<SqlMlException>(() => Train(other, Opts(warmStart: true), Binary, model));
        Assert.Contains("'z'", e.Message);
    }

    [Fact]
    public void Class_weights_move_the_decision_toward_the_heavier_class()
    {
        var data = Synthetic(600, 2, 2, seed: 16, signal: 0.5);
        var plain = Train(data, Opts(), Binary);
        var heavy = Train(data, Opts(classWeights: [new("no", 1), new("yes", 5)]), Binary);
        double Recall(LogisticTrainingResult r) => r.Metrics.Single(kv => kv.Key == "recall").Value!.Value;
        Assert.True(Recall(heavy) > Recall(plain));
        var auto = Train(data, Opts(autoClassWeights: true), Binary);
        Assert.True(double.IsFinite(auto.Report.Iterations[^1].Loss));
    }

    [Fact]
    public void Class_weights_must_name_every_class_and_only_classes()
    {
        var data = Synthetic(100, 2, 2, seed: 17);
        var e = Assert.Throws<SqlMlException>(() => Train(data, Opts(classWeights: [new("no", 1)]), Binary));
        Assert.Contains("no weight for class 'yes'", e.Message);
        e = Assert.Throws<SqlMlException>(() => Train(data, Opts(classWeights: [new("no", 1), new("yes", 1), new("maybe", 2)]), Binary));
        Assert.Contains("'maybe'", e.Message);
    }

    [Fact]
    public void Rare_class_trains_and_matches_plain_newton()
    {
        var data = Synthetic(300, 2, 2, seed: 18);
        var labels = data.Labels.Select((l, i) => i % 100 == 7 ? 2 : l).ToArray();
        var rare = new LogisticTestData(["x0", "x1"], data.NumericColumns, [], [], labels);
        var result = Train(rare, Opts(l2: 0.2), ["a", "b", "c"]);
        var x = StandardizedDesign(rare.NumericColumns.Select(c => c.Select(v => v!.Value).ToArray()).ToArray());
        var plain = PlainLogistic.Fit(x, labels, 3, 0.2, unpenalized: 1);
        double expected = PlainLogistic.Objective(x, labels, labels.Select(_ => 1.0).ToArray(), plain.SelectMany(v => v).ToArray(), 3, 3, 0.2, 1);
        double got = PlainLogistic.Objective(x, labels, labels.Select(_ => 1.0).ToArray(), result.Model.Scores.SelectMany(Coefficients).ToArray(), 3, 3, 0.2, 1);
        AssertClose(expected, got, 1e-6, 0, "objective");
    }

    [Fact]
    public void Training_errors_name_the_problem()
    {
        var data = Synthetic(100, 2, 2, seed: 19);
        Assert.Contains("at least two classes", Assert.Throws<SqlMlException>(() => Train(data, Opts(), ["only"])).Message);
        var three = Synthetic(100, 2, 3, seed: 19);
        Assert.Contains("binary", Assert.Throws<SqlMlException>(() => Train(three, Opts(pValues: true), ["a", "b", "c"])).Message);
        var cat = new LogisticTestData(["x0"], [data.NumericColumns[0]], ["c"], [data.Labels.Select(l => l == 0 ? "u" : "v").ToArray()], data.Labels);
        Assert.Contains("DUMMY_ENCODING", Assert.Throws<SqlMlException>(() => Train(cat, Opts(pValues: true), Binary)).Message);
        var flags = data.Labels.Select(l => l == 1).ToArray(); // every 'yes' row to evaluation
        var split = new DataSplitOptions(DataSplitMethod.Custom, null, "is_eval");
        var e = Assert.Throws<SqlMlException>(() => Train(new LogisticTestData(["x0", "x1"], data.NumericColumns, [], [], data.Labels) { IsEval = flags }, Opts(split: split), Binary));
        Assert.Contains("class 'yes'", e.Message);
    }

    [Fact]
    public void Dummy_encoding_drops_the_first_level_and_matches_plain_newton()
    {
        var rnd = new Random(20);
        int n = 300;
        string?[] levels = ["red", "green", "blue", null];
        var c = Enumerable.Range(0, n).Select(_ => levels[rnd.Next(4)]).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => (double?)Gaussian(rnd)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => rnd.NextDouble() < 1 / (1 + Math.Exp(-(x[i]!.Value + (c[i] == "red" ? 1 : c[i] is null ? -1 : 0)))) ? 1 : 0).ToArray();
        var data = new LogisticTestData(["x"], [x], ["c"], [c], y);
        var result = Train(data, Opts(encoding: CategoryEncoding.Dummy, pValues: true), Binary);
        var score = result.Model.Scores[0];
        Assert.Equal(["blue", "green", "red", null], score.Categorical[0].Categories);
        Assert.Equal(0, score.Categorical[0].Weights[0]);
        Assert.True(double.IsNaN(score.Stats!.StandardErrors[2])); // the dropped level
        var design = StandardizedDesign([x.Select(v => v!.Value).ToArray()])
            .Select((row, i) => row.Concat(new[] { "green", "red", null }.Select(l => c[i] == l ? 1.0 : 0.0)).ToArray()).ToArray();
        var plain = PlainLogistic.Fit(design, y, 2, 0, unpenalized: 1)[0];
        double[] actual = [score.Intercept, score.Numeric[0].Weight, .. score.Categorical[0].Weights.Skip(1)];
        for (int j = 0; j < plain.Length; j++) AssertClose(plain[j], actual[j], 1e-5, 1e-7, $"coefficient {j}");
    }

    [Fact]
    public void Global_explain_is_the_mean_absolute_attribution()
    {
        var rnd = new Random(21);
        int n = 200;
        var c = Enumerable.Range(0, n).Select(_ => rnd.Next(3) switch { 0 => "p", 1 => "q", _ => (string?)null }).ToArray();
        var x = Enumerable.Range(0, n).Select(i => i % 9 == 0 ? null : (double?)(Gaussian(rnd) * 10 + 4)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => rnd.NextDouble() < (c[i] == "p" ? 0.8 : 0.3) ? 1 : 0).ToArray();
        var data = new LogisticTestData(["x"], [x], ["c"], [c], y) { };
        var score = Train(data, Opts(l2: 0.1, explain: true), Binary).Model.Scores[0];
        var f = score.Numeric[0];
        double expectX = x.Average(v => Math.Abs(f.Weight * ((v ?? f.Mean) - f.Center) / f.Scale));
        double expectC = c.Average(v => Math.Abs(score.Categorical[0].WeightOf(v)));
        Assert.Equal(["x", "c"], score.GlobalAttributions!.Select(kv => kv.Key));
        AssertClose(expectX, score.GlobalAttributions![0].Value, 1e-12, 1e-15, "x");
        AssertClose(expectC, score.GlobalAttributions![1].Value, 1e-12, 1e-15, "c");
    }

    [Fact]
    public void Auto_split_holds_out_the_smallest_hashes_and_reports_evaluation_metrics()
    {
        var data = Synthetic(600, 2, 2, seed: 22);
        var rnd = new Random(5);
        var hash = Enumerable.Range(0, 600).Select(_ => (ulong)rnd.NextInt64()).ToArray();
        var split = new LogisticTestData(["x0", "x1"], data.NumericColumns, [], [], data.Labels) { Hash = hash };
        var result = Train(split, Opts(split: new DataSplitOptions(DataSplitMethod.AutoSplit, null, null)), Binary);
        Assert.Equal(120, result.Report.EvaluationRows);
        Assert.Equal(480, result.Report.TrainingRows);
        Assert.Equal("evaluation_split", result.MetricsSource);
        Assert.All(result.Report.Iterations, i => Assert.NotNull(i.EvalLoss));
        // the evaluation loss at the end equals the log loss metric (no class weights) of the held-out rows
        var held = hash.Select((h, i) => (h, i)).OrderBy(t => t.h).Take(120).Select(t => t.i).ToArray();
        var score = result.Model.Scores[0];
        double logLoss = held.Average(i =>
        {
            double p = 1 / (1 + Math.Exp(-score.Predict([data.NumericColumns[0][i], data.NumericColumns[1][i]], [])));
            return -Math.Log(data.Labels[i] == 1 ? p : 1 - p);
        });
        AssertClose(logLoss, result.Report.Iterations[^1].EvalLoss!.Value, 1e-10, 0, "eval loss");
        AssertClose(logLoss, result.Metrics.Single(kv => kv.Key == "log_loss").Value!.Value, 1e-10, 0, "log_loss");
        Assert.Equal("training_data", Train(data, Opts(), Binary).MetricsSource);
    }

    [Fact]
    public void Null_label_is_an_error_with_the_filter_hint()
    {
        var data = Synthetic(100, 2, 2, seed: 23);
        var withNull = new LogisticTestData(["x0", "x1"], data.NumericColumns, [], [], data.Labels) { NullLabelRow = 42 };
        var e = Assert.Throws<SqlMlException>(() => Train(withNull, Opts(), Binary));
        Assert.Contains("WHERE y IS NOT NULL", e.Message);
    }
}
