using System.Globalization;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Tests.EndToEnd;

/// <summary>MATRIX_FACTORIZATION through SQL: training, ML.RECOMMEND in all its forms, PREDICT, EVALUATE, WEIGHTS, TRAINING_INFO.</summary>
public class MatrixFactorizationTests
{
    private const string Ratings = """
        CREATE TABLE ratings AS
        SELECT u AS "user", i AS item,
               round(3 + 1.5 * sin(u * 0.7) * cos(i * 1.3) + 0.5 * cos(u * 0.3 + i * 0.2), 1) AS rating,
               u * 100 + i AS ts
        FROM range(30) a(u), range(20) b(i) WHERE (u * 7 + i * 13) % 4 <> 0
        """;

    private static TestDb WithModel(string options = "", string query = "SELECT * FROM ratings")
    {
        var db = new TestDb();
        db.Execute(Ratings);
        db.Execute($"CREATE MODEL m OPTIONS(model_type = 'matrix_factorization', num_factors = 3, data_split_method = 'no_split'{options}) AS {query}");
        return db;
    }

    private static MatrixFactorizationModel Model(TestDb db, string name = "m") =>
        (MatrixFactorizationModel)ModelCatalog.TryGet(db.Connection.Duck, new ModelName(null, name))!.Model;

    private static string Text(object? v) => Convert.ToString(v, CultureInfo.InvariantCulture)!;

    private static double D(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    [Fact]
    public void Recommend_without_input_returns_every_seen_pair_with_the_models_prediction()
    {
        using var db = WithModel();
        var model = Model(db);
        Assert.Equal(["user", "item", "predicted_rating"], db.Columns("SELECT * FROM ML.RECOMMEND(MODEL m)"));
        var rows = db.Rows("SELECT * FROM ML.RECOMMEND(MODEL m)");
        Assert.Equal(db.Scalar("SELECT count(*) FROM ratings"), (long)rows.Count);
        foreach (var r in rows) Assert.Equal(model.Predict(Text(r[0]), Text(r[1])), D(r[2]), 12);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM (SELECT \"user\", item FROM ML.RECOMMEND(MODEL m) EXCEPT SELECT \"user\", item FROM ratings)"));
        Assert.Equal("BIGINT", db.Scalar("SELECT typeof(\"user\") FROM ML.RECOMMEND(MODEL m) LIMIT 1"));
    }

    [Fact]
    public void Recommend_with_both_columns_rates_each_row_and_passes_other_columns_through()
    {
        using var db = WithModel();
        var model = Model(db);
        var cols = db.Columns("SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT 'a' AS note, 3 AS item, 5 AS \"user\"))");
        Assert.Equal(["note", "item", "user", "predicted_rating"], cols);
        var rows = db.Rows("SELECT \"user\", item, predicted_rating FROM ML.RECOMMEND(MODEL m, (SELECT * FROM (VALUES (5, 3), (5, 3), (99, 3), (5, 99), (99, 99), (NULL, 3)) t(\"user\", item))) ORDER BY ALL");
        Assert.Equal(6, rows.Count);
        int u5 = model.Users.Ids.CodeOf("5"), i3 = model.Items.Ids.CodeOf("3");
        double Value(int? user, int? item) => D(rows.First(r => (r[0] is null ? null : (int?)Convert.ToInt32(r[0], CultureInfo.InvariantCulture)) == user && Convert.ToInt32(r[1], CultureInfo.InvariantCulture) == item)[2]);
        Assert.Equal(model.Predict(u5, i3), Value(5, 3), 12);
        // Unseen ids: global intercept plus the known side's intercept (reference §1.9).
        Assert.Equal(model.GlobalIntercept + model.Items.Intercepts[i3], Value(99, 3), 12);
        Assert.Equal(model.GlobalIntercept + model.Users.Intercepts[u5], Value(5, 99), 12);
        Assert.Equal(model.GlobalIntercept, Value(99, 99), 12);
        Assert.Equal(model.GlobalIntercept + model.Items.Intercepts[i3], Value(null, 3), 12);
    }

