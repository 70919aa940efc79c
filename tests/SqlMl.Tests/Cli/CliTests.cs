using System.Text.Json;

namespace SqlMl.Tests.Cli;

/// <summary>The sqlml contract: sqlml [--db PATH] [--format table|csv|json] [-c SQL]... [FILE.sql]..., run as a process.</summary>
public class CliTests
{
    private static (int Exit, string Out, string Err) Run(string? stdin, params string[] args) => SqlmlProcess.Run(stdin, args);

    private const string Setup = "CREATE TABLE d AS SELECT i::DOUBLE AS x, 2 * i + 1.0 AS y FROM range(10) r(i); CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM d;";

    [Fact]
    public void Csv_format_prints_a_header_and_rows_of_each_result_set()
    {
        var (exit, output, err) = Run(null, "--format", "csv", "-c", Setup, "-c", "SELECT x, round(predicted_y, 6) AS p FROM ML.PREDICT(MODEL m, (SELECT 3.0 AS x)); SELECT 'a,b' AS s, NULL AS n");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Equal(["x,p", "3.0,7", "s,n", "\"a,b\","], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Json_format_prints_one_array_per_result_set_with_nested_lists_and_structs()
    {
        var (exit, output, _) = Run(null, "--format", "json", "-c", Setup + "SELECT processed_input, weight, category_weights FROM ML.WEIGHTS(MODEL m) ORDER BY processed_input; SELECT {'a': 1, 'b': [1, 2]} AS s, NULL AS n");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var weights = JsonDocument.Parse(lines[0]);
        Assert.Equal(2, weights.RootElement.GetArrayLength());
        Assert.Equal("__INTERCEPT__", weights.RootElement[0].GetProperty("processed_input").GetString());
        Assert.Equal(JsonValueKind.Array, weights.RootElement[0].GetProperty("category_weights").ValueKind);
        Assert.Equal(2.0, weights.RootElement[1].GetProperty("weight").GetDouble(), 9);
        Assert.Equal("""[{"s":{"a":1,"b":[1,2]},"n":null}]""", lines[1]);
    }

    [Fact]
    public void Table_format_is_the_default_and_aligns_columns()
    {
        var (exit, output, _) = Run(null, "-c", "SELECT 1 AS a, 'xyz' AS long_name UNION ALL SELECT 100, 'q' ORDER BY a");
        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.Equal("a   | long_name", lines[0]);
        Assert.Equal("----+----------", lines[1]);
        Assert.Equal("  1 | xyz", lines[2]);
        Assert.Equal("100 | q", lines[3]);
        Assert.Equal("(2 rows)", lines[4]);
    }

    [Fact]
    public void Commands_run_before_files_and_files_run_in_order()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml-cli").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "1.sql"), "INSERT INTO log VALUES ('file1');");
            File.WriteAllText(Path.Combine(dir, "2.sql"), "INSERT INTO log VALUES ('file2'); SELECT string_agg(v, ' ') AS v FROM log;");
            var (exit, output, _) = Run(null, "--format", "csv", "-c", "CREATE TABLE log(v VARCHAR)", "-c", "INSERT INTO log VALUES ('c2')", Path.Combine(dir, "1.sql"), Path.Combine(dir, "2.sql"));
            Assert.Equal(0, exit);
            Assert.Equal("v\nc2 file1 file2\n", output.Replace("\r", "", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Standard_input_is_read_when_there_are_no_commands_or_files()
    {
        var (exit, output, _) = Run("SELECT 41 + 1 AS answer;\n", "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal("answer\n42\n", output.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Failing_statement_exits_1_with_the_error_on_stderr_and_stops()
    {
        var (exit, output, err) = Run(null, "--format", "csv", "-c", "SELECT 1 AS a; DROP MODEL nope; SELECT 2 AS b");
        Assert.Equal(1, exit);
        Assert.Equal("a\n1\n", output.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal("error: DROP MODEL: model nope not found.", err.Trim());
    }

    [Fact]
    public void Syntax_error_reports_line_and_column_of_the_input()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml-cli").FullName;
        try
        {
            string file = Path.Combine(dir, "bad.sql");
            File.WriteAllText(file, "SELECT 1;\nCREATE MODEL m\nOPTIONS(model_type = 'linear_reg',)\nAS SELECT 1 AS x, 2 AS label;");
            var (exit, _, err) = Run(null, file);
            Assert.Equal(1, exit);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Contains("line 3, column 35", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--no-such-flag")]
    public void Command_line_misuse_exits_2(params string[] args)
    {
        var (exit, _, err) = Run(null, args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_is_named_as_an_option_not_a_missing_file()
    {
        var (exit, _, err) = Run(null, "--bogus");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: unknown option '--bogus'.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_misuse()
    {
        var (exit, _, err) = Run(null, "/no/such/file.sql");
        Assert.Equal(2, exit);
        Assert.Contains("file not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Db_option_keeps_tables_and_models_between_runs()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml-cli").FullName;
        try
        {
            string db = Path.Combine(dir, "x.duckdb");
            Assert.Equal(0, Run(null, "--db", db, "-c", Setup).Exit);
            var (exit, output, _) = Run(null, "--db", db, "--format", "csv", "-c", "SELECT round(predicted_y, 6) AS p FROM ML.PREDICT(MODEL m, (SELECT 10 AS x))");
            Assert.Equal(0, exit);
            Assert.Equal("p\n21\n", output.Replace("\r", "", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Quick_start_script_runs_from_the_repository_root()
    {
        var (exit, output, err) = Run(null, "sql-examples/quickstart.sql");
        Assert.True(exit == 0, err);
        Assert.Contains("predicted_body_mass_g", output, StringComparison.Ordinal);
        Assert.Contains("penguin_weight | LINEAR_REG", output, StringComparison.Ordinal);
    }
}
