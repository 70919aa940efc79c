namespace SqlMl.Tests.EndToEnd;

public class CatalogTests
{
    private const string Train = "CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t";

    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 2.0 * i + 1 AS y FROM range(20) r(i)");
        return db;
    }

    private static double Slope(TestDb db, string model = "m") => db.Double($"SELECT weight FROM ML.WEIGHTS(MODEL {model}) WHERE processed_input = 'x'");

    [Fact]
    public void Models_persist_when_the_database_file_is_closed_and_reopened()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "models.duckdb");
        try
        {
            using (var db = new TestDb(path))
            {
                db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 2.0 * i + 1 AS y FROM range(20) r(i)");
                db.Execute(Train);
            }
            using (var db = new TestDb(path))
            {
                Assert.Equal(2.0, Slope(db), 9);
                Assert.Equal(41.0, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 20.0 AS x))"), 9);
                Assert.Equal("LINEAR_REG", db.Scalar("SELECT model_type FROM sqlml.models"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Create_model_fails_when_the_name_exists()
    {
        using var db = WithData();
        db.Execute(Train);
        var e = db.Fails(Train);
        Assert.Equal(SqlMlErrorCode.Catalog, e.Code);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_model_if_not_exists_keeps_the_existing_model()
    {
        using var db = WithData();
        db.Execute(Train);
        db.Execute("CREATE MODEL IF NOT EXISTS m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, 3 * x AS y FROM t");
        Assert.Equal(2.0, Slope(db), 9);
    }

    [Fact]
    public void Create_or_replace_model_replaces_existing()
    {
        using var db = WithData();
        db.Execute(Train);
        db.Execute("CREATE OR REPLACE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, 3 * x AS y FROM t");
        Assert.Equal(3.0, Slope(db), 9);
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Failed_replace_leaves_the_previous_model_untouched()
    {
        using var db = WithData();
        db.Execute(Train);
        var before = db.Rows("SELECT created_at, payload FROM sqlml.models")[0];
        var e = db.Fails("CREATE OR REPLACE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, CASE WHEN x > 5 THEN NULL ELSE y END AS y FROM t");
        Assert.Equal(SqlMlErrorCode.Training, e.Code);
        var after = db.Rows("SELECT created_at, payload FROM sqlml.models")[0];
        Assert.Equal(before[0], after[0]);
        Assert.Equal(2.0, Slope(db), 9);
    }

    [Fact]
    public void Failed_create_inside_a_user_transaction_leaves_it_usable()
    {
        using var db = WithData();
        db.Execute("BEGIN TRANSACTION");
        db.Execute("INSERT INTO t VALUES (100, 201)");
        db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['nope']) AS SELECT x, y FROM t");
        db.Execute(Train);
        db.Execute("COMMIT");
        Assert.Equal(2.0, Slope(db), 9);
        Assert.Equal(21L, db.Scalar("SELECT count(*) FROM t"));
    }

    [Fact]
    public void Drop_model_removes_it_and_drop_if_exists_tolerates_absence()
    {
        using var db = WithData();
        db.Execute(Train);
        db.Execute("DROP MODEL m");
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
        db.Execute("DROP MODEL IF EXISTS m");
        var e = db.Fails("DROP MODEL m");
        Assert.Equal(SqlMlErrorCode.Catalog, e.Code);
        Assert.Contains("DROP MODEL: model m not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_names_may_be_quoted_and_schema_qualified_and_compare_case_insensitively()
    {
        using var db = WithData();
        db.Execute("CREATE SCHEMA ml_models");
        db.Execute("CREATE MODEL ml_models.\"My Model\" OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        db.Execute("CREATE MODEL `Other` OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        Assert.Equal(2.0, Slope(db, "ML_MODELS.\"my model\""), 9);
        Assert.Equal(2.0, Slope(db, "other"), 9);
        Assert.Equal(2.0, Slope(db, "main.Other"), 9);
        var names = db.Rows("SELECT schema_name, model_name FROM sqlml.models ORDER BY model_name").Select(r => $"{r[0]}.{r[1]}");
        Assert.Equal(["ml_models.My Model", "main.Other"], names);
    }

    [Fact]
    public void Creating_a_model_in_a_missing_schema_is_an_error()
    {
        using var db = WithData();
        var e = db.Fails("CREATE MODEL nowhere.m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
        Assert.Contains("schema 'nowhere' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_lists_type_creation_time_and_options()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m OPTIONS(MODEL_TYPE='linear_reg', Input_Label_Cols=['y'], l2_reg=0.5) AS SELECT x, y FROM t");
        var row = db.Rows("SELECT model_type, created_at IS NOT NULL, options->>'l2_reg', options->'input_label_cols'->>0 FROM sqlml.models")[0];
        Assert.Equal("LINEAR_REG", row[0]);
        Assert.Equal(true, row[1]);
        Assert.Equal("0.5", row[2]);
        Assert.Equal("y", row[3]);
    }

    [Fact]
    public void Payload_of_an_unknown_format_version_is_refused_clearly()
    {
        using var db = WithData();
        db.Execute(Train);
        // bytes 8..11 hold the format version (ModelPayload); make it 99
        db.Execute("UPDATE sqlml.models SET payload = unhex(substr(hex(payload), 1, 16) || '63000000' || substr(hex(payload), 25))");
        var e = db.Fails("SELECT * FROM ML.WEIGHTS(MODEL m)");
        Assert.Contains("format version 99", e.Message, StringComparison.Ordinal);
    }
}
