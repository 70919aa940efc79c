using System.Text;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Compiles a <see cref="LogisticModel"/> to DuckDB SQL. <see cref="Scored"/> is the shared core: every input
/// column, then each class's probability and the predicted class index, computed once per row in nested
/// subqueries (scores → probabilities → prediction); ML.PREDICT, ML.EVALUATE, ML.CONFUSION_MATRIX and ML.ROC_CURVE
/// all read it. Binary: P(Classes[1]) = σ(score), written so exp never overflows; multiclass: softmax with the
/// largest score subtracted first.
/// </summary>
internal static class LogisticRegSql
{
    /// <summary>Column of class <paramref name="i"/>'s probability in <see cref="Scored"/>.</summary>
    public static string Prob(int i) => "__sqlml_p" + ValuesSql.Int(i);

    /// <summary>Column of the predicted class index (0-based, INTEGER) in <see cref="Scored"/>.</summary>
    public const string Predicted = "__sqlml_k";

    /// <summary>The columns <see cref="Scored"/> adds after the input's.</summary>
    public static IEnumerable<string> AddedColumns(LogisticModel model) =>
        Enumerable.Range(0, model.Classes.Count).Select(Prob).Append(Predicted);

    /// <summary>
    /// The input's rows with every input column, then the class probabilities (<see cref="Prob"/>) and the predicted
    /// class (<see cref="Predicted"/>): binary → Classes[1] iff its probability ≥ <paramref name="threshold"/>;
    /// multiclass → the most probable class, the lower index on ties.
    /// </summary>
    public static string Scored(LogisticModel model, string fromSql, double threshold)
    {
        int n = model.Classes.Count;
        var scores = model.Scores.Select((s, i) => $"{LinearRegSql.PredictionExpression(s)} AS {Score(i)}");
        string sql = $"SELECT {LinearRegSql.InputAlias}.*, {string.Join(", ", scores)} FROM {fromSql} AS {LinearRegSql.InputAlias}";
        if (model.IsBinary)
        {
            string s = Score(0);
            sql = Layer($"* EXCLUDE ({s}), {Sigmoid("-" + s)} AS {Prob(0)}, {Sigmoid(s)} AS {Prob(1)}", sql);
            return Layer($"*, CASE WHEN {Prob(1)} >= {SqlText.Double(threshold)} THEN 1 ELSE 0 END AS {Predicted}", sql);
        }
        var all = Enumerable.Range(0, n).ToList();
        sql = Layer($"*, greatest({string.Join(", ", all.Select(Score))}) AS __sqlml_m", sql);
        sql = Layer($"* EXCLUDE ({string.Join(", ", all.Select(Score))}, __sqlml_m), {string.Join(", ", all.Select(i => $"exp({Score(i)} - __sqlml_m) AS {Exp(i)}"))}", sql);
        sql = Layer($"*, ({string.Join(" + ", all.Select(Exp))}) AS __sqlml_z", sql);
        sql = Layer($"* EXCLUDE ({string.Join(", ", all.Select(Exp))}, __sqlml_z), {string.Join(", ", all.Select(i => $"{Exp(i)} / __sqlml_z AS {Prob(i)}"))}", sql);
        sql = Layer($"*, greatest({string.Join(", ", all.Select(Prob))}) AS __sqlml_pm", sql);
        return Layer($"* EXCLUDE (__sqlml_pm), CASE {string.Concat(all.Select(i => $"WHEN {Prob(i)} = __sqlml_pm THEN {ValuesSql.Int(i)} "))}END AS {Predicted}", sql);
    }

    /// <summary>ML.PREDICT: the input columns, predicted_&lt;label&gt; in the label's type, and predicted_&lt;label&gt;_probs.</summary>
    public static string Predict(LogisticModel model, FunctionInput input, double threshold)
    {
        string label = SqlText.QuotedIdentifier("predicted_" + model.Label);
        string probs = SqlText.QuotedIdentifier("predicted_" + model.Label + "_probs");
        string list = "[" + string.Join(", ", model.Classes.Select((c, i) => $"{{'label': {ClassValue(model, i)}, 'prob': {Prob(i)}}}")) + "]";
        return $"(SELECT * EXCLUDE ({string.Join(", ", AddedColumns(model))}), {PredictedLabel(model)} AS {label}, " +
               $"CAST({list} AS STRUCT(label {model.LabelType}, prob DOUBLE)[]) AS {probs} FROM ({Scored(model, input.FromSql, threshold)}) AS __sqlml_sc)";
    }

    /// <summary>The predicted class as the label's own type, from <see cref="Predicted"/>.</summary>
    public static string PredictedLabel(LogisticModel model) =>
        $"CASE {Predicted} {string.Concat(model.Classes.Select((_, i) => $"WHEN {ValuesSql.Int(i)} THEN {ClassValue(model, i)} "))}END";

    /// <summary>Class <paramref name="i"/> as a literal of the label's type.</summary>
    public static string ClassValue(LogisticModel model, int i) => $"CAST({SqlText.StringLiteral(model.Classes[i])} AS {model.LabelType})";

    /// <summary>
    /// ML.WEIGHTS. Binary: as LINEAR_REG (the weights of the positive class's log-odds). Multiclass: the same rows
    /// for each class's score, in class order, with class_label (the label's type) last.
    /// </summary>
    public static string Weights(LogisticModel model, bool standardize)
    {
        if (model.IsBinary) return LinearRegSql.Weights(model.Scores[0], standardize);
        var rows = model.Scores.SelectMany((s, i) =>
            LinearRegSql.WeightRows(s, standardize).Select(r => (IReadOnlyList<string>)[.. r, SqlText.StringLiteral(model.Classes[i])]));
        return ValuesSql.Build([.. LinearRegSql.WeightColumns, ("class_label", model.LabelType)], rows);
    }

    private static string Layer(string select, string inner) => $"SELECT {select} FROM ({inner})";

    /// <summary>σ(x) = 1 / (1 + e^−x), as e^x / (1 + e^x) for negative x, so exp never overflows.</summary>
    private static string Sigmoid(string x) => $"CASE WHEN ({x}) >= 0 THEN 1 / (1 + exp(-({x}))) ELSE exp({x}) / (1 + exp({x})) END";

    private static string Score(int i) => "__sqlml_s" + ValuesSql.Int(i);

    private static string Exp(int i) => "__sqlml_e" + ValuesSql.Int(i);
}
