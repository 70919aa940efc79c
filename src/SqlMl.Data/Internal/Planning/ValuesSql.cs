using System.Globalization;
using System.Text;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>Builds a typed, parenthesized subquery from constant rows (for ML.WEIGHTS, ML.TRAINING_INFO …).</summary>
internal static class ValuesSql
{
    public const string CategoryWeightsType = "STRUCT(category VARCHAR, weight DOUBLE)[]";

    /// <summary>Rows are SQL literal texts; every value is cast to its column's type so empty or NULL values keep their types.</summary>
    public static string Build(IReadOnlyList<(string Name, string Type)> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder("(SELECT ");
        sb.AppendJoin(", ", columns.Select((c, i) => $"CAST(col{i} AS {c.Type}) AS {SqlText.QuotedIdentifier(c.Name)}"));
        var rowTexts = rows.Select(r => "(" + string.Join(", ", r) + ")").ToList();
        if (rowTexts.Count == 0)
        {
            sb.Append(" FROM (SELECT ").AppendJoin(", ", columns.Select((_, i) => $"NULL AS col{i}")).Append(") WHERE false)");
            return sb.ToString();
        }
        sb.Append(" FROM (VALUES ").AppendJoin(", ", rowTexts).Append(") AS __sqlml_v(")
          .AppendJoin(", ", columns.Select((_, i) => "col" + i.ToString(CultureInfo.InvariantCulture))).Append("))");
        return sb.ToString();
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string String(string? value) => value is null ? "NULL" : SqlText.StringLiteral(value);

    /// <summary>A LIST of STRUCT(category, weight) literal.</summary>
    public static string CategoryWeights(IEnumerable<(string? Category, double Weight)> items) =>
        "[" + string.Join(", ", items.Select(i => $"{{'category': {String(i.Category)}, 'weight': {SqlText.Double(i.Weight)}}}")) + "]";
}
