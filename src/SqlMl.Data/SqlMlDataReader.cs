using System.Collections;
using System.Data.Common;
using SqlMl.Data.Internal.Execution;

namespace SqlMl.Data;

/// <summary>
/// Reads the result sets of a script, one per row-returning statement. <see cref="NextResult"/> runs the script
/// on to the next such statement, so statements execute in order as the reader advances; disposing runs the rest.
/// </summary>
public sealed class SqlMlDataReader : DbDataReader
{
    private readonly ScriptRunner _runner;
    private DbDataReader? _current;
    private bool _closed;

    internal SqlMlDataReader(ScriptRunner runner)
    {
        _runner = runner;
        _current = runner.NextResult();
    }

    private DbDataReader Current => _current ?? throw new InvalidOperationException("No result set: the statements returned no rows.");

    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override int Depth => 0;
    public override int FieldCount => _current?.FieldCount ?? 0;
    public override bool HasRows => _current?.HasRows ?? false;
    public override bool IsClosed => _closed;
    public override int RecordsAffected => _runner.RecordsAffected;
    public override bool GetBoolean(int ordinal) => Current.GetBoolean(ordinal);
    public override byte GetByte(int ordinal) => Current.GetByte(ordinal);
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => Current.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
    public override char GetChar(int ordinal) => Current.GetChar(ordinal);
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => Current.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
    public override string GetDataTypeName(int ordinal) => Current.GetDataTypeName(ordinal);
    public override DateTime GetDateTime(int ordinal) => Current.GetDateTime(ordinal);
    public override decimal GetDecimal(int ordinal) => Current.GetDecimal(ordinal);
    public override double GetDouble(int ordinal) => Current.GetDouble(ordinal);
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
    public override Type GetFieldType(int ordinal) => Current.GetFieldType(ordinal);
    public override float GetFloat(int ordinal) => Current.GetFloat(ordinal);
    public override Guid GetGuid(int ordinal) => Current.GetGuid(ordinal);
    public override short GetInt16(int ordinal) => Current.GetInt16(ordinal);
    public override int GetInt32(int ordinal) => Current.GetInt32(ordinal);
    public override long GetInt64(int ordinal) => Current.GetInt64(ordinal);
    public override string GetName(int ordinal) => Current.GetName(ordinal);
    public override int GetOrdinal(string name) => Current.GetOrdinal(name);
    public override string GetString(int ordinal) => Current.GetString(ordinal);
    public override object GetValue(int ordinal) => Current.GetValue(ordinal);
    public override int GetValues(object[] values) => Current.GetValues(values);
    public override bool IsDBNull(int ordinal) => Current.IsDBNull(ordinal);
    public override T GetFieldValue<T>(int ordinal) => Current.GetFieldValue<T>(ordinal);

    public override bool Read() => _current is not null && _current.Read();

    public override bool NextResult()
    {
        _current?.Dispose();
        _current = null;
        _current = _runner.NextResult();
        return _current is not null;
    }

    public override void Close()
    {
        if (_closed) return;
        _closed = true;
        try
        {
            while (NextResult()) { }
        }
        finally
        {
            _current?.Dispose();
            _current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }
}
