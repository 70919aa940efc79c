using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// The bridge to the preprocessing functions (ML.STANDARD_SCALER … inside TRANSFORM): which ML.xxx names are
/// preprocessing functions, and an expression's analysis — the aggregates its analytic calls learn over the training
/// rows, and the scalar SQL with those statistics frozen in as literals.
/// </summary>
internal static class TransformAnalytics
{
    /// <summary>BigQuery ML's preprocessing functions (reference §3.2), all allowed inside TRANSFORM.</summary>
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "BUCKETIZE", "QUANTILE_BUCKETIZE", "HASH_BUCKETIZE", "FEATURE_CROSS", "POLYNOMIAL_EXPAND", "STANDARD_SCALER",
        "MIN_MAX_SCALER", "MAX_ABS_SCALER", "ROBUST_SCALER", "NORMALIZER", "IMPUTER", "ONE_HOT_ENCODER",
        "MULTI_HOT_ENCODER", "LABEL_ENCODER", "NGRAMS", "BAG_OF_WORDS", "TF_IDF",
    };

    public static bool IsPreprocessingFunction(string name) => Names.Contains(name);

    /// <summary>An expression's statistics to learn and how to freeze them.</summary>
    public sealed record Analysis(IReadOnlyList<string> Aggregates, Func<IReadOnlyList<object?>, string> Freeze);

    /// <summary>Analyzes one TRANSFORM expression that calls ML preprocessing functions.</summary>
    public static Analysis Analyze(string model, string expression)
    {
        _ = expression;
        throw Errors.NotYetSupported($"CREATE MODEL {model}", "ML preprocessing functions inside TRANSFORM");
    }

    /// <summary>Whether an expression's text calls any ML.xxx function.</summary>
    public static bool CallsMlFunction(IReadOnlyList<Token> tokens) => Enumerable.Range(0, tokens.Count).Any(i => IsMlCall(tokens, i));

    /// <summary>Whether <c>ML.name(</c> starts at token <paramref name="i"/> (any ML function, table or preprocessing).</summary>
    public static bool IsMlCall(IReadOnlyList<Token> t, int i) =>
        i + 3 < t.Count && t[i].IsWord("ML") && t[i + 1].IsSymbol('.') && t[i + 2].Kind == TokenKind.Word && t[i + 3].IsSymbol('(')
        && (i == 0 || !t[i - 1].IsSymbol('.'));
}
