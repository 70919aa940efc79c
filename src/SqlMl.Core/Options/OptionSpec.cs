namespace SqlMl.Options;

/// <summary>The SQL type an option accepts.</summary>
internal enum OptionKind
{
    String,
    Int,
    Float,
    Bool,
    StringArray,
    /// <summary>An ARRAY of STRUCT values, e.g. class_weights = [STRUCT('a', 0.2)].</summary>
    StructArray,
}

/// <summary>One option a model type accepts: its SQL name, type and, for enumerations, allowed values.</summary>
internal sealed record OptionSpec(string Name, OptionKind Kind, IReadOnlyList<string>? Allowed = null)
{
    public string TypeName => Kind switch
    {
        OptionKind.String => Allowed is null ? "STRING" : "one of " + string.Join(", ", Allowed.Select(a => "'" + a + "'")),
        OptionKind.Int => "INT64",
        OptionKind.Float => "FLOAT64",
        OptionKind.Bool => "BOOL",
        OptionKind.StringArray => "ARRAY<STRING>",
        _ => "ARRAY<STRUCT>",
    };
}
