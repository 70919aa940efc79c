using SqlMl.Cli;

namespace SqlMl.Tests.Cli;

/// <summary>The REPL's logic without a terminal: lines fed from text, output and errors read back.</summary>
public class ReplTests
{
    /// <summary>Lines to feed; null entries stand for Ctrl-C at the prompt.</summary>
    private sealed class ScriptedLines(params string?[] lines) : ILineReader
    {
        private int _next;

        /// <summary>Called before each line is returned (a Ctrl-C arriving while the previous statement ran, for example).</summary>
        public Action? BeforeEachLine { get; set; }

        public bool Interrupted { get; private set; }

        public List<string> Prompts { get; } = [];

        public string? ReadLine(string prompt)
        {
            Prompts.Add(prompt);
            BeforeEachLine?.Invoke();
            if (_next >= lines.Length) return null;
            string? line = lines[_next++];
            Interrupted = line is null;
            return line ?? "";
        }
    }

    private static (int Exit, string Out, string Err, ScriptedLines Lines) Run(params string?[] lines) => Run(null, lines);

    private static (int Exit, string Out, string Err, ScriptedLines Lines) Run(Action<Interrupts>? beforeEachLine, params string?[] lines)
    {
        using var db = new TestDb();
        var output = new StringWriter();
        var error = new StringWriter();
        var interrupts = new Interrupts();
        var options = new CliOptions(null, OutputFormat.Csv, [], []);
        var reader = new ScriptedLines(lines);
        if (beforeEachLine is not null) reader.BeforeEachLine = () => beforeEachLine(interrupts);
        int exit = new Repl(new ScriptExecutor(db.Connection, options, output, error, interrupts), reader, output, interrupts).Run();
        return (exit, output.ToString().Replace("\r", "", StringComparison.Ordinal), error.ToString().Replace("\r", "", StringComparison.Ordinal), reader);
    }

    private static string Body(string output) => output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..];

    [Fact]
    public void Statement_runs_when_a_line_ends_it_and_may_span_lines()
    {
        var (exit, output, _, lines) = Run("SELECT 1 AS a,", "  2 AS b", ";", "SELECT 3 AS c; SELECT 4 AS d;");
        Assert.Equal(0, exit);
        Assert.Equal("a,b\n1,2\nc\n3\nd\n4\n", Body(output));
        Assert.Equal(["sqlml> ", "  ...> ", "  ...> ", "sqlml> ", "sqlml> "], lines.Prompts);
    }

    [Fact]
    public void Semicolon_inside_a_string_or_comment_does_not_end_the_statement()
    {
        var (_, output, _, lines) = Run("SELECT 'a;b' AS s -- c;", ", 1 AS n /* ; */", ";");
        Assert.Equal("s,n\na;b,1\n", Body(output));
        Assert.Equal(["sqlml> ", "  ...> ", "  ...> ", "sqlml> "], lines.Prompts);
    }

    [Fact]
    public void Error_prints_and_the_session_goes_on_with_positions_of_the_session()
    {
        var (exit, output, err, _) = Run("SELECT 1 AS a;", "DROP MODEL nope;", "SELECT 2 AS b;", "SELECT 3 AS c,", "FROM nowhere x y;");
        Assert.Equal(0, exit);
        Assert.Equal("a\n1\nb\n2\n", Body(output));
        var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: DROP MODEL: model nope not found.", errors[0]);
        Assert.Contains("line 5", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_commands_list_models_and_tables()
    {
        var (_, output, _, _) = Run(
            "CREATE TABLE d AS SELECT i::DOUBLE AS x, 2 * i + 1.0 AS y FROM range(10) r(i);",
            "CREATE MODEL m OPTIONS(model_type='linear_reg', input_label_cols=['y']) AS SELECT * FROM d;",
            ".tables", ".models");
        var body = Body(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["schema,name,type", "main,d,BASE TABLE", "model_name,model_type,created_at"], body[..3]);
        Assert.StartsWith("m,LINEAR_REG,", body[3], StringComparison.Ordinal);
        Assert.Equal(4, body.Length);
    }

    [Fact]
    public void Format_and_timer_change_how_results_print()
    {
        var (_, output, _, _) = Run(".format json", "SELECT 1 AS a;", ".timer on", ".format table", "SELECT 2 AS b;", ".timer off", "SELECT 3 AS c;");
        var body = Body(output).Split('\n');
        Assert.Equal("""[{"a":1}]""", body[0]);
        Assert.Equal(["b", "-", "2", "(1 row)", ""], body[1..6]);
        Assert.Matches(@"^Run Time: \d+\.\d{3} s$", body[6]);
        Assert.Equal(["c", "-", "3", "(1 row)"], body[7..11]);
    }

    [Theory]
    [InlineData(".format xml", "error: .format takes table, csv or json.")]
    [InlineData(".timer maybe", "error: .timer takes on or off.")]
    [InlineData(".frobnicate", "error: unknown command '.frobnicate'; .help lists the commands.")]
    public void Bad_dot_command_says_so_and_the_session_goes_on(string command, string message)
    {
        var (exit, output, _, _) = Run(command, "SELECT 1 AS a;");
        Assert.Equal(0, exit);
        Assert.Equal(message + "\na\n1\n", Body(output));
    }

    [Fact]
    public void Help_lists_the_dot_commands()
    {
        var (_, output, _, _) = Run(".help");
        foreach (var command in new[] { ".help", ".models", ".tables", ".timer on|off", ".format table|csv|json", ".quit" })
            Assert.Contains(command, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Quit_leaves_and_later_lines_are_not_run()
    {
        var (exit, output, _, _) = Run("SELECT 1 AS a;", ".quit", "SELECT 2 AS b;");
        Assert.Equal(0, exit);
        Assert.Equal("a\n1\n", Body(output));
    }

    [Fact]
    public void Ctrl_c_drops_the_half_typed_statement_and_twice_on_an_empty_prompt_leaves_with_130()
    {
        var (exit, output, _, lines) = Run("SELECT 1 AS a,", null, "SELECT 2 AS b;", null, null, "SELECT 3 AS c;");
        Assert.Equal(130, exit);
        Assert.Equal("b\n2\n(Ctrl-C again or .quit to leave)\n", Body(output));
        Assert.Equal(["sqlml> ", "  ...> ", "sqlml> ", "sqlml> ", "sqlml> "], lines.Prompts);
    }

    [Fact]
    public void Ctrl_c_that_stopped_a_statement_does_not_stop_the_next_one()
    {
        var (exit, output, _, _) = Run(i => i.Interrupt(), "CREATE TABLE t(i INT);", ".tables", "SELECT 2 AS b;");
        Assert.Equal(0, exit);
        Assert.Equal("schema,name,type\nmain,t,BASE TABLE\nb\n2\n", Body(output));
    }
}
