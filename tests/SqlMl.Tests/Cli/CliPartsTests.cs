using System.Data.Common;
using SqlMl.Cli;

namespace SqlMl.Tests.Cli;

/// <summary>The CLI's small parts: parameter typing, statement buffering, Ctrl-C decisions.</summary>
public class CliPartsTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("0.5", 0.5)]
    [InlineData("-1e-3", -0.001)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("\"42\"", "42")]
    [InlineData("2024-01-31", "2024-01-31")]
    [InlineData("abc def", "abc def")]
    [InlineData("", "")]
    [InlineData("99999999999999999999", 1e20)]
    public void Param_value_is_typed_by_its_text(string text, object expected) => Assert.Equal(expected, ParameterValues.Value(text));

    [Fact]
    public void Param_name_may_have_a_dollar_and_the_value_may_hold_equals_signs()
    {
        var p = ParameterValues.Parse("$where=a=b");
        Assert.Equal("where", p.Key);
        Assert.Equal("a=b", p.Value);
    }

    [Fact]
    public void Statement_buffer_returns_complete_statements_with_their_first_line()
    {
        var buffer = new StatementBuffer();
        Assert.Null(buffer.Add("-- a comment"));
        Assert.True(buffer.IsEmpty);
        Assert.Null(buffer.Add("SELECT ';'"));
        Assert.Equal(("SELECT ';'\n, 1;\n", 2), buffer.Add(", 1;"));
        Assert.Null(buffer.Add("SELECT 2"));
        Assert.Equal(("SELECT 2\n", 4), buffer.Flush());
        Assert.Null(buffer.Flush());
    }

    private sealed class CountingCommand : DbCommand
    {
        private int _cancels;

        public int Cancels => Volatile.Read(ref _cancels);

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override System.Data.CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override System.Data.UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbParameterCollection DbParameterCollection => throw new NotSupportedException();
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() => Interlocked.Increment(ref _cancels);
        public override int ExecuteNonQuery() => throw new NotSupportedException();
        public override object? ExecuteScalar() => throw new NotSupportedException();
        public override void Prepare() => throw new NotSupportedException();
        protected override DbParameter CreateDbParameter() => throw new NotSupportedException();
        protected override DbDataReader ExecuteDbDataReader(System.Data.CommandBehavior behavior) => throw new NotSupportedException();
    }

    [Fact]
    public void First_ctrl_c_cancels_the_running_statement_and_a_second_exits()
    {
        var interrupts = new Interrupts(Timeout.InfiniteTimeSpan);
        var cmd = new CountingCommand();
        interrupts.Begin(cmd);
        Assert.Equal(InterruptAction.CancelStatement, interrupts.Interrupt());
        Assert.Equal(1, cmd.Cancels);
        Assert.Equal(InterruptAction.Exit, interrupts.Interrupt());
        Assert.Equal(1, cmd.Cancels);
        Assert.True(interrupts.Requested);
    }

    [Fact]
    public void A_pending_cancel_is_sent_again_until_the_statement_ends()
    {
        // A cancel that arrives before the provider has started the command stops nothing (ADO.NET); repeated, it
        // reaches the statement once it runs. After End nothing more is sent.
        var interrupts = new Interrupts(TimeSpan.FromMilliseconds(5));
        var cmd = new CountingCommand();
        interrupts.Begin(cmd);
        Assert.Equal(InterruptAction.CancelStatement, interrupts.Interrupt());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (cmd.Cancels < 3 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(5);
        Assert.True(cmd.Cancels >= 3, $"the cancel was sent {cmd.Cancels} time(s)");
        interrupts.End();
        int sent = cmd.Cancels;
        Thread.Sleep(50);
        Assert.Equal(sent, cmd.Cancels);
    }

    [Fact]
    public void Ctrl_c_between_statements_is_idle_and_cancels_the_next_one_until_reset()
    {
        var interrupts = new Interrupts();
        Assert.Equal(InterruptAction.Idle, interrupts.Interrupt());
        var cmd = new CountingCommand();
        interrupts.Begin(cmd);
        Assert.Equal(1, cmd.Cancels);
        interrupts.End();
        interrupts.Reset();
        Assert.False(interrupts.Requested);
        var next = new CountingCommand();
        interrupts.Begin(next);
        Assert.Equal(0, next.Cancels);
    }

    [Fact]
    public void Progress_line_shows_model_iteration_loss_and_elapsed()
    {
        Assert.Equal("training m: iteration 3, loss 0.123457, 1.5 s", ProgressLine.Format(new SqlMl.Data.SqlMlTrainingProgressEventArgs("m", 3, 0.1234567, TimeSpan.FromSeconds(1.5))));
        Assert.Equal("training m: iteration 0, 0.0 s", ProgressLine.Format(new SqlMl.Data.SqlMlTrainingProgressEventArgs("m", 0, null, TimeSpan.Zero)));
    }

    [Fact]
    public void Training_shows_progress_when_asked_and_erases_it_at_the_end_of_the_statement()
    {
        using var db = new TestDb();
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new CliOptions(null, OutputFormat.Csv, [], []) { Progress = true };
        var executor = new ScriptExecutor(db.Connection, options, output, error, new Interrupts());
        Assert.Equal(0, executor.Run("CREATE TABLE p AS SELECT (i % 3) * 10.0 + (hash(i) % 100) / 100.0 AS x FROM range(300) r(i); CREATE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT x FROM p; SELECT 1 AS done;", "-c"));
        string text = error.ToString();
        Assert.StartsWith("\rtraining km: iteration 0, loss ", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001b[K", text, StringComparison.Ordinal);
        Assert.Equal("done\n1\n", output.ToString().Replace("\r", "", StringComparison.Ordinal));

        var quiet = new StringWriter();
        new ScriptExecutor(db.Connection, options with { Progress = false }, output, quiet, new Interrupts()).Run("CREATE OR REPLACE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 3) AS SELECT x FROM p", "-c");
        Assert.Equal("", quiet.ToString());
    }

    [Fact]
    public async Task Cancelled_statement_is_logged_as_cancelled_and_the_run_stops_with_130()
    {
        using var db = new TestDb();
        var output = new StringWriter();
        var error = new StringWriter();
        var interrupts = new Interrupts();
        var executor = new ScriptExecutor(db.Connection, new CliOptions(null, OutputFormat.Csv, [], []) { LogJson = true }, output, error, interrupts);
        var ctrlC = Task.Run(async () =>
        {
            await Task.Delay(300);
            return interrupts.Interrupt();
        });
        int exit = executor.Run("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3; SELECT 1 AS never", "-c");
        Assert.Equal(InterruptAction.CancelStatement, await ctrlC);
        Assert.Equal(130, exit);
        Assert.Equal("", output.ToString());
        using var line = System.Text.Json.JsonDocument.Parse(error.ToString().Trim());
        Assert.Equal("cancelled", line.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("statement cancelled (Ctrl-C).", line.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Ctrl_c_during_create_or_replace_model_keeps_the_old_model()
    {
        using var db = new TestDb();
        db.Execute("""
            CREATE TABLE p AS SELECT (i % 4) * 10.0 + (hash(i) % 1000) / 100.0 AS x, (hash(i, 'y') % 1000) / 100.0 AS y FROM range(4000) r(i);
            CREATE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x, y FROM p;
            """);
        var before = db.Rows("SELECT created_at, md5(payload) FROM sqlml.models WHERE model_name = 'km'").Single();
        var interrupts = new Interrupts();
        var actions = new List<InterruptAction>();
        // Ctrl-C arrives while the new model trains: on its first progress report, deterministically.
        db.Connection.TrainingProgress += (_, _) =>
        {
            if (actions.Count == 0) actions.Add(interrupts.Interrupt());
        };
        var error = new StringWriter();
        var executor = new ScriptExecutor(db.Connection, new CliOptions(null, OutputFormat.Csv, [], []), new StringWriter(), error, interrupts);
        int exit = executor.Run("CREATE OR REPLACE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 4, max_iterations = 50, kmeans_init_runs = 5) AS SELECT x, y FROM p", "-c");
        Assert.Equal([InterruptAction.CancelStatement], actions);
        Assert.Equal(130, exit);
        Assert.Equal("error: statement cancelled (Ctrl-C).", error.ToString().Trim());
        var after = db.Rows("SELECT created_at, md5(payload) FROM sqlml.models WHERE model_name = 'km'").Single();
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
        Assert.Equal(2L, db.Scalar("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL km)"));
    }
}
