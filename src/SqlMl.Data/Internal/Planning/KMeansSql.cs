using System.Text;
using SqlMl.Features;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Compiles a <see cref="KMeansModel"/> to DuckDB SQL. Each input row becomes a fixed-size DOUBLE[D] array of its
/// coordinates (numeric features scaled, NULL → training mean; one-hot indicators, unseen categories all 0), and the
/// distances to the K centroids are DuckDB's vectorized array functions against constant arrays: array_distance for
/// EUCLIDEAN, √(1 − x·ĉ/‖x‖) with array_inner_product for COSINE. The SQL is plain DuckDB except ML.PREDICT's nearest
/// list, which calls SqlMl's sqlml_kmeans_nearest (registered on every SqlMl connection, so a saved view still works there).
/// </summary>
internal static class KMeansSql
{
    private const string In = "__sqlml_in";
    private const string Z = "__sqlml_z";
    private const string Norm = "__sqlml_norm";
    private const string D = "__sqlml_d";

    /// <summary>The input with the coordinates array (and its length for COSINE) added: <c>SELECT in.*, z … FROM input</c>.</summary>
    private static string WithCoordinates(KMeansModel model, FunctionInput input, InputExpansion? inputs)
    {
        var sb = new StringBuilder("SELECT ").Append(In).Append(".*, CAST([");
        bool first = true;
        foreach (var f in model.Numeric)
        {
            if (!first) sb.Append(", ");
            first = false;
            string x = FeatureSql.NumericOrMean(In, f.Name, inputs, f.Mean);
            sb.Append(f.Center == 0 && f.Scale == 1 ? x : $"({x} - {SqlText.Double(f.Center)}) / {SqlText.Double(f.Scale)}");
        }
        foreach (var f in model.Categorical)
        {
            var multiHot = FeatureSql.MultiHot(f.Name, inputs);
            string col = multiHot is null ? FeatureSql.Category(In, f.Name, inputs) : "";
            foreach (var c in f.Categories)
            {
                if (!first) sb.Append(", ");
                first = false;
                sb.Append(multiHot is not null ? $"CASE WHEN {FeatureSql.HasElement(In, multiHot, c)} THEN 1.0 ELSE 0.0 END"
                    : c is null ? $"CASE WHEN {col} IS NULL THEN 1.0 ELSE 0.0 END"
                    : $"CASE WHEN {col} = {SqlText.StringLiteral(c)} THEN 1.0 ELSE 0.0 END");
            }
        }
        sb.Append("] AS DOUBLE[").Append(ValuesSql.Int(model.Dimension)).Append("]) AS ").Append(Z);
        sb.Append(" FROM ").Append(input.FromSql).Append(" AS ").Append(In);
        if (model.Distance == KMeansDistance.Cosine)
            return $"SELECT *, sqrt(array_inner_product({Z}, {Z})) AS {Norm} FROM ({sb})";
        return sb.ToString();
    }

    /// <summary>The distance from the row's coordinates to centroid <paramref name="k"/> (0-based).</summary>
    private static string Distance(KMeansModel model, int k)
    {
        var c = model.Centroid(k);
        if (model.Distance == KMeansDistance.Euclidean) return $"array_distance({Z}, {Array(c)})";
        double norm = 0;
        foreach (double v in c) norm += v * v;
        norm = Math.Sqrt(norm);
        var unit = new double[c.Length];
        for (int i = 0; i < c.Length; i++) unit[i] = norm > 0 ? c[i] / norm : 0;
        return $"sqrt(greatest(1 - coalesce(array_inner_product({Z}, {Array(unit)}) / nullif({Norm}, 0), 0), 0))";
    }

    /// <summary>The input plus a LIST of the K distances (<c>__sqlml_d</c>).</summary>
    private static string WithDistances(KMeansModel model, FunctionInput input, InputExpansion? inputs) =>
        $"SELECT *, [{string.Join(", ", Enumerable.Range(0, model.Clusters).Select(k => Distance(model, k)))}] AS {D} FROM ({WithCoordinates(model, input, inputs)})";

    private static string Hidden(KMeansModel model) => model.Distance == KMeansDistance.Cosine ? $"{Z}, {Norm}, {D}" : $"{Z}, {D}";

    /// <summary>
    /// centroid_id and nearest_centroids_distance from one call of <see cref="Functions.NearestCentroidsFunction"/> per row
    /// (the min(k, 5) nearest centroid indices, packed), unpacked with plain vectorized SQL; each distance is read from
    /// the distance list. Ties go to the lower centroid, as sorting (distance, centroid) pairs would.
    /// </summary>
    public static string Predict(KMeansModel model, FunctionInput input, InputExpansion? inputs)
    {
        const string packed = "__sqlml_p";
        int nearest = Math.Min(model.Clusters, Functions.NearestCentroidsFunction.Count);
        const int bits = Functions.NearestCentroidsFunction.Bits;
        string Index(int j) => $"(({packed} >> {j * bits}) & {(1 << bits) - 1}) + 1";
        string top = "[" + string.Join(", ", Enumerable.Range(0, nearest).Select(j => $"{{'centroid_id': {Index(j)}, 'distance': {D}[{Index(j)}]}}")) + "]";
        string args = string.Join(", ", Enumerable.Range(1, model.Clusters).Select(k => $"{D}[{k}]"));
        return $"(SELECT * EXCLUDE ({Hidden(model)}, {packed}), {Index(0)} AS centroid_id, {top} AS nearest_centroids_distance " +
               $"FROM (SELECT *, {Functions.NearestCentroidsFunction.Name}({args}) AS {packed} FROM ({WithDistances(model, input, inputs)})))";
    }

