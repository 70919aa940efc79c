namespace SqlMl.Models;

/// <summary>Pieces of payload bodies several models share: string lists and nullable strings (is_null bool, [string]).</summary>
internal static class PayloadIO
{
    public static void WriteStrings(this BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    public static List<string> ReadStrings(this BinaryReader r) => Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToList();

    public static void WriteNullable(this BinaryWriter w, string? value)
    {
        w.Write(value is null);
        if (value is not null) w.Write(value);
    }

    public static string? ReadNullable(this BinaryReader r) => r.ReadBoolean() ? null : r.ReadString();
}
