using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// ML.ADVANCED_WEIGHTS of a linear score with <see cref="CoefficientStats"/>: ML.WEIGHTS' rows (features in training
/// order, then __INTERCEPT__) with standard_error and p_value, and category_weights entries that carry their own.
/// A value that does not exist (a dropped DUMMY_ENCODING level) is NULL.
/// </summary>
internal static class AdvancedWeightsSql
{
    public const string CategoryWeightsType = "STRUCT(category VARCHAR, weight DOUBLE, standard_error DOUBLE, p_value DOUBLE)[]";

    public static string Build(LinearModel model, CoefficientStats stats, bool standardize)
    {
        var weights = model.Coefficients(standardize);
        var se = standardize ? stats.StandardErrors : stats.RawStandardErrors;
        var p = standardize ? stats.PValues : stats.RawPValues;
        int offset = model.FitIntercept ? 1 : 0;
        var categoryStart = new Dictionary<string, int>();
        int next = offset + model.Numeric.Count;
        foreach (var c in model.Categorical)
        {
            categoryStart[c.Name] = next;
            next += c.Categories.Count;
        }
        var rows = new List<IReadOnlyList<string>>();
        const string empty = "[]";
        foreach (var name in model.FeatureOrder)
        {
            int j = IndexOf(model.Numeric, f => f.Name == name);
            if (j >= 0)
            {
                int i = offset + j;
                rows.Add([ValuesSql.String(name), Value(weights[i]), empty, Value(se[i]), Value(p[i])]);
            }
            else if (model.Categorical.FirstOrDefault(f => f.Name == name) is { } c)
            {
                int s = categoryStart[name];
                var items = c.Categories.Select((cat, k) =>
                    $"{{'category': {ValuesSql.String(cat)}, 'weight': {Value(weights[s + k])}, 'standard_error': {Value(se[s + k])}, 'p_value': {Value(p[s + k])}}}");
                rows.Add([ValuesSql.String(name), "NULL", "[" + string.Join(", ", items) + "]", "NULL", "NULL"]);
            }
        }
        if (model.FitIntercept)
            rows.Add([ValuesSql.String("__INTERCEPT__"), Value(weights[0]), empty, Value(se[0]), Value(p[0])]);
        return ValuesSql.Build(
            [("processed_input", "VARCHAR"), ("weight", "DOUBLE"), ("category_weights", CategoryWeightsType), ("standard_error", "DOUBLE"), ("p_value", "DOUBLE")],
            rows);
    }

    private static string Value(double v) => SqlText.Double(double.IsNaN(v) ? null : v);

    private static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++)
            if (match(list[i])) return i;
        return -1;
    }
}
