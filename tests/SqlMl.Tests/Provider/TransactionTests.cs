using System.Data;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>SqlMlTransaction, and CREATE MODEL inside a user's transaction.</summary>
public class TransactionTests
{
    private const string Kmeans = "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t";

    [Fact]
    public void Rolling_back_removes_a_model_created_in_the_transaction()
    {
        using var connection = ProviderData.Open();
        using (var tx = connection.BeginTransaction())
        {
            ProviderData.Execute(connection, Kmeans);
            Assert.True(ProviderData.ModelExists(connection, "m"));
            tx.Rollback();
        }
        Assert.False(ProviderData.ModelExists(connection, "m"));
    }

    [Fact]
    public void Rolling_back_brings_back_a_replaced_model()
    {
        using var connection = ProviderData.Open("CREATE MODEL m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x1, x2, y FROM t");
        using (var tx = connection.BeginTransaction())
        {
            ProviderData.Execute(connection, Kmeans);
            Assert.Equal("KMEANS", ProviderData.Scalar(connection, "SELECT model_type FROM sqlml.models"));
        }
        Assert.Equal("LINEAR_REG", ProviderData.Scalar(connection, "SELECT model_type FROM sqlml.models"));
    }

    [Fact]
    public void A_committed_model_is_visible_to_other_connections_only_after_commit()
    {
        using var source = new SqlMlDataSource("Data Source=:memory:");
        using var writer = source.OpenConnection();
        using var reader = source.OpenConnection();
        ProviderData.Execute(writer, ProviderData.Table);
        var tx = writer.BeginTransaction();
        ProviderData.Execute(writer, Kmeans);
        Assert.False(ProviderData.ModelExists(reader, "m"));
        tx.Commit();
        Assert.True(ProviderData.ModelExists(reader, "m"));
        Assert.Equal(200L, ProviderData.Long(reader, "SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE t)"));
    }

    [Fact]
    public void Training_in_a_transaction_sees_its_uncommitted_rows()
    {
        using var connection = ProviderData.Open();
        using var tx = connection.BeginTransaction();
        ProviderData.Execute(connection, "INSERT INTO t SELECT i + 200, x1, x2, y, label, grp FROM t");
        ProviderData.Execute(connection, Kmeans);
        Assert.Equal(400L, ProviderData.Long(connection, "SELECT training_rows FROM sqlml.models"));
        tx.Commit();
    }

    [Fact]
    public void Beginning_a_second_transaction_is_an_error()
    {
        using var connection = ProviderData.Open();
        using var tx = connection.BeginTransaction();
        Assert.Throws<InvalidOperationException>(() => connection.BeginTransaction());
    }

    [Fact]
    public void A_finished_transaction_cannot_commit_again()
    {
        using var connection = ProviderData.Open();
        var tx = connection.BeginTransaction();
        tx.Commit();
        Assert.Null(tx.Connection);
        Assert.Throws<InvalidOperationException>(tx.Commit);
        using var next = connection.BeginTransaction();
        next.Commit();
    }

    [Theory]
    [InlineData(IsolationLevel.Serializable)]
    [InlineData(IsolationLevel.Chaos)]
    public void Isolation_levels_stronger_or_other_than_snapshot_are_rejected(IsolationLevel level)
    {
        using var connection = ProviderData.Open();
        var e = Assert.Throws<ArgumentException>(() => connection.BeginTransaction(level));
        Assert.Contains("snapshot isolation", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transactions_report_snapshot_isolation()
    {
        using var connection = ProviderData.Open();
        using var tx = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        Assert.Equal(IsolationLevel.Snapshot, tx.IsolationLevel);
        Assert.Same(connection, tx.Connection);
    }

    [Fact]
    public void Closing_the_connection_rolls_back_its_open_transaction()
    {
        using var source = new SqlMlDataSource("Data Source=:memory:");
        using var observer = source.OpenConnection();
        var connection = source.OpenConnection();
        ProviderData.Execute(connection, ProviderData.Table);
        connection.BeginTransaction();
        ProviderData.Execute(connection, Kmeans);
        connection.Dispose();
        Assert.False(ProviderData.ModelExists(observer, "m"));
    }
}
