using System.Text;

namespace SqlMl.Models;

/// <summary>
/// The versioned binary payload stored in the catalog's <c>payload</c> BLOB. Layout (little endian):
/// <code>
/// magic   "SQLMLMOD" (8 bytes)
/// version int32            (currently 1)
/// type    string           model type, e.g. "LINEAR_REG"
/// body    model-specific, for LINEAR_REG v1:
///   label string, fit_intercept bool, intercept double,
///   feature_order int32 n, n × string,
///   numeric int32 n, n × (name string, mean double, scale double, center double, weight double),
///   categorical int32 n, n × (name string, int32 k, k × (is_null bool, [category string], weight double))
/// </code>
/// Strings are BinaryWriter's length-prefixed UTF-8. Readers refuse unknown versions with a clear message.
/// </summary>
internal static class ModelPayload
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "SQLMLMOD"u8.ToArray();

    public static byte[] Write(LinearModel model)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write("LINEAR_REG");
            w.Write(model.Label);
            w.Write(model.FitIntercept);
            w.Write(model.Intercept);
            w.Write(model.FeatureOrder.Count);
            foreach (var f in model.FeatureOrder) w.Write(f);
            w.Write(model.Numeric.Count);
            foreach (var f in model.Numeric)
            {
                w.Write(f.Name); w.Write(f.Mean); w.Write(f.Scale); w.Write(f.Center); w.Write(f.Weight);
            }
            w.Write(model.Categorical.Count);
            foreach (var f in model.Categorical)
            {
                w.Write(f.Name);
                w.Write(f.Categories.Count);
                for (int i = 0; i < f.Categories.Count; i++)
                {
                    w.Write(f.Categories[i] is null);
                    if (f.Categories[i] is { } c) w.Write(c);
                    w.Write(f.Weights[i]);
                }
            }
        }
        return ms.ToArray();
    }

    public static LinearModel Read(byte[] payload, string modelName)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (payload.Length < Magic.Length + 4 || !r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw Errors.Catalog($"Model {modelName}: the stored payload is not a SqlMl model.");
        int version = r.ReadInt32();
        if (version != FormatVersion)
            throw Errors.Catalog($"Model {modelName}: payload format version {version} is not supported by this SqlMl (reads version {FormatVersion}). Retrain the model with this version.");
        string type = r.ReadString();
        if (type != "LINEAR_REG") throw Errors.Catalog($"Model {modelName}: model type {type} is not supported by this SqlMl.");
        string label = r.ReadString();
        bool fit = r.ReadBoolean();
        double intercept = r.ReadDouble();
        var order = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToList();
        var numeric = Enumerable.Range(0, r.ReadInt32())
            .Select(_ => new NumericFeature(r.ReadString(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble())).ToList();
        var categorical = new List<CategoricalFeature>();
        int nc = r.ReadInt32();
        for (int c = 0; c < nc; c++)
        {
            string name = r.ReadString();
            int k = r.ReadInt32();
            var cats = new List<string?>(k);
            var weights = new List<double>(k);
            for (int i = 0; i < k; i++)
            {
                cats.Add(r.ReadBoolean() ? null : r.ReadString());
                weights.Add(r.ReadDouble());
            }
            categorical.Add(new CategoricalFeature(name, cats, weights));
        }
        return new LinearModel(label, fit, intercept, numeric, categorical, order);
    }
}
