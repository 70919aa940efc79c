using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// ML.RECOMMEND and ML.PREDICT for matrix factorization, compiled to DuckDB SQL over the factor tables
/// (<see cref="FactorTableSql"/>): the input's rows join the tables on their ids (unknown ids join nothing and get
/// the intercept fallbacks), a one-sided input is crossed with every item (or user). With top_k, a one-sided input
/// keeps the k best per distinct id through DuckDB's streaming top-N aggregate <c>max_by(arg, key, k)</c>, so
/// "10 items per user" never sorts or materializes the user × item product; other forms rank their rows with a
/// window. In the window forms ties are broken by the earlier code (first seen in training); the top-N aggregate breaks
/// ties at the k-th place arbitrarily.
/// </summary>
internal static class RecommendSql
{
    public const string InputAlias = "__sqlml_in";

    private static string Quoted(string name) => SqlText.QuotedIdentifier(name);


    /// <summary>No input: every (user, item) pair seen in training.</summary>
    public static string SeenPairs(MatrixFactorizationModel m, long? topK)
    {
        string score = FactorTableSql.Score(m, "__us", "__i");
        string top = topK is { } k ? $" QUALIFY row_number() OVER (PARTITION BY __us.__c ORDER BY {score} DESC, __i.__c) <= {ValuesSql.Int(k)}" : "";
        return $"(WITH {FactorTableSql.Ctes(m, withSeen: true)} " +
               $"SELECT CAST(__us.__id AS {m.UserSqlType}) AS {Quoted(m.UserColumn)}, CAST(__i.__id AS {m.ItemSqlType}) AS {Quoted(m.ItemColumn)}, {score} AS {Quoted(m.PredictionColumn)} " +
               "FROM (SELECT *, unnest(CAST(string_split(__seen, ',') AS INTEGER[])) AS __sc FROM __u) AS __us JOIN __i ON __i.__c = __us.__sc" + top + ")";
    }

    /// <summary>Input with both id columns: one prediction per row, every input column passed through.</summary>
    public static string Pairs(MatrixFactorizationModel m, FunctionInput input, string userColumn, string itemColumn, long? topK)
    {
        string ku = FactorTableSql.Key(m.Users.Ids, InputAlias + "." + Quoted(userColumn));
        string ki = FactorTableSql.Key(m.Items.Ids, InputAlias + "." + Quoted(itemColumn));
        string score = FactorTableSql.Score(m, "__u", "__i");
        string top = topK is { } k ? $" QUALIFY row_number() OVER (PARTITION BY {ku} ORDER BY {score} DESC, {ki}) <= {ValuesSql.Int(k)}" : "";
        return $"(WITH {FactorTableSql.Ctes(m)} " +
               $"SELECT {InputAlias}.*, {score} AS {Quoted(m.PredictionColumn)} FROM {input.FromSql} AS {InputAlias} " +
               $"LEFT JOIN __u ON __u.__id = {ku} LEFT JOIN __i ON __i.__id = {ki}" + top + ")";
    }

    /// <summary>
    /// Input with only the user column (<paramref name="usersGiven"/>) or only the item column: every item for each
    /// row's user (or every user for each row's item), the input columns passed through.
    /// </summary>
    public static string Expand(MatrixFactorizationModel m, FunctionInput input, string column, bool usersGiven, long? topK)
    {
        string given = usersGiven ? "__u" : "__i", other = usersGiven ? "__i" : "__u";
        var givenIds = usersGiven ? m.Users.Ids : m.Items.Ids;
        string outName = Quoted(usersGiven ? m.ItemColumn : m.UserColumn);
        string outType = usersGiven ? m.ItemSqlType : m.UserSqlType;
        string tables = FactorTableSql.Ctes(m);
        string score = FactorTableSql.Score(m, "__u", "__i");
        string pred = Quoted(m.PredictionColumn);
        string key = FactorTableSql.Key(givenIds, InputAlias + "." + Quoted(column));
        if (topK is not { } k)
        {
            return $"(WITH {tables} SELECT {InputAlias}.*, CAST({other}.__id AS {outType}) AS {outName}, {score} AS {pred} " +
                   $"FROM {input.FromSql} AS {InputAlias} LEFT JOIN {given} ON {given}.__id = {key} CROSS JOIN {other})";
        }
        // Top-k: per distinct input id, DuckDB's top-N aggregate over the streamed product keeps the k best codes
        // (a scalar value and key: struct-valued keys measured 3-5x slower); the k rows are then joined back and scored.
        string keyOfDistinct = FactorTableSql.Key(givenIds, "__q." + Quoted(column));
        return $"(WITH {tables}, __sqlml_input AS MATERIALIZED (SELECT * FROM {input.FromSql}), " +
               $"__sqlml_keys AS (SELECT DISTINCT {keyOfDistinct} AS __key FROM __sqlml_input AS __q), " +
               $"__sqlml_top AS (SELECT __key, unnest(__l) AS __oc FROM (SELECT __sqlml_keys.__key, max_by({other}.__c, {score}, {ValuesSql.Int(k)}) AS __l " +
               $"FROM __sqlml_keys LEFT JOIN {given} ON {given}.__id = __sqlml_keys.__key CROSS JOIN {other} GROUP BY __sqlml_keys.__key)) " +
               $"SELECT {InputAlias}.*, CAST({other}.__id AS {outType}) AS {outName}, {score} AS {pred} " +
               $"FROM __sqlml_input AS {InputAlias} JOIN __sqlml_top ON __sqlml_top.__key IS NOT DISTINCT FROM {key} " +
               $"LEFT JOIN {given} ON {given}.__id = {key} JOIN {other} ON {other}.__c = __sqlml_top.__oc)";
    }

    /// <summary>Explicit ML.EVALUATE on labelled input: (rating, prediction) pairs for <see cref="RegressionSql"/>.</summary>
    public static string RatedPairs(MatrixFactorizationModel m, FunctionInput input, string userColumn, string itemColumn, string ratingColumn)
    {
        string ku = FactorTableSql.Key(m.Users.Ids, InputAlias + "." + Quoted(userColumn));
        string ki = FactorTableSql.Key(m.Items.Ids, InputAlias + "." + Quoted(itemColumn));
        return $"WITH {FactorTableSql.Ctes(m)} " +
               $"SELECT CAST({InputAlias}.{Quoted(ratingColumn)} AS DOUBLE) AS __y, {FactorTableSql.Score(m, "__u", "__i")} AS __p " +
               $"FROM {input.FromSql} AS {InputAlias} LEFT JOIN __u ON __u.__id = {ku} LEFT JOIN __i ON __i.__id = {ki}";
    }
}
