using SqlMl.Parsing;

namespace SqlMl.Tests.Parsing;

public class SqlLexerTests
{
    private static List<(TokenKind Kind, string Text)> Lex(string sql) =>
        SqlLexer.Tokenize(sql).Select(t => (t.Kind, t.Text)).ToList();

    [Fact]
    public void Words_numbers_and_symbols_become_separate_tokens()
    {
        Assert.Equal(
            [
                (TokenKind.Word, "SELECT"), (TokenKind.Word, "a_1"), (TokenKind.Symbol, ","),
                (TokenKind.Number, "2.5"), (TokenKind.Symbol, "+"), (TokenKind.Number, ".5"),
                (TokenKind.Word, "FROM"), (TokenKind.Word, "t"), (TokenKind.Symbol, ";"),
            ],
            Lex("SELECT a_1, 2.5+.5 FROM t;"));
    }

    [Fact]
    public void Token_start_and_length_point_into_the_text()
    {
        const string sql = "SELECT  'x''y' ,\n  \"col\"";
        foreach (var t in SqlLexer.Tokenize(sql))
            Assert.Equal(t.Text, sql.Substring(t.Start, t.Length));
        var last = SqlLexer.Tokenize(sql)[^1];
        Assert.Equal(sql.Length, last.End);
    }

    [Fact]
    public void Numbers_with_exponents_and_underscores_are_one_token()
    {
        Assert.Equal(
            [(TokenKind.Number, "1e10"), (TokenKind.Number, "2.5E-3"), (TokenKind.Number, "1_000"), (TokenKind.Number, "3."), (TokenKind.Word, "x")],
            Lex("1e10 2.5E-3 1_000 3. x"));
    }

    [Fact]
    public void Number_followed_by_e_without_digits_leaves_the_e_as_a_word()
    {
        Assert.Equal([(TokenKind.Number, "1"), (TokenKind.Word, "e")], Lex("1e"));
    }

    [Fact]
    public void Single_quoted_string_hides_semicolons_and_ml_calls()
    {
        var tokens = Lex("SELECT 'a; ML.PREDICT(MODEL m' AS s");
        Assert.Equal((TokenKind.String, "'a; ML.PREDICT(MODEL m'"), tokens[1]);
        Assert.Equal(4, tokens.Count);
        Assert.DoesNotContain(tokens, t => t.Kind == TokenKind.Symbol);
    }

    [Fact]
    public void Doubled_single_quote_is_an_escape_inside_a_string()
    {
        Assert.Equal([(TokenKind.String, "'it''s; fine'"), (TokenKind.Word, "x")], Lex("'it''s; fine' x"));
    }

    [Fact]
    public void Backslash_in_a_plain_string_is_not_an_escape()
    {
        Assert.Equal([(TokenKind.String, @"'C:\'"), (TokenKind.Symbol, ";")], Lex(@"'C:\';"));
    }

    [Fact]
    public void E_string_treats_backslash_quote_as_an_escape()
    {
        Assert.Equal([(TokenKind.String, @"E'it\'s; ok'"), (TokenKind.Symbol, ";")], Lex(@"E'it\'s; ok';"));
        Assert.Equal([(TokenKind.String, @"e'a\\'"), (TokenKind.Word, "b")], Lex(@"e'a\\' b"));
    }

    [Fact]
    public void Word_ending_in_e_before_a_quote_is_not_an_e_string()
    {
        Assert.Equal([(TokenKind.Word, "type"), (TokenKind.String, @"'\'"), (TokenKind.Word, "x")], Lex(@"type'\' x"));
    }

    [Fact]
    public void Double_quoted_identifier_may_hold_semicolons_and_doubled_quotes()
    {
        Assert.Equal(
            [(TokenKind.QuotedIdentifier, "\"a;\"\"b\""), (TokenKind.Symbol, ".")],
            Lex("\"a;\"\"b\"."));
    }

    [Fact]
    public void Backtick_identifier_is_a_quoted_identifier()
    {
        Assert.Equal(
            [(TokenKind.Word, "FROM"), (TokenKind.QuotedIdentifier, "`my-project.ds;x`"), (TokenKind.Word, "t")],
            Lex("FROM `my-project.ds;x` t"));
    }

    [Fact]
    public void Dollar_quoted_string_runs_to_the_next_double_dollar()
    {
        Assert.Equal(
            [(TokenKind.Word, "SELECT"), (TokenKind.String, "$$a; 'b' ML.PREDICT( $$"), (TokenKind.Symbol, ";")],
            Lex("SELECT $$a; 'b' ML.PREDICT( $$;"));
    }

    [Fact]
    public void Tagged_dollar_string_ends_only_at_the_same_tag()
    {
        Assert.Equal(
            [(TokenKind.String, "$fn$ x $$ ; $other$ $fn$"), (TokenKind.Word, "y")],
            Lex("$fn$ x $$ ; $other$ $fn$ y"));
    }

    [Fact]
    public void Dollar_digits_and_dollar_names_are_parameters()
    {
        Assert.Equal(
            [(TokenKind.Parameter, "$1"), (TokenKind.Symbol, ","), (TokenKind.Parameter, "$name"), (TokenKind.Symbol, ","), (TokenKind.Parameter, "?")],
            Lex("$1, $name, ?"));
    }

    [Fact]
    public void Line_comment_runs_to_end_of_line()
    {
        Assert.Equal(
            [(TokenKind.Word, "SELECT"), (TokenKind.Number, "1"), (TokenKind.Symbol, ";")],
            Lex("SELECT -- ; ML.PREDICT( 'x\n1;"));
    }

    [Fact]
    public void Line_comment_at_end_of_text_produces_no_token()
    {
        Assert.Equal([(TokenKind.Word, "x")], Lex("x -- no newline"));
    }

    [Fact]
    public void Nested_block_comments_end_at_the_matching_close()
    {
        Assert.Equal(
            [(TokenKind.Word, "a"), (TokenKind.Word, "b")],
            Lex("a /* outer /* inner ; */ still comment ; */ b"));
    }

    [Fact]
    public void Unterminated_block_comment_swallows_the_rest()
    {
        Assert.Equal([(TokenKind.Word, "a")], Lex("a /* open ; b"));
    }

    [Fact]
    public void Unterminated_string_runs_to_the_end_of_the_text()
    {
        var tokens = Lex("SELECT 'open; more");
        Assert.Equal((TokenKind.String, "'open; more"), tokens[^1]);
        Assert.Equal(2, tokens.Count);
    }

    [Fact]
    public void Minus_and_slash_alone_are_symbols()
    {
        Assert.Equal(
            [(TokenKind.Word, "a"), (TokenKind.Symbol, "-"), (TokenKind.Word, "b"), (TokenKind.Symbol, "/"), (TokenKind.Word, "c")],
            Lex("a - b / c"));
    }

    [Fact]
    public void Tokenize_can_lex_a_range_of_the_text()
    {
        var tokens = SqlLexer.Tokenize("xx SELECT 1 yy", 3, 11);
        Assert.Equal(["SELECT", "1"], tokens.Select(t => t.Text));
        Assert.Equal(3, tokens[0].Start);
    }

    [Fact]
    public void Words_are_matched_case_insensitively()
    {
        var token = SqlLexer.Tokenize("Ml")[0];
        Assert.True(token.IsWord("ML"));
        Assert.False(token.IsWord("MLX"));
        Assert.False(SqlLexer.Tokenize("'ML'")[0].IsWord("ML"));
    }
}
