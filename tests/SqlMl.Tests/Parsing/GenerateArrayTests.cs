using SqlMl.Parsing;

namespace SqlMl.Tests.Parsing;

/// <summary>GENERATE_ARRAY(start, end, step) as an ML function argument (ML.ROC_CURVE's thresholds): parsing, printing, expansion.</summary>
public class GenerateArrayTests
{
    private static MlFunctionCall ParseCall(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);
        return Assert.Single(MlScanner.FindCalls(tokens).Select(span => MlStatementParser.ParseCall(sql, tokens, span)));
    }

    [Fact]
    public void Generate_array_is_a_value_argument_with_its_three_numbers()
    {
        var call = ParseCall("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, generate_array(0.1, 1, -0.25))");
        Assert.Equal(3, call.Arguments.Count);
        var g = Assert.IsType<GenerateArrayValue>(Assert.IsType<ValueArgument>(call.Arguments[2]).Value);
        Assert.Equal(new NumberValue(0.1, false), g.Start);
        Assert.Equal(new NumberValue(1, true), g.End);
        Assert.Equal(new NumberValue(-0.25, false), g.Step);
        Assert.Equal("ARRAY", g.TypeName);
    }

    [Fact]
    public void Generate_array_after_a_query_argument_and_before_a_struct_parses()
    {
        var call = ParseCall("SELECT * FROM ML.ROC_CURVE(MODEL m, (SELECT * FROM t WHERE a IN (1, 2)), GENERATE_ARRAY(0, 1, 0.5), STRUCT(1 AS trial_id))");
        Assert.IsType<QueryArgument>(call.Arguments[1]);
        Assert.IsType<GenerateArrayValue>(Assert.IsType<ValueArgument>(call.Arguments[2]).Value);
        Assert.IsType<StructValue>(Assert.IsType<ValueArgument>(call.Arguments[3]).Value);
    }

    [Theory]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, GENERATE_ARRAY(0.0, 1.0, 0.1))")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, GENERATE_ARRAY(-1, 2, 1), STRUCT(1 AS trial_id))")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, (SELECT 1), [0.1, 0.5, 0.9])")]
    public void Generate_array_round_trips_through_ToString(string sql)
    {
        var first = ParseCall(sql);
        string printed = first.ToString();
        var second = ParseCall(printed);
        Assert.Equal(first, second);
        Assert.Equal(printed, second.ToString());
        Assert.Contains(printed, sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, GENERATE_ARRAY(0, 1))")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, GENERATE_ARRAY('a', 1, 0.1))")]
    [InlineData("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t, GENERATE_ARRAY)")]
    public void Malformed_generate_array_is_a_syntax_error(string sql)
    {
        var e = Assert.Throws<SqlMlException>(() => ParseCall(sql));
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
    }

    [Fact]
    public void Generate_array_is_no_keyword_elsewhere()
    {
        var call = ParseCall("SELECT * FROM ML.PREDICT(MODEL generate_array, TABLE generate_array)");
        Assert.Equal("generate_array", Assert.IsType<ModelArgument>(call.Arguments[0]).Name.Name);
    }

    private static GenerateArrayValue G(double start, double end, double step) =>
        new(new NumberValue(start, false), new NumberValue(end, false), new NumberValue(step, false));

    [Fact]
    public void Expand_includes_the_end_and_rounds_away_float_noise()
    {
        Assert.Equal([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], G(0, 1, 0.1).Expand());
        Assert.Equal([0.1, 0.35, 0.6], G(0.1, 0.8, 0.25).Expand());
        Assert.Equal([1.0, 0.5, 0.0], G(1, 0, -0.5).Expand());
        Assert.Equal([0.5], G(0.5, 0.5, 1).Expand());
        Assert.Empty(G(1, 0, 0.1).Expand());
    }
}