    [Fact]
    public void Recommend_with_only_users_rates_every_item_and_with_only_items_every_user()
    {
        using var db = WithModel();
        var model = Model(db);
        Assert.Equal(["user", "tag", "item", "predicted_rating"], db.Columns("SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT 4 AS \"user\", 'x' AS tag))"));
        var rows = db.Rows("SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT 4 AS \"user\", 'x' AS tag UNION ALL SELECT 7, 'y'))");
        Assert.Equal(2 * model.Items.Count, rows.Count);
        foreach (var r in rows) Assert.Equal(model.Predict(Text(r[0]), Text(r[2])), D(r[3]), 12);
        Assert.Equal(model.Items.Count, rows.Count(r => (string)r[1]! == "y"));

        Assert.Equal(["item", "user", "predicted_rating"], db.Columns("SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT 2 AS item))"));
        var byItem = db.Rows("SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT 2 AS item))");
        Assert.Equal(model.Users.Count, byItem.Count);
        foreach (var r in byItem) Assert.Equal(model.Predict(Text(r[1]), Text(r[0])), D(r[2]), 12);
    }

    [Fact]
    public void Top_k_keeps_the_best_items_of_each_user_like_sorting_the_full_product()
    {
        using var db = WithModel();
        var model = Model(db);
        db.Execute("CREATE TABLE people AS SELECT DISTINCT \"user\" FROM ratings UNION ALL SELECT 1000");
        var top = db.Rows("SELECT \"user\", item, predicted_rating FROM ML.RECOMMEND(MODEL m, TABLE people, STRUCT(3 AS top_k))");
        Assert.Equal(3 * (model.Users.Count + 1), top.Count);
        foreach (var group in top.GroupBy(r => Text(r[0])))
        {
            int code = model.Users.Ids.CodeOf(group.Key);
            var expected = Enumerable.Range(0, model.Items.Count).OrderByDescending(i => model.Predict(code, i)).ThenBy(i => i).Take(3)
                .Select(i => model.Items.Ids.Text(i)).ToList();
            Assert.Equal(expected.Order(StringComparer.Ordinal), group.Select(r => Text(r[1])).Order(StringComparer.Ordinal));
        }
        var full = db.Rows("SELECT item FROM ML.RECOMMEND(MODEL m, (SELECT 5 AS \"user\")) ORDER BY predicted_rating DESC, item LIMIT 2").Select(r => Text(r[0]));
        var best = db.Rows("SELECT item FROM ML.RECOMMEND(MODEL m, (SELECT 5 AS \"user\"), STRUCT(2 AS top_k)) ORDER BY predicted_rating DESC").Select(r => Text(r[0]));
        Assert.Equal(full, best);
        Assert.Equal(2L * model.Items.Count, db.Scalar("SELECT count(*) FROM ML.RECOMMEND(MODEL m, (SELECT DISTINCT item FROM ratings), STRUCT(2 AS top_k))"));
        Assert.Equal(2L * model.Users.Count, db.Scalar("SELECT count(*) FROM ML.RECOMMEND(MODEL m, STRUCT(2 AS top_k))"));
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM ML.RECOMMEND(MODEL m, (SELECT 5 AS \"user\", i AS item FROM range(10) t(i)), STRUCT(2 AS top_k))"));
    }

    [Fact]
    public void Predict_is_recommend_on_pairs()
    {
        using var db = WithModel();
        Assert.Equal(0L, db.Scalar("""
            SELECT count(*) FROM (SELECT * FROM ML.PREDICT(MODEL m, (SELECT "user", item FROM ratings WHERE ts % 3 = 0))
            EXCEPT SELECT * FROM ML.RECOMMEND(MODEL m, (SELECT "user", item FROM ratings WHERE ts % 3 = 0)))
            """));
        Assert.Equal(["user", "item", "rating", "ts", "predicted_rating"], db.Columns("SELECT * FROM ML.PREDICT(MODEL m, TABLE ratings)"));
    }

