using System.Globalization;
using System.Text;

namespace SqlMl.Parsing;

/// <summary>A model name, optionally qualified with a schema. Names compare case-insensitively, as DuckDB identifiers do.</summary>
public sealed record ModelName(string? Schema, string Name)
{
    /// <summary>Schema used when a name is not qualified.</summary>
    public const string DefaultSchema = "main";

    /// <summary>The schema, or <see cref="DefaultSchema"/>.</summary>
    public string EffectiveSchema => Schema ?? DefaultSchema;

    /// <summary>The catalog key: lower-cased schema and name.</summary>
    public string Key => EffectiveSchema.ToLowerInvariant() + "." + Name.ToLowerInvariant();

    public override string ToString() => Schema is null ? SqlText.Identifier(Name) : SqlText.Identifier(Schema) + "." + SqlText.Identifier(Name);
}

/// <summary>A literal in OPTIONS(...) or a STRUCT(...) argument.</summary>
public abstract record OptionValue
{
    /// <summary>BigQuery's name for the value's type, for error messages.</summary>
    public abstract string TypeName { get; }
}

public sealed record StringValue(string Value) : OptionValue
{
    public override string TypeName => "STRING";
    public override string ToString() => SqlText.StringLiteral(Value);
}

public sealed record NumberValue(double Value, bool IsInteger) : OptionValue
{
    public override string TypeName => IsInteger ? "INT64" : "FLOAT64";
    public override string ToString()
    {
        if (IsInteger) return ((long)Value).ToString(CultureInfo.InvariantCulture);
        // A FLOAT64 keeps a decimal point or exponent ("1.0", not "1"), so that printing and re-parsing keeps its type.
        string text = Value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || !double.IsFinite(Value) ? text : text + ".0";
    }
}

public sealed record BoolValue(bool Value) : OptionValue
{
    public override string TypeName => "BOOL";
    public override string ToString() => Value ? "TRUE" : "FALSE";
}

public sealed record NullValue : OptionValue
{
    public override string TypeName => "NULL";
    public override string ToString() => "NULL";
}

public sealed record ArrayValue(IReadOnlyList<OptionValue> Items) : OptionValue
{
    public override string TypeName => "ARRAY";
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
    public bool Equals(ArrayValue? other) => other is not null && Items.SequenceEqual(other.Items);
    public override int GetHashCode() => Items.Count;
}

/// <summary>
/// GENERATE_ARRAY(start, end, step) over number literals, as ML.ROC_CURVE takes its thresholds. Kept as written
/// (printing gives the same text back); <see cref="Expand"/> gives its elements.
/// </summary>
public sealed record GenerateArrayValue(NumberValue Start, NumberValue End, NumberValue Step) : OptionValue
{
    /// <summary>The most elements <see cref="Expand"/> produces; a longer array is an error.</summary>
    public const int MaxElements = 100_000;

    public override string TypeName => "ARRAY";

    public override string ToString() => $"GENERATE_ARRAY({Start}, {End}, {Step})";

