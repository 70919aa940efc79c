using System.Data;
using SqlMl.Data;

namespace SqlMl.Tests.Provider;

/// <summary>GetSchema collections, column types of ML results, GetSchemaTable and multiple result sets.</summary>
public class SchemaTests
{
    private const string Classifier = "CREATE MODEL c OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label']) AS SELECT x1, x2, label FROM t";

    private static List<string> Column(DataTable table, string column) => table.Rows.Cast<DataRow>().Select(r => Convert.ToString(r[column], System.Globalization.CultureInfo.InvariantCulture)!).ToList();

    [Fact]
    public void Get_schema_lists_its_collections()
    {
        using var connection = ProviderData.Open();
        var table = connection.GetSchema();
        Assert.Equal(["MetaDataCollections", "Restrictions", "Tables", "Columns", "Models"], Column(table, "CollectionName"));
    }

    [Fact]
    public void Tables_lists_user_tables_and_views_without_the_model_catalog()
    {
        using var connection = ProviderData.Open("CREATE VIEW v AS SELECT i FROM t");
        var table = connection.GetSchema("Tables");
        Assert.Equal(["t", "v"], Column(table, "TABLE_NAME"));
        Assert.Equal(["BASE TABLE", "VIEW"], Column(table, "TABLE_TYPE"));
        Assert.Equal(["v"], Column(connection.GetSchema("Tables", [null, "main", "v"]), "TABLE_NAME"));
    }

    [Fact]
    public void Columns_lists_a_tables_columns_in_order_with_their_types()
    {
        using var connection = ProviderData.Open();
        var table = connection.GetSchema("Columns", [null, null, "t"]);
        Assert.Equal(["i", "x1", "x2", "y", "label", "grp"], Column(table, "COLUMN_NAME"));
        Assert.Equal(["BIGINT", "DOUBLE", "DOUBLE", "DOUBLE", "VARCHAR", "BIGINT"], Column(table, "DATA_TYPE"));
    }

    [Fact]
    public void Models_lists_the_models_of_the_catalog()
    {
        using var connection = ProviderData.Open(Classifier + "; CREATE MODEL k OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x1, x2 FROM t");
        var table = connection.GetSchema("Models");
        Assert.Equal(["c", "k"], Column(table, "MODEL_NAME"));
        Assert.Equal(["LOGISTIC_REG", "KMEANS"], Column(table, "MODEL_TYPE"));
        Assert.Equal(["label", ""], Column(table, "LABEL"));
        Assert.Equal(["k"], Column(connection.GetSchema("Models", ["main", "k"]), "MODEL_NAME"));
    }

    [Fact]
    public void Unknown_collections_and_too_many_restrictions_are_rejected()
    {
        using var connection = ProviderData.Open();
        Assert.StartsWith("Unknown schema collection 'Indexes'. SqlMl has: MetaDataCollections, Restrictions, Tables, Columns, Models.",
            Assert.Throws<ArgumentException>(() => connection.GetSchema("Indexes")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => connection.GetSchema("Models", ["a", "b", "c"]));
    }

    [Fact]
    public void Ml_predict_probabilities_have_list_of_struct_types()
    {
        using var connection = ProviderData.Open(Classifier);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT i, predicted_label, predicted_label_probs FROM ML.PREDICT(MODEL c, TABLE t) ORDER BY i";
        using var reader = cmd.ExecuteReader();
        Assert.Equal(["BIGINT", "VARCHAR", "STRUCT(label VARCHAR, prob DOUBLE)[]"], Enumerable.Range(0, 3).Select(reader.GetDataTypeName));
        Assert.Equal(typeof(List<Dictionary<string, object?>>), reader.GetFieldType(2));
        Assert.True(reader.Read());
        var probs = Assert.IsType<List<Dictionary<string, object?>>>(reader.GetValue(2));
        Assert.Equal(["a", "b"], probs.Select(p => (string)p["label"]!).Order());
        Assert.Equal(1.0, probs.Sum(p => (double)p["prob"]!), 12);
    }

    [Fact]
    public void Get_schema_table_describes_each_column()
    {
        using var connection = ProviderData.Open(Classifier);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1.25::DECIMAL(5,2) AS d, predicted_label_probs FROM ML.PREDICT(MODEL c, TABLE t)";
        using var reader = cmd.ExecuteReader();
        var schema = reader.GetSchemaTable();
        Assert.Equal(["d", "predicted_label_probs"], Column(schema, "ColumnName"));
        Assert.Equal(["DECIMAL(5,2)", "STRUCT(label VARCHAR, prob DOUBLE)[]"], Column(schema, "DataTypeName"));
        Assert.Equal((short)5, schema.Rows[0]["NumericPrecision"]);
        Assert.Equal((short)2, schema.Rows[0]["NumericScale"]);
        Assert.Equal(typeof(decimal), schema.Rows[0]["DataType"]);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Next_result_runs_the_script_on_to_each_result_set(bool async)
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT 1 AS a; {Classifier}; SELECT count(*) AS n FROM ML.PREDICT(MODEL c, TABLE t); CREATE TABLE z(x INT); SELECT 'last' AS s";
        using var reader = await ProviderData.Reader(cmd, async);
        var names = new List<string>();
        do
        {
            names.Add(reader.GetName(0));
            Assert.True(async ? await reader.ReadAsync() : reader.Read());
        }
        while (async ? await reader.NextResultAsync() : reader.NextResult());
        Assert.Equal(["a", "n", "s"], names);
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void Close_connection_behavior_closes_the_connection_with_the_reader()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1";
        using (var reader = cmd.ExecuteReader(CommandBehavior.CloseConnection))
            Assert.True(reader.Read());
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void A_command_with_an_open_reader_cannot_run_again()
    {
        using var connection = ProviderData.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1; SELECT 2";
        using (var reader = cmd.ExecuteReader())
            Assert.Throws<InvalidOperationException>(() => cmd.ExecuteReader());
        Assert.Equal(1, cmd.ExecuteScalar());
    }
}
