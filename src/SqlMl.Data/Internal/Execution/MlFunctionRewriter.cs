using System.Text;
using DuckDB.NET.Data;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Data.Internal.Planning;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Preprocessing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Replaces every ML.xxx(MODEL m, …) table function in a DuckDB statement by the parenthesized subquery its
/// model kind compiles, so the result works anywhere DuckDB accepts a table (FROM, JOIN, CTEs, CREATE TABLE AS,
/// INSERT … SELECT, COPY). Query arguments are rewritten recursively.
/// </summary>
internal sealed class MlFunctionRewriter(DuckDBConnection connection)
{
    /// <summary>The table functions of BigQuery ML's SQL; those SqlMl does not compile yet get a clear message.</summary>
    private static readonly string[] KnownFunctions =
    [
        "PREDICT", "EVALUATE", "TRAINING_INFO", "WEIGHTS", "ADVANCED_WEIGHTS", "CONFUSION_MATRIX", "ROC_CURVE",
        "EXPLAIN_PREDICT", "GLOBAL_EXPLAIN", "FEATURE_INFO", "CENTROIDS", "RECOMMEND", "DETECT_ANOMALIES",
        "TRANSFORM", "PRINCIPAL_COMPONENTS", "PRINCIPAL_COMPONENT_INFO", "FORECAST", "EXPLAIN_FORECAST",
        "ARIMA_EVALUATE", "ARIMA_COEFFICIENTS", "TRIAL_INFO", "GENERATE_TEXT", "GENERATE_EMBEDDING",
    ];

    private readonly List<(string Call, string Model)> _unchecked = [];

    /// <summary>
    /// The ML calls of the current statement whose input DuckDB could not describe on its own (e.g. a CTE), so their
    /// columns were not checked before the statement ran; a binder error then most likely means a missing column.
    /// </summary>
    public IReadOnlyList<(string Call, string Model)> UncheckedInputs => _unchecked;

    /// <summary>Forgets the calls of the previous statement.</summary>
    public void BeginStatement() => _unchecked.Clear();

    /// <summary>The statement being rewritten by <see cref="RewriteStatement"/>, for positions of syntax errors in query arguments.</summary>
    private string _statement = "";

    /// <summary>
    /// Rewrites a whole statement of a script. A syntax error inside a (query) argument of an ML call is reported at
    /// its line and column in the statement (DuckDB would report it in the compiled SQL).
    /// </summary>
    public string RewriteStatement(string statement)
    {
        _statement = statement;
        return Rewrite(statement, 0);
    }

    /// <summary>Rewrites SQL text that is not a script statement (e.g. CREATE MODEL's AS query).</summary>
    public string Rewrite(string sql) => Rewrite(sql, -1);

    /// <param name="sql">The text.</param>
    /// <param name="offset">Where <paramref name="sql"/> starts in the statement of <see cref="RewriteStatement"/>; -1 when unknown.</param>
    private string Rewrite(string sql, int offset)
    {
        // Preprocessing functions (ML.BUCKETIZE, ML.STANDARD_SCALER(…) OVER(), …) become plain DuckDB expressions first.
        string original = sql;
        sql = PreprocessingRewriter.Rewrite(sql);
        if (sql != original) offset = -1;
        var tokens = SqlLexer.Tokenize(sql);
        var calls = MlScanner.FindCalls(tokens);
        if (calls.Count == 0) return sql;
        var sb = new StringBuilder();
        int pos = 0;
        foreach (var span in calls)
        {
            var call = MlStatementParser.ParseCall(sql, tokens, span);
            sb.Append(sql, pos, tokens[span.First].Start - pos);
            sb.Append(Compile(call, sql, offset < 0 ? -1 : offset + tokens[span.First].Start, tokens[span.First].Start));
            pos = tokens[span.Last].End;
        }
        sb.Append(sql, pos, sql.Length - pos);
        return sb.ToString();
    }

