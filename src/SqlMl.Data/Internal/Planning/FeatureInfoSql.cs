using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// ML.FEATURE_INFO (reference §1.7): statistics of each input column (before any TRANSFORM), computed at CREATE MODEL
/// over all rows of the AS query, stored in the catalog and returned as constant rows: from the statistics the training
/// reader accumulated when the features are plain columns (<see cref="FromTrainingPass"/>), else in one aggregate query.
/// Numeric columns: min, max, mean, median (exact, <see cref="Native.ColumnMedians"/>), stddev (sample); other columns: category_count (distinct non-NULL values);
/// ARRAY&lt;STRUCT&gt; columns: dimension (the longest array); all: null_count.
/// </summary>
internal static class FeatureInfoSql
{
    private static readonly IReadOnlyList<(string Name, string Type)> Columns =
    [
        ("input", "VARCHAR"), ("min", "DOUBLE"), ("max", "DOUBLE"), ("mean", "DOUBLE"), ("median", "DOUBLE"),
        ("stddev", "DOUBLE"), ("category_count", "BIGINT"), ("null_count", "BIGINT"), ("dimension", "BIGINT"),
    ];

    private enum Shape { Numeric, Categorical, StructArray, ElementArray, Other }

    /// <summary>
    /// Computes the statistics of <paramref name="inputs"/> over <paramref name="query"/>'s rows. With
    /// <paramref name="categoricalOnly"/> (matrix factorization's user and item) only category_count and null_count are filled.
    /// </summary>
    public static List<FeatureInfo> Compute(DuckDBConnection connection, string model, string query, IReadOnlyList<QueryColumn> inputs, bool categoricalOnly)
    {
        if (inputs.Count == 0) return [];
        var shapes = inputs.Select(c => categoricalOnly ? Shape.Categorical : ShapeOf(c.Type)).ToList();
        var select = new List<string>();
        for (int i = 0; i < inputs.Count; i++)
        {
            string x = "q." + SqlText.QuotedIdentifier(inputs[i].Name);
            string d = $"CAST({x} AS DOUBLE)";
            switch (shapes[i])
            {
                case Shape.Numeric:
                    select.AddRange([$"min({d})", $"max({d})", $"avg({d})", $"stddev_samp({d})"]);
                    break;
                case Shape.Categorical:
                    select.Add($"count(DISTINCT {x})");
                    break;
                case Shape.StructArray:
                    select.Add($"max(len({x}))");
                    break;
                case Shape.ElementArray:
                    select.Add($"len(list_distinct(flatten(list({x}))))");
                    break;
            }
            select.Add($"count(*) - count({x})");
        }
        try
        {
            // Exact medians in C# (one scan, selection): DuckDB's median() aggregates cost 4× the rest of this query.
            var numeric = inputs.Where((_, i) => shapes[i] == Shape.Numeric).Select(c => c.Name).ToList();
            var medians = Native.ColumnMedians.Compute(connection, query, numeric);
            int numericIndex = 0;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT " + string.Join(", ", select) + " FROM (\n" + query + "\n) AS q";
            using var r = cmd.ExecuteReader();
            r.Read();
            var rows = new List<FeatureInfo>(inputs.Count);
            int k = 0;
            double? D(int j) => r.IsDBNull(j) ? null : Convert.ToDouble(r.GetValue(j), System.Globalization.CultureInfo.InvariantCulture);
            long? L(int j) => r.IsDBNull(j) ? null : Convert.ToInt64(r.GetValue(j), System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < inputs.Count; i++)
            {
                var row = new FeatureInfo(inputs[i].Name, null, null, null, null, null, null, 0, null);
                switch (shapes[i])
                {
                    case Shape.Numeric:
                        row = row with { Min = D(k), Max = D(k + 1), Mean = D(k + 2), Median = medians[numericIndex++], Stddev = D(k + 3) };
                        k += 4;
                        break;
                    case Shape.Categorical:
                    case Shape.ElementArray:
                        row = row with { CategoryCount = L(k++) };
                        break;
                    case Shape.StructArray:
                        row = row with { Dimension = L(k++) };
                        break;
                }
                rows.Add(row with { NullCount = L(k++) ?? 0 });
            }
            return rows;
        }
        catch (Exception e) when (e is DuckDBException || e is SqlMlException { Code: SqlMlErrorCode.Engine })
        {
            throw Errors.Engine($"CREATE MODEL {model}: computing the feature statistics failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The rows for a model just trained on <paramref name="query"/> (the AS query, before any TRANSFORM): the columns
    /// its TRANSFORM reads, or else its feature columns. Taken from the training pass (<see cref="FromTrainingPass"/>)
    /// when one of <paramref name="reads"/> qualifies, else computed by <see cref="Compute"/>.
    /// </summary>
    public static List<FeatureInfo> ForModel(DuckDBConnection connection, StoredModel model, string query, ModelTransform? transform,
        IReadOnlyList<Native.ITrainingRead> reads)
    {
        if (transform is null && FromTrainingPass(model, query, reads) is { } rows) return rows;
        string name = model.Name.ToString();
        List<QueryColumn> inputs;
        if (transform is null)
        {
            inputs = model.Features.Select(f => new QueryColumn(f.Name, f.SqlType)).ToList();
        }
        else
        {
            var columns = TrainingQuery.DescribeTrainingQuery(connection, query, name);
            inputs = transform.FeatureInputs.Select(n => TrainingQuery.Find(columns, n)).OfType<QueryColumn>().ToList();
        }
        return Compute(connection, name, query, inputs, model.ModelType == "MATRIX_FACTORIZATION");
    }

    /// <summary>
    /// The rows from the statistics a training reader accumulated (<see cref="Native.ITrainingRead.CompleteSummary"/>),
    /// or null when none qualifies: the reader must have read every row of <paramref name="query"/> to the end
    /// (<see cref="TrainingQuery.IsWrapOf"/>), each model feature must be a plain numeric or categorical column of its
    /// batches (no automatic expansion; not matrix factorization), and every numeric value finite (DuckDB's aggregates
    /// treat NaN and infinities their own way, so those columns keep the SQL path).
    /// </summary>
    public static List<FeatureInfo>? FromTrainingPass(StoredModel model, string query, IReadOnlyList<Native.ITrainingRead> reads)
    {
        if (model.ModelType == "MATRIX_FACTORIZATION") return null;
        foreach (var reader in reads)
        {
            if (reader.CompleteSummary is { } summary && TrainingQuery.IsWrapOf(reader.Sql, query)
                && FromSummary(model.Features, reader.Schema, summary) is { } rows)
                return rows;
        }
        return null;
    }

    private static List<FeatureInfo>? FromSummary(IReadOnlyList<FeatureColumn> features, TrainingSchema schema, FeatureSummary summary)
    {
        var rows = new List<FeatureInfo>(features.Count);
        foreach (var f in features)
        {
            var shape = f.Kind == FeatureKind.Expanded ? Shape.Other : ShapeOf(f.SqlType);
            int numeric = IndexOf(schema.Numeric, f.Name), categorical = IndexOf(schema.Categorical, f.Name);
            if (f.Kind == FeatureKind.Numeric && shape == Shape.Numeric && numeric >= 0 && summary.Numeric[numeric] is { Finite: true } n)
                rows.Add(new FeatureInfo(f.Name, n.Min, n.Max, n.Mean, n.Median, n.StdDev, null, n.NullCount, null));
            else if (f.Kind == FeatureKind.Categorical && shape == Shape.Categorical && categorical >= 0)
                rows.Add(new FeatureInfo(f.Name, null, null, null, null, null, summary.Categorical[categorical].CategoryCount, summary.Categorical[categorical].NullCount, null));
            else
                return null;
        }
        return rows;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i].Equals(name, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>ML.FEATURE_INFO(MODEL m): the stored rows.</summary>
    public static string Compile(StoredModel stored) =>
        ValuesSql.Build(Columns, (stored.FeatureInfo
            ?? throw Errors.Binding($"ML.FEATURE_INFO: model {stored.Name} was saved by an SqlMl that did not keep feature statistics. Retrain it (CREATE OR REPLACE MODEL) to use ML.FEATURE_INFO."))
            .Select(f => (IReadOnlyList<string>)[
                ValuesSql.String(f.Input), SqlText.Double(f.Min), SqlText.Double(f.Max), SqlText.Double(f.Mean), SqlText.Double(f.Median),
                SqlText.Double(f.Stddev), Long(f.CategoryCount), ValuesSql.Int(f.NullCount), Long(f.Dimension)]));

    private static string Long(long? v) => v is { } x ? ValuesSql.Int(x) : "NULL";

    /// <summary>
    /// Numeric → statistics; ARRAY of STRUCT or of numbers (a vector) → dimension; ARRAY of other values (multi-hot) →
    /// category_count of distinct elements; STRUCT and MAP → only null_count; else category_count.
    /// </summary>
    private static Shape ShapeOf(string type) =>
        type.EndsWith(']') ? (type.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase) || QueryColumns.IsNumeric(type[..type.LastIndexOf('[')]) ? Shape.StructArray : Shape.ElementArray)
        : QueryColumns.IsNumeric(type) ? Shape.Numeric
        : type.StartsWith("STRUCT", StringComparison.OrdinalIgnoreCase) || type.StartsWith("MAP", StringComparison.OrdinalIgnoreCase) ? Shape.Other
        : Shape.Categorical;
}
