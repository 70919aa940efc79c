using System.Globalization;

namespace SqlMl.Tests.Transform;

/// <summary>ML.FEATURE_INFO (reference §1.7): statistics of the input columns, before any TRANSFORM, kept from training.</summary>
public class FeatureInfoTests
{
    private static readonly double?[] Xs = [3, 1, null, 4, 1, 5, 9, 2, 6, null, 5, 3];
    private static readonly string?[] Gs = ["a", "b", "a", null, "c", "a", "b", null, "a", "c", "a", "b"];

    private static TestDb WithData()
    {
        var db = new TestDb();
        string rows = string.Join(", ", Xs.Select((x, i) => $"({i}, {(x is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NULL")}::DOUBLE, {(Gs[i] is { } g ? "'" + g + "'" : "NULL")}, {i * 2.5})"));
        db.Execute($"CREATE TABLE t AS SELECT * FROM (VALUES {rows}) v(id, x, g, y)");
        return db;
    }

    private static Dictionary<string, object?[]> Info(TestDb db, string model) =>
        db.Rows($"SELECT * FROM ML.FEATURE_INFO(MODEL {model})").ToDictionary(r => (string)r[0]!);

    [Fact]
    public void Numeric_and_categorical_statistics_match_a_plain_computation()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, g, y FROM t");
        var info = Info(db, "m");
        Assert.Equal(["g", "x"], info.Keys.Order());

        var xs = Xs.OfType<double>().Order().ToArray();
        double mean = xs.Average();
        double median = (xs[xs.Length / 2 - 1] + xs[xs.Length / 2]) / 2;
        double sd = Math.Sqrt(xs.Sum(v => (v - mean) * (v - mean)) / (xs.Length - 1));
        var x = info["x"];
        Assert.Equal(xs.Min(), (double)x[1]!);
        Assert.Equal(xs.Max(), (double)x[2]!);
        Assert.Equal(mean, (double)x[3]!, 12);
        Assert.Equal(median, (double)x[4]!, 12);
        Assert.Equal(sd, (double)x[5]!, 12);
        Assert.Null(x[6]);
        Assert.Equal(2L, x[7]);
        Assert.Null(x[8]);

        var g = info["g"];
        Assert.All(g[1..6], Assert.Null);
        Assert.Equal((long)Gs.OfType<string>().Distinct().Count(), g[6]);
        Assert.Equal((long)Gs.Count(v => v is null), g[7]);
    }

    [Fact]
    public void Columns_have_the_documented_types()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, g, y FROM t");
        var types = db.Rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ML.FEATURE_INFO(MODEL m))").Select(r => $"{r[0]} {r[1]}");
        Assert.Equal(["input VARCHAR", "min DOUBLE", "max DOUBLE", "mean DOUBLE", "median DOUBLE", "stddev DOUBLE", "category_count BIGINT", "null_count BIGINT", "dimension BIGINT"], types);
    }

    [Fact]
    public void With_transform_it_describes_the_columns_before_the_transform()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL m TRANSFORM(coalesce(x, 0) * 2 AS x2, upper(g) AS gu, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var info = Info(db, "m");
        Assert.Equal(["g", "x"], info.Keys.Order());
        Assert.Equal(9.0, (double)info["x"][2]!);
        Assert.Equal(2L, info["x"][7]);
    }

    [Fact]
    public void Array_of_struct_inputs_report_their_dimension()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE v AS SELECT i::DOUBLE AS y, list_transform(range(i % 4 + 1), k -> {'index': k, 'value': 1.0 * k}) AS vec FROM range(20) r(i)");
        db.Execute("CREATE MODEL m TRANSFORM(list_sum(list_transform(vec, e -> e.value)) AS s, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM v");
        var row = Assert.Single(db.Rows("SELECT * FROM ML.FEATURE_INFO(MODEL m)"));
        Assert.Equal("vec", row[0]);
        Assert.All(row[1..7], Assert.Null);
        Assert.Equal((0L, 4L), (row[7], row[8]));
    }

    [Fact]
    public void Multi_hot_arrays_count_distinct_elements_and_numeric_arrays_report_their_dimension()
    {
        using var db = new TestDb();
        db.Execute("""
            CREATE TABLE a AS SELECT i::DOUBLE AS y,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE ['t' || (i % 3), 't' || (i % 4), NULL] END AS tags,
                   [1.0 * i, 2.0][1:(i % 3) + 1] AS vec, {'k': i % 2, 'w': 'v' || (i % 3)} AS st
            FROM range(20) r(i)
            """);
        db.Execute("CREATE MODEL m TRANSFORM(tags, list_sum(vec) AS s, st, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM a");
        var info = Info(db, "m");
        // Plain reference: the distinct non-NULL elements are t0 … t3; 4 of the 20 rows have a NULL array.
        Assert.Equal(4L, info["tags"][6]);
        Assert.Equal(4L, info["tags"][7]);
        Assert.Null(info["tags"][8]);
        Assert.Equal(2L, info["vec"][8]);
        Assert.Null(info["vec"][6]);
        Assert.All(info["st"][1..7], Assert.Null);
        Assert.Equal(0L, info["st"][7]);
    }

    [Fact]
    public void Kmeans_and_matrix_factorization_models_have_feature_info()
    {
        using var db = WithData();
        db.Execute("CREATE MODEL k OPTIONS(model_type='kmeans', num_clusters=2) AS SELECT x, g FROM t");
        Assert.Equal(["g", "x"], Info(db, "k").Keys.Order());
        db.Execute("CREATE TABLE r AS SELECT i % 5 AS u, 'item' || (i % 3) AS it, (i % 4)::DOUBLE AS rating FROM range(40) s(i)");
        db.Execute("CREATE MODEL f OPTIONS(model_type='matrix_factorization', user_col='u', item_col='it', rating_col='rating', num_factors=2) AS SELECT * FROM r");
        var info = Info(db, "f");
        Assert.Equal(["it", "u"], info.Keys.Order());
        Assert.Equal(5L, info["u"][6]);
        Assert.Equal(3L, info["it"][6]);
        Assert.All(info["u"][1..6], Assert.Null);
    }

    [Fact]
    public void A_catalog_without_the_new_columns_stays_readable_and_is_upgraded_when_writable()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml").FullName;
        string path = Path.Combine(dir, "old.duckdb");
        try
        {
            using (var db = new TestDb(path))
            {
                db.Execute("CREATE TABLE t AS SELECT i::DOUBLE AS x, 2.0 * i + 1 AS y FROM range(20) r(i)");
                db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
                db.Execute("ALTER TABLE sqlml.models DROP COLUMN transform; ALTER TABLE sqlml.models DROP COLUMN feature_info");
            }
            using (var db = new TestDb(path + ";Read Only=true"))
            {
                Assert.Equal(0L, db.Scalar("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'models' AND column_name = 'transform'"));
                Assert.Equal(41.0, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 20.0 AS x))"), 9);
                var e = db.Fails("SELECT * FROM ML.FEATURE_INFO(MODEL m)");
                Assert.Contains("Retrain it (CREATE OR REPLACE MODEL) to use ML.FEATURE_INFO", e.Message, StringComparison.Ordinal);
            }
            using (var db = new TestDb(path))
            {
                Assert.Equal(1L, db.Scalar("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'models' AND column_name = 'transform'"));
                Assert.Equal(41.0, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 20.0 AS x))"), 9);
                db.Execute("CREATE OR REPLACE MODEL m TRANSFORM(x * 2 AS x2, y) OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x, y FROM t");
                Assert.Equal(41.0, db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 20.0 AS x))"), 9);
                Assert.Equal(19.0, db.Double("SELECT max FROM ML.FEATURE_INFO(MODEL m)"), 12);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
