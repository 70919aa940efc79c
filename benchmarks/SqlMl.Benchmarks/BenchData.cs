using SqlMl.Data;

namespace SqlMl.Benchmarks;

/// <summary>The synthetic LINEAR_REG table of benchmarks/linear_data.sql and the SQL run against it.</summary>
internal static class BenchData
{
    public const int Features = 16;

    /// <summary>The 17 columns the model uses (x1..x16, y), in the training query's order.</summary>
    public static readonly string ColumnList = string.Join(", ", Enumerable.Range(1, Features).Select(j => "x" + j).Append("y"));

    /// <summary>The bare scan: exactly the columns CREATE MODEL reads, no casts, no hash.</summary>
    public static readonly string ScanSql = $"SELECT {ColumnList} FROM bench";

    /// <summary>The training query as TrainingQuery builds it today for AUTO_SPLIT: casts only (rows are hashed in C#).</summary>
    public static readonly string CastTrainingSql =
        "WITH __sqlml_src AS (\n" + ScanSql + "\n)\nSELECT " +
        string.Join(", ", Enumerable.Range(1, Features).Select(j => $"CAST(q.\"x{j}\" AS DOUBLE)")) +
        ", CAST(q.\"y\" AS DOUBLE) FROM __sqlml_src AS q";

    /// <summary>
    /// The training query of earlier versions, kept as a stage of the comparison: casts to DOUBLE, then DuckDB's hash()
    /// of every used column (rows are now hashed in C#, see <see cref="CastTrainingSql"/>).
    /// </summary>
    public static readonly string TrainingSql =
        "WITH __sqlml_src AS (\n" + ScanSql + "\n)\nSELECT " +
        string.Join(", ", Enumerable.Range(1, Features).Select(j => $"CAST(q.\"x{j}\" AS DOUBLE)")) +
        ", CAST(q.\"y\" AS DOUBLE), hash(" +
        string.Join(", ", Enumerable.Range(1, Features).Select(j => $"q.\"x{j}\"").Append("q.\"y\"")) +
        ") FROM __sqlml_src AS q";

    public static string CreateModelSql(string model, string? extraOptions = null) =>
        $"CREATE OR REPLACE MODEL {model} OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']" +
        (extraOptions is null ? "" : ", " + extraOptions) + $") AS SELECT {ColumnList} FROM bench";

    /// <summary>Opens <paramref name="dataSource"/> (a file path or :memory:); a file is deleted first when <paramref name="fresh"/>.</summary>
    public static SqlMlConnection Open(string dataSource, bool fresh)
    {
        if (fresh && dataSource != ":memory:")
        {
            File.Delete(dataSource);
            File.Delete(dataSource + ".wal");
        }
        var connection = new SqlMlConnection("Data Source=" + dataSource);
        connection.Open();
        return connection;
    }

    /// <summary>Creates table bench with <paramref name="rows"/> rows from linear_data.sql (unless it exists with that many rows).</summary>
    public static void CreateTable(SqlMlConnection connection, long rows)
    {
        if (Scalar(connection, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'bench'") > 0)
        {
            if (Scalar(connection, "SELECT count(*) FROM bench") == rows) return;
            Execute(connection, "DROP TABLE bench");
        }
        string path = Path.Combine(AppContext.BaseDirectory, "linear_data.sql");
        string sql = File.ReadAllText(path).Replace("{N}", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Execute(connection, sql);
        Execute(connection, "CHECKPOINT");
    }

    public static void Execute(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static long Scalar(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Text(SqlMlConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>ML.WEIGHTS of a model as [intercept, x1..x16] (numpy's order).</summary>
    public static double[] Weights(SqlMlConnection connection, string model)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT processed_input, weight FROM ML.WEIGHTS(MODEL {model})";
        using var r = cmd.ExecuteReader();
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        while (r.Read()) byName[r.GetString(0)] = r.GetDouble(1);
        return [byName["__INTERCEPT__"], .. Enumerable.Range(1, Features).Select(j => byName["x" + j])];
    }
}
