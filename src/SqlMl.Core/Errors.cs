namespace SqlMl;

/// <summary>Every user-facing error message is written here, so wording stays consistent.</summary>
internal static class Errors
{
    public static SqlMlException Syntax(string detail, int line, int column) =>
        new(SqlMlErrorCode.Syntax, $"Syntax error at line {line}, column {column}: {detail}", line, column);

    public static SqlMlException Binding(string message) => new(SqlMlErrorCode.Binding, message);

    public static SqlMlException Catalog(string message) => new(SqlMlErrorCode.Catalog, message);

    public static SqlMlException Training(string message) => new(SqlMlErrorCode.Training, message);

    public static SqlMlException Prediction(string message) => new(SqlMlErrorCode.Prediction, message);

    public static SqlMlException Engine(string message, Exception inner) => new(SqlMlErrorCode.Engine, message, inner: inner);

    public static SqlMlException UnknownOption(string statement, string option, string modelType, IEnumerable<string> known)
    {
        string? guess = DidYouMean(option, known);
        return Binding($"{statement}: unknown option '{option}' for {modelType}." + (guess is null ? "" : $" Did you mean '{guess}'?"));
    }

    public static SqlMlException OptionType(string statement, string option, string expected, string actualType, string actualText) =>
        Binding($"{statement}: option '{option}' expects {expected}, got {actualType} {actualText}.");

    public static SqlMlException OptionValue(string statement, string option, string problem) =>
        Binding($"{statement}: option '{option}' {problem}" + (problem.EndsWith('?') ? "" : "."));

    public static SqlMlException NotYetSupported(string statement, string what) =>
        Binding($"{statement}: {what} is not yet supported by SqlMl.");

    public static SqlMlException ModelNotFound(string statement, string model) =>
        Catalog($"{statement}: model {model} not found.");

    public static SqlMlException ModelExists(string model) =>
        Catalog($"CREATE MODEL: model {model} already exists. Use CREATE OR REPLACE MODEL to replace it, or CREATE MODEL IF NOT EXISTS to keep it.");

    public static SqlMlException UnknownFunction(string function, IEnumerable<string> known)
    {
        string? guess = DidYouMean(function, known);
        return Binding($"Unknown ML function ML.{function}." + (guess is null ? "" : $" Did you mean ML.{guess}?"));
    }

    /// <summary>A TRANSFORM select-list error at a position of the CREATE MODEL statement.</summary>
    public static SqlMlException Transform(string model, string detail, int line, int column) =>
        new(SqlMlErrorCode.Binding, $"CREATE MODEL {model}: TRANSFORM error at line {line}, column {column}: {detail}", line, column);

    public static SqlMlException NoTransform(string call, string model) =>
        Binding($"{call}: model {model} was created without a TRANSFORM clause, so it has no transformed columns.");

    public static SqlMlException TransformInputMissing(string call, string model, IReadOnlyList<string> missing) =>
        Prediction($"{call}: the input lacks column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => "'" + m + "'"))} that the TRANSFORM of model {model} reads.");

    public static SqlMlException KMeansTooFewPoints(string model, int clusters, int distinct) =>
        Training($"CREATE MODEL {model}: num_clusters is {clusters}, but the training rows have only {distinct} distinct point{(distinct == 1 ? "" : "s")} (after NULL imputation and encoding). " +
                 (distinct < 2 ? "k-means needs at least 2 distinct points." : $"Lower num_clusters to at most {distinct}."));

    /// <summary>A bad call of an ML.xxx preprocessing function (BUCKETIZE, STANDARD_SCALER, …), with its position.</summary>
    public static SqlMlException PreprocessingArgument(string function, string detail, int line, int column) =>
        new(SqlMlErrorCode.Binding, $"ML.{function} at line {line}, column {column}: {detail}", line, column);

    /// <summary>The closest candidate by edit distance, if it is close enough to be a likely typo.</summary>
    public static string? DidYouMean(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Levenshtein(input.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        return best is not null && bestDistance <= Math.Max(2, input.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
