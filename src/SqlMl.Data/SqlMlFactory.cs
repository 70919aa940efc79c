using System.Data.Common;

namespace SqlMl.Data;

/// <summary>
/// Creates SqlMl's ADO.NET objects; register it with
/// <c>DbProviderFactories.RegisterFactory(SqlMlFactory.InvariantName, SqlMlFactory.Instance)</c>.
/// </summary>
public sealed class SqlMlFactory : DbProviderFactory
{
    /// <summary>The provider's invariant name, <c>SqlMl.Data</c>, for <see cref="DbProviderFactories"/>.</summary>
    public const string InvariantName = "SqlMl.Data";

    /// <summary>The one instance.</summary>
    public static readonly SqlMlFactory Instance = new();

    private SqlMlFactory()
    {
    }

    /// <inheritdoc />
    public override bool CanCreateDataSourceEnumerator => false;

    /// <inheritdoc />
    public override DbCommand CreateCommand() => new SqlMlCommand();

    /// <inheritdoc />
    public override DbConnection CreateConnection() => new SqlMlConnection();

    /// <inheritdoc />
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new SqlMlConnectionStringBuilder();

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new SqlMlParameter();

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(string connectionString) => new SqlMlDataSource(connectionString);
}
