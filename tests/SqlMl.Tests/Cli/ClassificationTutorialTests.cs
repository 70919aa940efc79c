namespace SqlMl.Tests.Cli;

/// <summary>sql-examples/classification_tutorial.sql runs with the sqlml command from the repository root.</summary>
public class ClassificationTutorialTests
{
    [Fact]
    public void Classification_tutorial_script_runs_from_the_repository_root()
    {
        var lines = SqlmlProcess.RunCsvScript("sql-examples/classification_tutorial.sql");

        // Binary model: training loss falls, held-out metrics are good, the confusion matrix has one row per sex.
        int info = Array.IndexOf(lines, "iteration,loss,learning_rate");
        Assert.True(info >= 0);
        var losses = lines.Skip(info + 1).TakeWhile(l => char.IsDigit(l[0])).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(losses.Count >= 2 && losses[^1] < losses[0]);
        int metrics = Array.IndexOf(lines, "precision,recall,accuracy,f1_score,log_loss,roc_auc");
        double accuracy = double.Parse(lines[metrics + 1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.85, 1.0);
        int confusion = Array.IndexOf(lines, "expected_label,FEMALE,MALE");
        Assert.StartsWith("FEMALE,", lines[confusion + 1], StringComparison.Ordinal);
        Assert.StartsWith("MALE,", lines[confusion + 2], StringComparison.Ordinal);

        // ROC curve at the four GENERATE_ARRAY thresholds; each row's counts add up to the held-out birds.
        int roc = Array.IndexOf(lines, "threshold,recall,false_positive_rate,true_positives,false_positives,true_negatives,false_negatives");
        var rocRows = lines.Skip(roc + 1).Take(4).Select(l => l.Split(',')).ToList();
        Assert.Equal(["0.2", "0.4", "0.6", "0.8"], rocRows.Select(r => r[0]));
        Assert.Single(rocRows.Select(r => r.Skip(3).Sum(int.Parse)).Distinct());

        // Predictions for the birds without a recorded sex: 11 of them, each with a probability of at least one half.
        int predicted = Array.IndexOf(lines, "species,island,body_mass_g,predicted_sex,probability");
        var predictions = lines.Skip(predicted + 1).TakeWhile(l => !l.StartsWith("processed_input", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, predictions.Count);
        Assert.All(predictions, p => Assert.InRange(double.Parse(p.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0));

        // Multiclass model: species from measurements, held out accuracy above 95 %, one weight row per class and input.
        int second = Array.FindLastIndex(lines, l => l == "precision,recall,accuracy,f1_score,log_loss,roc_auc");
        Assert.True(second > metrics);
        Assert.InRange(double.Parse(lines[second + 1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), 0.95, 1.0);
        Assert.Contains(lines, l => l.StartsWith("expected_label,_Adelie_Penguin__Pygoscelis_adeliae_,", StringComparison.Ordinal));
        int weights = Array.IndexOf(lines, "class_label,processed_input,weight");
        Assert.Equal(15, lines.Skip(weights + 1).TakeWhile(l => !l.StartsWith("species,", StringComparison.Ordinal)).Count());

        // Explanations of four unsexed birds: three features each, and a non-negative log-odds of the predicted sex
        // (its probability is at least one half).
        int explained = Array.IndexOf(lines, "species,body_mass_g,predicted_sex,top_features,log_odds,probability");
        Assert.True(explained > weights);
        var explanations = lines.Skip(explained + 1).Take(4).ToList();
        Assert.All(explanations, e =>
        {
            var fields = e.Split(',');
            Assert.InRange(double.Parse(fields[^2], System.Globalization.CultureInfo.InvariantCulture), 0, double.MaxValue);
            Assert.InRange(double.Parse(fields[^1], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
            Assert.Equal(3, e[e.IndexOf('[', StringComparison.Ordinal)..(e.IndexOf(']', StringComparison.Ordinal) + 1)].Split(',').Length);
        });

        // Global explanation: one row per feature of the binary model (six), by descending attribution.
        int global = Array.IndexOf(lines, "feature,attribution");
        Assert.Equal(explained + 5, global);
        var attributions = lines.Skip(global + 1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, attributions.Count);
        Assert.Equal(attributions.OrderDescending(), attributions);
        Assert.True(attributions[0] > 0);
    }
}