    [Fact]
    public void Evaluate_on_the_evaluation_rows_reproduces_the_metrics_stored_at_training()
    {
        foreach (string feedback in new[] { "explicit", "implicit" })
        {
            using var db = new TestDb();
            db.Execute(Ratings);
            string query = feedback == "implicit" ? "SELECT \"user\", item, CASE WHEN rating > 3.4 THEN rating - 3 ELSE 0 END AS rating FROM ratings" : "SELECT \"user\", item, rating FROM ratings";
            db.Execute($"CREATE TABLE input AS SELECT *, hash(\"user\" * 31 + item) % 10 < 3 AS held_out FROM ({query})");
            db.Execute($"CREATE MODEL m OPTIONS(model_type = 'matrix_factorization', feedback_type = '{feedback}', num_factors = 3, data_split_method = 'custom', data_split_col = 'held_out') AS SELECT * FROM input");
            var stored = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m)").Single();
            var again = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT * FROM input WHERE held_out))").Single();
            Assert.Equal(db.Columns("SELECT * FROM ML.EVALUATE(MODEL m)"), db.Columns("SELECT * FROM ML.EVALUATE(MODEL m, TABLE input)"));
            for (int c = 0; c < stored.Length; c++) Assert.Equal(D(stored[c]), D(again[c]), 9);
            Assert.Equal("evaluation_split", db.Scalar("SELECT metrics_source FROM sqlml.models"));
        }
    }

    [Fact]
    public void Implicit_models_report_ranking_metrics_and_confidence()
    {
        using var db = WithModel(", feedback_type = 'implicit', wals_alpha = 5", "SELECT \"user\", item, CASE WHEN rating > 3.4 THEN 1 ELSE 0 END AS rating FROM ratings");
        Assert.Equal(["mean_average_precision", "mean_squared_error", "normalized_discounted_cumulative_gain", "average_rank"], db.Columns("SELECT * FROM ML.EVALUATE(MODEL m)"));
        Assert.Equal(["user", "item", "predicted_rating_confidence"], db.Columns("SELECT * FROM ML.RECOMMEND(MODEL m)"));
        double rank = db.Double("SELECT average_rank FROM ML.EVALUATE(MODEL m)");
        Assert.InRange(rank, 0, 0.3);
        Assert.Equal(0.0, db.Double("SELECT intercept FROM ML.WEIGHTS(MODEL m) WHERE processed_input = 'global__intercept__'"));
        Assert.Equal(0.0, db.Double("SELECT max(abs(intercept)) FROM ML.WEIGHTS(MODEL m)"));
    }

    [Fact]
    public void Weights_list_every_user_and_item_then_the_global_intercept()
    {
        using var db = WithModel();
        var model = Model(db);
        Assert.Equal(["processed_input", "feature", "factor_weights", "intercept"], db.Columns("SELECT * FROM ML.WEIGHTS(MODEL m)"));
        Assert.Equal((long)(model.Users.Count + model.Items.Count + 1), db.Scalar("SELECT count(*) FROM ML.WEIGHTS(MODEL m)"));
        Assert.Equal("STRUCT(factor BIGINT, weight DOUBLE)[]", db.Scalar("SELECT typeof(factor_weights) FROM ML.WEIGHTS(MODEL m) LIMIT 1"));
        int code = model.Items.Ids.CodeOf("7");
        var row = db.Rows("SELECT list_transform(factor_weights, lambda f: f.factor), list_transform(factor_weights, lambda f: f.weight), intercept FROM ML.WEIGHTS(MODEL m) WHERE processed_input = 'item' AND feature = '7'").Single();
        Assert.Equal([1L, 2L, 3L], ((System.Collections.IEnumerable)row[0]!).Cast<object>().Select(Convert.ToInt64));
        Assert.Equal(model.Items.Row(code).ToArray(), ((System.Collections.IEnumerable)row[1]!).Cast<object>().Select(D));
        Assert.Equal(model.Items.Intercepts[code], D(row[2]));
        Assert.Equal(model.GlobalIntercept, db.Double("SELECT intercept FROM ML.WEIGHTS(MODEL m) WHERE processed_input = 'global__intercept__' AND feature IS NULL AND len(factor_weights) = 0"));
    }

    [Fact]
    public void Training_info_has_a_loss_per_iteration_and_early_stop_ends_training()
    {
        using var db = WithModel(", max_iterations = 30, early_stop = false");
        var losses = db.Rows("SELECT iteration, loss, eval_loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration");
        Assert.Equal(30, losses.Count);
        Assert.All(losses, r => Assert.Null(r[2]));
        Assert.True(D(losses[^1][1]) < D(losses[0][1]));
        // The explicit loss is the training MSE, the metric ML.EVALUATE reports on the training data.
        Assert.Equal(D(losses[^1][1]), db.Double("SELECT mean_squared_error FROM ML.EVALUATE(MODEL m)"), 9);

        db.Execute("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'matrix_factorization', num_factors = 3, min_rel_progress = 0.05, data_split_method = 'random', data_split_eval_fraction = 0.2) AS SELECT * FROM ratings");
        var stopped = db.Rows("SELECT loss, eval_loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration");
        Assert.InRange(stopped.Count, 2, 19);
        Assert.True((D(stopped[^2][0]) - D(stopped[^1][0])) < 0.05 * D(stopped[^2][0]));
        Assert.All(stopped, r => Assert.NotNull(r[1]));
    }

    [Fact]
    public void String_ids_keep_their_text_and_integer_ids_their_type()
    {
        using var db = new TestDb();
        db.Execute("""
            CREATE TABLE r AS SELECT 'ü' || (u % 7) || '''s' AS customer, (i % 5)::SMALLINT AS product, (u % 3 + i % 2)::INTEGER AS stars
            FROM range(40) a(u), range(30) b(i) WHERE (u + i) % 3 = 0
            """);
        db.Execute("CREATE MODEL s OPTIONS(model_type = 'matrix_factorization', user_col = 'customer', item_col = 'product', rating_col = 'stars', num_factors = 2) AS SELECT * FROM r");
        Assert.Equal(["customer", "product", "predicted_stars"], db.Columns("SELECT * FROM ML.RECOMMEND(MODEL s)"));
        Assert.Equal("VARCHAR|SMALLINT", db.Scalar("SELECT typeof(customer) || '|' || typeof(product) FROM ML.RECOMMEND(MODEL s) LIMIT 1"));
        var model = Model(db, "s");
        double expected = model.Predict("ü3's", "4");
        Assert.Equal(expected, db.Double("SELECT predicted_stars FROM ML.PREDICT(MODEL s, (SELECT 'ü3''s' AS customer, 4 AS product))"), 12);
        Assert.Equal(expected, db.Double("SELECT predicted_stars FROM ML.PREDICT(MODEL s, (SELECT 'ü3''s' AS customer, '4' AS product))"), 12);
        Assert.Equal(7L, db.Scalar("SELECT count(*) FROM ML.WEIGHTS(MODEL s) WHERE processed_input = 'customer'"));
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM ML.WEIGHTS(MODEL s) WHERE feature = 'ü6''s'"));
    }

    [Fact]
    public void Default_rank_is_the_floor_of_log2_of_the_training_rows_and_duplicates_are_observations()
    {
        using var db = new TestDb();
        db.Execute(Ratings);
        db.Execute("CREATE TABLE dup AS SELECT * FROM ratings UNION ALL SELECT \"user\", item, rating + 1, ts FROM ratings WHERE ts % 5 = 0");
        db.Execute("CREATE MODEL d OPTIONS(model_type = 'matrix_factorization', data_split_method = 'no_split') AS SELECT * FROM dup");
        long n = (long)db.Scalar("SELECT count(*) FROM dup")!;
        Assert.Equal((int)Math.Floor(Math.Log2(n)), Model(db, "d").Rank);
        Assert.Equal(n, db.Scalar("SELECT training_rows FROM sqlml.models"));
        Assert.Equal(db.Scalar("SELECT count(*) FROM ratings"), db.Scalar("SELECT count(*) FROM ML.RECOMMEND(MODEL d)"));
        Assert.Equal(db.Double("SELECT avg(rating) FROM dup"), Model(db, "d").GlobalIntercept, 12);
    }

    [Fact]
    public void Model_survives_a_reopened_database_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sqlml-mf-{Guid.NewGuid():N}.duckdb");
        try
        {
            double before;
            using (var db = new TestDb(path))
            {
                db.Execute(Ratings);
                db.Execute("CREATE MODEL m OPTIONS(model_type = 'matrix_factorization', feedback_type = 'implicit', num_factors = 4) AS SELECT * FROM ratings");
                before = db.Double("SELECT sum(predicted_rating_confidence) FROM ML.RECOMMEND(MODEL m)");
            }
            using (var db = new TestDb(path))
            {
                Assert.Equal(before, db.Double("SELECT sum(predicted_rating_confidence) FROM ML.RECOMMEND(MODEL m)"), 9);
                Assert.Equal("MATRIX_FACTORIZATION", db.Scalar("SELECT model_type FROM sqlml.models"));
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }
}
