using System.Globalization;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// ML.EVALUATE of an implicit matrix factorization model on labelled input, in DuckDB SQL, with the definitions of
/// <see cref="Evaluation.RankingMetrics"/> (which computes the same numbers in C# at training). Rows with a NULL
/// user, item or rating are ignored; duplicate (user, item) rows are merged by summing their ratings. Each relevant
/// pair (rating &gt; 0) is compared with every item of the model for its user: position = the number of items
/// scoring at least as high, plus the user's evaluation items unknown to the model (score 0).
/// </summary>
internal static class ImplicitEvaluationSql
{
    public static string Metrics(MatrixFactorizationModel m, FunctionInput input, string userColumn, string itemColumn, string ratingColumn)
    {
        const string inAlias = RecommendSql.InputAlias;
        string user = inAlias + "." + SqlText.QuotedIdentifier(userColumn);
        string item = inAlias + "." + SqlText.QuotedIdentifier(itemColumn);
        string rating = inAlias + "." + SqlText.QuotedIdentifier(ratingColumn);
        string items = m.Items.Count.ToString(CultureInfo.InvariantCulture);
        return $"""
            (WITH {FactorTableSql.Ctes(m)},
            __e AS (SELECT CAST({user} AS VARCHAR) AS __ug, CAST({item} AS VARCHAR) AS __ig,
                           any_value({FactorTableSql.Key(m.Users.Ids, user)}) AS __uk, any_value({FactorTableSql.Key(m.Items.Ids, item)}) AS __ik,
                           sum(CAST({rating} AS DOUBLE)) AS __r
                    FROM {input.FromSql} AS {inAlias}
                    WHERE {user} IS NOT NULL AND {item} IS NOT NULL AND {rating} IS NOT NULL GROUP BY 1, 2),
            __p AS (SELECT row_number() OVER () AS __row, __e.__ug, __e.__r, __u.__f AS __uf, __i.__c IS NULL AS __unknown,
                           {FactorTableSql.Score(m, "__u", "__i")} AS __s
                    FROM __e LEFT JOIN __u ON __u.__id = __e.__uk LEFT JOIN __i ON __i.__id = __e.__ik),
            __unk AS (SELECT __ug, count(*) FILTER (WHERE __unknown) AS __n FROM __p GROUP BY __ug),
            __ge AS (SELECT __p.__row, count(*) AS __n FROM __p CROSS JOIN __i
                     WHERE __p.__r > 0 AND coalesce(array_inner_product(__p.__uf, __i.__f), 0E0) >= __p.__s GROUP BY __p.__row),
            __pos AS (SELECT __p.__ug, __p.__r,
                             coalesce(__ge.__n, 0) + CASE WHEN __p.__unknown THEN 1 ELSE 0 END
                               + CASE WHEN 0E0 >= __p.__s THEN __unk.__n - CASE WHEN __p.__unknown THEN 1 ELSE 0 END ELSE 0 END AS __pos,
                             {items} + __unk.__n AS __cand
                      FROM __p JOIN __unk USING (__ug) LEFT JOIN __ge USING (__row) WHERE __p.__r > 0),
            __ranked AS (SELECT *, row_number() OVER (PARTITION BY __ug ORDER BY __pos) AS __m,
                                row_number() OVER (PARTITION BY __ug ORDER BY __r DESC) AS __ideal FROM __pos),
            __users AS (SELECT avg(__m / __pos) AS __ap, sum(__r / log2(1 + __pos)) / sum(__r / log2(1 + __ideal)) AS __ndcg
                        FROM __ranked GROUP BY __ug)
            SELECT (SELECT avg(__ap) FROM __users) AS mean_average_precision,
                   (SELECT avg(power(CASE WHEN __r > 0 THEN 1E0 ELSE 0E0 END - __s, 2)) FROM __p) AS mean_squared_error,
                   (SELECT avg(__ndcg) FROM __users) AS normalized_discounted_cumulative_gain,
                   (SELECT sum(__r * (__pos - 1) / greatest(__cand - 1, 1)) / sum(__r) FROM __pos) AS average_rank)
            """;
    }
}
