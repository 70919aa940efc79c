using SqlMl.Models;

namespace SqlMl.Features;

/// <summary>
/// Automatic preprocessing of the column types that are not a single numeric or categorical feature (reference §3.1):
/// timestamps and dates become Unix seconds plus one-hot calendar components, arrays of non-numeric values become one
/// multi-hot feature, STRUCTs are expanded into one feature per field named <c>{struct}_{field}</c>. The expansion is a
/// pure function of the column's name and DuckDB type, so prediction recomputes it from the catalog's feature columns.
/// </summary>
internal static class AutoFeatures
{
    private static readonly HashSet<string> TimestampTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS",
    };

    private static readonly (string Prefix, Derivation Derivation, bool TimeOfDay)[] Components =
    [
        ("_TS_DOM_", Derivation.DayOfMonth, false),
        ("_TS_DOW_", Derivation.DayOfWeek, false),
        ("_TS_MOY_", Derivation.MonthOfYear, false),
        ("_TS_HOD_", Derivation.HourOfDay, true),
        ("_TS_MOH_", Derivation.MinuteOfHour, true),
        ("_TS_WOY_", Derivation.WeekOfYear, false),
        ("_TS_YEAR_", Derivation.Year, false),
    ];

    /// <summary>Whether a column of this type is expanded (rather than used as one plain numeric or categorical feature).</summary>
    public static bool IsExpanded(string type)
    {
        var t = DuckDbType.Parse(type);
        return t.Shape != TypeShape.Scalar || IsTemporal(t);
    }

    /// <summary>TIMESTAMP (any precision, with or without time zone) or DATE: Unix seconds plus calendar components.</summary>
    public static bool IsTemporal(DuckDbType t) =>
        t.Shape == TypeShape.Scalar && (TimestampTypes.Contains(t.Text) || t.Text.Equals("DATE", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the type has a time of day (DATE has no hour or minute components).</summary>
    public static bool HasTimeOfDay(DuckDbType t) => TimestampTypes.Contains(t.Text);

    /// <summary>
    /// The model features of an expanded column, in order. <paramref name="classify"/> tells how a plain scalar type is
    /// encoded (null: not supported). Unsupported shapes are errors naming <paramref name="statement"/> and the column.
    /// </summary>
    public static IReadOnlyList<AutoFeature> Expand(string column, string type, Func<string, FeatureKind?> classify, string statement)
    {
        var list = new List<AutoFeature>();
        Expand(list, column, [column], DuckDbType.Parse(type), classify, statement, column, inStruct: false);
        return list;
    }

    private static void Expand(List<AutoFeature> list, string name, IReadOnlyList<string> path, DuckDbType type,
        Func<string, FeatureKind?> classify, string statement, string column, bool inStruct)
    {
        string what = inStruct ? $"field '{string.Join('.', path.Skip(1))}' of STRUCT feature column '{column}'" : $"feature column '{column}'";
        switch (type.Shape)
        {
            case TypeShape.Struct:
                if (inStruct)
                    throw Errors.Binding($"{statement}: {what} is itself a STRUCT ({type}); nested STRUCTs are not expanded (as in BigQuery ML). Select the inner fields as columns, e.g. {column}.{string.Join('.', path.Skip(1))}.x AS {name}_x.");
                if (type.Fields.Count == 0 || type.Fields.Any(f => f.Name is null))
                    throw Errors.Binding($"{statement}: {what} has type {type}; a STRUCT feature needs named fields, e.g. {{'a': 1, 'b': 'x'}} or STRUCT_PACK(a := 1, b := 'x').");
                foreach (var (field, fieldType) in type.Fields)
                    Expand(list, name + "_" + field, [.. path, field!], fieldType, classify, statement, column, inStruct: true);
                return;
            case TypeShape.List:
                var element = type.Element!;
                if (element.Shape == TypeShape.Struct)
                    throw Errors.Binding($"{statement}: {what} has type {type}; arrays of STRUCTs are not preprocessed automatically (BigQuery ML leaves ARRAY<STRUCT> untransformed). Unnest the array or select scalar columns.");
                if (element.Shape == TypeShape.List)
                    throw Errors.Binding($"{statement}: {what} has type {type}; nested arrays are not preprocessed automatically. Flatten it, e.g. flatten({column}).");
                var elementKind = IsTemporal(element) ? FeatureKind.Categorical : classify(element.Text);
                if (elementKind == FeatureKind.Numeric)
                    throw Errors.Binding($"{statement}: {what} has type {type}; arrays of numbers are not preprocessed automatically (BigQuery ML leaves ARRAY<numeric> untransformed). Select the elements as columns, e.g. {column}[1] AS {name}_1, or cast the array to VARCHAR[] for a multi-hot encoding.");
                if (elementKind is null)
                    throw Errors.NotYetSupported(statement, $"{what} of type {type}");
                list.Add(new AutoFeature(name, FeatureKind.Categorical, path, type, Derivation.MultiHot));
                return;
        }
        if (IsTemporal(type))
        {
            list.Add(new AutoFeature(name, FeatureKind.Numeric, path, type, Derivation.EpochSeconds));
            foreach (var (prefix, derivation, timeOfDay) in Components)
                if (!timeOfDay || HasTimeOfDay(type))
                    list.Add(new AutoFeature(prefix + name, FeatureKind.Categorical, path, type, derivation));
            return;
        }
        var kind = classify(type.Text) ?? throw Errors.NotYetSupported(statement, $"{what} of type {type}");
        list.Add(new AutoFeature(name, kind, path, type, Derivation.Value));
    }

    /// <summary>
    /// Whether an input column of type <paramref name="input"/> can be scored by a model trained on an expanded column of
    /// type <paramref name="trained"/>: a timestamp (or any temporal type for a DATE model), an array of non-numeric values,
    /// or a STRUCT holding every trained field (by name) with an acceptable type.
    /// </summary>
    public static bool Accepts(string trained, string input, Func<string, FeatureKind?> classify) =>
        Accepts(DuckDbType.Parse(trained), DuckDbType.Parse(input), classify);

    private static bool Accepts(DuckDbType trained, DuckDbType input, Func<string, FeatureKind?> classify)
    {
        if (IsTemporal(trained)) return IsTemporal(input) && (!HasTimeOfDay(trained) || HasTimeOfDay(input));
        switch (trained.Shape)
        {
            case TypeShape.List:
                return input.Shape == TypeShape.List && input.Element!.Shape == TypeShape.Scalar && classify(input.Element.Text) != FeatureKind.Numeric;
            case TypeShape.Struct:
                return input.Shape == TypeShape.Struct && trained.Fields.All(f =>
                    input.Fields.FirstOrDefault(i => string.Equals(i.Name, f.Name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } match
                    && Accepts(f.Type, match.Type, classify));
            default:
                return classify(trained.Text) != FeatureKind.Numeric || (input.Shape == TypeShape.Scalar && classify(input.Text) == FeatureKind.Numeric);
        }
    }
}
