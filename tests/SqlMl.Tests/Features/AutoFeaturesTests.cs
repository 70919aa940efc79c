using SqlMl.Features;
using SqlMl.Models;

namespace SqlMl.Tests.Features;

/// <summary>The expansion rules of automatic preprocessing, on DuckDB type strings alone (no database).</summary>
public class AutoFeaturesTests
{
    private static FeatureKind? Classify(string type) =>
        type is "DOUBLE" or "INTEGER" or "BIGINT" || type.StartsWith("DECIMAL", StringComparison.Ordinal) ? FeatureKind.Numeric
        : type is "VARCHAR" or "BOOLEAN" or "TIME" ? FeatureKind.Categorical
        : null;

    private static List<string> Names(string column, string type) =>
        AutoFeatures.Expand(column, type, Classify, "CREATE MODEL m").Select(f => $"{f.Name}:{f.Kind}:{f.Derivation}:{string.Join('.', f.Path)}").ToList();

    [Theory]
    [InlineData("INTEGER", "Scalar", 0)]
    [InlineData("VARCHAR[]", "List", 0)]
    [InlineData("VARCHAR[3]", "List", 0)]
    [InlineData("ENUM('a', 'b,c')[]", "List", 0)]
    [InlineData("STRUCT(a INTEGER, \"b c\" DECIMAL(10,2), \"when\" TIMESTAMP WITH TIME ZONE, d VARCHAR[])", "Struct", 4)]
    [InlineData("STRUCT(INTEGER, VARCHAR)", "Struct", 2)]
    [InlineData("STRUCT(a INTEGER)[]", "List", 0)]
    [InlineData("TIMESTAMP WITH TIME ZONE", "Scalar", 0)]
    public void Types_parse_into_lists_and_structs(string text, string shape, int fields)
    {
        var t = DuckDbType.Parse(text);
        Assert.Equal(shape, t.Shape.ToString());
        Assert.Equal(fields, t.Fields.Count);
        Assert.Equal(text, t.Text);
    }

    [Fact]
    public void Struct_fields_keep_quoted_names_and_their_types()
    {
        var t = DuckDbType.Parse("STRUCT(a INTEGER, \"b \"\"c\"\"\" DECIMAL(10,2), \"when\" TIMESTAMP WITH TIME ZONE, d ENUM('x', 'y')[])");
        Assert.Equal(["a", "b \"c\"", "when", "d"], t.Fields.Select(f => f.Name));
        Assert.Equal(["INTEGER", "DECIMAL(10,2)", "TIMESTAMP WITH TIME ZONE", "ENUM('x', 'y')[]"], t.Fields.Select(f => f.Type.Text));
        Assert.Equal("ENUM('x', 'y')", t.Fields[3].Type.Element!.Text);
        Assert.All(DuckDbType.Parse("STRUCT(INTEGER, TIMESTAMP WITH TIME ZONE)").Fields, f => Assert.Null(f.Name));
    }

    [Fact]
    public void Timestamps_expand_to_seconds_and_seven_components_dates_to_five()
    {
        Assert.Equal(["ts:Numeric:EpochSeconds:ts", "_TS_DOM_ts:Categorical:DayOfMonth:ts", "_TS_DOW_ts:Categorical:DayOfWeek:ts",
            "_TS_MOY_ts:Categorical:MonthOfYear:ts", "_TS_HOD_ts:Categorical:HourOfDay:ts", "_TS_MOH_ts:Categorical:MinuteOfHour:ts",
            "_TS_WOY_ts:Categorical:WeekOfYear:ts", "_TS_YEAR_ts:Categorical:Year:ts"], Names("ts", "TIMESTAMP"));
        Assert.Equal(8, Names("ts", "TIMESTAMP WITH TIME ZONE").Count);
        Assert.Equal(8, Names("ts", "TIMESTAMP_NS").Count);
        Assert.Equal(["d:Numeric:EpochSeconds:d", "_TS_DOM_d:Categorical:DayOfMonth:d", "_TS_DOW_d:Categorical:DayOfWeek:d",
            "_TS_MOY_d:Categorical:MonthOfYear:d", "_TS_WOY_d:Categorical:WeekOfYear:d", "_TS_YEAR_d:Categorical:Year:d"], Names("d", "DATE"));
        Assert.False(AutoFeatures.IsExpanded("TIME"));
        Assert.False(AutoFeatures.IsExpanded("VARCHAR"));
        Assert.True(AutoFeatures.IsExpanded("DATE"));
    }

