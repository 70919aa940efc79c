using DuckDB.NET.Data;
using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Turns the model features of a training query (plain columns and those derived by automatic preprocessing) into the
/// trainer's schema and the SELECT expressions over the query (alias <c>q</c>): numeric features as DOUBLE, then
/// one-hot ones as VARCHAR. A multi-hot (ARRAY) feature first reads its distinct elements from the query, then becomes
/// one unscaled 0/1 numeric column per element, which the model folds back into one feature after training.
/// </summary>
internal static class AutoFeatureColumns
{
    /// <summary>The most distinct elements an ARRAY feature may have (each is a dense design column).</summary>
    public const int MaxElements = 1000;

    /// <summary>The schema and SELECT list for <paramref name="features"/> of the training query <paramref name="query"/> (read as <c>q</c>).</summary>
    public static (TrainingSchema Schema, List<string> Select) Build(CreateModelContext context, string query, IReadOnlyList<AutoFeature> features, string? label, string model)
    {
        var duplicate = features.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw Errors.Binding($"CREATE MODEL {model}: two features are named '{duplicate.Key}' after automatic preprocessing " +
                $"(from columns {string.Join(" and ", duplicate.Select(f => "'" + f.Path[0] + "'").Distinct())}); rename one of them in the training query.");
        var numeric = new List<(string Name, string Sql)>();
        var categorical = new List<(string Name, string Sql)>();
        var groups = new List<MultiHotGroup>();
        var order = new List<string>();
        foreach (var f in features)
        {
            if (f.Derivation == Derivation.MultiHot)
            {
                var elements = Elements(context, query, f, model);
                context.CancellationToken.ThrowIfCancellationRequested();
                var columns = elements.Select((_, i) => $"{f.Name}[{i + 1}]").ToList();
                for (int i = 0; i < elements.Count; i++)
                    numeric.Add((columns[i], $"CAST({FeatureSql.HasElement("q", f, elements[i])} AS DOUBLE)"));
                groups.Add(new MultiHotGroup(f.Name, elements, columns));
                order.AddRange(columns);
                continue;
            }
            if (f.Kind == FeatureKind.Numeric) numeric.Add((f.Name, FeatureSql.Numeric("q", f)));
            else categorical.Add((f.Name, FeatureSql.Category("q", f)));
            order.Add(f.Name);
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var n in order)
            if (!names.Add(n))
                throw Errors.Binding($"CREATE MODEL {model}: two features are named '{n}' after automatic preprocessing; rename the column.");
        var schema = new TrainingSchema(numeric.Select(c => c.Name).ToList(), categorical.Select(c => c.Name).ToList(), label)
        {
            FeatureOrder = order,
            MultiHot = groups,
        };
        return (schema, [.. numeric.Select(c => c.Sql), .. categorical.Select(c => c.Sql)]);
    }

    /// <summary>The distinct elements of an ARRAY feature over the training query, ordinally, NULL (NULL array or element) last.</summary>
    private static List<string?> Elements(CreateModelContext context, string query, AutoFeature f, string model)
    {
        var list = new List<string?>();
        try
        {
            using var cmd = context.Connection.CreateCommand();
            cmd.CommandText = FeatureSql.Elements(query, f, MaxElements + 1);
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(r.IsDBNull(0) ? null : r.GetString(0));
        }
        catch (DuckDBException e)
        {
            throw Errors.Engine($"CREATE MODEL {model}: the training query failed: {e.Message}", e);
        }
        if (list.Count > MaxElements)
            throw Errors.Training($"CREATE MODEL {model}: ARRAY feature '{f.Name}' has more than {MaxElements} distinct elements; its automatic multi-hot encoding keeps at most {MaxElements}. " +
                "Keep the frequent elements (e.g. list_filter with a vocabulary) or pass a smaller array.");
        if (list.Count == 0)
            throw Errors.Training($"CREATE MODEL {model}: ARRAY feature '{f.Name}' has no elements in any training row.");
        return [.. list.Where(e => e is not null).Order(StringComparer.Ordinal), .. list.Where(e => e is null)];
    }
}
