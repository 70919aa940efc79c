using SqlMl.Parsing;

namespace SqlMl.Tests.Transform;

public class TransformListParserTests
{
    private static List<TransformItem> Parse(string list, int line = 1, int column = 1) =>
        TransformListParser.Parse(new TransformSource("m", list, line, column));

    [Fact]
    public void Bare_columns_keep_their_names_and_pass_through()
    {
        var items = Parse("a, \"Odd Name\", label");
        Assert.Equal(["a", "Odd Name", "label"], items.Cast<TransformExpression>().Select(e => e.Name));
        Assert.All(items.Cast<TransformExpression>(), e => Assert.True(e.IsPassThrough));
    }

    [Fact]
    public void Expressions_take_explicit_or_implicit_aliases()
    {
        var items = Parse("a * 2 AS a2, CAST(b AS DOUBLE) bd, ML.STANDARD_SCALER(c) OVER() AS sc, 'x' lit, a AS renamed");
        var e = items.Cast<TransformExpression>().ToList();
        Assert.Equal(["a2", "bd", "sc", "lit", "renamed"], e.Select(x => x.Name));
        Assert.Equal("a * 2", e[0].Sql);
        Assert.Equal("CAST(b AS DOUBLE)", e[1].Sql);
        Assert.Equal("ML.STANDARD_SCALER(c) OVER()", e[2].Sql);
        Assert.Equal("a", e[4].Column);
        Assert.False(e[4].IsPassThrough);
    }

    [Fact]
    public void Star_takes_except_and_replace()
    {
        var star = Assert.IsType<TransformStar>(Assert.Single(Parse("* EXCEPT(a, \"b\") REPLACE(c + 1 AS c)")));
        Assert.Equal(["a", "b"], star.Except);
        var r = Assert.Single(star.Replace);
        Assert.Equal(("c + 1", "c"), (r.Sql, r.Alias));
    }

    [Theory]
    [InlineData("a + b", "the expression 'a + b' needs an alias", 1, 1)]
    [InlineData("x, a IS NULL", "the expression 'a IS NULL' needs an alias", 1, 4)]
    [InlineData("x,\n  CASE WHEN a THEN 1 END", "needs an alias", 2, 3)]
    [InlineData("* REPLACE(a)", "REPLACE takes 'expression AS column'", 1, 11)]
    [InlineData("* EXCEPT(a + 1)", "EXCEPT takes column names", 1, 10)]
    [InlineData("* foo", "unexpected 'foo' after '*'", 1, 3)]
    [InlineData("a,, b", "expected an expression before ','", 1, 3)]
    [InlineData("", "the select list is empty", 1, 1)]
    public void Bad_items_are_errors_with_statement_positions(string list, string message, int line, int column)
    {
        var e = Assert.Throws<SqlMlException>(() => Parse(list));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Positions_are_shifted_to_where_the_list_starts_in_the_statement()
    {
        var e = Assert.Throws<SqlMlException>(() => Parse("a,\n b + 1", line: 3, column: 20));
        Assert.Equal((4, 2), (e.Line, e.Column));
        e = Assert.Throws<SqlMlException>(() => Parse("a, b + 1", line: 3, column: 20));
        Assert.Equal((3, 23), (e.Line, e.Column));
        Assert.Contains("line 3, column 23", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_star_keeps_its_expression()
    {
        var item = Assert.IsType<TransformStructStar>(Parse("a, ML.FEATURE_CROSS(STRUCT(a, b)).*")[1]);
        Assert.Equal("ML.FEATURE_CROSS(STRUCT(a, b))", item.Sql);
        Assert.Equal(3, item.Offset);
    }
}
