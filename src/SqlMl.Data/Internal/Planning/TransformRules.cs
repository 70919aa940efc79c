using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// What a TRANSFORM expression may not contain (reference §1.2): aggregate functions, analytic functions other than
/// ML preprocessing calls with OVER(), user-defined functions, subqueries, and ML functions that are not preprocessing.
/// </summary>
internal static class TransformRules
{
    public static void Check(TransformSource source, TransformExpression e, FunctionCatalog functions)
    {
        var tokens = SqlLexer.Tokenize(e.Sql);
        var mlCloses = new HashSet<int>();
        for (int i = 0; i + 3 < tokens.Count; i++)
        {
            if (!TransformAnalytics.IsMlCall(tokens, i)) continue;
            string name = tokens[i + 2].Text;
            if (!TransformAnalytics.IsPreprocessingFunction(name))
                throw source.Error(e.Offset + tokens[i].Start, $"ML.{name.ToUpperInvariant()} is not a preprocessing function; TRANSFORM allows ML preprocessing functions such as ML.STANDARD_SCALER or ML.BUCKETIZE.");
            int close = MlScanner.MatchParen(tokens, i + 3, tokens.Count);
            if (close >= 0) mlCloses.Add(close);
        }
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            int at = e.Offset + t.Start;
            if (MlScanner.IsQueryGroup(tokens, i) && tokens[i + 1].Kind == TokenKind.Word)
                throw source.Error(at, $"subqueries are not allowed in TRANSFORM (in '{e.Sql}').");
            if (t.IsWord("OVER") && !(i > 0 && mlCloses.Contains(i - 1)))
                throw source.Error(at, $"analytic functions other than ML preprocessing functions are not allowed in TRANSFORM (in '{e.Sql}').");
        }
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            int at = e.Offset + t.Start;
            bool call = t.Kind == TokenKind.Word && i + 1 < tokens.Count && tokens[i + 1].IsSymbol('(') && !(i > 0 && tokens[i - 1].IsSymbol('.'));
            if (!call) continue;
            if (functions.IsAggregate(t.Text))
                throw source.Error(at, $"aggregate function {t.Text}() is not allowed in TRANSFORM (in '{e.Sql}'); TRANSFORM works row by row, with ML analytic functions for learned statistics.");
            if (functions.IsUserDefined(t.Text))
                throw source.Error(at, $"user-defined function {t.Text}() is not allowed in TRANSFORM (in '{e.Sql}').");
        }
    }
}
