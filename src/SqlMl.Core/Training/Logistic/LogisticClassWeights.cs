using System.Globalization;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>
/// The class weight cₖ of each class: 1 by default; class_weights maps each class's text (numbers also match by
/// value, so 1 matches '1.0') and must name every class and nothing else; auto_class_weights gives
/// n / (nₖ · K) over the training rows (after the data split).
/// </summary>
internal static class LogisticClassWeights
{
    public static double[] Resolve(GlmOptions options, IReadOnlyList<string> classes, long[] trainingCounts, string modelName)
    {
        int k = classes.Count;
        var weights = new double[k];
        if (options.AutoClassWeights)
        {
            long n = trainingCounts.Sum();
            for (int c = 0; c < k; c++) weights[c] = trainingCounts[c] == 0 ? 0 : (double)n / (trainingCounts[c] * (double)k);
            return weights;
        }
        if (options.ClassWeights is not { } given)
        {
            Array.Fill(weights, 1.0);
            return weights;
        }
        var set = new bool[k];
        foreach (var (label, weight) in given)
        {
            int c = IndexOf(classes, label);
            if (c < 0)
                throw Errors.OptionValue("CREATE MODEL", "class_weights",
                    $"names '{label}', which is not a class of label column '{options.Label}' (classes: {string.Join(", ", classes.Select(s => $"'{s}'"))})");
            weights[c] = weight;
            set[c] = true;
        }
        for (int c = 0; c < k; c++)
            if (!set[c])
                throw Errors.OptionValue("CREATE MODEL", "class_weights", $"has no weight for class '{classes[c]}' of label column '{options.Label}'; every class needs one");
        if (weights.All(w => w == 0))
            throw Errors.OptionValue("CREATE MODEL", "class_weights", "needs at least one class with a positive weight");
        return weights;
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (int c = 0; c < classes.Count; c++)
            if (classes[c] == label) return c;
        if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return -1;
        for (int c = 0; c < classes.Count; c++)
            if (double.TryParse(classes[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double cv) && cv == v) return c;
        return -1;
    }
}