    [Fact]
    public void Structs_expand_field_by_field_with_prefixed_names()
    {
        Assert.Equal(["s_a:Numeric:Value:s.a", "s_b c:Categorical:Value:s.b c", "s_t:Numeric:EpochSeconds:s.t", "_TS_DOM_s_t:Categorical:DayOfMonth:s.t",
            "_TS_DOW_s_t:Categorical:DayOfWeek:s.t", "_TS_MOY_s_t:Categorical:MonthOfYear:s.t", "_TS_WOY_s_t:Categorical:WeekOfYear:s.t",
            "_TS_YEAR_s_t:Categorical:Year:s.t", "s_tags:Categorical:MultiHot:s.tags"],
            Names("s", "STRUCT(a INTEGER, \"b c\" VARCHAR, t DATE, tags VARCHAR[])"));
        Assert.Equal(["tags:Categorical:MultiHot:tags"], Names("tags", "BOOLEAN[]"));
    }

    [Theory]
    [InlineData("STRUCT(INTEGER, VARCHAR)", "feature column 'c' has type STRUCT(INTEGER, VARCHAR); a STRUCT feature needs named fields")]
    [InlineData("STRUCT(a STRUCT(b INTEGER))", "field 'a' of STRUCT feature column 'c' is itself a STRUCT (STRUCT(b INTEGER)); nested STRUCTs are not expanded")]
    [InlineData("DOUBLE[]", "feature column 'c' has type DOUBLE[]; arrays of numbers are not preprocessed automatically")]
    [InlineData("STRUCT(a INTEGER)[]", "arrays of STRUCTs are not preprocessed automatically")]
    [InlineData("VARCHAR[][]", "nested arrays are not preprocessed automatically")]
    [InlineData("STRUCT(a INTEGER[])", "field 'a' of STRUCT feature column 'c' has type INTEGER[]; arrays of numbers")]
    [InlineData("STRUCT(m MAP(VARCHAR, INTEGER))", "field 'm' of STRUCT feature column 'c' of type MAP(VARCHAR, INTEGER) is not yet supported by SqlMl.")]
    [InlineData("MAP(VARCHAR, INTEGER)[]", "feature column 'c' of type MAP(VARCHAR, INTEGER)[] is not yet supported by SqlMl.")]
    public void Unusable_shapes_are_errors_naming_the_column(string type, string expected)
    {
        var e = Assert.Throws<SqlMlException>(() => AutoFeatures.Expand("c", type, Classify, "CREATE MODEL m"));
        Assert.StartsWith("CREATE MODEL m: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", true)]
    [InlineData("TIMESTAMP", "DATE", false)]
    [InlineData("DATE", "TIMESTAMP", true)]
    [InlineData("TIMESTAMP", "VARCHAR", false)]
    [InlineData("VARCHAR[]", "BOOLEAN[3]", true)]
    [InlineData("VARCHAR[]", "DOUBLE[]", false)]
    [InlineData("STRUCT(a DOUBLE, b VARCHAR)", "STRUCT(B VARCHAR, x INTEGER, a INTEGER)", true)]
    [InlineData("STRUCT(a DOUBLE, b VARCHAR)", "STRUCT(a VARCHAR, b VARCHAR)", false)]
    [InlineData("STRUCT(a DOUBLE, b VARCHAR)", "STRUCT(a DOUBLE)", false)]
    public void Prediction_inputs_must_have_a_compatible_shape(string trained, string input, bool accepted) =>
        Assert.Equal(accepted, AutoFeatures.Accepts(trained, input, Classify));
}
