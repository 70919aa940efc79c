namespace SqlMl.Data.Internal.Planning;

/// <summary>The model types SqlMl trains, by BigQuery's MODEL_TYPE name.</summary>
internal static class ModelKinds
{
    private static readonly Dictionary<string, IModelKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LINEAR_REG"] = new LinearRegKind(),
        ["LOGISTIC_REG"] = new LogisticRegKind(),
        ["MATRIX_FACTORIZATION"] = new MatrixFactorizationKind(),
        ["KMEANS"] = new KMeansKind(),
    };

    /// <summary>BigQuery model types SqlMl does not train yet: a clear "not yet supported", not "unknown".</summary>
    public static readonly IReadOnlyList<string> Planned =
    [
        "KMEANS", "MATRIX_FACTORIZATION", "PCA", "AUTOENCODER", "BOOSTED_TREE_CLASSIFIER",
        "BOOSTED_TREE_REGRESSOR", "RANDOM_FOREST_CLASSIFIER", "RANDOM_FOREST_REGRESSOR", "DNN_CLASSIFIER",
        "DNN_REGRESSOR", "DNN_LINEAR_COMBINED_CLASSIFIER", "DNN_LINEAR_COMBINED_REGRESSOR", "ARIMA_PLUS",
        "ARIMA_PLUS_XREG", "TENSORFLOW", "TENSORFLOW_LITE", "ONNX", "XGBOOST", "AUTOML_CLASSIFIER",
        "AUTOML_REGRESSOR", "CONTRIBUTION_ANALYSIS", "TRANSFORM_ONLY",
    ];

    public static IEnumerable<string> Supported => Kinds.Keys;

    public static IModelKind? Find(string modelType) => Kinds.GetValueOrDefault(modelType);
}
