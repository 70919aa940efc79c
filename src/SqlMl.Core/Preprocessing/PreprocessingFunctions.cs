namespace SqlMl.Preprocessing;

/// <summary>The ML.xxx preprocessing functions SqlMl compiles, by name.</summary>
internal static class PreprocessingFunctions
{
    private static readonly Dictionary<string, PreprocessingFunction> ByName = new PreprocessingFunction[]
    {
        new BucketizeFunction(), new QuantileBucketizeFunction(), new HashBucketizeFunction(),
        new FeatureCrossFunction(), new PolynomialExpandFunction(), new NormalizerFunction(), new NgramsFunction(),
        new StandardScalerFunction(), new MinMaxScalerFunction(), new MaxAbsScalerFunction(), new RobustScalerFunction(),
        new ImputerFunction(), new OneHotEncoderFunction(), new MultiHotEncoderFunction(), new LabelEncoderFunction(),
        new BagOfWordsFunction(), new TfIdfFunction(),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>All names, upper case, without "ML.".</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static PreprocessingFunction? Find(string name) => ByName.GetValueOrDefault(name);
}