    /// <summary>
    /// BigQuery's GENERATE_ARRAY: start, start + step, … up to and including end (with a relative tolerance of 1e-9
    /// steps, so GENERATE_ARRAY(0, 1, 0.1) ends at 1); empty when step points away from end. Elements are
    /// start + k·step rounded to 15 significant digits, so 0.1 steps give 0.3, not 0.30000000000000004.
    /// </summary>
    public IReadOnlyList<double> Expand()
    {
        double start = Start.Value, end = End.Value, step = Step.Value;
        if (step == 0) throw Errors.Binding($"{this}: the step must not be 0.");
        double count = Math.Floor((end - start) / step + 1e-9) + 1;
        if (count <= 0) return [];
        if (!(count <= MaxElements)) throw Errors.Binding($"{this} has more than {MaxElements} elements.");
        var items = new double[(int)count];
        for (int k = 0; k < items.Length; k++)
            items[k] = double.Parse((start + k * step).ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return items;
    }
}

/// <summary>A STRUCT(value [AS name], ...) literal.</summary>
public sealed record StructValue(IReadOnlyList<StructField> Fields) : OptionValue
{
    public override string TypeName => "STRUCT";
    public override string ToString() => "STRUCT(" + string.Join(", ", Fields) + ")";
    public bool Equals(StructValue? other) => other is not null && Fields.SequenceEqual(other.Fields);
    public override int GetHashCode() => Fields.Count;
}

public sealed record StructField(string? Name, OptionValue Value)
{
    public override string ToString() => Name is null ? Value.ToString()! : Value + " AS " + SqlText.Identifier(Name);
}

/// <summary>One key = value entry of OPTIONS(...). Offset is relative to the statement.</summary>
public sealed record OptionEntry(string Name, OptionValue Value, int Offset)
{
    public override string ToString() => SqlText.Identifier(Name) + " = " + Value;
}

/// <summary>A statement of the ML envelope.</summary>
public abstract record MlStatement;

/// <summary>CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name [TRANSFORM(...)] [OPTIONS(...)] AS query.</summary>
public sealed record CreateModelStatement(
    ModelName Name,
    bool OrReplace,
    bool IfNotExists,
    string? Transform,
    IReadOnlyList<OptionEntry> Options,
    string Query) : MlStatement
{
    /// <summary>1-based line, in the statement, of the first character inside TRANSFORM's parentheses (0 without TRANSFORM).</summary>
    public int TransformLine { get; init; }

    /// <summary>1-based column, in the statement, of the first character inside TRANSFORM's parentheses.</summary>
    public int TransformColumn { get; init; }

    public override string ToString()
    {
        var sb = new StringBuilder("CREATE ");
        if (OrReplace) sb.Append("OR REPLACE ");
        sb.Append("MODEL ");
        if (IfNotExists) sb.Append("IF NOT EXISTS ");
        sb.Append(Name);
        if (Transform is not null) sb.Append(" TRANSFORM").Append(Transform);
        if (Options.Count > 0) sb.Append(" OPTIONS(").Append(string.Join(", ", Options)).Append(')');
        sb.Append(" AS ").Append(Query);
        return sb.ToString();
    }
}

/// <summary>DROP MODEL [IF EXISTS] name.</summary>
public sealed record DropModelStatement(ModelName Name, bool IfExists) : MlStatement
{
    public override string ToString() => "DROP MODEL " + (IfExists ? "IF EXISTS " : "") + Name;
}

/// <summary>An argument of an ML.xxx(...) table function.</summary>
public abstract record MlArgument;

public sealed record ModelArgument(ModelName Name) : MlArgument
{
    public override string ToString() => "MODEL " + Name;
}

/// <summary>TABLE name: the name is kept as written (it may be a CTE or a qualified table).</summary>
public sealed record TableArgument(string Name) : MlArgument
{
    public override string ToString() => "TABLE " + Name;
}

/// <summary>A parenthesized query; <see cref="Sql"/> holds the text inside the parentheses.</summary>
public sealed record QueryArgument(string Sql) : MlArgument
{
    public override string ToString() => "(" + Sql + ")";
}

public sealed record ValueArgument(OptionValue Value) : MlArgument
{
    public override string ToString() => Value.ToString()!;
}

/// <summary>ML.FUNCTION(args): a table function of the ML namespace.</summary>
public sealed record MlFunctionCall(string Function, IReadOnlyList<MlArgument> Arguments) : MlStatement
{
    public override string ToString() => "ML." + Function + "(" + string.Join(", ", Arguments) + ")";
    public bool Equals(MlFunctionCall? other) => other is not null && Function == other.Function && Arguments.SequenceEqual(other.Arguments);
    public override int GetHashCode() => Function.GetHashCode(StringComparison.Ordinal);
}
