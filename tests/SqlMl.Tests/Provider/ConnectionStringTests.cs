using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>SqlMlConnectionStringBuilder: keys, DuckDB settings, unknown keys.</summary>
public class ConnectionStringTests
{
    [Fact]
    public void Unknown_keys_are_rejected_with_a_suggestion()
    {
        var e = Assert.Throws<ArgumentException>(() => new SqlMlConnection("Data Source=:memory:;Thread=4"));
        Assert.StartsWith("Unknown connection string key 'thread'. Did you mean 'Threads'? SqlMl connection strings take: Data Source, Read Only, Threads, Memory Limit, Command Timeout.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Threads_and_memory_limit_become_duckdb_settings()
    {
        using var connection = new SqlMlConnection("Data Source=:memory:;Threads=2;Memory Limit=1GB");
        connection.Open();
        Assert.Equal(2L, ProviderData.Long(connection, "SELECT current_setting('threads')"));
        Assert.Equal("953.6 MiB", ProviderData.Scalar(connection, "SELECT current_setting('memory_limit')"));
    }

    [Theory]
    [InlineData("Threads=0", "Connection string key 'Threads' must be an integer of at least 1, not '0'.")]
    [InlineData("Read Only=maybe", "Connection string key 'Read Only' must be true or false, not 'maybe'.")]
    [InlineData("Command Timeout=-5", "Connection string key 'Command Timeout' must be an integer of at least 0, not '-5'.")]
    public void Bad_values_are_rejected_when_the_connection_opens(string setting, string message)
    {
        using var connection = new SqlMlConnection("Data Source=:memory:;" + setting);
        var e = Assert.Throws<ArgumentException>(connection.Open);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_semicolon_inside_a_value_cannot_inject_another_duckdb_setting()
    {
        var builder = new SqlMlConnectionStringBuilder { MemoryLimit = "1GB;access_mode=READ_ONLY" };
        using var connection = new SqlMlConnection(builder.ConnectionString);
        Assert.ThrowsAny<Exception>(connection.Open);
        Assert.NotEqual(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public void A_data_source_path_with_a_semicolon_opens_that_file()
    {
        string dir = Directory.CreateTempSubdirectory("sqlml-cs").FullName;
        try
        {
            string path = Path.Combine(dir, "a;b.duckdb");
            var builder = new SqlMlConnectionStringBuilder { DataSource = path };
            using (var connection = new SqlMlConnection(builder.ConnectionString))
            {
                connection.Open();
                Assert.Equal(1L, ProviderData.Long(connection, "SELECT 1"));
            }
            Assert.True(File.Exists(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_builder_round_trips_its_properties()
    {
        var builder = new SqlMlConnectionStringBuilder { DataSource = "x.duckdb", ReadOnly = true, Threads = 3, MemoryLimit = "2GB", CommandTimeout = 60 };
        var parsed = new SqlMlConnectionStringBuilder(builder.ConnectionString);
        Assert.Equal(("x.duckdb", true, 3, "2GB", 60), (parsed.DataSource, parsed.ReadOnly, parsed.Threads, parsed.MemoryLimit, parsed.CommandTimeout));
        Assert.Equal(":memory:", new SqlMlConnectionStringBuilder().DataSource);
        Assert.Equal("x", new SqlMlConnectionStringBuilder("DataSource=x;ReadOnly=false").DataSource);
    }

    [Fact]
    public void A_read_only_connection_reads_models_but_cannot_write()
    {
        string path = Path.Combine(Path.GetTempPath(), "sqlml-ro-" + Guid.NewGuid().ToString("N") + ".duckdb");
        try
        {
            using (var writer = new SqlMlConnection("Data Source=" + path))
            {
                writer.Open();
                ProviderData.Execute(writer, ProviderData.Table);
                ProviderData.Execute(writer, "CREATE MODEL m OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
            }
            using var reader = new SqlMlConnection($"Data Source={path};Read Only=true");
            reader.Open();
            Assert.Equal(200L, ProviderData.Long(reader, "SELECT count(*) FROM ML.PREDICT(MODEL m, TABLE t)"));
            var e = Assert.Throws<SqlMlException>(() => ProviderData.Execute(reader, "CREATE MODEL n OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t"));
            Assert.Contains("read-only", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Named_in_memory_data_sources_are_refused_rather_than_created_as_files()
    {
        using var connection = new SqlMlConnection("Data Source=:memory:shared");
        var e = Assert.Throws<ArgumentException>(connection.Open);
        Assert.StartsWith("Data Source ':memory:shared' is not supported", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(":memory:shared"));
    }
}
