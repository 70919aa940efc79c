using Dapper;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>Dapper over SqlMl: typed rows from ML functions, parameters from anonymous objects.</summary>
public class DapperTests
{
    public sealed record Prediction(long I, double X1, double PredictedY);

    public sealed class ClassPrediction
    {
        public long I { get; set; }
        public string Label { get; set; } = "";
        public string Predicted_label { get; set; } = "";
        public double Prob_a { get; set; }
    }

    private const string Regression = "CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t";

    [Theory, InlineData(false), InlineData(true)]
    public async Task Dapper_maps_ml_predict_rows_to_records_with_parameters(bool async)
    {
        using var connection = ProviderData.Open(Regression);
        const string sql = "SELECT i, x1, predicted_y AS PredictedY FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE grp = $grp)) ORDER BY i";
        var rows = async
            ? (await connection.QueryAsync<Prediction>(sql, new { grp = 3 })).ToList()
            : connection.Query<Prediction>(sql, new { grp = 3 }).ToList();
        Assert.Equal(50, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.I % 4));
        double first = (double)ProviderData.Scalar(connection, "SELECT predicted_y FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE i = 3))")!;
        Assert.Equal(first, rows[0].PredictedY, 12);
    }

    [Fact]
    public void Dapper_maps_classification_results_with_a_parameter_threshold()
    {
        using var connection = ProviderData.Open("CREATE MODEL c OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label']) AS SELECT x1, x2, label FROM t");
        var rows = connection.Query<ClassPrediction>("""
            SELECT i, label, predicted_label, list_filter(predicted_label_probs, p -> p.label = 'a')[1].prob AS prob_a
            FROM ML.PREDICT(MODEL c, TABLE t, STRUCT($threshold AS threshold)) ORDER BY i
            """, new { threshold = 0.9 }).ToList();
        Assert.Equal(200, rows.Count);
        // The model's positive class is the second in sorted order ('b'): it is predicted only with probability >= 0.9.
        Assert.All(rows, r => Assert.Equal(1 - r.Prob_a >= 0.9 ? "b" : "a", r.Predicted_label));
    }

    [Fact]
    public async Task Dapper_execute_and_scalar_run_ml_statements_with_parameters()
    {
        using var connection = ProviderData.Open();
        await connection.ExecuteAsync("CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = $k) AS SELECT x1, x2 FROM t WHERE grp <> $skip", new { k = 3, skip = 0 });
        Assert.Equal(150L, connection.ExecuteScalar<long>("SELECT training_rows FROM sqlml.models WHERE model_name = $name", new { name = "k" }));
        Assert.Equal(3, connection.ExecuteScalar<int>("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL k)"));
    }

    [Fact]
    public void Dapper_reads_multiple_result_sets()
    {
        using var connection = ProviderData.Open(Regression);
        using var grid = connection.QueryMultiple("SELECT count(*) FROM t; SELECT mean_absolute_error FROM ML.EVALUATE(MODEL m)");
        Assert.Equal(200L, grid.ReadSingle<long>());
        Assert.True(grid.ReadSingle<double>() >= 0);
    }
}