    /// <summary>davies_bouldin_index and mean_squared_distance over the input (same definitions as at training).</summary>
    public static string Evaluate(KMeansModel model, FunctionInput input, InputExpansion? inputs)
    {
        var pairs = new List<IReadOnlyList<string>>();
        for (int i = 0; i < model.Clusters; i++)
            for (int j = 0; j < model.Clusters; j++)
                if (i != j) pairs.Add([ValuesSql.Int(i + 1), ValuesSql.Int(j + 1), SqlText.Double(model.PointDistance(model.Centroid(i), model.Centroid(j)))]);
        string centroidDistances = ValuesSql.Build([("i", "BIGINT"), ("j", "BIGINT"), ("d", "DOUBLE")], pairs);
        return $"""
            (WITH __sqlml_a AS (SELECT list_position({D}, list_min({D})) AS cid, list_min({D}) AS dist FROM ({WithDistances(model, input, inputs)})),
                  __sqlml_s AS (SELECT cid, avg(dist) AS s FROM __sqlml_a GROUP BY cid),
                  __sqlml_r AS (SELECT a.cid, max((a.s + b.s) / m.d) AS r
                                FROM __sqlml_s a JOIN __sqlml_s b ON a.cid <> b.cid JOIN {centroidDistances} AS m ON m.i = a.cid AND m.j = b.cid
                                GROUP BY a.cid)
             SELECT (SELECT CASE WHEN count(*) >= 2 THEN avg(r) END FROM __sqlml_r) AS davies_bouldin_index,
                    (SELECT avg(dist * dist) FROM __sqlml_a) AS mean_squared_distance)
            """;
    }

    /// <summary>is_anomaly, normalized_distance (min over clusters of distance ÷ RMS radius), then the input columns.</summary>
    public static string DetectAnomalies(KMeansModel model, FunctionInput input, double cutoff, InputExpansion? inputs)
    {
        var ratios = new List<string>();
        for (int k = 0; k < model.Clusters; k++)
        {
            string d = Distance(model, k);
            double r = model.RmsRadii[k];
            ratios.Add(r > 0 ? $"{d} / {SqlText.Double(r)}" : $"CASE WHEN {d} = 0 THEN 0.0 ELSE 'Infinity'::DOUBLE END");
        }
        string hidden = model.Distance == KMeansDistance.Cosine ? $"{Z}, {Norm}, __sqlml_nd" : $"{Z}, __sqlml_nd";
        return $"(SELECT __sqlml_nd > {SqlText.Double(cutoff)} AS is_anomaly, __sqlml_nd AS normalized_distance, * EXCLUDE ({hidden}) " +
               $"FROM (SELECT *, least({string.Join(", ", ratios)}) AS __sqlml_nd FROM ({WithCoordinates(model, input, inputs)})))";
    }

    /// <summary>One row per centroid and feature, in the training query's feature order.</summary>
    public static string Centroids(KMeansModel model, bool standardize)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (int k = 0; k < model.Clusters; k++)
        {
            var c = model.Centroid(k).ToArray();
            foreach (var name in model.FeatureOrder)
            {
                int j = IndexOf(model.Numeric, f => f.Name == name);
                if (j >= 0)
                {
                    var f = model.Numeric[j];
                    rows.Add([ValuesSql.Int(k + 1), ValuesSql.String(name), SqlText.Double(standardize ? f.Standardized(c[j]) : f.Raw(c[j])), "[]"]);
                    continue;
                }
                int h = IndexOf(model.Categorical, f => f.Name == name);
                var cat = model.Categorical[h];
                int offset = model.OneHotOffset(h);
                var items = cat.Categories.Select((v, i) => (Category: v, Value: c[offset + i]))
                    .OrderBy(t => t.Category is null).ThenBy(t => t.Category, StringComparer.Ordinal);
                rows.Add([ValuesSql.Int(k + 1), ValuesSql.String(name), "NULL",
                    "[" + string.Join(", ", items.Select(t => $"{{'category': {ValuesSql.String(t.Category)}, 'value': {SqlText.Double(t.Value)}}}")) + "]"]);
            }
        }
        return ValuesSql.Build(
            [("centroid_id", "BIGINT"), ("feature", "VARCHAR"), ("numerical_value", "DOUBLE"), ("categorical_value", "STRUCT(category VARCHAR, value DOUBLE)[]")], rows);
    }

    private static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++)
            if (match(list[i])) return i;
        return -1;
    }

    private static string Array(ReadOnlySpan<double> values)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < values.Length; i++) sb.Append(i > 0 ? ", " : "").Append(SqlText.Double(values[i]));
        return sb.Append("]::DOUBLE[").Append(ValuesSql.Int(values.Length)).Append(']').ToString();
    }
}
