using System.Globalization;

namespace SqlMl.Models;

/// <summary>
/// The distinct user or item ids of a matrix factorization model, in code order (code = index). Ids are either
/// integers (the column was an integer type) or strings; both compare exactly.
/// </summary>
internal sealed class IdSet
{
    private readonly long[]? _integers;
    private readonly string[]? _strings;
    private Dictionary<string, int>? _codes;

    private IdSet(long[]? integers, string[]? strings)
    {
        _integers = integers;
        _strings = strings;
    }

    public static IdSet FromIntegers(long[] ids) => new(ids, null);

    public static IdSet FromStrings(string[] ids) => new(null, ids);

    public bool IsInteger => _integers is not null;

    public int Count => _integers?.Length ?? _strings!.Length;

    public long Integer(int code) => _integers![code];

    public string String(int code) => _strings![code];

    /// <summary>The id as text (integers in invariant culture).</summary>
    public string Text(int code) => _integers is { } i ? i[code].ToString(CultureInfo.InvariantCulture) : _strings![code];

    /// <summary>The code of an id given as text, or -1 when the model does not know it.</summary>
    public int CodeOf(string text)
    {
        _codes ??= Enumerable.Range(0, Count).ToDictionary(Text, c => c, StringComparer.Ordinal);
        return _codes.TryGetValue(text, out int code) ? code : -1;
    }

    /// <summary>Layout: bool is_integer, int32 n, n × (int64 | string).</summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(IsInteger);
        w.Write(Count);
        if (_integers is { } ints) foreach (long v in ints) w.Write(v);
        else foreach (string s in _strings!) w.Write(s);
    }

    public static IdSet ReadFrom(BinaryReader r)
    {
        bool integer = r.ReadBoolean();
        int n = r.ReadInt32();
        if (integer)
        {
            var ids = new long[n];
            for (int i = 0; i < n; i++) ids[i] = r.ReadInt64();
            return FromIntegers(ids);
        }
        var strings = new string[n];
        for (int i = 0; i < n; i++) strings[i] = r.ReadString();
        return FromStrings(strings);
    }
}
