using SqlMl.Parsing;

namespace SqlMl.Tests.Parsing;

public class StatementSplitterTests
{
    private static List<string> Texts(string script) => StatementSplitter.Split(script).Select(s => s.Text).ToList();

    [Fact]
    public void Script_splits_at_top_level_semicolons()
    {
        Assert.Equal(["SELECT 1", "SELECT 2", "SELECT 3"], Texts("SELECT 1; SELECT 2;\nSELECT 3"));
    }

    [Fact]
    public void Trailing_semicolon_does_not_make_an_extra_statement()
    {
        Assert.Equal(["SELECT 1"], Texts("SELECT 1;"));
    }

    [Fact]
    public void Empty_statements_are_dropped()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Texts(";; SELECT 1 ;;\n ; SELECT 2 ;  ;"));
    }

    [Fact]
    public void Empty_or_blank_script_has_no_statements()
    {
        Assert.Empty(StatementSplitter.Split(""));
        Assert.Empty(StatementSplitter.Split("  \n\t "));
        Assert.Empty(StatementSplitter.Split(";;;"));
    }

    [Fact]
    public void Statement_of_only_comments_is_dropped()
    {
        Assert.Equal(["SELECT 1"], Texts("-- header ; comment\n/* block ; */ ; SELECT 1; -- trailing"));
    }

    [Fact]
    public void Semicolons_inside_strings_do_not_split()
    {
        Assert.Equal(
            ["SELECT 'a;b', 'it''s;'", "SELECT E'x\\';y'"],
            Texts("SELECT 'a;b', 'it''s;'; SELECT E'x\\';y'"));
    }

    [Fact]
    public void Semicolons_inside_quoted_identifiers_do_not_split()
    {
        Assert.Equal(["SELECT \"a;b\" FROM `p;q`", "SELECT 2"], Texts("SELECT \"a;b\" FROM `p;q`; SELECT 2"));
    }

    [Fact]
    public void Semicolons_inside_dollar_strings_do_not_split()
    {
        Assert.Equal(
            ["SELECT $$a;b$$, $t$c;$$;d$t$", "SELECT 2"],
            Texts("SELECT $$a;b$$, $t$c;$$;d$t$; SELECT 2"));
    }

    [Fact]
    public void Semicolons_inside_comments_do_not_split()
    {
        Assert.Equal(
            ["SELECT 1 -- not ; here\n + 1", "SELECT /* a ; /* b ; */ c ; */ 2"],
            Texts("SELECT 1 -- not ; here\n + 1; SELECT /* a ; /* b ; */ c ; */ 2"));
    }

    [Fact]
    public void Leading_and_trailing_comments_are_not_part_of_the_statement_text()
    {
        var s = Assert.Single(StatementSplitter.Split("/* lead */ SELECT 1 -- tail\n"));
        Assert.Equal("SELECT 1", s.Text);
        Assert.Equal(11, s.Offset);
    }

    [Fact]
    public void Statement_offset_is_where_its_first_token_starts_in_the_script()
    {
        const string script = "SELECT 1;\n  SELECT 'x;y';\n\n-- c\nDROP MODEL m";
        var statements = StatementSplitter.Split(script);
        Assert.Equal([0, 12, 32], statements.Select(s => s.Offset));
        foreach (var s in statements)
            Assert.Equal(s.Text, script.Substring(s.Offset, s.Text.Length));
    }

    [Fact]
    public void Statement_tokens_are_relative_to_the_statement_text()
    {
        const string script = "SELECT 1;   CREATE MODEL m OPTIONS(model_type = 'linear_reg') AS SELECT 1 AS label";
        var s = StatementSplitter.Split(script)[1];
        Assert.Equal(12, s.Offset);
        Assert.Equal(0, s.Tokens[0].Start);
        Assert.True(s.Tokens[0].IsWord("CREATE"));
        foreach (var t in s.Tokens)
            Assert.Equal(t.Text, s.Text.Substring(t.Start, t.Length));
        Assert.DoesNotContain(s.Tokens, t => t.IsSymbol(';'));
    }

    [Fact]
    public void Ml_predict_text_in_a_string_stays_inside_one_statement()
    {
        var statements = StatementSplitter.Split("SELECT 'ML.PREDICT(MODEL m; TABLE t)' AS s; SELECT 2");
        Assert.Equal(2, statements.Count);
        Assert.Empty(MlScanner.FindCalls(statements[0].Tokens));
    }

    [Fact]
    public void Create_model_with_semicolon_in_its_query_string_is_one_statement()
    {
        const string script = "CREATE MODEL m OPTIONS(model_type = 'linear_reg') AS SELECT 'a;b' AS s, 1 AS label;\nSELECT * FROM ML.WEIGHTS(MODEL m)";
        var statements = StatementSplitter.Split(script);
        Assert.Equal(2, statements.Count);
        Assert.True(MlScanner.IsCreateModel(statements[0].Tokens));
        Assert.EndsWith("1 AS label", statements[0].Text, StringComparison.Ordinal);
        Assert.Single(MlScanner.FindCalls(statements[1].Tokens));
    }

    [Fact]
    public void Unterminated_string_keeps_the_rest_of_the_script_in_one_statement()
    {
        var s = Assert.Single(StatementSplitter.Split("SELECT 'open; SELECT 2"));
        Assert.Equal("SELECT 'open; SELECT 2", s.Text);
    }
}
