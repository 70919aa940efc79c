using System.Data.Common;
using SqlMl.Data;

namespace SqlMl.Tests;

/// <summary>A fresh in-memory database per test, with helpers to run SQL and read results.</summary>
internal sealed class TestDb : IDisposable
{
    public TestDb(string? path = null)
    {
        Connection = new SqlMlConnection("Data Source=" + (path ?? ":memory:"));
        Connection.Open();
    }

    public SqlMlConnection Connection { get; }

    /// <summary>The repository's root, found from the test binary's folder.</summary>
    public static string RepoRoot
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                var dir = new DirectoryInfo(start);
                while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SqlMl.sln"))) dir = dir.Parent;
                if (dir is not null) return dir.FullName;
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    public static string PenguinsCsv => Path.Combine(RepoRoot, "sql-examples", "data", "penguins.csv");

    public void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>All rows of the last result set of <paramref name="sql"/>, as object arrays (DBNull as null).</summary>
    public List<object?[]> Rows(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        List<object?[]> rows = [];
        do
        {
            if (reader.FieldCount == 0) continue;
            rows = [];
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
        }
        while (reader.NextResult());
        return rows;
    }

    /// <summary>Column names of the first result set.</summary>
    public List<string> Columns(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    public object? Scalar(string sql) => Rows(sql) is [var first, ..] ? first[0] : null;

    public double Double(string sql) => Convert.ToDouble(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    public SqlMlException Fails(string sql) => Assert.Throws<SqlMlException>(() => Execute(sql));

    public void LoadPenguins() =>
        Execute($"CREATE TABLE penguins AS SELECT * FROM read_csv('{PenguinsCsv.Replace("'", "''", StringComparison.Ordinal)}')");

    public void Dispose() => Connection.Dispose();
}
