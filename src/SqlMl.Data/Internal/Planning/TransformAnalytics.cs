using SqlMl.Parsing;
using SqlMl.Preprocessing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// The bridge from TRANSFORM to the preprocessing functions (ML.STANDARD_SCALER … inside TRANSFORM): which ML.xxx
/// names are preprocessing functions, and an expression's analysis — the aggregates its analytic calls learn over the
/// training rows, and the scalar SQL with those statistics frozen in as literals (<see cref="PreprocessingRewriter"/>).
/// </summary>
internal static class TransformAnalytics
{
    public static bool IsPreprocessingFunction(string name) => PreprocessingRewriter.IsPreprocessingFunction(name);

    /// <summary>Analyzes one TRANSFORM expression that calls ML preprocessing functions.</summary>
    public static AnalyzedExpression Analyze(string expression) => PreprocessingRewriter.Analyze(expression);

    /// <summary>Whether an expression's text calls any ML.xxx function.</summary>
    public static bool CallsMlFunction(IReadOnlyList<Token> tokens) => Enumerable.Range(0, tokens.Count).Any(i => IsMlCall(tokens, i));

    /// <summary>Whether <c>ML.name(</c> starts at token <paramref name="i"/> (any ML function, table or preprocessing).</summary>
    public static bool IsMlCall(IReadOnlyList<Token> t, int i) =>
        i + 3 < t.Count && t[i].IsWord("ML") && t[i + 1].IsSymbol('.') && t[i + 2].Kind == TokenKind.Word && t[i + 3].IsSymbol('(')
        && (i == 0 || !t[i - 1].IsSymbol('.'));
}
