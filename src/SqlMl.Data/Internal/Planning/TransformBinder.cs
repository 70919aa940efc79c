using System.Text;
using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>A bound TRANSFORM: the frozen clause to store, and the effective training query that applies it.</summary>
internal sealed record BoundTransform(ModelTransform Transform, string TrainingQuery);

/// <summary>
/// Binds a CREATE MODEL's TRANSFORM(select_list) to the AS query (reference §1.2): expands <c>*</c>, checks BigQuery's
/// rules (aliases, untransformed label/split/init columns, no aggregates, non-ML analytic functions, UDFs or
/// subqueries), learns the statistics of analytic ML functions over all rows of the AS query and freezes them, and
/// returns <c>SELECT frozen_list FROM (query)</c> as the query the model kind trains on.
/// </summary>
internal static class TransformBinder
{
    /// <summary>Alias of the AS query inside the effective training query.</summary>
    private const string Source = "__sqlml_t";

    public static BoundTransform Bind(DuckDBConnection connection, CreateModelStatement stmt, string modelType, string query)
    {
        var source = TransformSource.Of(stmt);
        string model = source.Model;
        var items = TransformListParser.Parse(source);
        var columns = TrainingQuery.DescribeTrainingQuery(connection, query, model);
        var functions = FunctionCatalog.Load(connection);
        var outputs = Expand(source, items, columns, s => StructStar.Expand(connection, source, s, query, functions));
        var special = SpecialColumns(stmt.Options, modelType);
        CheckSpecialColumns(source, outputs, columns, special);
        foreach (var o in outputs.Where(o => !o.Expression.IsPassThrough && !o.Frozen))
            TransformRules.Check(source, o.Expression, functions);

        var frozen = Freeze(connection, source, outputs, query);
        var transform = new ModelTransform(outputs.Select((o, i) => new TransformColumn(
            o.Expression.Name, frozen[i], Inputs(o.Expression, columns),
            o.Expression.IsPassThrough && special.Contains(o.Expression.Name, StringComparer.OrdinalIgnoreCase))).ToList());
        string training = Select(transform.Columns, "(\n" + query + "\n)");
        List<QueryColumn> outputColumns;
        try
        {
            outputColumns = QueryColumns.Describe(connection, training);
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the TRANSFORM clause failed on the training query: {e.Message}", e);
        }
        var expansions = SparseColumns.Learn(connection, model, training, outputColumns);
        return new BoundTransform(transform with { Expansions = expansions }, SparseColumns.Expand(expansions, training));
    }

    /// <summary><c>SELECT expr AS name, … FROM from AS __sqlml_t</c> for the given transform columns.</summary>
    public static string Select(IEnumerable<TransformColumn> columns, string from) =>
        new StringBuilder("SELECT ").AppendJoin(", ", columns.Select(c => c.Sql + " AS " + SqlText.QuotedIdentifier(c.Name)))
            .Append(" FROM ").Append(from).Append(" AS ").Append(Source).ToString();

    /// <summary>One output column; <see cref="Frozen"/> when its SQL is already checked and frozen (struct fields).</summary>
    private sealed record Output(TransformExpression Expression, int Offset, bool Frozen = false);

