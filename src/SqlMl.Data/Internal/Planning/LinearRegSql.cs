using System.Text;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Compiles a <see cref="LinearModel"/> to DuckDB SQL: prediction is one arithmetic expression over the input
/// row (raw-unit weights, NULL → training mean via coalesce, one-hot as CASE), so ML.PREDICT runs inside DuckDB's
/// vectorized engine and the text is portable to any DuckDB.
/// </summary>
internal static class LinearRegSql
{
    public const string InputAlias = "__sqlml_in";

    public static string Column(string name) => InputAlias + "." + SqlText.QuotedIdentifier(name);

    public static string PredictionExpression(LinearModel model)
    {
        var sb = new StringBuilder("(").Append(SqlText.Double(model.RawIntercept));
        foreach (var f in model.Numeric)
            sb.Append(" + ").Append(SqlText.Double(f.RawWeight))
              .Append(" * ").Append(FeatureSql.NumericOrMean(InputAlias, f.Name, model.Inputs, f.Mean));
        foreach (var f in model.Categorical)
            sb.Append(" + ").Append(CategoryWeight(model, f));
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// The weight a categorical feature adds for the input row: its level's weight (NULL is a level; unseen levels 0),
    /// or for a multi-hot (ARRAY) feature the sum of the weights of the elements the row's array holds.
    /// </summary>
    public static string CategoryWeight(LinearModel model, CategoricalFeature f)
    {
        var sb = new StringBuilder("(");
        if (FeatureSql.MultiHot(f.Name, model.Inputs) is { } multiHot)
        {
            sb.Append("0E0");
            for (int i = 0; i < f.Categories.Count; i++)
                if (f.Weights[i] != 0)
                    sb.Append(" + CASE WHEN ").Append(FeatureSql.HasElement(InputAlias, multiHot, f.Categories[i]))
                      .Append(" THEN ").Append(SqlText.Double(f.Weights[i])).Append(" ELSE 0E0 END");
            return sb.Append(')').ToString();
        }
        string col = FeatureSql.Category(InputAlias, f.Name, model.Inputs);
        sb.Append("CASE WHEN ").Append(col).Append(" IS NULL THEN ").Append(SqlText.Double(f.WeightOf(null)));
        sb.Append(" ELSE CASE ").Append(col);
        for (int i = 0; i < f.Categories.Count; i++)
            if (f.Categories[i] is { } c)
                sb.Append(" WHEN ").Append(SqlText.StringLiteral(c)).Append(" THEN ").Append(SqlText.Double(f.Weights[i]));
        return sb.Append(" ELSE 0E0 END END)").ToString();
    }

    public static string Predict(LinearModel model, FunctionInput input) =>
        $"(SELECT {InputAlias}.*, {PredictionExpression(model)} AS {SqlText.QuotedIdentifier("predicted_" + model.Label)} FROM {input.FromSql} AS {InputAlias})";

    public static string Evaluate(LinearModel model, string fromSql) =>
        RegressionSql.Metrics($"SELECT CAST({Column(model.Label)} AS DOUBLE) AS __y, {PredictionExpression(model)} AS __p FROM {fromSql} AS {InputAlias}");

    /// <summary>ML.WEIGHTS' columns for a linear score.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> WeightColumns =
        [("processed_input", "VARCHAR"), ("weight", "DOUBLE"), ("category_weights", ValuesSql.CategoryWeightsType)];

    public static string Weights(LinearModel model, bool standardize) => ValuesSql.Build(WeightColumns, WeightRows(model, standardize));

    /// <summary>ML.WEIGHTS' rows (SQL literals in <see cref="WeightColumns"/> order): features in training order, then the intercept.</summary>
    public static List<IReadOnlyList<string>> WeightRows(LinearModel model, bool standardize)
    {
        var rows = new List<IReadOnlyList<string>>();
        string empty = ValuesSql.CategoryWeights([]);
        foreach (var name in model.FeatureOrder)
        {
            if (model.Numeric.FirstOrDefault(f => f.Name == name) is { } n)
                rows.Add([ValuesSql.String(name), SqlText.Double(standardize ? n.Weight : n.RawWeight), empty]);
            else if (model.Categorical.FirstOrDefault(f => f.Name == name) is { } c)
                rows.Add([ValuesSql.String(name), "NULL", ValuesSql.CategoryWeights(c.Categories.Zip(c.Weights))]);
        }
        if (model.FitIntercept)
            rows.Add([ValuesSql.String("__INTERCEPT__"), SqlText.Double(standardize ? model.Intercept : model.RawIntercept), empty]);
        return rows;
    }
}
