using System.Data.Common;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>SqlMlFactory with DbProviderFactories, and the provider-neutral ADO.NET surface.</summary>
public class FactoryTests
{
    [Fact]
    public void The_factory_registers_with_db_provider_factories_and_runs_ml_sql()
    {
        DbProviderFactories.RegisterFactory(SqlMlFactory.InvariantName, SqlMlFactory.Instance);
        var factory = DbProviderFactories.GetFactory("SqlMl.Data");
        Assert.Same(SqlMlFactory.Instance, factory);
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = "Data Source=:memory:";
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = ProviderData.Table + "; CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t; SELECT count(*) FROM ML.PREDICT(MODEL m, (SELECT * FROM t WHERE grp = $g))";
        var p = factory.CreateParameter()!;
        p.ParameterName = "g";
        p.Value = 1;
        cmd.Parameters.Add(p);
        Assert.Equal(50L, Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_factory_creates_sqlml_types()
    {
        var f = SqlMlFactory.Instance;
        Assert.IsType<SqlMlConnection>(f.CreateConnection());
        Assert.IsType<SqlMlCommand>(f.CreateCommand());
        Assert.IsType<SqlMlParameter>(f.CreateParameter());
        Assert.IsType<SqlMlConnectionStringBuilder>(f.CreateConnectionStringBuilder());
        Assert.IsType<SqlMlDataSource>(f.CreateDataSource("Data Source=:memory:"));
    }

    [Fact]
    public async Task A_data_source_command_opens_its_own_connection()
    {
        await using var source = SqlMlFactory.Instance.CreateDataSource("Data Source=:memory:");
        await using (var setup = source.CreateCommand(ProviderData.Table))
            await setup.ExecuteNonQueryAsync();
        await using var cmd = source.CreateCommand("SELECT count(*) FROM t");
        Assert.Equal(200L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
