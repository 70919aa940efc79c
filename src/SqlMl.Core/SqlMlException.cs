using System.Data.Common;

namespace SqlMl;

/// <summary>
/// The one exception type for what users do wrong: bad SQL, bad options, unusable data, unknown models.
/// Carries a <see cref="SqlMlErrorCode"/>, and for syntax errors the 1-based line and column in the
/// submitted text. DuckDB's own errors are wrapped with code <see cref="SqlMlErrorCode.Engine"/> and kept
/// as the inner exception.
/// </summary>
public sealed class SqlMlException : DbException
{
    public SqlMlException(SqlMlErrorCode code, string message, int? line = null, int? column = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Line = line;
        Column = column;
    }

    /// <summary>The kind of error.</summary>
    public SqlMlErrorCode Code { get; }

    /// <summary>1-based line of the error in the submitted SQL text, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the error in the submitted SQL text, when known.</summary>
    public int? Column { get; }

    /// <inheritdoc />
    public override int ErrorCode => (int)Code;
}
