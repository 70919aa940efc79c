using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>The arguments of classification functions: the threshold setting and ML.ROC_CURVE's threshold list.</summary>
internal static class ClassificationArguments
{
    /// <summary>The default decision threshold of binary models: predicted positive iff P(Classes[1]) ≥ 0.5.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>
    /// STRUCT(t AS threshold): a number in [0, 1], binary models only. Null when not given. Any other setting is an error.
    /// </summary>
    public static double? Threshold(string call, StructValue? settings, StoredModel stored)
    {
        double? value = null;
        foreach (var f in settings?.Fields ?? [])
        {
            if (f.Name is null || !f.Name.Equals("threshold", StringComparison.OrdinalIgnoreCase))
                throw Errors.Binding($"{call}: setting '{f.Name ?? f.Value.ToString()}' does not apply to LOGISTIC_REG models. Allowed: threshold.");
            value = f.Value is NumberValue n ? n.Value : throw Errors.Binding($"{call}: setting 'threshold' expects FLOAT64, got {f.Value.TypeName} {f.Value}.");
        }
        if (value is not { } t) return null;
        if (!(t >= 0 && t <= 1)) throw Errors.Binding($"{call}: setting 'threshold' must be between 0 and 1, got {t}.");
        var model = (LogisticModel)stored.Model;
        if (!model.IsBinary)
            throw Errors.Binding($"{call}: setting 'threshold' applies to binary models only; model {stored.Name} has {model.Classes.Count} classes and predicts the most probable one.");
        return t;
    }

    /// <summary>ML.ROC_CURVE's thresholds: GENERATE_ARRAY(start, end, step) or an array literal of numbers; at least one, all finite.</summary>
    public static IReadOnlyList<double> Thresholds(OptionValue value)
    {
        const string call = "ML.ROC_CURVE";
        IReadOnlyList<double> items = value switch
        {
            GenerateArrayValue g => g.Expand(),
            ArrayValue a => a.Items.Select(i => i is NumberValue n ? n.Value
                : throw Errors.Binding($"{call}: thresholds must be numbers, got {i.TypeName} {i}.")).ToList(),
            _ => throw Errors.Binding($"{call}: thresholds must be GENERATE_ARRAY(start, end, step) or an array of numbers, got {value.TypeName} {value}."),
        };
        if (items.Count == 0) throw Errors.Binding($"{call}: the thresholds {value} are empty; give at least one, e.g. GENERATE_ARRAY(0.0, 1.0, 0.1).");
        if (items.Any(v => !double.IsFinite(v))) throw Errors.Binding($"{call}: thresholds must be finite numbers, got {value}.");
        return items;
    }
}
