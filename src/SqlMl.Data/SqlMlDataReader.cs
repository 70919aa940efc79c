using System.Collections;
using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Execution;
using SqlMl.Data.Internal.Native;

namespace SqlMl.Data;

/// <summary>
/// Reads the result sets of a script, one per row-returning statement. <see cref="NextResult()"/> runs the script
/// on to the next such statement, so statements execute in order as the reader advances; disposing runs the rest.
/// Values of LIST columns are <see cref="List{T}"/>, of STRUCT columns <c>Dictionary&lt;string, object?&gt;</c>
/// (or any class with matching properties through <see cref="GetFieldValue{T}"/>); <see cref="GetDataTypeName"/>
/// gives DuckDB's SQL type, e.g. <c>STRUCT(label VARCHAR, prob DOUBLE)[]</c> for ML.PREDICT's probabilities.
/// </summary>
public sealed class SqlMlDataReader : DbDataReader
{
    private readonly ScriptRunner _runner;
    private readonly CancellationToken _cancellationToken;
    private readonly Action _onClose;
    private DbDataReader? _current;
    private string[]? _typeNames;
    private bool _closed;

    internal SqlMlDataReader(ScriptRunner runner, CancellationToken cancellationToken, Action onClose)
    {
        _runner = runner;
        _cancellationToken = cancellationToken;
        _onClose = onClose;
        _current = runner.NextResult(cancellationToken);
    }

