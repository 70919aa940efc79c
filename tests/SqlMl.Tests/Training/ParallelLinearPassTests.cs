using System.Diagnostics;
using SqlMl.Data.Internal.Native;
using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// LINEAR_REG's parallel pass (a DuckDB aggregate with one accumulator per thread, merged at the end) against the
/// streaming pass it replaces for numeric features: the same model, metrics and evaluation rows, for each split;
/// and the merge itself against one accumulator that saw every batch.
/// </summary>
public class ParallelLinearPassTests
{
    private static readonly TrainingSchema Schema = new(["x1", "x2", "x3"], [], "y");

    private static GlmOptions Options(string options)
    {
        string sql = "CREATE MODEL m OPTIONS(model_type = 'linear_reg'" + options + ") AS SELECT 1";
        var statement = (CreateModelStatement)MlStatementParser.ParseStatement(sql, SqlLexer.Tokenize(sql));
        return GlmOptions.Bind(BoundOptions.Bind(statement.Options, GlmOptions.LinearReg, GlmOptions.LinearSpecs, GlmOptions.NotYetSupported), GlmOptions.LinearReg);
    }

    /// <summary>300,000 rows (three row groups, so DuckDB can scan in parallel), NULLs in x1 and x2, a CUSTOM flag.</summary>
    private static TestDb Data()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE t AS SELECT
              CASE WHEN i % 7 = 3 THEN NULL ELSE sin(i) * 10 END AS x1,
              CASE WHEN i % 11 = 5 THEN NULL ELSE 1000 + cos(i * 0.37) * 50 END AS x2,
              (i % 97) / 97.0 AS x3,
              2.5 * coalesce(sin(i) * 10, 0) - 0.75 * coalesce(1000 + cos(i * 0.37) * 50, 0) + 4 * ((i % 97) / 97.0) + 100 + sin(i * 1.7) AS y,
              i % 5 = 0 AS is_eval
            FROM range(300000) r(i)
            """);
        return db;
    }

    private const string Query = "SELECT x1, x2, x3, y FROM t";
    private const string FlagQuery = "SELECT x1, x2, x3, y, coalesce(is_eval, true) FROM t";

    [Theory]
    [InlineData("", "AutoSplit")]
    [InlineData(", data_split_method = 'no_split'", "NoSplit")]
    [InlineData(", data_split_method = 'random', data_split_eval_fraction = 0.3", "Random")]
    [InlineData(", data_split_method = 'random'", "Random")]
    [InlineData(", data_split_method = 'custom', data_split_col = 'is_eval'", "Custom")]
    public void Parallel_pass_gives_the_streaming_passs_model(string options, string method)
    {
        using var db = Data();
        var glm = Options(options);
        Assert.Equal(Enum.Parse<DataSplitMethod>(method), glm.Split.Method);
        var splitColumn = glm.Split.Method switch
        {
            DataSplitMethod.Custom => SplitColumn.Flag,
            DataSplitMethod.NoSplit => SplitColumn.None,
            _ => SplitColumn.ComputedHash,
        };
        string sql = splitColumn == SplitColumn.Flag ? FlagQuery : Query;
        Assert.True(ParallelLinearPass.Supports(Schema, glm.Split.Method, splitColumn));

        var streaming = new ChunkTrainingData(db.Connection.Duck, sql, Schema, splitColumn);
        var (expected, expectedReport) = LinearRegressionTrainer.Train(streaming, glm, "m");
        var (acc, router, threads) = ParallelLinearPass.Run(db.Connection.Duck, sql, Schema, splitColumn, glm.Split, "m", CancellationToken.None);
        var (actual, actualReport) = LinearRegressionTrainer.Fit(acc, router, Schema, [], glm, "m", null, 0, CancellationToken.None, null, Stopwatch.StartNew());

        Assert.InRange(threads, 1, 64);
        Assert.Equal(expectedReport.TrainingRows, actualReport.TrainingRows);
        Assert.Equal(expectedReport.EvaluationRows, actualReport.EvaluationRows);
        AssertSameModel(expected, actual);
        if (expectedReport.EvaluationMetrics is { } e)
        {
            var a = actualReport.EvaluationMetrics!;
            for (int i = 0; i < e.Values.Count; i++)
            {
                Assert.Equal(e.Values[i].HasValue, a.Values[i].HasValue);
                if (e.Values[i] is { } v) Close(v, a.Values[i]!.Value);
            }
        }
        else Assert.Null(actualReport.EvaluationMetrics);
    }

    private static void AssertSameModel(LinearModel expected, LinearModel actual)
    {
        Close(expected.RawIntercept, actual.RawIntercept);
        Assert.Equal(expected.Numeric.Select(f => f.Name), actual.Numeric.Select(f => f.Name));
        for (int j = 0; j < expected.Numeric.Count; j++)
        {
            Close(expected.Numeric[j].RawWeight, actual.Numeric[j].RawWeight);
            Close(expected.Numeric[j].Mean, actual.Numeric[j].Mean);
            Close(expected.Numeric[j].Scale, actual.Numeric[j].Scale);
        }
    }

    private static void Close(double expected, double actual)
    {
        double tol = 1e-9 * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tol, $"expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData("")]
    [InlineData(", data_split_method = 'no_split'")]
    [InlineData(", data_split_method = 'random', data_split_eval_fraction = 0.25")]
    [InlineData(", data_split_method = 'custom', data_split_col = 'f'")]
    public void Merged_accumulators_equal_one_that_saw_every_batch(string options)
    {
        var glm = Options(options);
        var batches = Batches(count: 40, rows: 512, seed: 7);
        var (single, singleRouter) = Accumulate(glm, batches, pivotFrom: batches[0]);
        // Four "threads", each with every fourth batch, sharing the pivots of batch 0, merged in a different order.
        var parts = Enumerable.Range(0, 4).Select(t => Accumulate(glm, batches.Where((_, i) => i % 4 == t).ToList(), pivotFrom: batches[0])).ToList();
        var (merged, mergedRouter) = parts[3];
        foreach (var (acc, router) in parts.Take(3)) mergedRouter.Merge(router, merged.Merge(acc));

        Assert.Equal(singleRouter.Rows, mergedRouter.Rows);
        var (store1, slots1) = singleRouter.Finish();
        var (store2, slots2) = mergedRouter.Finish();
        Assert.Equal(slots1.Count, slots2.Count);
        foreach (int s in slots1) Subtract(single, store1, s);
        foreach (int s in slots2) Subtract(merged, store2, s);
        var m1 = Normalize(single);
        var m2 = Normalize(merged);
        Assert.Equal(m1.Keys.Order(), m2.Keys.Order());
        foreach (var (key, value) in m1) Assert.True(Math.Abs(value - m2[key]) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"{key}: {value:R} vs {m2[key]:R}");
        // The evaluation rows are the same rows (compared by their dense values, sorted).
        Assert.Equal(EvalRows(store1, slots1), EvalRows(store2, slots2));
    }

    private static void Subtract(MomentAccumulator acc, RowStore store, int slot) => acc.Subtract(store.Dense(slot), store.Sparse(slot));

    private static List<string> EvalRows(RowStore store, IReadOnlyList<int> slots) =>
        slots.Select(s => string.Join(",", store.Dense(s).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).Order().ToList();

    /// <summary>The moment matrix keyed by what its coordinates mean (sparse coordinates are numbered in first-seen order).</summary>
    private static Dictionary<string, double> Normalize(MomentAccumulator acc)
    {
        var m = acc.ToMatrix();
        string Name(int i) => i < acc.DenseWidth ? "d" + i : "null" + acc.SparseFeatures[i - acc.DenseWidth].Column;
        var result = new Dictionary<string, double>();
        for (int a = 0; a < m.GetLength(0); a++)
            for (int b = 0; b < m.GetLength(1); b++)
                result[Name(a) + "/" + Name(b)] = m[a, b];
        return result;
    }

    private static (MomentAccumulator, SplitRouter) Accumulate(GlmOptions glm, List<ColumnBatch> batches, ColumnBatch pivotFrom)
    {
        var acc = new MomentAccumulator(3, 0, 512);
        var (numeric, label) = MomentAccumulator.PivotsOf(pivotFrom);
        acc.SetPivots(numeric, label);
        var router = new SplitRouter(glm.Split, acc.DenseWidth, acc.MaxSparsePerRow);
        foreach (var b in batches) LinearRegressionTrainer.AddBatch(acc, router, b, Schema, "m");
        return (acc, router);
    }

    private static List<ColumnBatch> Batches(int count, int rows, int seed)
    {
        var rnd = new Random(seed);
        var hasher = new RowHasher([], hasLabel: true);
        var list = new List<ColumnBatch>();
        for (int k = 0; k < count; k++)
        {
            var b = new ColumnBatch(3, 0, rows) { Count = rows };
            var mask = new ulong[(rows + 63) / 64];
            for (int r = 0; r < rows; r++)
            {
                bool valid = rnd.Next(6) != 0;
                if (valid) mask[r >> 6] |= 1UL << (r & 63);
                b.Numeric[0][r] = valid ? rnd.NextDouble() * 10 - 3 : 0;
                b.Numeric[1][r] = 1000 + rnd.NextDouble() * 50;
                b.Numeric[2][r] = rnd.NextDouble();
                b.Label[r] = 2 * b.Numeric[0][r] - b.Numeric[1][r] + rnd.NextDouble();
            }
            b.NumericValidity[0] = mask;
            b.IsEval = Enumerable.Range(0, rows).Select(_ => rnd.Next(5) == 0).ToArray();
            b.Hash = new ulong[rows];
            hasher.Hash(b, b.Hash);
            list.Add(b);
        }
        return list;
    }

    [Theory]
    [InlineData("y")]
    [InlineData("y + 2000 AS y")]
    [InlineData("y, {'a': x1 * 2, 'b': x3 - x2} AS s")]
    public void No_split_metrics_from_the_parallel_pass_equal_ml_evaluate_in_sql(string label)
    {
        using var db = Data();
        db.Execute($"CREATE TABLE d AS SELECT x1, x2, x3, {label} FROM t");
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y'], data_split_method='no_split') AS SELECT * FROM d");
        var stored = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m)")[0];
        var sql = db.Rows("SELECT * FROM ML.EVALUATE(MODEL m, TABLE d)")[0];
        Assert.Equal(sql.Length, stored.Length);
        Assert.Equal(label.Contains("2000", StringComparison.Ordinal), sql[2] is not null);
        for (int i = 0; i < sql.Length; i++)
        {
            Assert.Equal(sql[i] is null, stored[i] is null);
            if (sql[i] is double e) Close(e, (double)stored[i]!);
        }
        Assert.Equal("training_data", db.Scalar("SELECT metrics_source FROM sqlml.models WHERE model_name = 'm'"));
    }

    [Fact]
    public void Feature_info_comes_from_the_parallel_pass_and_equals_duckdbs_aggregates()
    {
        using var db = Data();
        using (var log = TrainingReads.Begin(db.Connection.Duck))
        {
            ParallelLinearPass.Run(db.Connection.Duck, Query, Schema, SplitColumn.ComputedHash, Options("").Split, "m", CancellationToken.None);
            var read = Assert.Single(log.Readers);
            Assert.Equal(Query, read.Sql);
            Assert.NotNull(read.CompleteSummary);
        }
        db.Execute("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x1, x2, x3, y FROM t");
        var stored = db.Rows("SELECT input, min, max, mean, median, stddev, null_count FROM ML.FEATURE_INFO(MODEL m) ORDER BY input");
        foreach (var (row, column) in stored.Zip(new[] { "x1", "x2", "x3" }))
        {
            Assert.Equal(column, row[0]);
            var sql = db.Rows($"SELECT min({column}), max({column}), avg({column}), median({column}), stddev_samp({column}), count(*) - count({column}) FROM t")[0];
            Assert.Equal(sql[0], row[1]);
            Assert.Equal(sql[1], row[2]);
            Close((double)sql[2]!, (double)row[3]!);
            Assert.Equal(sql[3], row[4]);
            Close((double)sql[4]!, (double)row[5]!);
            Assert.Equal(Convert.ToInt64(sql[5], System.Globalization.CultureInfo.InvariantCulture), row[6]);
        }
    }

    [Fact]
    public void Errors_raised_on_duckdbs_threads_reach_the_caller_unchanged()
    {
        using var db = Data();
        var glm = Options("");
        var e = Assert.Throws<SqlMlException>(() => ParallelLinearPass.Run(db.Connection.Duck,
            "SELECT x1, x2, x3, CASE WHEN x3 > 0.5 AND x1 IS NULL THEN 'NaN'::DOUBLE ELSE y END FROM t", Schema, SplitColumn.ComputedHash, glm.Split, "m", CancellationToken.None));
        Assert.Equal("CREATE MODEL m: label column 'y' contains NaN or Infinity; LINEAR_REG needs real-valued labels.", e.Message);
        var empty = ParallelLinearPass.Run(db.Connection.Duck, Query + " WHERE false", Schema, SplitColumn.ComputedHash, glm.Split, "m", CancellationToken.None);
        Assert.Null(empty.Acc);
    }

    [Fact]
    public void A_cancelled_token_stops_the_pass()
    {
        using var db = Data();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ParallelLinearPass.Run(db.Connection.Duck, Query, Schema, SplitColumn.ComputedHash, Options("").Split, "m", cts.Token));
    }

    [Fact]
    public async Task Cancelling_create_model_interrupts_the_parallel_pass_and_leaves_no_model()
    {
        using var db = new TestDb();
        using var cmd = db.Connection.CreateCommand();
        // A training query DuckDB would need hours for: only the interrupt ends it.
        cmd.CommandText = "CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x::DOUBLE AS x, (x % 7)::DOUBLE AS y FROM range(1000000000000) r(x)";
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteNonQueryAsync(cts.Token));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Create_model_errors_are_unchanged_on_the_parallel_path()
    {
        using var db = Data();
        Assert.Contains("label column 'y' is NULL in some rows",
            db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x1, x2, x3, CASE WHEN x1 IS NULL AND x3 > 0.9 THEN NULL ELSE y END AS y FROM t").Message, StringComparison.Ordinal);
        Assert.Equal("CREATE MODEL m: the training query returned no rows.",
            db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT x1, x2, x3, y FROM t WHERE false").Message);
        Assert.Contains("feature column 'x1' contains NaN or Infinity",
            db.Fails("CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT CASE WHEN x3 > 0.98 THEN 'inf'::DOUBLE ELSE x1 END AS x1, x2, x3, y FROM t").Message, StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }
}
