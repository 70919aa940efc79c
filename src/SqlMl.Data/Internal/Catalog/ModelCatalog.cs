using System.Text.Json;
using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Catalog;

/// <summary>
/// Models live in the database itself, in <c>sqlml.models</c> (schema documented in docs/catalog.md): one row per
/// model with its options, features, training info and metrics as JSON and the model as a versioned BLOB
/// (<see cref="ModelPayload"/>). Every change is one transaction, so a failure leaves the catalog as it was.
/// </summary>
internal static class ModelCatalog
{
    private const string CreateSql = """
        CREATE SCHEMA IF NOT EXISTS sqlml;
        CREATE TABLE IF NOT EXISTS sqlml.models (
            model_key      VARCHAR PRIMARY KEY,
            schema_name    VARCHAR NOT NULL,
            model_name     VARCHAR NOT NULL,
            model_type     VARCHAR NOT NULL,
            format_version INTEGER NOT NULL,
            options        JSON NOT NULL,
            label          VARCHAR,
            features       JSON NOT NULL,
            training_info  JSON NOT NULL,
            metrics        JSON NOT NULL,
            metrics_source VARCHAR NOT NULL,
            training_rows  BIGINT NOT NULL,
            eval_rows      BIGINT NOT NULL,
            payload        BLOB NOT NULL,
            created_at     TIMESTAMP NOT NULL,
            transform      JSON,
            feature_info   JSON
        );
        ALTER TABLE sqlml.models ADD COLUMN IF NOT EXISTS transform JSON;
        ALTER TABLE sqlml.models ADD COLUMN IF NOT EXISTS feature_info JSON;
        """;

