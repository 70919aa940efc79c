using System.Text;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// ML.EXPLAIN_PREDICT and ML.GLOBAL_EXPLAIN of a <see cref="LogisticModel"/>. The explained quantity of a row is the
/// predicted class's logit: binary → the log-odds of the predicted class (the score when Classes[1] is predicted, its
/// negation otherwise, attributions and baseline negated with it); multiclass → the predicted class's softmax score.
/// Attributions are <see cref="ExplainSql.Attributions"/> of that score, so baseline + Σ attributions = the logit exactly.
/// </summary>
internal static class LogisticExplainSql
{
    /// <summary>Features kept per class by ML.GLOBAL_EXPLAIN with class_level_explain (BigQuery's top 10).</summary>
    public const int ClassLevelTopFeatures = 10;

    /// <summary>
    /// ML.EXPLAIN_PREDICT: the input columns, predicted_&lt;label&gt; (as ML.PREDICT, with <paramref name="threshold"/>
    /// for binary), probability (of the predicted class), then ExplainSql's explanation columns.
    /// </summary>
    public static string ExplainPredict(LogisticModel model, FunctionInput input, int topK, double threshold)
    {
        var perScore = model.Scores.Select(ExplainSql.Attributions).ToList();
        var features = perScore[0].Select(a => a.Feature).ToList();
        string alias = LinearRegSql.InputAlias;

        // Every score's attributions, computed once per row beside the input columns.
        var withAll = new StringBuilder("SELECT ").Append(alias).Append(".*");
        for (int s = 0; s < perScore.Count; s++)
            for (int j = 0; j < features.Count; j++)
                withAll.Append(", ").Append(perScore[s][j].Sql).Append(" AS ").Append(ScoreAttribution(s, j));
        withAll.Append(" FROM ").Append(input.FromSql).Append(" AS ").Append(alias);
        string scored = LogisticRegSql.Scored(model, "(" + withAll + ")", threshold);

        // The predicted class's attributions and baseline.
        string k = LogisticRegSql.Predicted;
        var all = Enumerable.Range(0, perScore.Count).SelectMany(s => Enumerable.Range(0, features.Count).Select(j => ScoreAttribution(s, j))).ToList();
        var rows = new StringBuilder(all.Count == 0 ? "SELECT *" : $"SELECT * EXCLUDE ({string.Join(", ", all)})");
        for (int j = 0; j < features.Count; j++)
            rows.Append(", ").Append(Chosen(model, s => ScoreAttribution(s, j))).Append(" AS ").Append(ExplainSql.Attribution(j));
        rows.Append(", ").Append(Chosen(model, s => SqlText.Double(model.Scores[s].Intercept))).Append(" AS ").Append(ExplainSql.Baseline);
        rows.Append(" FROM (").Append(scored).Append(')');

        string probability = $"CASE {k} {string.Concat(model.Classes.Select((_, i) => $"WHEN {ValuesSql.Int(i)} THEN {LogisticRegSql.Prob(i)} "))}END";
        return ExplainSql.Explained(rows.ToString(), features, topK,
            [("predicted_" + model.Label, LogisticRegSql.PredictedLabel(model)), ("probability", probability)],
            LogisticRegSql.AddedColumns(model));
    }

    /// <summary>The value of the predicted class's score: binary → value(0), negated when Classes[0] is predicted; multiclass → value(k).</summary>
    private static string Chosen(LogisticModel model, Func<int, string> value)
    {
        string k = LogisticRegSql.Predicted;
        if (model.IsBinary) return $"(CASE WHEN {k} = 1 THEN {value(0)} ELSE -({value(0)}) END)";
        return $"(CASE {k} {string.Concat(model.Scores.Select((_, s) => $"WHEN {ValuesSql.Int(s)} THEN {value(s)} "))}END)";
    }

    /// <summary>
    /// ML.GLOBAL_EXPLAIN without class_level_explain: binary → the stored attributions of the positive class's log-odds;
    /// multiclass → per feature, the mean over classes of each class score's stored attribution.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Overall(LogisticModel model, IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> perScore)
    {
        if (model.IsBinary) return perScore[0];
        return perScore[0].Select((kv, j) => new KeyValuePair<string, double>(kv.Key, perScore.Average(s => s[j].Value))).ToList();
    }

    /// <summary>
    /// ML.GLOBAL_EXPLAIN with class_level_explain: class_label (the label's type), feature, attribution; per class in
    /// class order its <see cref="ClassLevelTopFeatures"/> largest attributions, descending (ties in feature order).
    /// Binary: both classes get the log-odds' attributions (|attribution| is the same for either class's log-odds).
    /// </summary>
    public static string ClassLevel(LogisticModel model, IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> perScore)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (int c = 0; c < model.Classes.Count; c++)
        {
            var attributions = perScore[model.IsBinary ? 0 : c];
            foreach (var kv in ExplainSql.Ranked(attributions).Take(ClassLevelTopFeatures))
                rows.Add([SqlText.StringLiteral(model.Classes[c]), ValuesSql.String(kv.Key), SqlText.Double(kv.Value)]);
        }
        return ValuesSql.Build([("class_label", model.LabelType), ("feature", "VARCHAR"), ("attribution", "DOUBLE")], rows);
    }

    private static string ScoreAttribution(int score, int feature) => $"__sqlml_a{ValuesSql.Int(score)}_{ValuesSql.Int(feature)}";
}
