using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>CancellationToken, SqlMlCommand.Cancel and CommandTimeout stop statements, training included, and change nothing.</summary>
public class CancellationTests
{
    private const string Train = "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'linear_reg', optimize_strategy = 'batch_gradient_descent', learn_rate_strategy = 'constant', learn_rate = 0.01, early_stop = false, max_iterations = 500, input_label_cols = ['y'], data_split_method = 'no_split') AS SELECT x1, x2, y FROM t";

    /// <summary>A query DuckDB needs minutes for: only an interrupt ends it quickly.</summary>
    private const string LongQuery = "SELECT count(*) FROM range(1000000000000) a(x) WHERE hash(x) % 7 = 3";

    /// <summary><see cref="LongQuery"/> with a token that fires after <paramref name="delay"/> ends in OperationCanceledException.</summary>
    private static async Task AssertLongQueryIsCancelled(SqlMlConnection connection, TimeSpan delay)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = LongQuery;
        using var cts = new CancellationTokenSource(delay);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteScalarAsync(cts.Token));
    }

    [Fact]
    public async Task Cancelling_the_token_stops_create_model_and_leaves_no_model()
    {
        using var connection = ProviderData.Open();
        using var cts = new CancellationTokenSource();
        int iterations = 0;
        connection.TrainingProgress += (_, e) =>
        {
            iterations++;
            if (e.Iteration == 2) cts.Cancel();
        };
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Train;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteNonQueryAsync(cts.Token));
        Assert.Equal(3, iterations);
        Assert.False(ProviderData.ModelExists(connection, "m"));
    }

    [Theory]
    [MemberData(nameof(TrainingProgressTests.Models), MemberType = typeof(TrainingProgressTests))]
    public async Task Every_model_type_stops_training_at_the_iteration_after_cancel(string definition, bool async)
    {
        using var connection = ProviderData.Open(ProviderData.Ratings);
        using var cts = new CancellationTokenSource();
        var seen = new List<int>();
        connection.TrainingProgress += (_, e) =>
        {
            seen.Add(e.Iteration);
            cts.Cancel();
        };
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "CREATE MODEL m " + definition;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => async ? cmd.ExecuteNonQueryAsync(cts.Token) : Task.Run(() =>
        {
            using var registration = cts.Token.Register(cmd.Cancel);
            return cmd.ExecuteNonQuery();
        }));
        Assert.Equal([0], seen);
        Assert.False(ProviderData.ModelExists(connection, "m"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Cancel_from_another_thread_stops_training_and_keeps_the_previous_model(bool async)
    {
        using var connection = ProviderData.Open();
        ProviderData.Execute(connection, "CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Train;
        connection.TrainingProgress += (_, e) =>
        {
            if (e.Iteration == 1) Task.Run(cmd.Cancel).Wait();
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProviderData.NonQuery(cmd, async));
        Assert.Equal("KMEANS", ProviderData.Scalar(connection, "SELECT model_type FROM sqlml.models WHERE model_name = 'm'"));
    }

    [Fact]
    public async Task Cancelling_the_token_interrupts_a_running_duckdb_query()
    {
        using var connection = ProviderData.Open();
        await AssertLongQueryIsCancelled(connection, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Cancelling_the_token_interrupts_a_kmeans_training_query_that_duckdb_materializes()
    {
        // KMEANS reads its training query as a materialized result: DuckDB runs it to the end before the first chunk,
        // so only the connection's interrupt stops it.
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT count(*)::DOUBLE AS a, sum(x % 5)::DOUBLE AS b FROM range(1000000000000) r(x) WHERE hash(x) % 7 = 3";
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteNonQueryAsync(cts.Token));
        Assert.False(ProviderData.ModelExists(connection, "k"));
        ProviderData.Execute(connection, "CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
        Assert.True(ProviderData.ModelExists(connection, "k"));
    }

    [Fact]
    public async Task The_connection_runs_the_next_command_normally_after_a_cancelled_one()
    {
        using var connection = ProviderData.Open();
        await AssertLongQueryIsCancelled(connection, TimeSpan.FromMilliseconds(100));
        Assert.Equal(200L, ProviderData.Long(connection, "SELECT count(*) FROM t"));
        ProviderData.Execute(connection, "CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
        Assert.True(ProviderData.ModelExists(connection, "k"));
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_nothing()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "CREATE TABLE u(a INT)";
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cmd.ExecuteNonQueryAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0L, ProviderData.Long(connection, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'u'"));
    }

    [Fact]
    public void Disposing_a_reader_after_cancel_stops_the_script_without_throwing()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1; CREATE TABLE after_cancel AS SELECT 2 AS x; SELECT 3";
        var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        cmd.Cancel();
        reader.Dispose();
        Assert.True(reader.IsClosed);
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'after_cancel'";
        Assert.Equal(0L, Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cancel_repeated_from_before_the_start_stops_a_long_query()
    {
        // The CLI repeats Ctrl-C's cancel until the statement ends: whichever call lands first (before the command
        // starts: nothing to stop; just before DuckDB starts the query: an interrupt it may drop), a later one stops it.
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = LongQuery;
        using var stop = new CancellationTokenSource();
        var canceller = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                cmd.Cancel();
                Thread.Sleep(1);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            Assert.ThrowsAny<OperationCanceledException>(() => cmd.ExecuteScalar());
        }
        finally
        {
            await stop.CancelAsync();
            await canceller;
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        cmd.CommandText = "SELECT 7";
        Assert.Equal(7, cmd.ExecuteScalar());
    }

    [Fact]
    public void Cancel_without_a_running_statement_does_nothing()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.Cancel();
        cmd.CommandText = "SELECT 7";
        Assert.Equal(7, cmd.ExecuteScalar());
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Command_timeout_stops_a_long_query_with_a_timeout_error(bool async)
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = LongQuery;
        cmd.CommandTimeout = 1;
        var e = await Assert.ThrowsAsync<SqlMlException>(() => ProviderData.Scalar(cmd, async));
        Assert.Equal(SqlMlErrorCode.Timeout, e.Code);
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.StartsWith("The statement at line 1 (SELECT COUNT ( …) did not finish within the command timeout of 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_timeout_stops_training_and_leaves_no_model()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Train;
        cmd.CommandTimeout = 1;
        // The handler outlasts the timeout at the first iteration; training stops at the next check.
        connection.TrainingProgress += (_, e) =>
        {
            if (e.Iteration == 0) Thread.Sleep(1100);
        };
        var error = Assert.Throws<SqlMlException>(() => cmd.ExecuteNonQuery());
        Assert.Equal(SqlMlErrorCode.Timeout, error.Code);
        Assert.False(ProviderData.ModelExists(connection, "m"));
    }

    [Fact]
    public void Command_timeout_defaults_to_the_connection_strings_command_timeout_and_otherwise_to_no_limit()
    {
        using var plain = new SqlMlConnection("Data Source=:memory:");
        Assert.Equal(0, plain.CreateCommand().CommandTimeout);
        using var configured = new SqlMlConnection("Data Source=:memory:;Command Timeout=45");
        Assert.Equal(45, configured.CreateCommand().CommandTimeout);
    }

    [Fact]
    public void Negative_command_timeout_is_rejected()
    {
        using var cmd = new SqlMlCommand();
        Assert.Throws<ArgumentOutOfRangeException>(() => cmd.CommandTimeout = -1);
    }
}