    /// <summary>Creates the catalog table if the database is writable and it does not exist yet.</summary>
    public static void EnsureCreated(DuckDBConnection connection, bool throwOnFailure)
    {
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = CreateSql;
            cmd.ExecuteNonQuery();
        }
        catch (DuckDBException) when (!throwOnFailure)
        {
            // read-only database: models can still be read if the table exists
        }
    }

    public static StoredModel? TryGet(DuckDBConnection connection, ModelName name)
    {
        if (!TableExists(connection)) return null;
        bool extras = HasExtraColumns(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT schema_name, model_name, model_type, format_version, options::VARCHAR, label, features::VARCHAR,
                   training_info::VARCHAR, metrics::VARCHAR, metrics_source, training_rows, eval_rows, payload, created_at,
                   {(extras ? "transform::VARCHAR, feature_info::VARCHAR" : "NULL, NULL")}
            FROM sqlml.models WHERE model_key = $key
            """;
        cmd.Parameters.Add(new DuckDBParameter("key", name.Key));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        var stored = new ModelName(r.GetString(0) == ModelName.DefaultSchema && name.Schema is null ? null : r.GetString(0), r.GetString(1));
        byte[] payload = ReadBlob(r.GetValue(12));
        var features = JsonSerializer.Deserialize<List<FeatureColumn>>(r.GetString(6))!;
        var iterations = JsonSerializer.Deserialize<List<IterationInfo>>(r.GetString(7))!;
        var metrics = JsonSerializer.Deserialize<List<KeyValuePair<string, double?>>>(r.GetString(8))!;
        string type = r.GetString(2);
        var kind = Planning.ModelKinds.Find(type)
            ?? throw Errors.Catalog($"Model {stored}: model type {type} is not supported by this SqlMl.");
        return new StoredModel(stored, type, r.GetString(4), features, r.IsDBNull(5) ? "" : r.GetString(5),
            kind.ReadModel(payload, stored.ToString()), iterations, metrics, r.GetString(9), r.GetInt64(10), r.GetInt64(11), r.GetDateTime(13))
        {
            Transform = r.IsDBNull(14) ? null : JsonSerializer.Deserialize<ModelTransform>(r.GetString(14)),
            FeatureInfo = r.IsDBNull(15) ? null : JsonSerializer.Deserialize<List<FeatureInfo>>(r.GetString(15)),
        };
    }

    public static bool Exists(DuckDBConnection connection, ModelName name)
    {
        if (!TableExists(connection)) return false;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlml.models WHERE model_key = $key";
        cmd.Parameters.Add(new DuckDBParameter("key", name.Key));
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Writes a model, replacing any model of that name, in one transaction.</summary>
    public static void Save(DuckDBConnection connection, StoredModel model, byte[] payload)
    {
        EnsureCreated(connection, throwOnFailure: true);
        using var tx = Transactions.Begin(connection);
        using (var del = connection.CreateCommand())
        {
            del.CommandText = "DELETE FROM sqlml.models WHERE model_key = $key";
            del.Parameters.Add(new DuckDBParameter("key", model.Name.Key));
            del.ExecuteNonQuery();
        }
        using (var ins = connection.CreateCommand())
        {
            ins.CommandText = """
                INSERT INTO sqlml.models (model_key, schema_name, model_name, model_type, format_version, options, label,
                    features, training_info, metrics, metrics_source, training_rows, eval_rows, payload, created_at,
                    transform, feature_info)
                VALUES ($key, $schema, $name, $type, $version, $options, $label, $features,
                    $info, $metrics, $source, $trows, $erows, $payload, $created, $transform, $featureinfo)
                """;
            var p = ins.Parameters;
            p.Add(new DuckDBParameter("key", model.Name.Key));
            p.Add(new DuckDBParameter("schema", model.Name.EffectiveSchema));
            p.Add(new DuckDBParameter("name", model.Name.Name));
            p.Add(new DuckDBParameter("type", model.ModelType));
            p.Add(new DuckDBParameter("version", ModelPayload.FormatVersion));
            p.Add(new DuckDBParameter("options", model.OptionsJson));
            p.Add(new DuckDBParameter("label", string.IsNullOrEmpty(model.Label) ? DBNull.Value : model.Label));
            p.Add(new DuckDBParameter("features", JsonSerializer.Serialize(model.Features)));
            p.Add(new DuckDBParameter("info", JsonSerializer.Serialize(model.Iterations)));
            p.Add(new DuckDBParameter("metrics", JsonSerializer.Serialize(model.Metrics)));
            p.Add(new DuckDBParameter("source", model.MetricsSource));
            p.Add(new DuckDBParameter("trows", model.TrainingRows));
            p.Add(new DuckDBParameter("erows", model.EvaluationRows));
            p.Add(new DuckDBParameter("payload", payload));
            p.Add(new DuckDBParameter("created", model.CreatedAt));
            p.Add(new DuckDBParameter("transform", model.Transform is null ? DBNull.Value : JsonSerializer.Serialize(model.Transform)));
            p.Add(new DuckDBParameter("featureinfo", model.FeatureInfo is null ? DBNull.Value : JsonSerializer.Serialize(model.FeatureInfo)));
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Deletes a model; false if it did not exist.</summary>
    public static bool Drop(DuckDBConnection connection, ModelName name)
    {
        if (!TableExists(connection)) return false;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM sqlml.models WHERE model_key = $key";
        cmd.Parameters.Add(new DuckDBParameter("key", name.Key));
        return cmd.ExecuteNonQuery() > 0;
    }

    /// <summary>Whether the catalog has the columns added with TRANSFORM (a read-only database of an older SqlMl may not).</summary>
    private static bool HasExtraColumns(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'sqlml' AND table_name = 'models' AND column_name IN ('transform', 'feature_info')";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 2;
    }

    private static bool TableExists(DuckDBConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'sqlml' AND table_name = 'models'";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static byte[] ReadBlob(object value) => value switch
    {
        byte[] b => b,
        Stream s => ReadAll(s),
        _ => throw new InvalidOperationException("unexpected BLOB representation " + value.GetType()),
    };

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
