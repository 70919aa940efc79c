namespace SqlMl.Training;

/// <summary>Assigns dense integer codes to the distinct values of a categorical column, in order of first appearance.</summary>
internal sealed class CategoryDictionary
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _values = [];

    public CategoryDictionary() => _lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

    public IReadOnlyList<string> Values => _values;

    public int GetOrAdd(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out int code)) return code;
        string s = value.ToString();
        code = _values.Count;
        _codes.Add(s, code);
        _values.Add(s);
        return code;
    }
}
