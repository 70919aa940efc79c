using DuckDB.NET.Data;
using SqlMl.Data.Internal.Catalog;
using SqlMl.Data.Internal.Planning;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// CREATE MODEL and DROP MODEL. Training happens before the catalog is touched; the new model is written in one
/// transaction, so a failed training or write leaves the previous model and the database as they were.
/// </summary>
internal static class CreateModelExecutor
{
    public static void Create(DuckDBConnection connection, CreateModelStatement stmt, MlFunctionRewriter rewriter, CancellationToken cancellationToken,
        IProgress<IterationInfo>? progress = null)
    {
        string name = stmt.Name.ToString();
        if (stmt.OrReplace && stmt.IfNotExists)
            throw Errors.Binding($"CREATE MODEL {name}: OR REPLACE and IF NOT EXISTS cannot be used together.");
        CheckSchema(connection, stmt.Name);
        bool exists = ModelCatalog.Exists(connection, stmt.Name);
        if (exists && stmt.IfNotExists) return;
        if (exists && !stmt.OrReplace) throw Errors.ModelExists(name);

        var typeEntry = stmt.Options.FirstOrDefault(o => o.Name.Equals("model_type", StringComparison.OrdinalIgnoreCase))
            ?? throw Errors.Binding($"CREATE MODEL {name}: OPTIONS must include model_type, e.g. OPTIONS(model_type = 'linear_reg').");
        if (typeEntry.Value is not StringValue typeValue)
            throw Errors.OptionType("CREATE MODEL", "model_type", "STRING", typeEntry.Value.TypeName, typeEntry.Value.ToString()!);
        string modelType = typeValue.Value.ToUpperInvariant();
        var kind = ModelKinds.Find(modelType);
        if (kind is null)
        {
            if (ModelKinds.Planned.Contains(modelType))
                throw Errors.NotYetSupported($"CREATE MODEL {name}", $"model_type '{typeValue.Value}'");
            string? guess = Errors.DidYouMean(modelType, ModelKinds.Supported.Concat(ModelKinds.Planned));
            throw Errors.OptionValue("CREATE MODEL", "model_type", $"has unknown value '{typeValue.Value}'" + (guess is null ? "" : $". Did you mean '{guess.ToLowerInvariant()}'?"));
        }

        var query = rewriter.Rewrite(stmt.Query);
        BoundTransform? transform = null;
        if (stmt.Transform is not null)
        {
            if (modelType == "MATRIX_FACTORIZATION")
                throw Errors.Binding($"CREATE MODEL {name}: the TRANSFORM clause is not supported for MATRIX_FACTORIZATION models (as in BigQuery ML).");
            transform = TransformBinder.Bind(connection, stmt, modelType, query);
        }
        var context = new CreateModelContext(stmt with { Query = transform?.TrainingQuery ?? query }, modelType, connection, cancellationToken) { Progress = progress };
        StoredModel model;
        byte[] payload;
        IReadOnlyList<Native.ITrainingRead> reads;
        // The readers the training opens record ML.FEATURE_INFO's statistics as they go (no TRANSFORM: the statistics
        // describe the columns before it, which the trainer never reads).
        using (var log = transform is null ? Native.TrainingReads.Begin(connection) : null)
        {
            try
            {
                (model, payload) = kind.Train(context);
            }
            catch (Exception e) when (transform is not null
                && (e is DuckDBException && !e.Message.StartsWith("Parser Error", StringComparison.Ordinal) || e is SqlMlException { Code: SqlMlErrorCode.Engine }))
            {
                // A TRANSFORM expression that fails on some row (a bad cast, a division error) fails while the data is read.
                throw Errors.Engine($"CREATE MODEL {name}: the TRANSFORM clause failed on the training query: {e.Message}", e);
            }
            reads = log?.Readers ?? [];
        }
        cancellationToken.ThrowIfCancellationRequested();
        model = model with { Transform = transform?.Transform, FeatureInfo = FeatureInfoSql.ForModel(connection, model, query, transform?.Transform, reads) };
        ModelCatalog.Save(connection, model, payload);
    }

    public static void Drop(DuckDBConnection connection, DropModelStatement stmt)
    {
        if (!ModelCatalog.Drop(connection, stmt.Name) && !stmt.IfExists)
            throw Errors.ModelNotFound("DROP MODEL", stmt.Name.ToString());
    }

    private static void CheckSchema(DuckDBConnection connection, ModelName name)
    {
        if (name.Schema is null) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM duckdb_schemas() WHERE lower(schema_name) = lower($s)";
        cmd.Parameters.Add(new DuckDBParameter("s", name.Schema));
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            throw Errors.Catalog($"CREATE MODEL {name}: schema '{name.Schema}' does not exist. Create it first with CREATE SCHEMA {SqlText.Identifier(name.Schema)}.");
    }
}
