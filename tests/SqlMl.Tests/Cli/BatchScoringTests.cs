using System.Text.Json;

namespace SqlMl.Tests.Cli;

/// <summary>sql-examples/batch: train once, then score unattended, twice (idempotent), as the README's crontab line does.</summary>
public class BatchScoringTests
{
    [Fact]
    public void Scoring_script_is_idempotent_and_logs_one_json_line_per_statement()
    {
        using var dir = new TempDir();
        string db = dir.File("penguins.duckdb"), scores = dir.File("scores.parquet");
        var (trained, _, trainErr) = SqlmlProcess.Run(null, "--db", db, "--quiet", "--param", "training=sql-examples/data/penguins.csv", "sql-examples/batch/train.sql");
        Assert.True(trained == 0, trainErr);
        for (int run = 0; run < 2; run++)
        {
            var (exit, output, err) = SqlmlProcess.Run(null, "--db", db, "--quiet", "--log", "json", "--lock-timeout", "30",
                "--param", "input=sql-examples/data/penguins.csv", "--output", scores, "sql-examples/batch/score.sql");
            Assert.True(exit == 0, err);
            Assert.Equal("", output);
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(["ok", "ok"], lines.Select(l => l.GetProperty("outcome").GetString()));
            Assert.Equal(344, lines[1].GetProperty("rows").GetInt64());
        }
        using var check = new TestDb(db);
        Assert.Equal(344L, check.Scalar("SELECT count(*) FROM scores"));
        Assert.Equal(344L, check.Scalar($"SELECT count(*) FROM '{scores}'"));
        Assert.Equal(0L, check.Scalar($"SELECT count(*) FROM (FROM scores EXCEPT ALL FROM '{scores}')"));
        Assert.Equal(0L, check.Scalar($"SELECT count(*) FROM '{scores}' WHERE predicted_body_mass_g IS NULL AND flipper_length_mm IS NOT NULL"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
    }

    [Fact]
    public void Scoring_without_a_model_fails_with_exit_1_and_an_error_line_for_the_scheduler()
    {
        using var dir = new TempDir();
        var (exit, _, err) = SqlmlProcess.Run(null, "--db", dir.File("empty.duckdb"), "--quiet", "--log", "json",
            "--param", "input=sql-examples/data/penguins.csv", "--output", dir.File("scores.parquet"), "sql-examples/batch/score.sql");
        Assert.Equal(1, exit);
        var line = JsonDocument.Parse(err.Trim()).RootElement;
        Assert.Equal("error", line.GetProperty("outcome").GetString());
        Assert.Contains("penguin_weight", line.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("scores.parquet")));
    }
}
