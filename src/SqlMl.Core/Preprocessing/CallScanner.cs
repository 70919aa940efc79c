using System.Text;
using SqlMl.Parsing;

namespace SqlMl.Preprocessing;

/// <summary>
/// Finds the ML.xxx(…)[ OVER()] preprocessing calls of a SQL text, at any depth, and compiles each into a DuckDB
/// expression. Analytic calls leave a placeholder for every statistic they learn and register its aggregate
/// expression, so the caller chooses whether statistics become window aggregates or frozen literals.
/// </summary>
internal sealed class CallScanner
{
    private readonly string _sql;
    private readonly List<Token> _tokens;
    private readonly SourceText _source;
    private readonly bool _rejectUnknown;
    private readonly List<string> _aggregates = [];
    private readonly List<SourceRange?> _sources = [];

    /// <summary>The names <see cref="UnnamedSelectItems"/> gives, by item end offset; none for a TRANSFORM expression.</summary>
    private readonly Dictionary<int, string> _unnamedItems;

    /// <param name="sql">The SQL text.</param>
    /// <param name="rejectUnknown">Whether an ML.xxx( that is not a preprocessing function is an error (true for a
    /// TRANSFORM expression, false for a statement, whose table functions are compiled elsewhere).</param>
    public CallScanner(string sql, bool rejectUnknown)
    {
        _sql = sql;
        _tokens = SqlLexer.Tokenize(sql);
        _source = new SourceText(sql);
        _rejectUnknown = rejectUnknown;
        _unnamedItems = rejectUnknown ? [] : UnnamedSelectItems.Find(_sql, _tokens);
    }

    /// <summary>The aggregate expressions of the statistics, in placeholder order (with OVER markers).</summary>
    public IReadOnlyList<string> Aggregates => _aggregates;

    /// <summary>
    /// For each statistic, how the window form computes it: an uncorrelated scalar subquery over the FROM … WHERE of
    /// its SELECT, computed once, or, where that is not sure to see the same rows, a window aggregate OVER ().
    /// </summary>
    public string WindowStatistic(int i)
    {
        string aggregate = _aggregates[i];
        if (_sources[i] is not { } source) return "(" + aggregate.Replace(Marker.Over, " OVER ()", StringComparison.Ordinal) + ")";
        string select = "SELECT " + aggregate.Replace(Marker.Over, "", StringComparison.Ordinal);
        if (!source.HasFrom) return "(" + select + ")";
        string from = _sql[_tokens[source.First].Start.._tokens[source.End - 1].End];
        return "(" + select + " FROM " + PreprocessingRewriter.Rewrite(from) + ")";
    }

    /// <summary>The whole text with every call compiled (statistics as placeholders).</summary>
    public string Template()
    {
        if (_tokens.Count == 0) return _sql;
        return _sql[.._tokens[0].Start] + RewriteRange(0, _tokens.Count, null) + _sql[_tokens[^1].End..];
    }

    /// <summary>Splits tokens [from, end) at top-level commas into (first, end) ranges.</summary>
    public static List<(int First, int End)> SplitTopLevel(IReadOnlyList<Token> tokens, int from, int end)
    {
        var parts = new List<(int, int)>();
        if (from >= end) return parts;
        int depth = 0;
        int start = from;
        for (int i = from; i < end; i++)
        {
            var t = tokens[i];
            if (t.Opens) depth++;
            else if (t.Closes) depth--;
            else if (depth == 0 && t.IsSymbol(','))
            {
                parts.Add((start, i));
                start = i + 1;
            }
        }
        parts.Add((start, end));
        return parts;
    }

    private bool IsMlHead(int i, int end) => IsMlHead(_tokens, i, end);

    /// <summary>Whether tokens i … i+3 before <paramref name="end"/> are <c>ML . name (</c> (not a qualified <c>x.ML.name(</c>).</summary>
    internal static bool IsMlHead(IReadOnlyList<Token> t, int i, int end) =>
        i + 3 < end && t[i].IsWord("ML") && t[i + 1].IsSymbol('.') && t[i + 2].Kind == TokenKind.Word
        && t[i + 3].IsSymbol('(') && (i == 0 || !t[i - 1].IsSymbol('.'));

