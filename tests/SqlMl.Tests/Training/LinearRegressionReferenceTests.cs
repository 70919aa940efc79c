using System.Globalization;
using DuckDB.NET.Data;

namespace SqlMl.Tests.Training;

/// <summary>LINEAR_REG end to end (SQL → DuckDB → trainer → catalog → SQL) against <see cref="PlainLinearAlgebra"/>.</summary>
public class LinearRegressionReferenceTests
{
    private const double Tolerance = 1e-9;

    private sealed record Row(double? X1, double? X2, double X3, string? C1, string? C2, double Y);

    private static List<Row> Generate(int n, int seed, bool nulls, bool categories)
    {
        var rnd = new Random(seed);
        string[] c1 = ["red", "green", "blue"];
        string[] c2 = ["north", "south"];
        var rows = new List<Row>();
        for (int i = 0; i < n; i++)
        {
            double x1 = rnd.NextDouble() * 10 - 3, x2 = 1000 + rnd.NextDouble() * 50, x3 = rnd.NextDouble();
            string? a = categories ? (nulls && rnd.Next(10) == 0 ? null : c1[rnd.Next(3)]) : null;
            string? b = categories ? (nulls && rnd.Next(12) == 0 ? null : c2[rnd.Next(2)]) : null;
            double y = 2.5 * x1 - 0.75 * x2 + 4 * x3 + 100 + (a == "red" ? 3 : a == "green" ? -1 : a is null ? 7 : 0) + (b == "north" ? 2 : 0) + (rnd.NextDouble() - 0.5);
            rows.Add(new Row(nulls && rnd.Next(8) == 0 ? null : x1, nulls && rnd.Next(9) == 0 ? null : x2, x3, a, b, y));
        }
        return rows;
    }

    private static void Load(TestDb db, List<Row> rows)
    {
        db.Execute("CREATE TABLE t (x1 DOUBLE, x2 DOUBLE, x3 DOUBLE, c1 VARCHAR, c2 VARCHAR, y DOUBLE)");
        using var appender = db.Connection.Duck.CreateAppender("t");
        foreach (var r in rows)
        {
            var row = appender.CreateRow();
            if (r.X1 is { } x1) row.AppendValue(x1); else row.AppendNullValue();
            if (r.X2 is { } x2) row.AppendValue(x2); else row.AppendNullValue();
            row.AppendValue(r.X3).AppendValue(r.C1).AppendValue(r.C2).AppendValue(r.Y).EndRow();
        }
    }

    private static Dictionary<string, double?> Weights(TestDb db, string model, bool standardize = false) =>
        db.Rows($"SELECT processed_input, weight FROM ML.WEIGHTS(MODEL {model}, STRUCT({(standardize ? "true" : "false")} AS standardize))")
          .ToDictionary(r => (string)r[0]!, r => (double?)r[1]);

