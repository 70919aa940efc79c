namespace SqlMl.Models;

/// <summary>
/// A LOGISTIC_REG model. <see cref="Classes"/> are the distinct training labels as text (CAST(label AS VARCHAR)),
/// ascending in the label's own order (numbers numerically, BOOLEAN false before true, strings by collation); the
/// label's DuckDB type is <see cref="LabelType"/>, so predictions are cast back to it.
/// Binary models have one score, the log-odds of the positive class <c>Classes[1]</c> (the higher label), so
/// P(Classes[1]) = σ(score). Multiclass models have one score per class and probabilities are their softmax.
/// Each score is a <see cref="LinearModel"/> over the same preprocessing (standardization, one-hot), so the SQL
/// compiler and ML.WEIGHTS treat it like a linear regression's prediction.
/// </summary>
internal sealed record LogisticModel(string Label, string LabelType, IReadOnlyList<string> Classes, IReadOnlyList<LinearModel> Scores)
{
    public bool IsBinary => Classes.Count == 2;

    /// <summary>Body layout (version 1): label string, label_type string, classes (int32 n, n × string), scores (int32 n, n × LinearModel body).</summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(Label);
        w.Write(LabelType);
        w.WriteStrings(Classes);
        w.Write(Scores.Count);
        foreach (var s in Scores) s.WriteTo(w);
    }

    public static LogisticModel ReadFrom(BinaryReader r)
    {
        string label = r.ReadString();
        string type = r.ReadString();
        var classes = r.ReadStrings();
        var scores = Enumerable.Range(0, r.ReadInt32()).Select(_ => LinearModel.ReadFrom(r)).ToList();
        return new LogisticModel(label, type, classes, scores);
    }

    /// <summary>Reference class probabilities for one row (NULL as null), in <see cref="Classes"/> order: the plain form of the SQL the planner compiles.</summary>
    public double[] Probabilities(IReadOnlyList<double?> numeric, IReadOnlyList<string?> categorical)
    {
        if (IsBinary)
        {
            double z = Scores[0].Predict(numeric, categorical);
            double p = 1 / (1 + Math.Exp(-z));
            return [1 - p, p];
        }
        var logits = Scores.Select(s => s.Predict(numeric, categorical)).ToArray();
        double max = logits.Max();
        var e = logits.Select(z => Math.Exp(z - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
