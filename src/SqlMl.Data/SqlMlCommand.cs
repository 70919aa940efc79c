using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Execution;

namespace SqlMl.Data;

/// <summary>
/// A SQL text of one or more statements. ML statements (CREATE/DROP MODEL, ML.PREDICT …) and plain DuckDB SQL mix
/// freely; each statement that returns rows is one result set of <see cref="ExecuteReader()"/>.
/// </summary>
public sealed class SqlMlCommand : DbCommand
{
    private readonly DuckDBCommand _parameterHolder = new();
    private SqlMlConnection? _connection;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText { get; set; } = "";

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new NotSupportedException("Only CommandType.Text is supported.");
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    public new SqlMlConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = (SqlMlConnection?)value;
    }

    protected override DbParameterCollection DbParameterCollection => _parameterHolder.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel() => _connection?.Duck.NativeConnection.Interrupt();

    public override int ExecuteNonQuery()
    {
        var runner = CreateRunner(CancellationToken.None);
        runner.RunToEnd();
        return runner.RecordsAffected;
    }

    public override object? ExecuteScalar()
    {
        using var reader = ExecuteReader();
        object? value = reader.Read() && reader.FieldCount > 0 ? reader.GetValue(0) : null;
        while (reader.NextResult()) { }
        return value;
    }

    public new SqlMlDataReader ExecuteReader() => (SqlMlDataReader)ExecuteDbDataReader(CommandBehavior.Default);

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => new SqlMlDataReader(CreateRunner(CancellationToken.None));

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new DuckDBParameter();

    private ScriptRunner CreateRunner(CancellationToken cancellationToken)
    {
        if (_connection is null) throw new InvalidOperationException("The command has no connection.");
        if (_connection.State != ConnectionState.Open) throw new InvalidOperationException("The connection is not open.");
        return new ScriptRunner(_connection.Duck, CommandText, _parameterHolder.Parameters.Cast<DbParameter>().ToList(), cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _parameterHolder.Dispose();
        base.Dispose(disposing);
    }
}
