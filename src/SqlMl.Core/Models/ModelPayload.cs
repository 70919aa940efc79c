using System.Text;

namespace SqlMl.Models;

/// <summary>
/// The versioned envelope of the model BLOB stored in the catalog's <c>payload</c> column (little endian):
/// <code>
/// magic   "SQLMLMOD" (8 bytes)
/// version int32            (currently 1)
/// type    string           model type, e.g. "LINEAR_REG"
/// body    model-specific, written by the model itself (e.g. <see cref="LinearModel.WriteTo"/>)
/// </code>
/// Strings are BinaryWriter's length-prefixed UTF-8. Readers refuse unknown versions and mismatched types with a
/// clear message naming the model.
/// </summary>
internal static class ModelPayload
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "SQLMLMOD"u8.ToArray();

    public static byte[] Write(string modelType, Action<BinaryWriter> writeBody)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(modelType);
            writeBody(w);
        }
        return ms.ToArray();
    }

    public static T Read<T>(byte[] payload, string modelName, string modelType, Func<BinaryReader, T> readBody)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (payload.Length < Magic.Length + 4 || !r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw Errors.Catalog($"Model {modelName}: the stored payload is not a SqlMl model.");
        int version = r.ReadInt32();
        if (version != FormatVersion)
            throw Errors.Catalog($"Model {modelName}: payload format version {version} is not supported by this SqlMl (reads version {FormatVersion}). Retrain the model with this version.");
        string type = r.ReadString();
        if (type != modelType) throw Errors.Catalog($"Model {modelName}: the payload holds a {type} model, but the catalog says {modelType}.");
        try
        {
            return readBody(r);
        }
        catch (EndOfStreamException e)
        {
            throw new SqlMlException(SqlMlErrorCode.Catalog, $"Model {modelName}: the stored payload is truncated.", inner: e);
        }
    }
}
