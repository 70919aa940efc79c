using System.Globalization;
using System.Text;
using System.Text.Json;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// A matrix factorization model's factors as DuckDB SQL: one subquery per side with columns
/// <c>__c</c> (code), <c>__id</c> (BIGINT or VARCHAR), <c>__b</c> (intercept) and <c>__f</c> (DOUBLE[rank]).
/// The values travel as a few long string literals that DuckDB splits and casts, vectorized: a VALUES list of
/// the same numbers parses about ten times slower (measured: 6,040 × 32 factors in ~70 ms versus ~1 s).
/// </summary>
internal static class FactorTableSql
{
    /// <summary>
    /// The two tables as CTE definitions <c>__u</c> and <c>__i</c>, MATERIALIZED: otherwise DuckDB may push the
    /// string-to-array casts past a cross join and repeat them per pair (measured ~15× slower for top-k).
    /// </summary>
    public static string Ctes(MatrixFactorizationModel model, bool withSeen = false) =>
        $"__u AS MATERIALIZED {Users(model, withSeen)}, __i AS MATERIALIZED {Items(model)}";

    /// <summary>The users' table; with <paramref name="withSeen"/> it adds <c>__seen</c>, the codes of the items seen in training.</summary>
    public static string Users(MatrixFactorizationModel model, bool withSeen = false) =>
        Side(model.Users, model.Feedback, withSeen ? SeenLists(model) : null);

    public static string Items(MatrixFactorizationModel model) => Side(model.Items, model.Feedback, null);

    /// <summary>DuckDB type of a side's <c>__id</c> column.</summary>
    public static string KeyType(IdSet ids) => ids.IsInteger ? "BIGINT" : "VARCHAR";

    /// <summary>The prediction for aliases u and i of the two tables, either possibly NULL (unknown id).</summary>
    public static string Score(MatrixFactorizationModel model, string u, string i)
    {
        string dot = $"coalesce(array_inner_product({u}.__f, {i}.__f), 0E0)";
        if (model.Feedback == FeedbackType.Implicit) return dot;
        return $"({SqlText.Double(model.GlobalIntercept)} + coalesce({u}.__b, 0E0) + coalesce({i}.__b, 0E0) + {dot})";
    }

    /// <summary>
    /// The expression that turns an input column into a side's key. Integer ids accept any input type DuckDB can
    /// cast to BIGINT (a string '42' finds user 42); a value that cannot be converted becomes NULL, i.e. unknown.
    /// </summary>
    public static string Key(IdSet ids, string column) =>
        ids.IsInteger ? $"TRY_CAST({column} AS BIGINT)" : $"CAST({column} AS VARCHAR)";

    private static string Side(FactorSide side, FeedbackType feedback, string? seen)
    {
        int n = side.Count, k = side.Rank;
        var sb = new StringBuilder("(SELECT __c, __id, __b, CAST(string_split(__fs, ',') AS DOUBLE[")
            .Append(k.ToString(CultureInfo.InvariantCulture)).Append("]) AS __f");
        if (seen is not null) sb.Append(", __seen");
        sb.Append(" FROM (SELECT unnest(range(").Append(n.ToString(CultureInfo.InvariantCulture)).Append(")) AS __c, unnest(");
        AppendIds(sb, side.Ids);
        sb.Append(") AS __id, ");
        if (feedback == FeedbackType.Explicit)
        {
            sb.Append("unnest(CAST(string_split('");
            AppendJoined(sb, side.Intercepts, 0, n, ',');
            sb.Append("', ',') AS DOUBLE[])) AS __b, ");
        }
        else
        {
            sb.Append("0E0 AS __b, ");
        }
        sb.Append("unnest(string_split('");
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(';');
            AppendJoined(sb, side.Factors, i * k, k, ',');
        }
        sb.Append("', ';')) AS __fs");
        if (seen is not null) sb.Append(", unnest(string_split('").Append(seen).Append("', ';')) AS __seen");
        return sb.Append("))").ToString();
    }

    private static void AppendIds(StringBuilder sb, IdSet ids)
    {
        if (ids.IsInteger)
        {
            sb.Append("CAST(string_split('");
            for (int i = 0; i < ids.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(ids.Integer(i).ToString(CultureInfo.InvariantCulture));
            }
            sb.Append("', ',') AS BIGINT[])");
            return;
        }
        string json = JsonSerializer.Serialize(Enumerable.Range(0, ids.Count).Select(ids.String));
        sb.Append("CAST(json(").Append(SqlText.StringLiteral(json)).Append(") AS VARCHAR[])");
    }

    private static void AppendJoined(StringBuilder sb, double[] values, int start, int count, char separator)
    {
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(separator);
            sb.Append(values[start + i].ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Per user, the item codes seen in training: "3,17,25;4;…".</summary>
    private static string SeenLists(MatrixFactorizationModel model)
    {
        var sb = new StringBuilder();
        for (int u = 0; u < model.Users.Count; u++)
        {
            if (u > 0) sb.Append(';');
            for (int e = model.SeenOffsets[u]; e < model.SeenOffsets[u + 1]; e++)
            {
                if (e > model.SeenOffsets[u]) sb.Append(',');
                sb.Append(model.SeenItems[e].ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