    private static void AssertClose(double expected, double actual, double scale = 1)
    {
        double tol = Tolerance * Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), scale);
        Assert.True(Math.Abs(expected - actual) <= tol, $"expected {expected:R}, got {actual:R} (tolerance {tol:E2})");
    }

    [Fact]
    public void Numeric_fit_matches_plain_normal_equations_in_raw_units()
    {
        using var db = new TestDb();
        var rows = Generate(400, seed: 1, nulls: false, categories: false);
        Load(db, rows);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x1, x2, x3, y FROM t");

        var w = PlainLinearAlgebra.LeastSquares(rows.Select(r => new[] { 1, r.X1!.Value, r.X2!.Value, r.X3 }).ToArray(), rows.Select(r => r.Y).ToArray());
        var actual = Weights(db, "m");
        AssertClose(w[0], actual["__INTERCEPT__"]!.Value);
        AssertClose(w[1], actual["x1"]!.Value);
        AssertClose(w[2], actual["x2"]!.Value);
        AssertClose(w[3], actual["x3"]!.Value);
    }

    [Fact]
    public void Ridge_fit_matches_plain_ridge_on_standardized_features()
    {
        using var db = new TestDb();
        var rows = Generate(300, seed: 2, nulls: false, categories: false);
        Load(db, rows);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], l2_reg=25.5) AS SELECT x1, x2, x3, y FROM t");

        var cols = new[] { rows.Select(r => r.X1!.Value).ToArray(), rows.Select(r => r.X2!.Value).ToArray(), rows.Select(r => r.X3).ToArray() };
        var means = cols.Select(c => c.Average()).ToArray();
        var sds = cols.Select((c, j) => Math.Sqrt(c.Sum(v => (v - means[j]) * (v - means[j])) / (c.Length - 1))).ToArray();
        var z = rows.Select((_, i) => new[] { 1.0, (cols[0][i] - means[0]) / sds[0], (cols[1][i] - means[1]) / sds[1], (cols[2][i] - means[2]) / sds[2] }).ToArray();
        var w = PlainLinearAlgebra.LeastSquares(z, rows.Select(r => r.Y).ToArray(), lambda: 25.5, unpenalized: 0);

        var actual = Weights(db, "m", standardize: true);
        AssertClose(w[0], actual["__INTERCEPT__"]!.Value);
        AssertClose(w[1], actual["x1"]!.Value);
        AssertClose(w[2], actual["x2"]!.Value);
        AssertClose(w[3], actual["x3"]!.Value);
    }

    [Fact]
    public void Fit_without_intercept_goes_through_the_origin()
    {
        using var db = new TestDb();
        var rows = Generate(200, seed: 3, nulls: false, categories: false);
        Load(db, rows);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], fit_intercept=false) AS SELECT x1, x2, x3, y FROM t");

        var w = PlainLinearAlgebra.LeastSquares(rows.Select(r => new[] { r.X1!.Value, r.X2!.Value, r.X3 }).ToArray(), rows.Select(r => r.Y).ToArray());
        var actual = Weights(db, "m");
        Assert.False(actual.ContainsKey("__INTERCEPT__"));
        AssertClose(w[0], actual["x1"]!.Value);
        AssertClose(w[1], actual["x2"]!.Value);
        AssertClose(w[2], actual["x3"]!.Value);
    }

    [Fact]
    public void One_hot_features_and_nulls_give_the_least_squares_predictions_despite_rank_deficiency()
    {
        using var db = new TestDb();
        var rows = Generate(450, seed: 4, nulls: true, categories: true);
        Load(db, rows);
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");

        // Reference: NULL numerics → mean of non-NULL values, categories dummy-coded against one level (full rank).
        double m1 = rows.Where(r => r.X1 is not null).Average(r => r.X1!.Value);
        double m2 = rows.Where(r => r.X2 is not null).Average(r => r.X2!.Value);
        double[] Features(Row r) =>
        [
            1, r.X1 ?? m1, r.X2 ?? m2, r.X3,
            r.C1 == "red" ? 1 : 0, r.C1 == "green" ? 1 : 0, r.C1 is null ? 1 : 0,
            r.C2 == "north" ? 1 : 0, r.C2 is null ? 1 : 0,
        ];
        var w = PlainLinearAlgebra.LeastSquares(rows.Select(Features).ToArray(), rows.Select(r => r.Y).ToArray());

        var predicted = db.Rows("SELECT predicted_y FROM ML.PREDICT(MODEL m, TABLE t)").Select(r => (double)r[0]!).ToList();
        Assert.Equal(rows.Count, predicted.Count);
        for (int i = 0; i < rows.Count; i++)
            AssertClose(PlainLinearAlgebra.Dot(w, Features(rows[i])), predicted[i], scale: 1000);

        // the training loss is the mean squared residual of that fit
        double mse = rows.Select(r => Math.Pow(r.Y - PlainLinearAlgebra.Dot(w, Features(r)), 2)).Average();
        AssertClose(mse, db.Double("SELECT loss FROM ML.TRAINING_INFO(MODEL m)"));
    }

    [Fact]
    public void Unseen_category_contributes_nothing_and_null_uses_its_own_weight()
    {
        using var db = new TestDb();
        Load(db, Generate(300, seed: 5, nulls: true, categories: true));
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var weights = db.Rows("SELECT category_weights FROM ML.WEIGHTS(MODEL m) WHERE processed_input = 'c1'");
        var cats = ((System.Collections.IEnumerable)weights[0][0]!).Cast<IDictionary<string, object?>>()
            .ToDictionary(d => (string?)d["category"] ?? "<null>", d => (double)d["weight"]!);
        Assert.Equal(["<null>", "blue", "green", "red"], cats.Keys.Order(StringComparer.Ordinal));

        double Predict(string c1) => db.Double($"SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT 1.0 AS x1, 1010.0 AS x2, 0.5 AS x3, {c1} AS c1, 'south' AS c2))");
        double red = Predict("'red'");
        AssertClose(red - cats["red"], Predict("'purple'"), scale: 1000);
        AssertClose(red - cats["red"] + cats["<null>"], Predict("NULL"), scale: 1000);
    }

    [Fact]
    public void Sql_prediction_matches_the_models_reference_prediction()
    {
        using var db = new TestDb();
        Load(db, Generate(250, seed: 6, nulls: true, categories: true));
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var stored = SqlMl.Data.Internal.Catalog.ModelCatalog.TryGet(db.Connection.Duck, new SqlMl.Parsing.ModelName(null, "m"))!;
        var model = (SqlMl.Models.LinearModel)stored.Model;
        foreach (var r in db.Rows("SELECT x1, x2, x3, c1, c2, predicted_y FROM ML.PREDICT(MODEL m, TABLE t)"))
        {
            double expected = model.Predict([(double?)r[0], (double?)r[1], (double?)r[2]], [(string?)r[3], (string?)r[4]]);
            AssertClose(expected, (double)r[5]!, scale: 1000);
        }
    }

    [Fact]
    public void Integer_and_decimal_features_are_numeric()
    {
        using var db = new TestDb();
        db.Execute("CREATE TABLE t AS SELECT i::INTEGER AS a, (i % 7)::DECIMAL(10,2) AS b, (3 * i + 2 * (i % 7) + 1)::BIGINT AS y FROM range(50) r(i)");
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var w = Weights(db, "m");
        AssertClose(3, w["a"]!.Value);
        AssertClose(2, w["b"]!.Value);
        AssertClose(1, w["__INTERCEPT__"]!.Value);
    }

    [Fact]
    public void Weights_report_nulls_for_categorical_rows_and_invariant_culture_numbers()
    {
        using var db = new TestDb();
        Load(db, Generate(100, seed: 7, nulls: false, categories: true));
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM t");
        var rows = db.Rows("SELECT processed_input, weight, len(category_weights) FROM ML.WEIGHTS(MODEL m)");
        Assert.Equal(["x1", "x2", "x3", "c1", "c2", "__INTERCEPT__"], rows.Select(r => (string)r[0]!));
        Assert.Null(rows[3][1]);
        Assert.Equal(3L, Convert.ToInt64(rows[3][2], CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(rows[0][2], CultureInfo.InvariantCulture));
    }
}
