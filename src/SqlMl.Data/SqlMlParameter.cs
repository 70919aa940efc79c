using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace SqlMl.Data;

/// <summary>
/// A value for a parameter of a <see cref="SqlMlCommand"/>: <c>$name</c> (or <c>$1</c>, <c>$2</c> …, the parameters
/// by position) and <c>?</c> (the next parameter without a name, counted over the whole command text). Parameters work
/// in plain SQL, where DuckDB binds them, and inside ML statements (CREATE MODEL's AS query and OPTIONS, ML
/// functions' query arguments and STRUCT settings such as a threshold), where their values are written into the
/// statement as SQL literals. Only <see cref="ParameterDirection.Input"/> is supported.
/// </summary>
public sealed class SqlMlParameter : DbParameter
{
    private string _name = "";

    /// <summary>Creates a parameter with no name and no value.</summary>
    public SqlMlParameter()
    {
    }

    /// <summary>Creates a parameter; <paramref name="name"/> may be written with or without its <c>$</c>.</summary>
    public SqlMlParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <summary>The name without the leading <c>$</c> (also accepted with <c>$</c>, <c>@</c> or <c>:</c>, which are removed).</summary>
    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = NormalizeName(value);
    }

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <summary>Informational only: the value's own .NET type decides how it binds.</summary>
    public override DbType DbType { get; set; } = DbType.Object;

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
                throw new ArgumentException($"SqlMl parameters are input parameters only; {value} is not supported.", nameof(value));
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; } = true;

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override DataRowVersion SourceVersion { get; set; } = DataRowVersion.Current;

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.Object;

    /// <summary>A parameter name as SqlMl compares it: without a leading <c>$</c>, <c>@</c> or <c>:</c>.</summary>
    internal static string NormalizeName(string? name) =>
        string.IsNullOrEmpty(name) ? "" : name[0] is '$' or '@' or ':' ? name[1..] : name;
}
