using System.Diagnostics;
using System.Globalization;
using SqlMl.Data;

// MATRIX_FACTORIZATION timings through SQL, printed as key=value lines for benchmarks/compare_als.sh:
//   SqlMl.AlsBench RATINGS.csv RANK ITERATIONS L2 [MOVIELENS.csv]
// 1. CREATE MODEL (explicit, rank RANK, no split, no early stop) on the ratings; ms per iteration from
//    ML.TRAINING_INFO (median), the final training RMSE, and the whole statement's time.
// 2. The same for IMPLICIT feedback (ratings >= 4 as interactions).
// 3. Top-10 recommendations for every user (ML.RECOMMEND with STRUCT(10 AS top_k)).
// 4. With a MovieLens CSV (userId, movieId, rating): held-out RMSE of explicit models (20 % held out), and of the
//    training mean as a baseline.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: SqlMl.AlsBench RATINGS.csv RANK ITERATIONS L2 [MOVIELENS.csv]");
    return 2;
}
string csv = args[0];
int rank = int.Parse(args[1], CultureInfo.InvariantCulture);
int iterations = int.Parse(args[2], CultureInfo.InvariantCulture);
string l2 = double.Parse(args[3], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);

using var conn = new SqlMlConnection("Data Source=:memory:");
conn.Open();
Execute(conn, $"CREATE TABLE ratings AS SELECT * FROM read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}')");
Report("rows", Scalar(conn, "SELECT count(*) FROM ratings"));

foreach (var (label, feedback, query) in new[]
{
    ("explicit", "explicit", "SELECT * FROM ratings"),
    ("implicit", "implicit", "SELECT \"user\", item, CASE WHEN rating >= 4 THEN 1 ELSE 0 END AS rating FROM ratings"),
})
{
    string alpha = feedback == "implicit" ? ", wals_alpha = 40" : "";
    var clock = Stopwatch.StartNew();
    Execute(conn, $"CREATE OR REPLACE MODEL {label} OPTIONS(model_type = 'matrix_factorization', feedback_type = '{feedback}', " +
                  $"num_factors = {rank}, l2_reg = {l2}{alpha}, max_iterations = {iterations}, early_stop = false, data_split_method = 'no_split') AS {query}");
    Report($"{label}_create_model_ms", clock.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture));
    var ms = Column(conn, $"SELECT duration_ms FROM ML.TRAINING_INFO(MODEL {label}) ORDER BY iteration").Select(Convert.ToDouble).ToList();
    Report($"{label}_ms_per_iteration", Median(ms.Skip(1).ToList()).ToString("F1", CultureInfo.InvariantCulture));
    Report($"{label}_min_ms_per_iteration", ms.Skip(1).Min().ToString("F1", CultureInfo.InvariantCulture));
    Report($"{label}_first_iteration_ms", ms[0].ToString("F0", CultureInfo.InvariantCulture));
    Report($"{label}_final_loss", Scalar(conn, $"SELECT loss FROM ML.TRAINING_INFO(MODEL {label}) ORDER BY iteration DESC LIMIT 1"));
}
Report("explicit_train_rmse", Scalar(conn, "SELECT sqrt(mean_squared_error) FROM ML.EVALUATE(MODEL explicit)"));

var top = new List<double>();
for (int rep = 0; rep < 3; rep++)
{
    var clock = Stopwatch.StartNew();
    Scalar(conn, "SELECT count(*) FROM ML.RECOMMEND(MODEL explicit, (SELECT DISTINCT \"user\" FROM ratings), STRUCT(10 AS top_k))");
    top.Add(clock.Elapsed.TotalMilliseconds);
}
Report("top10_all_users_ms", top.Min().ToString("F0", CultureInfo.InvariantCulture));

if (args.Length > 4)
{
    // 20 % of the ratings held out, chosen by a hash of (user, movie) so the global-mean baseline uses the same rows.
    Execute(conn, $"CREATE TABLE movielens AS SELECT userId, movieId, rating, hash(userId * 1000003 + movieId) % 5 = 0 AS held_out FROM read_csv('{args[4].Replace("'", "''", StringComparison.Ordinal)}')");
    foreach (int k in new[] { 5, 10, 20 })
    {
        Execute(conn, "CREATE OR REPLACE MODEL ml OPTIONS(model_type = 'matrix_factorization', user_col = 'userId', item_col = 'movieId', " +
                      $"num_factors = {k}, l2_reg = 10, data_split_method = 'custom', data_split_col = 'held_out') AS SELECT * FROM movielens");
        Report($"movielens_rank{k}_l2_10_heldout_rmse", Scalar(conn, "SELECT sqrt(mean_squared_error) FROM ML.EVALUATE(MODEL ml)"));
    }
    Execute(conn, "CREATE OR REPLACE MODEL ml OPTIONS(model_type = 'matrix_factorization', user_col = 'userId', item_col = 'movieId', " +
                  "data_split_method = 'custom', data_split_col = 'held_out') AS SELECT * FROM movielens");
    Report("movielens_default_options_heldout_rmse", Scalar(conn, "SELECT sqrt(mean_squared_error) FROM ML.EVALUATE(MODEL ml)"));
    Report("movielens_rows", Scalar(conn, "SELECT training_rows || ' train / ' || eval_rows || ' held out' FROM sqlml.models WHERE model_name = 'ml'"));
    Report("movielens_global_mean_rmse", Scalar(conn,
        "SELECT sqrt(avg(power(rating - (SELECT avg(rating) FROM movielens WHERE NOT held_out), 2))) FROM movielens WHERE held_out"));
}
return 0;

static void Execute(SqlMlConnection conn, string sql)
{
    using var cmd = conn.CreateCommand();
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}

static string Scalar(SqlMlConnection conn, string sql)
{
    using var cmd = conn.CreateCommand();
    cmd.CommandText = sql;
    return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "NULL";
}

static List<object> Column(SqlMlConnection conn, string sql)
{
    using var cmd = conn.CreateCommand();
    cmd.CommandText = sql;
    using var r = cmd.ExecuteReader();
    var values = new List<object>();
    while (r.Read()) values.Add(r.GetValue(0));
    return values;
}

static double Median(List<double> values)
{
    if (values.Count == 0) return double.NaN;
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}

static void Report(string key, string value) => Console.WriteLine($"{key}={value}");
