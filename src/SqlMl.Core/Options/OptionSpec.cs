namespace SqlMl.Options;

/// <summary>The SQL type an option accepts.</summary>
internal enum OptionKind
{
    String,
    Int,
    Float,
    Bool,
    StringArray,
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
        _ => "ARRAY<STRING>",
    };
}
