using System.Text;
using SqlMl.Data;
using SqlMl.Parsing;

namespace SqlMl.Cli;

/// <summary>
/// Writes a result set to the <c>--output</c> file, in the format its extension names: <c>.csv</c> and <c>.json</c>
/// exactly as <c>--format csv|json</c> prints them, <c>.parquet</c> through DuckDB's COPY (column types kept,
/// lists and structs included). The file is written beside its final name and moved into place, so a reader never
/// sees half a file.
/// </summary>
internal static class OutputFileWriter
{
    private static readonly string[] Extensions = [".csv", ".json", ".parquet"];

    /// <summary>An error message if the file's extension is not one SqlMl writes; null when it is.</summary>
    public static string? Check(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return Extensions.Contains(ext) ? null : $"--output '{path}': the extension must be .csv, .json or .parquet.";
    }

    public static void Write(string path, ResultSet result)
    {
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            switch (Path.GetExtension(full).ToLowerInvariant())
            {
                case ".parquet": WriteParquet(temp, result); break;
                default:
                    using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
                        new ResultPrinter(Path.GetExtension(full).Equals(".json", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Csv, writer).Print(result);
                    break;
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Rows go to DuckDB as JSON and DuckDB writes the parquet file; every column is cast back to the type the reader
    /// reported (DuckDB's SQL type: DECIMAL(p,s), INTEGER[], STRUCT(…)), except MAP columns, which JSON cannot tell
    /// from structs and which stay STRUCTs.
    /// </summary>
    private static void WriteParquet(string path, ResultSet result)
    {
        string json = path + ".json";
        try
        {
            var columns = result.Names.Select((n, i) => (Name: SqlText.QuotedIdentifier(n), Type: ParquetType(result.TypeNames[i]), Text: AsText(result.TypeNames[i]))).ToList();
            // Values JSON numbers or .NET text would change (DECIMAL and 128-bit integers read back as doubles, BLOB
            // bytes, INTERVAL) travel as exact text and are cast back by DuckDB.
            var rows = result.Rows.Select(r => r.Select((v, i) => columns[i].Text ? Text(v) : v).ToArray());
            using (var writer = new StreamWriter(json, append: false, new UTF8Encoding(false)))
                ResultPrinter.WriteJsonArray(writer, result.Names, rows);
            string types = "{" + string.Join(", ", columns.Select((c, i) => SqlText.StringLiteral(result.Names[i]) + ": " + SqlText.StringLiteral(c.Text ? "VARCHAR" : IsMap(c.Type) ? "JSON" : c.Type))) + "}";
            string select = result.Rows.Count == 0
                ? "SELECT " + string.Join(", ", columns.Select(c => $"NULL::{(IsMap(c.Type) ? "JSON" : c.Type)} AS {c.Name}")) + " LIMIT 0"
                : "SELECT " + string.Join(", ", columns.Select(c => IsMap(c.Type) ? c.Name : c.Type == "BLOB" ? $"unhex({c.Name}) AS {c.Name}" : $"CAST({c.Name} AS {c.Type}) AS {c.Name}"))
                  + $" FROM read_json({SqlText.StringLiteral(json)}, format = 'array', columns = {types}, maximum_depth = -1)";
            using var connection = new SqlMlConnection("Data Source=:memory:");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"COPY ({select}) TO {SqlText.StringLiteral(path)} (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>The parquet column type: the reader's type, ENUM as VARCHAR (its values are not listed there).</summary>
    private static string ParquetType(string type) =>
        type.StartsWith("ENUM", StringComparison.OrdinalIgnoreCase) && !type.Contains('[', StringComparison.Ordinal) ? "VARCHAR" : type;

    /// <summary>Whether a column's values go to DuckDB as text (see <see cref="Text"/>).</summary>
    private static bool AsText(string type) =>
        type.StartsWith("DECIMAL", StringComparison.OrdinalIgnoreCase) && type.EndsWith(')') && !type.Contains('[', StringComparison.Ordinal)
        || type is "HUGEINT" or "UHUGEINT" or "UBIGINT" or "BLOB" or "INTERVAL";

    /// <summary>Exact text DuckDB casts back: invariant numbers, hex for BLOBs, microseconds for intervals.</summary>
    private static object? Text(object? value) => value switch
    {
        null or DBNull => null,
        byte[] bytes => Convert.ToHexString(bytes),
        TimeSpan span => (span.Ticks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + " microseconds",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool IsMap(string type) => type.StartsWith("MAP(", StringComparison.OrdinalIgnoreCase);
}
