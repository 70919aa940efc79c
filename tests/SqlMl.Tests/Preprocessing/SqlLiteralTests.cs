using SqlMl.Preprocessing;

namespace SqlMl.Tests.Preprocessing;

/// <summary>Frozen statistics read back from DuckDB keep their value and type when rendered as literals.</summary>
public class SqlLiteralTests
{
    [Theory]
    [InlineData("SELECT 1.25::DOUBLE")]
    [InlineData("SELECT 'NaN'::DOUBLE")]
    [InlineData("SELECT '-Infinity'::DOUBLE")]
    [InlineData("SELECT 0.1::DOUBLE + 0.2::DOUBLE")]
    [InlineData("SELECT 42::BIGINT")]
    [InlineData("SELECT 7::INTEGER")]
    [InlineData("SELECT 12.50::DECIMAL(6,2)")]
    [InlineData("SELECT 'it''s'::VARCHAR")]
    [InlineData("SELECT TRUE")]
    [InlineData("SELECT DATE '2024-02-29'")]
    [InlineData("SELECT TIMESTAMP '2024-02-29 13:14:15.123456'")]
    [InlineData("SELECT ['b', 'a', NULL]::VARCHAR[]")]
    [InlineData("SELECT []::VARCHAR[]")]
    [InlineData("SELECT [1.5, 2.5]::DOUBLE[]")]
    [InlineData("SELECT [3, 4]::BIGINT[]")]
    [InlineData("SELECT NULL::DOUBLE")]
    public void Rendered_literal_reads_back_as_the_same_value_and_type(string query)
    {
        using var db = new TestDb();
        var row = db.Rows($"SELECT v, typeof(v) FROM ({query}) AS q(v)")[0];
        var again = db.Rows($"SELECT v, typeof(v) FROM (SELECT {SqlLiteral.Render(row[0])}) AS q(v)")[0];
        Same.AssertValues(row[0], again[0], query, 0);
        // A DECIMAL keeps its scale; its width is the literal's.
        if (row[0] is decimal) Assert.StartsWith("DECIMAL(", (string)again[1]!, StringComparison.Ordinal);
        else if (row[0] is not null) Assert.Equal(row[1], again[1]);
    }
}