    /// <param name="call">The parsed call.</param>
    /// <param name="text">The text the call is in.</param>
    /// <param name="callOffset">Where the call starts in the statement; -1 when unknown.</param>
    /// <param name="callStart">Where the call starts in <paramref name="text"/>.</param>
    private string Compile(MlFunctionCall call, string text, int callOffset, int callStart)
    {
        string name = "ML." + call.Function;
        if (!KnownFunctions.Contains(call.Function))
            throw Errors.UnknownFunction(call.Function, KnownFunctions.Concat(PreprocessingRewriter.FunctionNames));
        var args = call.Arguments;
        if (args.Count == 0 || args[0] is not ModelArgument modelArg)
            throw Errors.Binding($"{name}: the first argument must be MODEL model_name.");
        FunctionInput? input = null;
        StructValue? settings = null;
        IReadOnlyList<double>? thresholds = null;
        // ML.DETECT_ANOMALIES takes its settings before the input: (MODEL m, STRUCT(0.02 AS contamination), TABLE t).
        bool settingsFirst = call.Function == "DETECT_ANOMALIES";
        bool roc = call.Function == "ROC_CURVE";
        foreach (var a in args.Skip(1))
        {
            switch (a)
            {
                case TableArgument t when input is null && (settings is null || settingsFirst):
                    input = Describe(t.Name, "SELECT * FROM " + t.Name);
                    break;
                case QueryArgument q when input is null && (settings is null || settingsFirst):
                    int at = callOffset < 0 ? -1 : text.IndexOf(q.Sql, callStart, StringComparison.Ordinal);
                    int innerOffset = at < 0 ? -1 : callOffset + (at - callStart);
                    string inner = Rewrite(q.Sql, innerOffset);
                    input = Describe("(\n" + inner + "\n)", inner, inner == q.Sql ? innerOffset : -1);
                    break;
                case ValueArgument { Value: StructValue s } when settings is null:
                    settings = s;
                    break;
                // ML.ROC_CURVE(MODEL m, input, GENERATE_ARRAY(...) or [t1, t2 …] [, STRUCT(...)])
                case ValueArgument { Value: GenerateArrayValue or ArrayValue } v when roc && input is not null && thresholds is null && settings is null:
                    thresholds = ClassificationArguments.Thresholds(v.Value);
                    break;
                default:
                    throw Errors.Binding(settingsFirst
                        ? $"{name}: unexpected argument {a}. Expected MODEL m, then STRUCT(...) of settings, then TABLE t or (query)."
                        : roc ? $"{name}: unexpected argument {a}. Expected MODEL m, then TABLE t or (query), then optional thresholds GENERATE_ARRAY(start, end, step), then an optional STRUCT(...) of settings."
                        : $"{name}: unexpected argument {a}. Expected MODEL m, then TABLE t or (query), then an optional STRUCT(...) of settings.");
            }
        }
        var stored = ModelCatalog.TryGet(connection, modelArg.Name) ?? throw Errors.ModelNotFound(name, modelArg.Name.ToString());
        var kind = ModelKinds.Find(stored.ModelType)
            ?? throw Errors.Catalog($"{name}: model {stored.Name} has type {stored.ModelType}, which this SqlMl cannot use.");
        if (call.Function == "PREDICT" && input is null)
            throw Errors.Binding($"{name}: an input is required: ML.PREDICT(MODEL {stored.Name}, TABLE t) or ML.PREDICT(MODEL {stored.Name}, (SELECT ...)).");
        if (call.Function is "TRAINING_INFO" or "WEIGHTS" or "FEATURE_INFO" && input is not null)
            throw Errors.Binding($"{name}: takes no input table; use {name}(MODEL {stored.Name}).");
        if (call.Function is "TRANSFORM" or "FEATURE_INFO")
        {
            FunctionArguments.RejectSettings(name, settings, stored.ModelType);
            return call.Function == "TRANSFORM" ? TransformSql.Transform(stored, input) : FeatureInfoSql.Compile(stored);
        }
        if (input is { Columns: null }) _unchecked.Add(($"{name}(MODEL {stored.Name}, …)", stored.Name.ToString()));
        var applied = stored.Transform is { } transform && input is not null ? TransformSql.Apply(connection, name, stored, transform, input) : null;
        string? sql = roc ? kind.CompileRocCurve(stored, applied?.Input ?? input, thresholds, settings) : kind.Compile(call.Function, stored, applied?.Input ?? input, settings);
        return sql is null ? throw Errors.NotYetSupported(name, $"{name} for {stored.ModelType} models") : applied?.Finish(sql) ?? sql;
    }

    /// <param name="fromSql">The input as SQL after FROM.</param>
    /// <param name="query">The input query.</param>
    /// <param name="queryOffset">Where <paramref name="query"/> is, unchanged, in the statement; -1 when not.</param>
    private FunctionInput Describe(string fromSql, string query, int queryOffset = -1)
    {
        try
        {
            return new FunctionInput(fromSql, QueryColumns.Describe(connection, query));
        }
        catch (DuckDBException e) when (queryOffset >= 0 && ParserErrorPosition.Offset(e, QueryColumns.DescribeSql(query)) is { } at)
        {
            int local = Math.Clamp(at - QueryColumns.DescribePrefix.Length, 0, query.Length);
            var (line, column) = new SourceText(_statement).Position(queryOffset + local);
            throw Errors.Syntax(ParserErrorPosition.FirstLine(e.Message), line, column);
        }
        catch (DuckDBException)
        {
            return new FunctionInput(fromSql, null);
        }
    }
}
