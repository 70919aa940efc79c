using System.Text;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Exact additive explanations of a linear score (a <see cref="LinearModel"/>: LINEAR_REG's prediction, or a
/// classifier's score of one class), compiled to DuckDB SQL. Attribution of a numeric feature = Weight·(x̃ − Center)/Scale
/// (x̃: NULL → training mean), of a categorical feature = its level's weight (0 if unseen); the baseline is the
/// standardized intercept, so baseline + Σ attributions = the score exactly.
/// </summary>
internal static class ExplainSql
{
    public const int DefaultTopK = 5;

    /// <summary>Each feature's attribution as a SQL expression over <see cref="LinearRegSql.InputAlias"/>, in feature order.</summary>
    public static IReadOnlyList<(string Feature, string Sql)> Attributions(LinearModel model)
    {
        var list = new List<(string, string)>();
        foreach (var name in model.FeatureOrder)
        {
            if (model.Numeric.FirstOrDefault(f => f.Name == name) is { } n)
                list.Add((name, $"({SqlText.Double(n.RawWeight)} * ({FeatureSql.NumericOrMean(LinearRegSql.InputAlias, name, model.Inputs, n.Mean)} - {SqlText.Double(n.Center)}))"));
            else if (model.Categorical.FirstOrDefault(f => f.Name == name) is { } c)
                list.Add((name, LinearRegSql.CategoryWeight(model, c)));
        }
        return list;
    }

    /// <summary>
    /// ML.EXPLAIN_PREDICT: the input columns, then <paramref name="predictionColumns"/> (given the SQL of the score, e.g.
    /// predicted_&lt;label&gt; for a regression), then top_feature_attributions (the <paramref name="topK"/> largest
    /// |attribution|, ties in feature order), baseline_prediction_value, prediction_value (the score) and
    /// approximation_error (|score − baseline − Σ|, 0).
    /// </summary>
    public static string ExplainPredict(LinearModel score, FunctionInput input, int topK,
        Func<string, IReadOnlyList<(string Name, string Sql)>> predictionColumns)
    {
        var attributions = Attributions(score);
        string alias = LinearRegSql.InputAlias;
        var rows = new StringBuilder("SELECT ").Append(alias).Append(".*");
        for (int i = 0; i < attributions.Count; i++)
            rows.Append(", ").Append(attributions[i].Sql).Append(" AS ").Append(Attribution(i));
        rows.Append(", ").Append(SqlText.Double(score.Intercept)).Append(" AS ").Append(Baseline);
        rows.Append(" FROM ").Append(input.FromSql).Append(" AS ").Append(alias);
        return Explained(rows.ToString(), attributions.Select(a => a.Feature).ToList(), topK, predictionColumns(Score), []);
    }

    /// <summary>Column of feature <paramref name="i"/>'s attribution in the rows given to <see cref="Explained"/>.</summary>
    public static string Attribution(int i) => "__sqlml_a" + ValuesSql.Int(i);

    /// <summary>Column of the baseline (the explained score's standardized intercept) in the rows given to <see cref="Explained"/>.</summary>
    public const string Baseline = "__sqlml_b";

    /// <summary>Column of the explained score (baseline + Σ attributions) that prediction columns may read.</summary>
    public const string Score = "__sqlml_score";

    /// <summary>
    /// The shared tail of ML.EXPLAIN_PREDICT. <paramref name="rowsSql"/> has the input columns, one <see cref="Attribution"/>
    /// column per feature of <paramref name="features"/>, <see cref="Baseline"/>, and the <paramref name="hidden"/> helper
    /// columns that <paramref name="columns"/> may read (all dropped from the output). Output: the input columns,
    /// <paramref name="columns"/>, top_feature_attributions, baseline_prediction_value, prediction_value = baseline + Σ
    /// attributions, approximation_error.
    /// </summary>
    public static string Explained(string rowsSql, IReadOnlyList<string> features, int topK,
        IReadOnlyList<(string Name, string Sql)> columns, IEnumerable<string> hidden)
    {
        string sum = "(" + Baseline + string.Concat(features.Select((_, i) => " + " + Attribution(i))) + ")";
        var entries = features.Select((f, i) =>
            $"{{'k': -abs({Attribution(i)}), 'i': {ValuesSql.Int(i)}, 'feature': {SqlText.StringLiteral(f)}, 'attribution': {Attribution(i)}}}");
        string top = features.Count == 0
            ? "CAST([] AS STRUCT(feature VARCHAR, attribution DOUBLE)[])"
            : $"CAST(list_transform(list_sort([{string.Join(", ", entries)}])[1:{ValuesSql.Int(topK)}], e -> {{'feature': e.feature, 'attribution': e.attribution}}) AS STRUCT(feature VARCHAR, attribution DOUBLE)[])";

        string added = string.Concat(columns.Select(c => $", {c.Sql} AS {SqlText.QuotedIdentifier(c.Name)}"));
        string excluded = string.Join(", ", features.Select((_, i) => Attribution(i)).Append(Baseline).Append(Score).Concat(hidden));
        return $"(SELECT * EXCLUDE ({excluded}) FROM (SELECT *{added}, {top} AS top_feature_attributions, " +
               $"{Baseline} AS baseline_prediction_value, {Score} AS prediction_value, " +
               $"abs({Score} - {sum}) AS approximation_error FROM (SELECT *, {sum} AS {Score} FROM ({rowsSql}) AS __sqlml_x) AS __sqlml_y) AS __sqlml_z)";
    }

    /// <summary>One row, one DOUBLE column per feature: the mean |attribution| over the rows of <paramref name="fromSql"/>.</summary>
    public static string MeanAbsoluteAttributions(LinearModel score, string fromSql)
    {
        var attributions = Attributions(score);
        if (attributions.Count == 0) return "(SELECT 1 AS __sqlml_none)";
        return "(SELECT " + string.Join(", ", attributions.Select((a, i) => $"avg(abs({a.Sql})) AS __sqlml_g{ValuesSql.Int(i)}")) +
               $" FROM {fromSql} AS {LinearRegSql.InputAlias})";
    }

    /// <summary>ML.GLOBAL_EXPLAIN: feature, attribution, by descending attribution (ties in feature order).</summary>
    public static string GlobalExplain(IReadOnlyList<KeyValuePair<string, double>> attributions) =>
        ValuesSql.Build([("feature", "VARCHAR"), ("attribution", "DOUBLE")],
            Ranked(attributions).Select(kv => (IReadOnlyList<string>)[ValuesSql.String(kv.Key), SqlText.Double(kv.Value)]));

    /// <summary>Global attributions by descending value, ties in feature order (the order ML.GLOBAL_EXPLAIN lists them).</summary>
    public static IEnumerable<KeyValuePair<string, double>> Ranked(IEnumerable<KeyValuePair<string, double>> attributions) =>
        attributions.OrderByDescending(kv => kv.Value); // a stable sort: ties keep feature order

    /// <summary>STRUCT(k AS top_k_features) of ML.EXPLAIN_PREDICT: an INT64 ≥ 1 (default 5); other settings are refused unless allowed.</summary>
    public static int TopK(string call, StructValue? settings, string modelType, params string[] otherAllowed)
    {
        int topK = DefaultTopK;
        foreach (var f in settings?.Fields ?? [])
        {
            if (f.Name is not null && otherAllowed.Contains(f.Name, StringComparer.OrdinalIgnoreCase)) continue;
            if (f.Name is null || !f.Name.Equals("top_k_features", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: setting '{f.Name ?? f.Value.ToString()}' does not apply to {modelType} models. Allowed: {string.Join(", ", otherAllowed.Prepend("top_k_features"))}.");
            if (f.Value is not NumberValue { IsInteger: true } n)
                throw Errors.Binding($"{call}: setting 'top_k_features' expects INT64, got {f.Value.TypeName} {f.Value}.");
            if (n.Value < 1)
                throw Errors.Binding($"{call}: setting 'top_k_features' must be at least 1, got {n}.");
            topK = (int)Math.Min(n.Value, int.MaxValue);
        }
        return topK;
    }
}