    private DbDataReader Current => _current ?? throw new InvalidOperationException(_closed ? "The reader is closed." : "No result set: the statements returned no rows.");

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);
    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));
    /// <inheritdoc />
    public override int Depth => 0;
    /// <inheritdoc />
    public override int FieldCount => _current?.FieldCount ?? 0;
    /// <inheritdoc />
    public override bool HasRows => _current?.HasRows ?? false;
    /// <inheritdoc />
    public override bool IsClosed => _closed;
    /// <inheritdoc />
    public override int RecordsAffected => _runner.RecordsAffected;
    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => Current.GetBoolean(ordinal);
    /// <inheritdoc />
    public override byte GetByte(int ordinal) => Current.GetByte(ordinal);
    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => Current.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
    /// <inheritdoc />
    public override char GetChar(int ordinal) => Current.GetChar(ordinal);
    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => Current.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => Current.GetDateTime(ordinal);
    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => Current.GetDecimal(ordinal);
    /// <inheritdoc />
    public override double GetDouble(int ordinal) => Current.GetDouble(ordinal);
    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
    /// <summary>The .NET type of a column's values: <see cref="List{T}"/> for LIST, <c>Dictionary&lt;string, object?&gt;</c> for STRUCT.</summary>
    public override Type GetFieldType(int ordinal) => Current.GetFieldType(ordinal);
    /// <inheritdoc />
    public override float GetFloat(int ordinal) => Current.GetFloat(ordinal);
    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => Current.GetGuid(ordinal);
    /// <inheritdoc />
    public override short GetInt16(int ordinal) => Current.GetInt16(ordinal);
    /// <inheritdoc />
    public override int GetInt32(int ordinal) => Current.GetInt32(ordinal);
    /// <inheritdoc />
    public override long GetInt64(int ordinal) => Current.GetInt64(ordinal);
    /// <inheritdoc />
    public override string GetName(int ordinal) => Current.GetName(ordinal);
    /// <inheritdoc />
    public override int GetOrdinal(string name) => Current.GetOrdinal(name);
    /// <inheritdoc />
    public override string GetString(int ordinal) => Current.GetString(ordinal);
    /// <inheritdoc />
    public override object GetValue(int ordinal) => Current.GetValue(ordinal);
    /// <inheritdoc />
    public override int GetValues(object[] values) => Current.GetValues(values);
    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => Current.IsDBNull(ordinal);
    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal) => Current.GetFieldValue<T>(ordinal);

    /// <summary>DuckDB's SQL type of a column: <c>DOUBLE</c>, <c>VARCHAR[]</c>, <c>STRUCT(label VARCHAR, prob DOUBLE)[]</c> ….</summary>
    public override string GetDataTypeName(int ordinal)
    {
        var current = Current;
        if (ordinal < 0 || ordinal >= current.FieldCount) throw new IndexOutOfRangeException($"Column ordinal {ordinal} is out of range (0 to {current.FieldCount - 1}).");
        _typeNames ??= TypeNames(current);
        return _typeNames[ordinal];
    }

    /// <summary>
    /// One row per column: ColumnName, ColumnOrdinal, DataType (.NET), DataTypeName (DuckDB's SQL type),
    /// AllowDBNull, NumericPrecision and NumericScale (DECIMAL), ColumnSize (-1).
    /// </summary>
    public override DataTable GetSchemaTable()
    {
        var current = Current;
        var table = new DataTable("SchemaTable")
        {
            Columns =
            {
                { SchemaTableColumn.ColumnName, typeof(string) },
                { SchemaTableColumn.ColumnOrdinal, typeof(int) },
                { SchemaTableColumn.ColumnSize, typeof(int) },
                { SchemaTableColumn.NumericPrecision, typeof(short) },
                { SchemaTableColumn.NumericScale, typeof(short) },
                { SchemaTableColumn.DataType, typeof(Type) },
                { "DataTypeName", typeof(string) },
                { SchemaTableColumn.AllowDBNull, typeof(bool) },
                { SchemaTableColumn.IsKey, typeof(bool) },
                { SchemaTableColumn.IsLong, typeof(bool) },
            },
        };
        for (int i = 0; i < current.FieldCount; i++)
        {
            string typeName = GetDataTypeName(i);
            var (precision, scale) = Decimal(typeName);
            table.Rows.Add(current.GetName(i), i, -1, precision, scale, current.GetFieldType(i), typeName, true, false, false);
        }
        return table;
    }

    /// <inheritdoc />
    public override bool Read() => _current is not null && _current.Read();

    /// <inheritdoc />
    public override bool NextResult() => NextResult(_cancellationToken);

    /// <summary>Runs the script on to its next result set; false when none is left.</summary>
    public bool NextResult(CancellationToken cancellationToken)
    {
        if (_closed) return false;
        _current?.Dispose();
        _current = null;
        _typeNames = null;
        if (!cancellationToken.CanBeCanceled || cancellationToken == _cancellationToken || !_cancellationToken.CanBeCanceled)
        {
            _current = _runner.NextResult(cancellationToken.CanBeCanceled ? cancellationToken : _cancellationToken);
        }
        else
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
            _current = _runner.NextResult(linked.Token);
        }
        return _current is not null;
    }

    /// <inheritdoc />
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) =>
        Task.Run(() => NextResult(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed) return;
        try
        {
            // The rest of the script runs on close, unless the execution was cancelled: then it stops here.
            while (!_cancellationToken.IsCancellationRequested && !_runner.IsCancellationRequested && NextResult()) { }
        }
        catch (OperationCanceledException)
        {
            // Cancelled while the rest of the script ran: closing stops there, as after a cancel before closing.
        }
        finally
        {
            _closed = true;
            _current?.Dispose();
            _current = null;
            _onClose();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    private static string[] TypeNames(DbDataReader current)
    {
        string[]? names = current is OwningReader { Command: DuckDBCommand { Connection: DuckDBConnection connection } command }
            ? ResultTypeNames.TryGet(connection, command.CommandText)
            : null;
        if (names is not null && names.Length == current.FieldCount) return names;
        return Enumerable.Range(0, current.FieldCount).Select(i => current.GetDataTypeName(i).ToUpperInvariant()).ToArray();
    }

    private static (object Precision, object Scale) Decimal(string typeName)
    {
        if (!typeName.StartsWith("DECIMAL(", StringComparison.Ordinal)) return (DBNull.Value, DBNull.Value);
        var parts = typeName[8..^1].Split(',');
        return (short.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), short.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