    private string RewriteRange(int from, int end, string? enclosingAnalytic)
    {
        if (from >= end) return "";
        var sb = new StringBuilder();
        int pos = _tokens[from].Start;
        for (int i = from; i < end; i++)
        {
            if (!IsMlHead(i, end)) continue;
            var function = PreprocessingFunctions.Find(_tokens[i + 2].Text);
            if (function is null)
            {
                if (_rejectUnknown)
                {
                    var (l, c) = _source.Position(_tokens[i].Start);
                    string? guess = Errors.DidYouMean(_tokens[i + 2].Text, PreprocessingFunctions.Names);
                    throw Errors.PreprocessingArgument(_tokens[i + 2].Text.ToUpperInvariant(),
                        "is not a preprocessing function." + (guess is null ? "" : $" Did you mean ML.{guess}?"), l, c);
                }
                // Not a table function either (their first argument is MODEL m) and close to a preprocessing name: say so here.
                if (i + 4 < end && !_tokens[i + 4].IsWord("MODEL") && Errors.DidYouMean(_tokens[i + 2].Text, PreprocessingFunctions.Names) is not null)
                    throw Errors.UnknownFunction(_tokens[i + 2].Text.ToUpperInvariant(), PreprocessingFunctions.Names);
                continue;
            }
            AppendOriginal(sb, pos, _tokens[i].Start);
            int last = Compile(function, i, end, enclosingAnalytic, out string text);
            sb.Append('(').Append(text).Append(')');
            AppendAlias(sb, _tokens[last].End);
            pos = _tokens[last].End;
            i = last;
        }
        AppendOriginal(sb, pos, _tokens[end - 1].End);
        return sb.ToString();
    }

    /// <summary>Appends the original text [from, to), adding the alias of every unnamed item that ends inside it.</summary>
    private void AppendOriginal(StringBuilder sb, int from, int to)
    {
        int pos = from;
        foreach (var end in _unnamedItems.Keys.Where(k => k > from && k <= to).Order())
        {
            sb.Append(_sql, pos, end - pos);
            AppendAlias(sb, end);
            pos = end;
        }
        sb.Append(_sql, pos, to - pos);
    }

    private void AppendAlias(StringBuilder sb, int itemEnd)
    {
        if (_unnamedItems.TryGetValue(itemEnd, out string? name)) sb.Append(" AS ").Append(SqlText.QuotedIdentifier(name));
    }

    private int Compile(PreprocessingFunction function, int head, int end, string? enclosingAnalytic, out string text)
    {
        string name = function.Name;
        var (line, column) = _source.Position(_tokens[head].Start);
        int open = head + 3;
        int close = MlScanner.MatchParen(_tokens, open, end);
        if (close < 0) throw Errors.Syntax($"ML.{name}: missing ')' to close the call.", line, column);
        int last = close;
        bool hasOver = close + 1 < end && _tokens[close + 1].IsWord("OVER");
        if (hasOver)
        {
            if (close + 3 < end && _tokens[close + 2].IsSymbol('(') && _tokens[close + 3].IsSymbol(')')) last = close + 3;
            else
                throw Errors.PreprocessingArgument(name, "the OVER clause must be empty: OVER(). PARTITION BY, ORDER BY, window frames and named windows are not allowed; the statistics are always learned over all rows of the query.", line, column);
        }
        if (function.IsAnalytic && !hasOver)
            throw Errors.PreprocessingArgument(name, $"is an analytic function and needs an empty OVER clause: ML.{name}(...) OVER().", line, column);
        if (!function.IsAnalytic && hasOver)
            throw Errors.PreprocessingArgument(name, "is a scalar function and takes no OVER clause.", line, column);
        if (function.IsAnalytic && enclosingAnalytic is not null)
            throw Errors.PreprocessingArgument(name, $"an analytic function cannot be used inside the arguments of the analytic function ML.{enclosingAnalytic}. Compute it in a subquery first.", line, column);

        var parts = SplitTopLevel(_tokens, open + 1, close);
        if (parts.Any(p => p.First >= p.End))
            throw Errors.Syntax($"ML.{name}: empty argument.", line, column);
        if (parts.Count < function.MinArguments || parts.Count > function.MaxArguments)
            throw Errors.PreprocessingArgument(name, $"expects {function.Signature}; got {parts.Count} argument{(parts.Count == 1 ? "" : "s")}.", line, column);
        string? inner = function.IsAnalytic ? name : enclosingAnalytic;
        var args = parts.Select(p => new CallArgument(p.First, p.End, () => RewriteRange(p.First, p.End, inner))).ToList();
        var call = new CallArguments(name, _sql, _tokens, head, args, (f, e) => RewriteRange(f, e, inner));
        var compiled = function.Compile(call);
        int first = _aggregates.Count;
        _aggregates.AddRange(compiled.Aggregates);
        var source = compiled.Aggregates.Count > 0 ? StatisticSource.Find(_tokens, head) : null;
        _sources.AddRange(compiled.Aggregates.Select(_ => source));
        text = compiled.Apply(Enumerable.Range(first, compiled.Aggregates.Count).Select(Marker.Stat).ToList());
        return last;
    }
}
