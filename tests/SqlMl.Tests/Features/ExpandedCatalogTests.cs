using static SqlMl.Tests.Features.AutoTypesData;

namespace SqlMl.Tests.Features;

/// <summary>Models with expanded features in the catalog: kind 2 columns survive a reopen; warm_start continues them.</summary>
public class ExpandedCatalogTests
{
    private const string Table = """
        CREATE TABLE t AS SELECT i AS id, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 5) HOUR AS ts,
               CASE WHEN i % 3 = 0 THEN ['a'] ELSE ['b', 'c'] END AS tags, {'u': i % 4, 'v': 'g' || (i % 2)} AS s,
               (i % 4) * 1.5 + (i % 3) + (i * 5 % 24) / 10.0 AS y
        FROM range(150) r(i)
        """;

    [Fact]
    public void Expanded_feature_columns_are_stored_as_kind_2_and_survive_a_reopen()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "models.duckdb");
        try
        {
            List<double> before;
            using (var db = new TestDb(path))
            {
                db.Execute(Table);
                db.Execute("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT ts, tags, s, y FROM t");
                db.Execute("CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT ts, tags, s FROM t");
                Assert.Equal("""[{"Name":"ts","Kind":2,"SqlType":"TIMESTAMP"},{"Name":"tags","Kind":2,"SqlType":"VARCHAR[]"},{"Name":"s","Kind":2,"SqlType":"STRUCT(u BIGINT, v VARCHAR)"}]""",
                    db.Scalar("SELECT CAST(features AS VARCHAR) FROM sqlml.models WHERE model_name = 'm'"));
                before = Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
            }
            using (var db = new TestDb(path))
            {
                AssertClose(before, Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id"), 0);
                Assert.Equal(150, db.Rows("SELECT centroid_id FROM ML.PREDICT(MODEL k, TABLE t)").Count);
                Assert.Contains("tags", db.Rows("SELECT DISTINCT feature FROM ML.CENTROIDS(MODEL k)").Select(r => (string)r[0]!));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Warm_start_continues_a_model_with_timestamp_and_struct_features()
    {
        using var db = new TestDb();
        db.Execute(Table);
        const string options = "model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'BATCH_GRADIENT_DESCENT', max_iterations = 3, early_stop = false";
        db.Execute($"CREATE MODEL m OPTIONS({options}) AS SELECT ts, s, y FROM t");
        double loss = db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration DESC LIMIT 1");
        db.Execute($"CREATE OR REPLACE MODEL m OPTIONS({options}, warm_start = true) AS SELECT ts, s, y FROM t");
        Assert.Equal(1L, db.Scalar("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL m)"));
        Assert.True(db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m) WHERE training_run = 1 ORDER BY iteration DESC LIMIT 1") <= loss);
        // Another type for the expanded column is another feature set.
        Assert.Contains("warm_start needs the same feature columns", db.Fails($"CREATE OR REPLACE MODEL m OPTIONS({options}, warm_start = true) AS SELECT CAST(ts AS DATE) AS ts, s, y FROM t").Message.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_feature_stored_one_hot_by_an_older_sqlml_still_predicts_one_hot()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE d AS SELECT DATE '2024-01-01' + CAST(i % 3 AS INTEGER) AS day, (i % 3) * 2.0 AS y FROM range(30) r(i)");
        // Before automatic preprocessing, a DATE column was one-hot: catalog kind 1 with type DATE, categories its text.
        db.Execute("CREATE MODEL old OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT CAST(day AS VARCHAR) AS day, y FROM d");
        db.Execute("""UPDATE sqlml.models SET features = '[{"Name":"day","Kind":1,"SqlType":"DATE"}]' WHERE model_name = 'old'""");
        Assert.Equal(["day", "__INTERCEPT__"], db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL old)").Select(r => (string)r[0]!));
        AssertClose(Doubles(db, "SELECT y FROM d ORDER BY day"), Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL old, TABLE d) ORDER BY day"), 1e-9);
    }
}
