using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// TRANSFORM outputs that are sparse vectors (<c>ARRAY&lt;STRUCT&lt;index, value&gt;&gt;</c> from the encoders, BAG_OF_WORDS and
/// TF_IDF) become one DOUBLE column per vocabulary index for the model kinds, which take numeric and categorical
/// columns: <c>{name}_{i}</c> = the value at index i, 0 when the row has none (index 0 is the NULL/unknown entry).
/// The dimension is the largest index over the training rows, so vocabularies are bounded by <see cref="MaxDimension"/>.
/// </summary>
internal static partial class SparseColumns
{
    /// <summary>The largest vocabulary SqlMl expands into columns.</summary>
    public const int MaxDimension = 1000;

    public static bool IsSparse(string type) => SparseType().IsMatch(type);

    /// <summary>The expansions of the sparse columns among <paramref name="columns"/>, their dimensions learned over <paramref name="stage1"/>.</summary>
    public static List<SparseExpansion> Learn(DuckDBConnection connection, string model, string stage1, IReadOnlyList<QueryColumn> columns)
    {
        var sparse = columns.Where(c => IsSparse(c.Type)).Select(c => c.Name).ToList();
        if (sparse.Count == 0) return [];
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT " + string.Join(", ", sparse.Select(n => $"max(list_max(list_transform({SqlText.QuotedIdentifier(n)}, __e -> __e.index)))")) +
                          " FROM (\n" + stage1 + "\n) AS __sqlml_s";
        using var r = cmd.ExecuteReader();
        r.Read();
        var result = new List<SparseExpansion>();
        for (int i = 0; i < sparse.Count; i++)
        {
            long dimension = r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
            if (dimension > MaxDimension)
                throw Errors.NotYetSupported($"CREATE MODEL {model}", $"TRANSFORM output '{sparse[i]}' with {dimension} vocabulary entries (SqlMl expands sparse vectors of up to {MaxDimension}; lower top_k or raise frequency_threshold)");
            result.Add(new SparseExpansion(sparse[i], (int)Math.Max(dimension, 0)));
        }
        return result;
    }

    /// <summary>The query the model reads: <paramref name="stage1"/> with each sparse column replaced by its numeric columns.</summary>
    public static string Expand(IReadOnlyList<SparseExpansion> expansions, string stage1)
    {
        if (expansions.Count == 0) return stage1;
        var sb = new StringBuilder("SELECT * EXCLUDE (").AppendJoin(", ", expansions.Select(e => SqlText.QuotedIdentifier(e.Column))).Append(')');
        foreach (var e in expansions)
        {
            string col = SqlText.QuotedIdentifier(e.Column);
            for (int i = 0; i <= e.Dimension; i++)
                sb.Append(", CAST(coalesce(list_sum(list_transform(list_filter(").Append(col).Append(", __e -> __e.index = ")
                  .Append(i.ToString(CultureInfo.InvariantCulture)).Append("), __e -> __e.value)), 0) AS DOUBLE) AS ")
                  .Append(SqlText.QuotedIdentifier(e.ColumnName(i)));
        }
        return sb.Append(" FROM (\n").Append(stage1).Append("\n) AS __sqlml_s").ToString();
    }

    /// <summary>The names the model sees for TRANSFORM outputs <paramref name="names"/> (sparse ones expanded).</summary>
    public static IEnumerable<string> ModelNames(IReadOnlyList<SparseExpansion> expansions, IEnumerable<string> names) =>
        names.SelectMany(n => expansions.FirstOrDefault(e => e.Column.Equals(n, StringComparison.OrdinalIgnoreCase)) is { } e
            ? Enumerable.Range(0, e.Dimension + 1).Select(e.ColumnName)
            : [n]);

    [GeneratedRegex("""^STRUCT\("?index"?\s+BIGINT,\s*"?value"?\s+DOUBLE\)\[\]$""", RegexOptions.IgnoreCase)]
    private static partial Regex SparseType();
}
