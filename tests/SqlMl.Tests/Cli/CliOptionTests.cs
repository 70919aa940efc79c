using System.Text.Json;

namespace SqlMl.Tests.Cli;

/// <summary>--param, --output, --quiet, --version and --log json, run as a process.</summary>
public class CliOptionTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => SqlmlProcess.Run(null, args);

    private static string[] Lines(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Param_values_are_typed_integer_double_boolean_quoted_string_or_string()
    {
        var (exit, output, err) = Run("--format", "csv", "--param", "n=3", "--param", "$d=-0.5e1", "--param", "b=TRUE", "--param", "q=\"42\"", "--param", "s=2024-01-31",
            "-c", "SELECT typeof($n) AS tn, $n + 1 AS n, typeof($d) AS td, $d AS d, typeof($b) AS tb, typeof($q) AS tq, $q AS q, $s::DATE + 1 AS s");
        Assert.True(exit == 0, err);
        Assert.Equal(["tn,n,td,d,tb,tq,q,s", "BIGINT,4,DOUBLE,-5,BOOLEAN,VARCHAR,42,2024-02-01"], Lines(output));
    }

    [Fact]
    public void Param_binds_in_plain_and_ml_statements_of_script_files_and_unused_params_are_ignored()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("s.sql"), """
            CREATE TABLE d AS SELECT i::DOUBLE AS x, 2 * i + 1.0 AS y FROM range(10) r(i);
            CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM d WHERE x < $cut;
            DELETE FROM d WHERE x >= $cut;
            SELECT count(*) AS n FROM d;
            SELECT round(predicted_y, 6) AS p FROM ML.PREDICT(MODEL m, (SELECT $x AS x));
            """);
        var (exit, output, err) = Run("--format", "csv", "--param", "cut=8", "--param", "x=20", "--param", "unused=1", dir.File("s.sql"));
        Assert.True(exit == 0, err);
        Assert.Equal(["n", "8", "p", "41"], Lines(output));
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("1x=3")]
    public void Malformed_param_is_misuse(string param)
    {
        var (exit, _, err) = Run("--param", param, "-c", "SELECT 1");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: --param", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_csv_holds_the_last_result_set_and_quiet_prints_nothing()
    {
        using var dir = new TempDir();
        var (exit, output, err) = Run("--quiet", "--output", dir.File("r.csv"), "-c", "SELECT 1 AS first; SELECT 'a,b' AS s, 2.5 AS x UNION ALL SELECT NULL, 3 ORDER BY x; CREATE TABLE t(i INT)");
        Assert.True(exit == 0, err);
        Assert.Equal("", output);
        Assert.Equal(["s,x", "\"a,b\",2.5", ",3.0"], Lines(File.ReadAllText(dir.File("r.csv"))));
    }

    [Fact]
    public void Output_json_is_an_array_of_objects_with_nested_values()
    {
        using var dir = new TempDir();
        var (exit, output, err) = Run("--format", "csv", "--output", dir.File("r.json"), "-c", "SELECT [1, 2] AS l, {'a': 'x'} AS s, NULL AS n");
        Assert.True(exit == 0, err);
        Assert.Equal(["l,s,n", "\"[1, 2]\",{'a': 'x'},"], Lines(output));
        Assert.Equal("""[{"l":[1,2],"s":{"a":"x"},"n":null}]""", File.ReadAllText(dir.File("r.json")).Trim());
    }

    [Fact]
    public void Output_parquet_keeps_values_and_column_types()
    {
        using var dir = new TempDir();
        string file = dir.File("r.parquet");
        var (exit, _, err) = Run("--quiet", "--output", file, "-c",
            "SELECT i AS id, i / 2 AS half, 1.25::DECIMAL(6,2) AS price, DATE '2024-01-31' + i::INT AS day, 'p' || i AS name, [i::INT, i::INT + 1] AS pair, {'k': i, 'v': ['a', NULL]} AS st FROM range(3) r(i)");
        Assert.True(exit == 0, err);
        using var db = new TestDb();
        Assert.Equal(["BIGINT", "DOUBLE", "DECIMAL(6,2)", "DATE", "VARCHAR", "INTEGER[]", "STRUCT(k BIGINT, v VARCHAR[])"],
            db.Rows($"SELECT column_type FROM (DESCRIBE SELECT * FROM '{file}')").Select(r => (string)r[0]!));
        Assert.Equal(["2|1.0|1.25|2024-02-02|p2|[2, 3]|{'k': 2, 'v': [a, NULL]}"],
            db.Rows($"SELECT concat_ws('|', id, half, price, day, name, pair, st) FROM '{file}' WHERE id = 2").Select(r => (string)r[0]!));
    }

    [Fact]
    public void Output_parquet_keeps_blob_wide_decimal_unsigned_interval_and_enum_values_exact()
    {
        using var dir = new TempDir();
        string file = dir.File("x.parquet");
        var (exit, _, err) = Run("--quiet", "--output", file, "-c",
            "SELECT 'ab'::BLOB AS b, 123456789012345678.12::DECIMAL(20,2) AS dc, 18446744073709551615::UBIGINT AS u, INTERVAL 1 DAY + INTERVAL 3 SECOND AS iv, 'x'::ENUM('x', 'y') AS e, NULL::DECIMAL(4,1) AS nd");
        Assert.True(exit == 0, err);
        using var db = new TestDb();
        Assert.Equal(["BLOB", "DECIMAL(20,2)", "UBIGINT", "INTERVAL", "VARCHAR", "DECIMAL(4,1)"],
            db.Rows($"SELECT column_type FROM (DESCRIBE SELECT * FROM '{file}')").Select(r => (string)r[0]!));
        Assert.Equal(["ab|2|123456789012345678.12|18446744073709551615|true|x|true"],
            db.Rows($"SELECT concat_ws('|', b::VARCHAR, octet_length(b), dc, u, iv = INTERVAL 1 DAY + INTERVAL 3 SECOND, e, nd IS NULL) FROM '{file}'").Select(r => (string)r[0]!));
    }

    [Fact]
    public void Empty_result_sets_print_a_header_or_an_empty_array_and_parquet_keeps_their_types()
    {
        using var dir = new TempDir();
        string file = dir.File("e.parquet");
        var (exit, output, err) = Run("--format", "json", "--output", file, "-c", "SELECT 1 AS a WHERE false; SELECT 2 AS b; SELECT 1 AS a, [1] AS l WHERE false");
        Assert.True(exit == 0, err);
        Assert.Equal(["[]", """[{"b":2}]""", "[]"], Lines(output));
        Assert.Equal(["a", "b", "2"], Lines(Run("--format", "csv", "-c", "SELECT 1 AS a WHERE false; SELECT 2 AS b").Out));
        using var db = new TestDb();
        Assert.Equal(0L, db.Scalar($"SELECT count(*) FROM '{file}'"));
        Assert.Equal(["INTEGER", "INTEGER[]"], db.Rows($"SELECT column_type FROM (DESCRIBE SELECT * FROM '{file}')").Select(r => (string)r[0]!));
    }

    [Fact]
    public void Output_with_an_unknown_extension_is_misuse_and_runs_nothing()
    {
        using var dir = new TempDir();
        var (exit, _, err) = Run("--db", dir.File("x.duckdb"), "--output", dir.File("r.txt"), "-c", "CREATE TABLE t(i INT)");
        Assert.Equal(2, exit);
        Assert.Contains(".csv, .json or .parquet", err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.duckdb")));
    }

    [Fact]
    public void Output_without_any_result_set_fails()
    {
        using var dir = new TempDir();
        var (exit, _, err) = Run("--output", dir.File("r.csv"), "-c", "CREATE TABLE t(i INT)");
        Assert.Equal(1, exit);
        Assert.Contains("no statement returned a result set", err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.csv")));
    }

    [Fact]
    public void Version_prints_the_version_and_exits_0()
    {
        var (exit, output, _) = Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void Log_json_writes_one_line_per_statement_until_the_failing_one()
    {
        var (exit, _, err) = Run("--quiet", "--log", "json", "-c", "CREATE TABLE t AS SELECT * FROM range(5) r(i);\nINSERT INTO t SELECT * FROM range(3);\nSELECT * FROM t;\nDROP MODEL nope;\nSELECT 1");
        Assert.Equal(1, exit);
        var lines = Lines(err).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal(["ok", "ok", "ok", "error"], lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("rows").ValueKind);
        Assert.Equal(3, lines[1].GetProperty("rows").GetInt64());
        Assert.Equal(8, lines[2].GetProperty("rows").GetInt64());
        Assert.Equal("SELECT * FROM t", lines[2].GetProperty("statement").GetString());
        Assert.Equal("-c", lines[2].GetProperty("source").GetString());
        Assert.True(lines[2].GetProperty("duration_ms").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("error").ValueKind);
        Assert.Equal("DROP MODEL: model nope not found.", lines[3].GetProperty("error").GetString());
    }

    [Fact]
    public void Syntax_error_positions_count_lines_of_standard_input()
    {
        var (exit, output, err) = SqlmlProcess.Run("SELECT 1 AS a;\n\nSELECT 2 AS b,\n  FROM nowhere x y z;\n", "--format", "csv");
        Assert.Equal(1, exit);
        Assert.Equal(["a", "1"], Lines(output));
        Assert.Contains("line 4", err, StringComparison.Ordinal);
    }
}
