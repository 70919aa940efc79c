using SqlMl.Parsing;

namespace SqlMl.Options;

/// <summary>
/// OPTIONS(...) checked against a model type's specs: names are case-insensitive, each appears once,
/// values have the declared type. Typed getters return null when an option was not given.
/// </summary>
internal sealed class BoundOptions
{
    private readonly Dictionary<string, OptionValue> _values;

    private BoundOptions(Dictionary<string, OptionValue> values) => _values = values;

    public static BoundOptions Bind(IReadOnlyList<OptionEntry> entries, string modelType, IReadOnlyList<OptionSpec> specs, IReadOnlyCollection<string> unsupported)
    {
        const string statement = "CREATE MODEL";
        var byName = specs.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, OptionValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
        {
            if (!byName.TryGetValue(e.Name, out var spec))
            {
                if (unsupported.Contains(e.Name, StringComparer.OrdinalIgnoreCase))
                    throw Errors.NotYetSupported(statement, $"option '{e.Name.ToLowerInvariant()}' for {modelType}");
                throw Errors.UnknownOption(statement, e.Name, modelType, specs.Select(s => s.Name).Concat(unsupported));
            }
            if (!values.TryAdd(spec.Name, e.Value))
                throw Errors.OptionValue(statement, spec.Name, "is given more than once");
            Check(statement, spec, e.Value);
        }
        return new BoundOptions(values);
    }

    private static void Check(string statement, OptionSpec spec, OptionValue value)
    {
        bool ok = (spec.Kind, value) switch
        {
            (OptionKind.String, StringValue) => true,
            (OptionKind.Int, NumberValue { IsInteger: true }) => true,
            (OptionKind.Float, NumberValue) => true,
            (OptionKind.Bool, BoolValue) => true,
            (OptionKind.StringArray, ArrayValue a) => a.Items.All(i => i is StringValue),
            (OptionKind.StructArray, ArrayValue a) => a.Items.All(i => i is StructValue),
            _ => false,
        };
        if (!ok) throw Errors.OptionType(statement, spec.Name, spec.TypeName, value.TypeName, value.ToString()!);
        if (spec.Allowed is not null && value is StringValue s && !spec.Allowed.Contains(s.Value, StringComparer.OrdinalIgnoreCase))
        {
            string? guess = Errors.DidYouMean(s.Value, spec.Allowed);
            // Not Errors.OptionValue: it ends the message with '.', which would follow the suggestion's '?'.
            throw Errors.Binding($"{statement}: option '{spec.Name}' must be {spec.TypeName}, got '{s.Value}'." + (guess is null ? "" : $" Did you mean '{guess}'?"));
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.TryGetValue(name, out var v) ? ((StringValue)v).Value : null;

    /// <summary>An enumeration value, upper-cased.</summary>
    public string? Enum(string name) => String(name)?.ToUpperInvariant();

    public double? Float(string name) => _values.TryGetValue(name, out var v) ? ((NumberValue)v).Value : null;

    public long? Int(string name) => _values.TryGetValue(name, out var v) ? (long)((NumberValue)v).Value : null;

    public bool? Bool(string name) => _values.TryGetValue(name, out var v) ? ((BoolValue)v).Value : null;

    public IReadOnlyList<string>? StringArray(string name) =>
        _values.TryGetValue(name, out var v) ? ((ArrayValue)v).Items.Select(i => ((StringValue)i).Value).ToList() : null;

    public IReadOnlyList<StructValue>? StructArray(string name) =>
        _values.TryGetValue(name, out var v) ? ((ArrayValue)v).Items.Cast<StructValue>().ToList() : null;

    /// <summary>The options as given, as a JSON object (for the catalog).</summary>
    public string ToJson()
    {
        var dict = _values.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value));
        return System.Text.Json.JsonSerializer.Serialize(dict);
    }

    private static object? ToPlain(OptionValue v) => v switch
    {
        StringValue s => s.Value,
        NumberValue n => n.IsInteger ? (long)n.Value : n.Value,
        BoolValue b => b.Value,
        ArrayValue a => a.Items.Select(ToPlain).ToList(),
        StructValue s => s.Fields.ToDictionary(f => f.Name ?? "", f => ToPlain(f.Value)),
        _ => null,
    };
}
