using System.Globalization;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>SqlMlConnection.TrainingProgress: one event per training iteration, matching ML.TRAINING_INFO.</summary>
public class TrainingProgressTests
{
    public static TheoryData<string, bool> Models => new()
    {
        { "OPTIONS(model_type = 'linear_reg', optimize_strategy = 'batch_gradient_descent', input_label_cols = ['y'], data_split_method = 'no_split') AS SELECT x1, x2, y FROM t", false },
        { "OPTIONS(model_type = 'linear_reg', optimize_strategy = 'normal_equation', input_label_cols = ['y'], data_split_method = 'no_split') AS SELECT x1, x2, y FROM t", true },
        { "OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label'], data_split_method = 'no_split') AS SELECT x1, x2, label FROM t", false },
        { "OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_runs = 1) AS SELECT x1, x2 FROM t", true },
        { "OPTIONS(model_type = 'matrix_factorization', num_factors = 2, user_col = 'user', item_col = 'item', rating_col = 'rating', data_split_method = 'no_split') AS SELECT * FROM ratings", false },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Training_progress_is_raised_once_per_iteration_of_training_info(string definition, bool async)
    {
        using var connection = ProviderData.Open(ProviderData.Ratings);
        var events = new List<SqlMlTrainingProgressEventArgs>();
        connection.TrainingProgress += (sender, e) =>
        {
            Assert.Same(connection, sender);
            events.Add(e);
        };
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "CREATE MODEL My_Model " + definition;
        await ProviderData.NonQuery(cmd, async);

        using var info = connection.CreateCommand();
        info.CommandText = "SELECT iteration, loss FROM ML.TRAINING_INFO(MODEL my_model) ORDER BY iteration";
        var expected = new List<(long Iteration, double Loss)>();
        using (var r = info.ExecuteReader())
            while (r.Read()) expected.Add((r.GetInt64(0), r.GetDouble(1)));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, events.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal("My_Model", events[i].Model);
            Assert.Equal(expected[i].Iteration, events[i].Iteration);
            Assert.Equal(expected[i].Loss, events[i].Loss!.Value, 12);
            if (i > 0) Assert.True(events[i].Elapsed >= events[i - 1].Elapsed);
        }
    }

    [Fact]
    public void Training_progress_is_not_raised_by_statements_that_do_not_train()
    {
        using var connection = ProviderData.Open();
        int count = 0;
        connection.TrainingProgress += (_, _) => count++;
        ProviderData.Execute(connection, "CREATE TABLE u AS SELECT * FROM t; SELECT count(*) FROM u");
        Assert.Equal(0, count);
    }

    [Fact]
    public void Training_progress_handler_can_be_removed()
    {
        using var connection = ProviderData.Open();
        int count = 0;
        EventHandler<SqlMlTrainingProgressEventArgs> handler = (_, _) => count++;
        connection.TrainingProgress += handler;
        ProviderData.Execute(connection, "CREATE MODEL a OPTIONS(model_type = 'kmeans', num_clusters = 2, kmeans_init_runs = 1) AS SELECT x1, x2 FROM t");
        int afterFirst = count;
        connection.TrainingProgress -= handler;
        ProviderData.Execute(connection, "CREATE MODEL b OPTIONS(model_type = 'kmeans', num_clusters = 2, kmeans_init_runs = 1) AS SELECT x1, x2 FROM t");
        Assert.True(afterFirst > 0, afterFirst.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(afterFirst, count);
    }

    [Fact]
    public void An_exception_in_a_progress_handler_ends_create_model_and_stores_nothing()
    {
        using var connection = ProviderData.Open();
        connection.TrainingProgress += (_, _) => throw new InvalidDataException("stop here");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t";
        Assert.Equal("stop here", Assert.Throws<InvalidDataException>(() => cmd.ExecuteNonQuery()).Message);
        Assert.False(ProviderData.ModelExists(connection, "m"));
    }
}
