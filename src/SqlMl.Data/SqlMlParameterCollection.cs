using System.Collections;
using System.Data.Common;

namespace SqlMl.Data;

/// <summary>
/// The parameters of a <see cref="SqlMlCommand"/>, in order: position i is <c>$(i+1)</c>; the unnamed ones, in
/// order, are the values of the <c>?</c> in the command text.
/// Names are compared without their <c>$</c> and ignoring case.
/// </summary>
public sealed class SqlMlParameterCollection : DbParameterCollection
{
    private readonly List<SqlMlParameter> _items = [];

    internal SqlMlParameterCollection()
    {
    }

    /// <inheritdoc />
    public override int Count => _items.Count;

    /// <inheritdoc />
    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    /// <summary>The parameter at a position.</summary>
    public new SqlMlParameter this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    /// <summary>The parameter of a name (with or without <c>$</c>).</summary>
    public new SqlMlParameter this[string parameterName]
    {
        get => _items[IndexOrThrow(parameterName)];
        set => _items[IndexOrThrow(parameterName)] = value;
    }

    /// <summary>Adds a parameter and returns it.</summary>
    public SqlMlParameter Add(SqlMlParameter parameter)
    {
        _items.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a parameter named <paramref name="parameterName"/> (with or without <c>$</c>) with a value.</summary>
    public SqlMlParameter AddWithValue(string parameterName, object? value) => Add(new SqlMlParameter(parameterName, value));

    /// <inheritdoc />
    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    /// <inheritdoc />
    public override void AddRange(Array values)
    {
        foreach (object? v in values) Add(v!);
    }

    /// <inheritdoc />
    public override void Clear() => _items.Clear();

    /// <inheritdoc />
    public override bool Contains(object value) => value is SqlMlParameter p && _items.Contains(p);

    /// <inheritdoc />
    public override bool Contains(string value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(object value) => value is SqlMlParameter p ? _items.IndexOf(p) : -1;

    /// <inheritdoc />
    public override int IndexOf(string parameterName)
    {
        string name = SqlMlParameter.NormalizeName(parameterName);
        return _items.FindIndex(p => string.Equals(p.ParameterName, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    /// <inheritdoc />
    public override void Remove(object value) => _items.Remove(Cast(value));

    /// <inheritdoc />
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOrThrow(parameterName));

    /// <summary>The parameters as a list, for binding.</summary>
    internal IReadOnlyList<SqlMlParameter> Snapshot() => [.. _items];

    /// <inheritdoc />
    protected override DbParameter GetParameter(int index) => _items[index];

    /// <inheritdoc />
    protected override DbParameter GetParameter(string parameterName) => _items[IndexOrThrow(parameterName)];

    /// <inheritdoc />
    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    /// <inheritdoc />
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOrThrow(parameterName)] = Cast(value);

    private int IndexOrThrow(string parameterName)
    {
        int i = IndexOf(parameterName);
        return i >= 0 ? i : throw new IndexOutOfRangeException($"The command has no parameter named '{parameterName}'.");
    }

    private static SqlMlParameter Cast(object value) =>
        value as SqlMlParameter ?? throw new InvalidCastException(
            $"A SqlMlParameterCollection holds SqlMlParameter objects, not {value?.GetType().Name ?? "null"}; use command.CreateParameter() or Parameters.AddWithValue(name, value).");
}
