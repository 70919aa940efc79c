using SqlMl.Data.Internal.Native;
using SqlMl.Data.Internal.Planning;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Tests.Transform;

/// <summary>
/// ML.FEATURE_INFO from the training pass (statistics accumulated by the training reader) against the SQL path
/// (<see cref="FeatureInfoSql.Compute"/>: DuckDB aggregates and exact medians), for each model kind that reads plain
/// columns, and the cases that must keep the SQL path.
/// </summary>
public class FeatureInfoTrainingPassTests
{
    private static TestDb WithData()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT
                CASE WHEN i % 11 = 0 THEN NULL ELSE sin(i * 0.37) * 40 + i % 7 END AS x1,
                (i * 7919) % 13 AS x2,
                CAST((i % 101) / 4.0 AS DECIMAL(8, 2)) AS x3,
                CASE WHEN i % 9 = 0 THEN NULL ELSE 'g' || (i * 31 % 17) END AS g,
                i % 3 = 0 AS b,
                cos(i * 0.11) * 5 + i % 5 AS y,
                CASE WHEN (i * 13) % 7 < 3 THEN 'yes' ELSE 'no' END AS c
            FROM range(3000) r(i)
            """);
        return db;
    }

    private static CreateModelStatement Parse(string sql)
    {
        var statement = Assert.Single(StatementSplitter.Split(sql));
        return (CreateModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens);
    }

    /// <summary>Trains as CREATE MODEL does, with a reads log open; returns the model and the readers.</summary>
    private static (StoredModel Model, IReadOnlyList<ITrainingRead> Reads) Train(TestDb db, string sql, string modelType)
    {
        var create = Parse(sql);
        using var log = TrainingReads.Begin(db.Connection.Duck);
        var (model, _) = ModelKinds.Find(modelType)!.Train(new CreateModelContext(create, modelType, db.Connection.Duck, default));
        return (model, log.Readers);
    }

    private static List<FeatureInfo> SqlPath(TestDb db, StoredModel model, string query) =>
        FeatureInfoSql.Compute(db.Connection.Duck, model.Name.ToString(), query, model.Features.Select(f => new QueryColumn(f.Name, f.SqlType)).ToList(), false);

    private static void AssertSame(IReadOnlyList<FeatureInfo> expected, IReadOnlyList<FeatureInfo> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Input, a.Input);
            Assert.Equal(e.Min, a.Min);
            Assert.Equal(e.Max, a.Max);
            Assert.Equal(e.Median, a.Median);
            Close(e.Mean, a.Mean);
            Close(e.Stddev, a.Stddev);
            Assert.Equal((e.CategoryCount, e.NullCount, e.Dimension), (a.CategoryCount, a.NullCount, a.Dimension));
        }
    }

    private static void Close(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e) Assert.True(Math.Abs(e - actual!.Value) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"expected {e}, got {actual}");
    }

    private static List<FeatureInfo> Stored(TestDb db, string model) =>
        db.Rows($"SELECT * FROM ML.FEATURE_INFO(MODEL {model})").Select(r => new FeatureInfo((string)r[0]!,
            (double?)r[1], (double?)r[2], (double?)r[3], (double?)r[4], (double?)r[5], (long?)r[6], (long)r[7]!, (long?)r[8])).ToList();

    [Theory]
    [InlineData("LINEAR_REG", "model_type='linear_reg', input_label_cols=['y'], data_split_method='random', data_split_eval_fraction=0.3", "x1, x2, x3, g, b, y")]
    [InlineData("LOGISTIC_REG", "model_type='logistic_reg', input_label_cols=['c']", "x1, x2, x3, g, b, c")]
    [InlineData("KMEANS", "model_type='kmeans', num_clusters=3", "x1, x2, x3, g, b")]
    public void Training_pass_statistics_equal_the_sql_path_for_every_row_including_evaluation_rows(string modelType, string options, string columns)
    {
        using var db = WithData();
        string query = $"SELECT {columns} FROM t";
        string sql = $"CREATE MODEL m OPTIONS({options}) AS {query}";
        var (model, reads) = Train(db, sql, modelType);
        var fast = FeatureInfoSql.FromTrainingPass(model, Parse(sql).Query, reads);
        Assert.NotNull(fast);
        var expected = SqlPath(db, model, Parse(sql).Query);
        AssertSame(expected, fast);
        Assert.Equal(["x1", "x2", "x3", "g", "b"], fast.Select(f => f.Input));

        // End to end: CREATE MODEL stores the same rows.
        db.Execute(sql);
        AssertSame(expected, Stored(db, "m"));
    }

    [Fact]
    public void Automatically_expanded_features_keep_the_sql_path()
    {
        using var db = WithData();
        db.Execute("CREATE TABLE ts AS SELECT x1, y, TIMESTAMP '2024-01-01' + INTERVAL (x2) DAY AS t0 FROM t");
        string sql = "CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x1, t0, y FROM ts";
        var (model, reads) = Train(db, sql, "LINEAR_REG");
        Assert.Null(FeatureInfoSql.FromTrainingPass(model, Parse(sql).Query, reads));
        db.Execute(sql);
        AssertSame(FeatureInfoSql.ForModel(db.Connection.Duck, model, Parse(sql).Query, null, []), Stored(db, "m"));
    }

    [Fact]
    public void Non_finite_values_keep_the_sql_path()
    {
        // Trainers reject NaN and infinities, so read such a query directly, as a trainer's reader would.
        using var db = WithData();
        var (model, _) = Train(db, "CREATE MODEL m OPTIONS(model_type='kmeans', num_clusters=2) AS SELECT x2, x3 FROM t", "KMEANS");
        string query = "SELECT x2, CASE WHEN x2 = 3 THEN 'Infinity'::DOUBLE ELSE x3 END AS x3 FROM t";
        string sql = TrainingQuery.Wrap(query, ["CAST(q.x2 AS DOUBLE)", "CAST(q.x3 AS DOUBLE)"]);
        using var log = TrainingReads.Begin(db.Connection.Duck);
        var reader = new ChunkTrainingData(db.Connection.Duck, sql, new SqlMl.Training.TrainingSchema(["x2", "x3"], [], null), SplitColumn.None);
        foreach (var _ in reader.ReadBatches(default))
        {
        }
        Assert.False(reader.CompleteSummary!.Numeric[1].Finite);
        Assert.Null(FeatureInfoSql.FromTrainingPass(model, query, [reader]));
    }

    [Fact]
    public void Matrix_factorization_and_reads_of_another_query_keep_the_sql_path()
    {
        using var db = WithData();
        db.Execute("CREATE TABLE r AS SELECT i % 5 AS u, 'item' || (i % 3) AS it, (i % 4)::DOUBLE AS rating FROM range(40) s(i)");
        string mf = "CREATE MODEL f OPTIONS(model_type='matrix_factorization', user_col='u', item_col='it', rating_col='rating', num_factors=2) AS SELECT * FROM r";
        var (model, reads) = Train(db, mf, "MATRIX_FACTORIZATION");
        Assert.Null(FeatureInfoSql.FromTrainingPass(model, Parse(mf).Query, reads));

        string sql = "CREATE MODEL m OPTIONS(model_type='kmeans', num_clusters=2) AS SELECT x2, x3 FROM t";
        var (kmeans, kmeansReads) = Train(db, sql, "KMEANS");
        Assert.NotNull(FeatureInfoSql.FromTrainingPass(kmeans, Parse(sql).Query, kmeansReads));
        Assert.Null(FeatureInfoSql.FromTrainingPass(kmeans, "SELECT x2, x3 FROM t WHERE x2 > 3", kmeansReads));
    }

    [Fact]
    public void Readers_outside_a_log_and_unfinished_reads_accumulate_nothing()
    {
        using var db = WithData();
        var schema = new SqlMl.Training.TrainingSchema(["x"], [], null);
        string sql = TrainingQuery.Wrap("SELECT x2 FROM t", ["CAST(q.x2 AS DOUBLE)"]);
        var outside = new ChunkTrainingData(db.Connection.Duck, sql, schema, SplitColumn.None);
        Assert.NotEmpty(outside.ReadBatches(default).Take(2).ToList());
        Assert.Null(outside.CompleteSummary);
        using var log = TrainingReads.Begin(db.Connection.Duck);
        var inside = new ChunkTrainingData(db.Connection.Duck, sql, schema, SplitColumn.None);
        foreach (var _ in inside.ReadBatches(default).Take(1))
        {
        }
        Assert.Null(inside.CompleteSummary);
        foreach (var _ in inside.ReadBatches(default))
        {
        }
        Assert.Equal(3000, inside.CompleteSummary!.Rows);
    }
}