    /// <summary>The output columns in order: stars expanded to the query's columns (less EXCEPT, with REPLACE), struct stars to their fields.</summary>
    private static List<Output> Expand(TransformSource source, List<TransformItem> items, List<QueryColumn> columns,
        Func<TransformStructStar, IEnumerable<TransformExpression>> structFields)
    {
        var outputs = new List<Output>();
        foreach (var item in items)
        {
            if (item is TransformExpression e)
            {
                outputs.Add(new Output(ResolveColumn(source, e, columns), e.Offset));
                continue;
            }
            if (item is TransformStructStar structStar)
            {
                outputs.AddRange(structFields(structStar).Select(f => new Output(f, structStar.Offset, Frozen: true)));
                continue;
            }
            var star = (TransformStar)item;
            foreach (var name in star.Except.Concat(star.Replace.Select(r => r.Alias!)))
                if (TrainingQuery.Find(columns, name) is null)
                    throw source.Error(star.Offset, $"'*' EXCEPT/REPLACE names column '{name}', which the training query does not have (columns: {string.Join(", ", columns.Select(c => c.Name))}).");
            foreach (var c in columns)
            {
                if (star.Except.Contains(c.Name, StringComparer.OrdinalIgnoreCase)) continue;
                var replacement = star.Replace.FirstOrDefault(r => r.Alias!.Equals(c.Name, StringComparison.OrdinalIgnoreCase));
                outputs.Add(replacement is not null
                    ? new Output(replacement with { Alias = c.Name }, replacement.Offset)
                    : new Output(new TransformExpression(SqlText.QuotedIdentifier(c.Name), null, c.Name, star.Offset), star.Offset));
            }
        }
        var duplicate = outputs.GroupBy(o => o.Expression.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw source.Error(duplicate.Last().Offset, $"column '{duplicate.Key}' appears more than once in the TRANSFORM output.");
        if (outputs.Count == 0) throw source.Error(0, "the TRANSFORM output has no columns.");
        return outputs;
    }

    /// <summary>A bare column reference must name a column of the query; it gets the query's spelling.</summary>
    private static TransformExpression ResolveColumn(TransformSource source, TransformExpression e, List<QueryColumn> columns)
    {
        if (e.Column is null) return e;
        var c = TrainingQuery.Find(columns, e.Column)
            ?? throw source.Error(e.Offset, $"column '{e.Column}' is not in the training query (columns: {string.Join(", ", columns.Select(q => q.Name))}).");
        return e with { Sql = SqlText.QuotedIdentifier(c.Name), Column = c.Name, Alias = e.Alias is null || e.Alias.Equals(c.Name, StringComparison.OrdinalIgnoreCase) ? null : e.Alias };
    }

    /// <summary>The label, data split, k-means init and instance weight columns the options name.</summary>
    private static List<string> SpecialColumns(IReadOnlyList<OptionEntry> options, string modelType)
    {
        var names = new List<string>();
        string? Option(string name) => options.FirstOrDefault(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value switch
        {
            StringValue s => s.Value,
            ArrayValue { Items: [StringValue s] } => s.Value,
            _ => null,
        };
        if (modelType is Options.GlmOptions.LinearReg or Options.GlmOptions.LogisticReg) names.Add(Option("input_label_cols") ?? "label");
        foreach (var o in new[] { "data_split_col", "kmeans_init_col", "instance_weight_col" })
            if (Option(o) is { } c) names.Add(c);
        return names;
    }

    /// <summary>BigQuery: the label and split/init/weight columns appear untransformed, by name or through *, without alias.</summary>
    private static void CheckSpecialColumns(TransformSource source, List<Output> outputs, List<QueryColumn> columns, List<string> special)
    {
        foreach (var name in special)
        {
            if (TrainingQuery.Find(columns, name) is null) continue; // the model kind reports the missing column
            var output = outputs.FirstOrDefault(o => o.Expression.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (output is null)
            {
                var renamed = outputs.FirstOrDefault(o => name.Equals(o.Expression.Column, StringComparison.OrdinalIgnoreCase));
                throw renamed is not null
                    ? source.Error(renamed.Offset, $"column '{name}' is the label or a split/init column; it must appear in TRANSFORM untransformed and without an alias.")
                    : source.Error(0, $"column '{name}' is the label or a split/init column; it must appear in TRANSFORM untransformed (by name or through *).");
            }
            if (!output.Expression.IsPassThrough || !name.Equals(output.Expression.Column, StringComparison.OrdinalIgnoreCase))
                throw source.Error(output.Offset, $"column '{name}' is the label or a split/init column; it must appear in TRANSFORM untransformed, not as '{output.Expression.Sql}'.");
        }
    }

    /// <summary>
    /// The frozen SQL of each output: pass-through and plain expressions as written; expressions with ML calls through
    /// the preprocessing analysis, their aggregates computed together in one query over the training rows.
    /// </summary>
    private static List<string> Freeze(DuckDBConnection connection, TransformSource source, List<Output> outputs, string query)
    {
        var analyses = new Preprocessing.AnalyzedExpression?[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            var e = outputs[i].Expression;
            if (e.IsPassThrough || outputs[i].Frozen || !TransformAnalytics.CallsMlFunction(SqlLexer.Tokenize(e.Sql))) continue;
            try
            {
                analyses[i] = TransformAnalytics.Analyze(e.Sql);
            }
            catch (SqlMlException ex)
            {
                throw source.Relocate(ex, e.Sql, e.Offset);
            }
        }
        var aggregates = analyses.Where(a => a is not null).SelectMany(a => a!.Aggregates).ToList();
        var values = aggregates.Count == 0 ? [] : Learn(connection, source.Model, aggregates, query);
        var frozen = new List<string>(outputs.Count);
        int next = 0;
        for (int i = 0; i < outputs.Count; i++)
        {
            if (analyses[i] is not { } a)
            {
                frozen.Add(outputs[i].Expression.Sql);
                continue;
            }
            frozen.Add(a.Freeze(values.GetRange(next, a.Aggregates.Count)));
            next += a.Aggregates.Count;
        }
        return frozen;
    }

    /// <summary>The frozen SQL of one expression that starts at <paramref name="offset"/> of the TRANSFORM list.</summary>
    public static string FreezeOne(DuckDBConnection connection, TransformSource source, string expression, int offset, string query) =>
        Freeze(connection, source, [new Output(new TransformExpression(expression, "__sqlml_e", null, offset), offset)], query)[0];

    /// <summary>Runs the aggregates over every row of the AS query (the statistics analytic functions learn).</summary>
    private static List<object?> Learn(DuckDBConnection connection, string model, List<string> aggregates, string query)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT " + string.Join(", ", aggregates) + " FROM (\n" + query + "\n) AS " + Source;
            using var r = cmd.ExecuteReader();
            r.Read();
            var values = new List<object?>(r.FieldCount);
            for (int i = 0; i < r.FieldCount; i++) values.Add(r.IsDBNull(i) ? null : r.GetValue(i));
            return values;
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: learning the TRANSFORM's statistics failed: {e.Message}", e);
        }
    }

    /// <summary>The query columns an expression reads (identifiers that name one), in query order.</summary>
    private static List<string> Inputs(TransformExpression e, List<QueryColumn> columns)
    {
        var tokens = SqlLexer.Tokenize(e.Sql);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i + 1 < tokens.Count && tokens[i + 1].IsSymbol('(')) continue; // a function name
            if (TransformListParser.ColumnName(tokens[i]) is { } n) names.Add(n);
        }
        return columns.Where(c => names.Contains(c.Name)).Select(c => c.Name).ToList();
    }
}
