using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>Field combinations for ML.FEATURE_CROSS and ML.POLYNOMIAL_EXPAND, in lexicographic order of field positions.</summary>
internal static class FieldCombinations
{
    public const int MaxFields = 10;

    /// <summary>Index tuples of sizes <paramref name="minSize"/> … <paramref name="maxSize"/>, increasing (or non-decreasing with repetition).</summary>
    public static List<int[]> Generate(int fields, int minSize, int maxSize, bool repetition)
    {
        var result = new List<int[]>();
        var current = new List<int>();
        void Walk(int start)
        {
            if (current.Count >= minSize) result.Add([.. current]);
            if (current.Count == maxSize) return;
            for (int i = start; i < fields; i++)
            {
                current.Add(i);
                Walk(repetition ? i : i + 1);
                current.RemoveAt(current.Count - 1);
            }
        }
        Walk(0);
        return result;
    }

    public static List<StructField> Fields(CallArguments args, int minFields)
    {
        var fields = args.Struct(0, "the first argument");
        if (fields.Count < minFields || fields.Count > MaxFields)
            throw args.Error($"takes a STRUCT of {minFields} to {MaxFields} fields, got {fields.Count}.", 0);
        return fields;
    }

    /// <summary>The STRUCT literal {'name': value, …}, refusing two outputs with the same name.</summary>
    public static string Struct(CallArguments args, IEnumerable<(string Name, string Value)> outputs)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parts = new List<string>();
        foreach (var (name, value) in outputs)
        {
            if (!seen.Add(name)) throw args.Error($"two output fields would be named '{name}'; rename the input fields.", 0);
            parts.Add(SqlText.StringLiteral(name) + ": " + value);
        }
        return "{" + string.Join(", ", parts) + "}";
    }
}

/// <summary>
/// ML.FEATURE_CROSS(struct_categorical_features [, degree]): a STRUCT of STRING with every cross of 2 … degree
/// distinct fields, named and valued by joining with '_'; NULL when one of the crossed values is NULL.
/// </summary>
internal sealed class FeatureCrossFunction() : PreprocessingFunction("FEATURE_CROSS", isAnalytic: false, minArguments: 1, maxArguments: 2,
    "(struct_categorical_features [, degree])")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var fields = FieldCombinations.Fields(args, 2);
        long degree = args.Int(1, "degree", 2);
        if (degree is < 2 or > 4) throw args.Error($"degree must be between 2 and 4, got {degree}.", 1);
        var combos = FieldCombinations.Generate(fields.Count, 2, (int)Math.Min(degree, fields.Count), repetition: false);
        return CompiledCall.Scalar(args.Fragments.Let(fields.Select(x => SqlFragments.AsVarchar(x.Sql)).ToList(), r =>
            FieldCombinations.Struct(args, combos.Select(c => (
                string.Join("_", c.Select(i => fields[i].Name)),
                string.Join(" || '_' || ", c.Select(i => r[i])))))));
    }
}

/// <summary>
/// ML.POLYNOMIAL_EXPAND(struct_numerical_features [, degree]): a STRUCT of STRING with every monomial of degree
/// 1 … degree (the fields themselves included), named by joining the field names with '_', valued as DOUBLE text.
/// </summary>
internal sealed class PolynomialExpandFunction() : PreprocessingFunction("POLYNOMIAL_EXPAND", isAnalytic: false, minArguments: 1, maxArguments: 2,
    "(struct_numerical_features [, degree])")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var fields = FieldCombinations.Fields(args, 1);
        long degree = args.Int(1, "degree", 2);
        if (degree is < 1 or > 4) throw args.Error($"degree must be between 1 and 4, got {degree}.", 1);
        var combos = FieldCombinations.Generate(fields.Count, 1, (int)degree, repetition: true);
        return CompiledCall.Scalar(args.Fragments.Let(fields.Select(x => SqlFragments.AsDouble(x.Sql)).ToList(), r =>
            FieldCombinations.Struct(args, combos.Select(c => (
                string.Join("_", c.Select(i => fields[i].Name)),
                SqlFragments.AsVarchar(string.Join(" * ", c.Select(i => r[i]))))))));
    }
}
