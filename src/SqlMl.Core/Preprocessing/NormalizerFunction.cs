using System.Globalization;

namespace SqlMl.Preprocessing;

/// <summary>
/// ML.NORMALIZER(array_expression [, p]): the array divided by its p-norm (p = 0: the count of non-zero elements;
/// p = +inf: the largest absolute value). An all-zero array is returned unchanged.
/// </summary>
internal sealed class NormalizerFunction() : PreprocessingFunction("NORMALIZER", isAnalytic: false, minArguments: 1, maxArguments: 2,
    "(array_expression [, p])")
{
    public override CompiledCall Compile(CallArguments args)
    {
        double p = args.Double(1, "p", 2);
        if (!(p == 0 || p >= 1)) throw args.Error($"p must be 0, at least 1, or +inf (CAST('+inf' AS FLOAT64)), got {args.Text(1)}.", 1);
        var f = args.Fragments;
        return CompiledCall.Scalar(f.Let($"CAST({args.ArrayExpr(0, "array_expression")} AS DOUBLE[])", a =>
        {
            string v = f.Name(), w = f.Name();
            string norm = p switch
            {
                0 => $"CAST(len(list_filter({a}, {v} -> {v} <> 0)) AS DOUBLE)",
                1 => $"list_sum(list_transform({a}, {v} -> abs({v})))",
                2 => $"sqrt(list_sum(list_transform({a}, {v} -> {v} * {v})))",
                double.PositiveInfinity => $"list_max(list_transform({a}, {v} -> abs({v})))",
                _ => $"pow(list_sum(list_transform({a}, {v} -> pow(abs({v}), {p.ToString("R", CultureInfo.InvariantCulture)}))), {(1 / p).ToString("R", CultureInfo.InvariantCulture)})",
            };
            return f.Let(norm, n => $"list_transform({a}, {w} -> CASE WHEN {n} IS NULL OR {n} = 0 THEN {w} ELSE {w} / {n} END)");
        }));
    }
}
