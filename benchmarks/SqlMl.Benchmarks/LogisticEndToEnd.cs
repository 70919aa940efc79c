using System.Diagnostics;
using System.Globalization;
using SqlMl.Data;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Data.Internal.Planning;
using SqlMl.Parsing;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--logistic --end-to-end</c>: LOGISTIC_REG's CREATE MODEL from DuckDB, in process through
/// <see cref="SqlMlConnection"/>, on the same data set loaded into an in-memory table <c>b</c> (x0 … x(P−1) DOUBLE,
/// y BIGINT 0/1; loading not timed): best of R runs (after a warm-up) of
/// <c>CREATE OR REPLACE MODEL m OPTIONS(model_type = 'logistic_reg', input_label_cols = ['y'], l2_reg = L,
/// early_stop = FALSE, max_iterations = 1000, data_split_method = 'NO_SPLIT') AS SELECT * FROM b</c> (class-discovery
/// query, scan, training, stored metrics, ML.FEATURE_INFO statistics, catalog write), and of the class-discovery query
/// and the statistics alone.
/// </summary>
internal static class LogisticEndToEnd
{
    public static Dictionary<string, object> Run(double[][] cols, double[] label, double l2, int repeat)
    {
        using var connection = new SqlMlConnection("Data Source=:memory:");
        connection.Open();
        int p = cols.Length, n = label.Length;
        Execute(connection, $"CREATE TABLE b ({string.Join(", ", Enumerable.Range(0, p).Select(j => $"x{j} DOUBLE"))}, y BIGINT)");
        using (var appender = connection.Duck.CreateAppender("b"))
            for (int i = 0; i < n; i++)
            {
                var row = appender.CreateRow();
                for (int j = 0; j < p; j++) row.AppendValue(cols[j][i]);
                row.AppendValue((long)label[i]).EndRow();
            }
        string create = "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'logistic_reg', input_label_cols = ['y'], " +
            $"l2_reg = {l2.ToString("R", CultureInfo.InvariantCulture)}, early_stop = FALSE, max_iterations = 1000, data_split_method = 'NO_SPLIT') AS SELECT * FROM b";
        const string classes = "WITH s AS (SELECT * FROM b) SELECT CAST(y AS VARCHAR), count(*) FROM s WHERE y IS NOT NULL GROUP BY y ORDER BY y LIMIT 51";
        var result = new Dictionary<string, object>
        {
            ["create_model"] = Best(repeat, () => Execute(connection, create)),
            ["class_query"] = Best(repeat, () => Execute(connection, classes)),
            // ML.FEATURE_INFO's SQL fallback (TRANSFORM, expanded inputs): plain features take their statistics from the
            // training pass instead, inside create_model.
            ["feature_info"] = Best(repeat, () => FeatureInfoSql.ForModel(connection.Duck,
                ModelCatalog.TryGet(connection.Duck, new ModelName(null, "m"))!, "SELECT * FROM b", null, [])),
            ["training_info_ms"] = Scalar(connection, "SELECT CAST(sum(duration_ms) AS DOUBLE) FROM ML.TRAINING_INFO(MODEL m)"),
            ["iterations"] = Scalar(connection, "SELECT count(*) FROM ML.TRAINING_INFO(MODEL m)"),
            ["log_loss"] = Scalar(connection, "SELECT loss FROM ML.TRAINING_INFO(MODEL m) ORDER BY iteration DESC LIMIT 1"),
        };
        return result;
    }

    /// <summary>[wall, process CPU] seconds of the fastest of <paramref name="repeat"/> runs after one warm-up.</summary>
    private static double[] Best(int repeat, Action action)
    {
        var (best, bestCpu) = BestRun.Of(repeat, action);
        return [Math.Round(best, 4), Math.Round(bestCpu, 4)];
    }

    private static void Execute(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) { }
    }

    private static double Scalar(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToDouble(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
