using Irony.Parsing;
using SqlMl.Parsing;

namespace SqlMl.Tests.Parsing;

public class MlGrammarTests
{
    private static MlStatement Parse(string sql)
    {
        var statement = Assert.Single(StatementSplitter.Split(sql));
        return MlStatementParser.ParseStatement(statement.Text, statement.Tokens);
    }

    private static CreateModelStatement ParseCreate(string sql) => Assert.IsType<CreateModelStatement>(Parse(sql));

    private static List<MlFunctionCall> ParseCalls(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);
        return MlScanner.FindCalls(tokens).Select(span => MlStatementParser.ParseCall(sql, tokens, span)).ToList();
    }

    private static MlFunctionCall ParseCall(string sql) => Assert.Single(ParseCalls(sql));

    private static OptionValue Option(CreateModelStatement statement, string name) =>
        Assert.Single(statement.Options, o => o.Name == name).Value;

    private static SqlMlException SyntaxError(Action parse)
    {
        var e = Assert.Throws<SqlMlException>(parse);
        Assert.Equal(SqlMlErrorCode.Syntax, e.Code);
        return e;
    }

    /// <summary>Equal ASTs: CreateModelStatement holds lists and option offsets, which are compared by content here.</summary>
    private static void AssertSameAst(MlStatement expected, MlStatement actual)
    {
        if (expected is CreateModelStatement create)
        {
            var other = Assert.IsType<CreateModelStatement>(actual);
            Assert.Equal(create with { Options = Array.Empty<OptionEntry>() }, other with { Options = Array.Empty<OptionEntry>() });
            Assert.Equal(create.Options.Select(o => (o.Name, o.Value)), other.Options.Select(o => (o.Name, o.Value)));
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    // ---- the grammar itself ----

    [Fact]
    public void Grammar_has_no_conflicts_or_errors()
    {
        var language = MlGrammar.Language;
        Assert.True(language.ErrorLevel <= GrammarErrorLevel.Info, string.Join("\n", language.Errors));
        Assert.DoesNotContain(language.Errors, e => e.Level >= GrammarErrorLevel.Warning);
        Assert.True(language.CanParse());
    }

    // ---- CREATE MODEL ----

    [Fact]
    public void Create_model_minimal_form_has_name_and_query_only()
    {
        var s = ParseCreate("CREATE MODEL m AS SELECT 1 AS label");
        Assert.Equal(new ModelName(null, "m"), s.Name);
        Assert.False(s.OrReplace);
        Assert.False(s.IfNotExists);
        Assert.Null(s.Transform);
        Assert.Empty(s.Options);
        Assert.Equal("SELECT 1 AS label", s.Query);
    }

    [Fact]
    public void Create_model_or_replace_sets_the_flag()
    {
        var s = ParseCreate("CREATE OR REPLACE MODEL m AS SELECT 1");
        Assert.True(s.OrReplace);
        Assert.False(s.IfNotExists);
    }

    [Fact]
    public void Create_model_if_not_exists_sets_the_flag()
    {
        var s = ParseCreate("CREATE MODEL IF NOT EXISTS m AS SELECT 1");
        Assert.True(s.IfNotExists);
        Assert.False(s.OrReplace);
        Assert.Equal("m", s.Name.Name);
    }

    [Fact]
    public void Create_model_keywords_are_case_insensitive_and_names_keep_their_case()
    {
        var s = ParseCreate("create Or rePlace mOdEl If Not Exists MySchema.MyModel oPtIoNs(Model_Type = 'Linear_Reg') aS sElEcT 1");
        Assert.True(s.OrReplace);
        Assert.True(s.IfNotExists);
        Assert.Equal(new ModelName("MySchema", "MyModel"), s.Name);
        Assert.Equal("myschema.mymodel", s.Name.Key);
        var option = Assert.Single(s.Options);
        Assert.Equal("Model_Type", option.Name);
        Assert.Equal(new StringValue("Linear_Reg"), option.Value);
        Assert.Equal("sElEcT 1", s.Query);
    }

    [Fact]
    public void Create_model_name_may_be_schema_qualified()
    {
        var s = ParseCreate("CREATE MODEL analytics.m AS SELECT 1");
        Assert.Equal("analytics", s.Name.Schema);
        Assert.Equal("m", s.Name.Name);
        Assert.Equal("analytics", s.Name.EffectiveSchema);
    }

    [Fact]
    public void Unqualified_model_name_is_in_the_main_schema()
    {
        Assert.Equal("main.m", ParseCreate("CREATE MODEL m AS SELECT 1").Name.Key);
    }

    [Fact]
    public void Double_quoted_model_name_may_hold_spaces_dots_and_doubled_quotes()
    {
        Assert.Equal(new ModelName("my schema", "a.b \"c\""), ParseCreate("CREATE MODEL \"my schema\".\"a.b \"\"c\"\"\" AS SELECT 1").Name);
    }

    [Fact]
    public void Backtick_model_name_is_one_name_even_with_dots()
    {
        Assert.Equal(new ModelName(null, "project.dataset.model"), ParseCreate("CREATE MODEL `project.dataset.model` AS SELECT 1").Name);
        Assert.Equal(new ModelName("s", "m"), ParseCreate("CREATE MODEL `s`.`m` AS SELECT 1").Name);
    }

    [Fact]
    public void Grammar_keywords_can_be_model_names()
    {
        Assert.Equal("model", ParseCreate("CREATE MODEL model AS SELECT 1").Name.Name);
        Assert.Equal("options", ParseCreate("CREATE MODEL \"options\" AS SELECT 1").Name.Name);
    }

    [Fact]
    public void Options_accept_strings_numbers_booleans_and_null()
    {
        var s = ParseCreate("""
            CREATE MODEL m OPTIONS(
              s = 'it''s', q = "dq", i = 42, f = 0.5, e = 1e3, d = .25, neg = -2, negf = - 0.125,
              t = TRUE, fa = false, n = NULL)
            AS SELECT 1
            """);
        Assert.Equal(new StringValue("it's"), Option(s, "s"));
        Assert.Equal(new StringValue("dq"), Option(s, "q"));
        Assert.Equal(new NumberValue(42, true), Option(s, "i"));
        Assert.Equal(new NumberValue(0.5, false), Option(s, "f"));
        Assert.Equal(new NumberValue(1000, false), Option(s, "e"));
        Assert.Equal(new NumberValue(0.25, false), Option(s, "d"));
        Assert.Equal(new NumberValue(-2, true), Option(s, "neg"));
        Assert.Equal(new NumberValue(-0.125, false), Option(s, "negf"));
        Assert.Equal(new BoolValue(true), Option(s, "t"));
        Assert.Equal(new BoolValue(false), Option(s, "fa"));
        Assert.Equal(new NullValue(), Option(s, "n"));
        Assert.Equal(["s", "q", "i", "f", "e", "d", "neg", "negf", "t", "fa", "n"], s.Options.Select(o => o.Name));
    }

    [Fact]
    public void Number_with_a_decimal_point_is_a_float_even_when_whole()
    {
        var value = Assert.IsType<NumberValue>(Option(ParseCreate("CREATE MODEL m OPTIONS(x = 2.0) AS SELECT 1"), "x"));
        Assert.False(value.IsInteger);
        Assert.Equal("FLOAT64", value.TypeName);
    }

    [Fact]
    public void Integer_too_large_for_int64_becomes_a_float()
    {
        var value = Assert.IsType<NumberValue>(Option(ParseCreate("CREATE MODEL m OPTIONS(x = 12345678901234567890) AS SELECT 1"), "x"));
        Assert.False(value.IsInteger);
        Assert.Equal(12345678901234567890d, value.Value);
    }

    [Fact]
    public void Options_accept_arrays_including_empty_and_nested()
    {
        var s = ParseCreate("CREATE MODEL m OPTIONS(a = ['x', 'y'], e = [], n = [1, [2.5, NULL]]) AS SELECT 1");
        Assert.Equal(new ArrayValue([new StringValue("x"), new StringValue("y")]), Option(s, "a"));
        Assert.Equal(new ArrayValue([]), Option(s, "e"));
        Assert.Equal(
            new ArrayValue([new NumberValue(1, true), new ArrayValue([new NumberValue(2.5, false), new NullValue()])]),
            Option(s, "n"));
        Assert.NotEqual(new ArrayValue([new StringValue("y"), new StringValue("x")]), Option(s, "a"));
    }

    [Fact]
    public void Options_accept_struct_with_and_without_field_names()
    {
        var s = ParseCreate("CREATE MODEL m OPTIONS(w = [STRUCT('a', 0.2), STRUCT('b' AS label, 0.8 AS `weight`)], x = STRUCT(STRUCT(1 AS i) AS inner)) AS SELECT 1");
        Assert.Equal(
            new ArrayValue(
            [
                new StructValue([new StructField(null, new StringValue("a")), new StructField(null, new NumberValue(0.2, false))]),
                new StructValue([new StructField("label", new StringValue("b")), new StructField("weight", new NumberValue(0.8, false))]),
            ]),
            Option(s, "w"));
        Assert.Equal(
            new StructValue([new StructField("inner", new StructValue([new StructField("i", new NumberValue(1, true))]))]),
            Option(s, "x"));
    }

    [Fact]
    public void Empty_options_list_is_allowed()
    {
        Assert.Empty(ParseCreate("CREATE MODEL m OPTIONS() AS SELECT 1").Options);
    }

    [Fact]
    public void Option_names_keep_their_spelling_and_offset_in_the_statement()
    {
        const string sql = "CREATE MODEL m OPTIONS(Model_Type = 'linear_reg',\n  L2_REG = 0.1) AS SELECT 1";
        var s = ParseCreate(sql);
        Assert.Equal(["Model_Type", "L2_REG"], s.Options.Select(o => o.Name));
        Assert.Equal(sql.IndexOf("Model_Type", StringComparison.Ordinal), s.Options[0].Offset);
        Assert.Equal(sql.IndexOf("L2_REG", StringComparison.Ordinal), s.Options[1].Offset);
    }

    [Fact]
    public void Comments_inside_the_envelope_are_ignored()
    {
        var s = ParseCreate("""
            CREATE /* a */ OR -- b
              REPLACE MODEL /* nested /* c */ ; */ m
            OPTIONS( -- options ) here
              model_type /* x */ = 'linear_reg', -- ,
              l2_reg = 0.5 /* ) */
            ) -- AS
            AS SELECT 1 AS label
            """);
        Assert.True(s.OrReplace);
        Assert.Equal("m", s.Name.Name);
        Assert.Equal(["model_type", "l2_reg"], s.Options.Select(o => o.Name));
        Assert.Equal(new NumberValue(0.5, false), Option(s, "l2_reg"));
        Assert.Equal("SELECT 1 AS label", s.Query);
    }

    [Fact]
    public void As_in_a_struct_option_does_not_start_the_query()
    {
        var s = ParseCreate("CREATE MODEL m OPTIONS(x = STRUCT(1 AS a)) AS SELECT 2 AS b");
        Assert.Equal("SELECT 2 AS b", s.Query);
        Assert.Equal(new StructValue([new StructField("a", new NumberValue(1, true))]), Option(s, "x"));
    }

    [Theory]
    [InlineData("SELECT * FROM t")]
    [InlineData("WITH d AS (SELECT 1 AS x) SELECT x AS label FROM d")]
    [InlineData("(SELECT 1 AS label)")]
    [InlineData("(SELECT 1 AS label) UNION ALL (SELECT 2)")]
    [InlineData("FROM t SELECT a, b AS label")]
    [InlineData("SELECT 'ML.PREDICT(MODEL x, TABLE t)' AS s, \"a;b\" AS label FROM t")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL other, TABLE t) WHERE x IN (SELECT y AS z FROM u)")]
    public void Create_model_keeps_the_query_text_verbatim(string query)
    {
        Assert.Equal(query, ParseCreate("CREATE MODEL m OPTIONS(model_type = 'linear_reg') AS " + query).Query);
    }

    [Fact]
    public void Query_may_follow_as_without_a_space()
    {
        Assert.Equal("(SELECT 1) UNION ALL (SELECT 2)", ParseCreate("CREATE MODEL m AS(SELECT 1) UNION ALL (SELECT 2)").Query);
        Assert.Equal("(SELECT 1)", ParseCreate("CREATE MODEL m AS(SELECT 1)").Query);
    }

    [Fact]
    public void Multi_line_query_keeps_its_inner_comments_and_line_breaks()
    {
        var s = ParseCreate("CREATE MODEL m AS\n  SELECT a, -- feature\n  b AS label\n  FROM t");
        Assert.Equal("SELECT a, -- feature\n  b AS label\n  FROM t", s.Query);
    }

    [Fact]
    public void Transform_clause_is_captured_with_its_parentheses()
    {
        var s = ParseCreate("CREATE MODEL m TRANSFORM(a, b * 2 AS c, label) OPTIONS(model_type = 'linear_reg') AS SELECT a, b, label FROM t");
        Assert.Equal("(a, b * 2 AS c, label)", s.Transform);
        Assert.Equal(new StringValue("linear_reg"), Option(s, "model_type"));
        Assert.Equal("SELECT a, b, label FROM t", s.Query);
    }

    [Fact]
    public void Empty_transform_does_not_corrupt_the_rest_of_the_statement()
    {
        var s = ParseCreate("CREATE MODEL m TRANSFORM() OPTIONS(model_type = 'linear_reg') AS SELECT 1");
        Assert.Equal("()", s.Transform);
        Assert.Equal(new StringValue("linear_reg"), Option(s, "model_type"));
        Assert.Equal("SELECT 1", s.Query);
    }

    // ---- DROP MODEL ----

    [Fact]
    public void Drop_model_parses_name()
    {
        Assert.Equal(new DropModelStatement(new ModelName(null, "m"), false), Parse("DROP MODEL m"));
    }

    [Fact]
    public void Drop_model_if_exists_parses_schema_qualified_name()
    {
        Assert.Equal(new DropModelStatement(new ModelName("s", "My M"), true), Parse("drop model if exists s.\"My M\""));
    }

    // ---- ML.xxx(...) calls ----

    [Fact]
    public void Predict_with_table_argument()
    {
        Assert.Equal(
            new MlFunctionCall("PREDICT", [new ModelArgument(new ModelName(null, "m")), new TableArgument("t")]),
            ParseCall("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)"));
    }

    [Fact]
    public void Table_argument_may_be_qualified_and_quoted()
    {
        var call = ParseCall("SELECT * FROM ML.PREDICT(MODEL s.m, TABLE s.t, TABLE db.s.t, TABLE \"my t\", TABLE `a`.b)");
        Assert.Equal(new ModelArgument(new ModelName("s", "m")), call.Arguments[0]);
        Assert.Equal(
            [new TableArgument("s.t"), new TableArgument("db.s.t"), new TableArgument("\"my t\""), new TableArgument("\"a\".b")],
            call.Arguments.Skip(1));
    }

    [Fact]
    public void Function_name_is_upper_cased()
    {
        Assert.Equal("TRAINING_INFO", ParseCall("SELECT * FROM ml.Training_Info(MODEL m)").Function);
    }

    [Fact]
    public void Evaluate_with_query_argument_keeps_the_query_text()
    {
        var call = ParseCall("SELECT * FROM ML.EVALUATE(MODEL m, (SELECT a, b FROM t WHERE c > 0))");
        Assert.Equal("EVALUATE", call.Function);
        Assert.Equal(new QueryArgument("SELECT a, b FROM t WHERE c > 0"), call.Arguments[1]);
    }

    [Theory]
    [InlineData("SELECT (1) FROM (SELECT 2) x")]
    [InlineData("WITH a AS (SELECT 1) SELECT * FROM a")]
    [InlineData("FROM t")]
    [InlineData("(SELECT 1)")]
    [InlineData("SELECT ')' AS p, '(' AS q, \")\" FROM t -- )\n")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL n, TABLE t)")]
    public void Query_argument_with_nested_parentheses_is_kept_whole(string query)
    {
        var call = ParseCall("SELECT * FROM ML.PREDICT(MODEL m, (" + query + "), STRUCT(0.5 AS threshold))");
        Assert.Equal(3, call.Arguments.Count);
        Assert.Equal(new QueryArgument(query), call.Arguments[1]);
        Assert.Equal(new ValueArgument(new StructValue([new StructField("threshold", new NumberValue(0.5, false))])), call.Arguments[2]);
    }

    [Fact]
    public void Weights_with_struct_setting()
    {
        Assert.Equal(
            new MlFunctionCall("WEIGHTS", [new ModelArgument(new ModelName(null, "m")), new ValueArgument(new StructValue([new StructField("standardize", new BoolValue(true))]))]),
            ParseCall("SELECT * FROM ML.WEIGHTS(MODEL m, STRUCT(true AS standardize))"));
    }

    [Fact]
    public void Call_may_span_lines_and_hold_comments()
    {
        var call = ParseCall("SELECT * FROM ML.PREDICT(\n  MODEL m /* ) */, -- , TABLE x\n  TABLE t)");
        Assert.Equal([new ModelArgument(new ModelName(null, "m")), new TableArgument("t")], call.Arguments);
    }

    [Fact]
    public void Nested_block_comment_inside_a_call_is_skipped_as_duckdb_does()
    {
        var call = ParseCall("SELECT * FROM ML.PREDICT(MODEL m, /* a /* b */ c ) */ TABLE t)");
        Assert.Equal([new ModelArgument(new ModelName(null, "m")), new TableArgument("t")], call.Arguments);
    }

    [Fact]
    public void Call_with_no_arguments_parses()
    {
        Assert.Empty(ParseCall("SELECT * FROM ML.TRAINING_INFO()").Arguments);
    }

    [Fact]
    public void Several_calls_in_one_statement_parse_separately()
    {
        var calls = ParseCalls("SELECT * FROM ML.WEIGHTS(MODEL a) JOIN ML.TRAINING_INFO(MODEL b) USING (x)");
        Assert.Equal(["WEIGHTS", "TRAINING_INFO"], calls.Select(c => c.Function));
        Assert.Equal(new ModelArgument(new ModelName(null, "b")), calls[1].Arguments[0]);
    }

    [Fact]
    public void Function_call_equality_compares_arguments_by_value()
    {
        var a = ParseCall("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)");
        var b = ParseCall("select * from ml.predict(model m,table t)");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ParseCall("SELECT * FROM ML.PREDICT(MODEL m, TABLE u)"));
    }

    // ---- round trips: parse -> ToString -> parse ----

    [Theory]
    [InlineData("CREATE MODEL m AS SELECT 1")]
    [InlineData("CREATE OR REPLACE MODEL s.m OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT x, y FROM t")]
    [InlineData("create model if not exists \"My Schema\".`my model` options(l2_reg = 1.0, n = 3, neg = -2.5, big = 1e20, tiny = 1e-7) as select 1")]
    [InlineData("CREATE MODEL m OPTIONS(s = 'it''s', q = \"dq\", b = TRUE, f = FALSE, n = NULL, e = []) AS SELECT 1")]
    [InlineData("CREATE MODEL m OPTIONS(w = [STRUCT('a', 0.2), STRUCT('b' AS label, 0.8 AS weight)], x = STRUCT(STRUCT(1 AS i) AS j)) AS SELECT 1")]
    [InlineData("CREATE MODEL m OPTIONS(\"Odd Name\" = 1, `x y` = 'z') AS SELECT 1")]
    [InlineData("CREATE MODEL m TRANSFORM(a * 2 AS b, label) OPTIONS(model_type = 'linear_reg') AS (SELECT 1) UNION ALL (SELECT 2)")]
    [InlineData("CREATE MODEL m AS WITH d AS (SELECT 'ML.PREDICT(' AS s) SELECT * FROM d")]
    [InlineData("CREATE MODEL \"model\" AS SELECT 1")]
    [InlineData("CREATE MODEL \"a\"\"b\" AS SELECT 1")]
    [InlineData("DROP MODEL m")]
    [InlineData("DROP MODEL IF EXISTS \"S\".\"odd name\"")]
    public void Statement_round_trips_through_ToString(string sql)
    {
        var first = Parse(sql);
        string printed = first.ToString();
        var second = Parse(printed);
        AssertSameAst(first, second);
        Assert.Equal(printed, second.ToString());
    }

    [Theory]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL s.m, TABLE db.s.\"my t\", STRUCT(0.5 AS threshold))")]
    [InlineData("SELECT * FROM ml.evaluate(MODEL `m`, (SELECT (1) AS x FROM (SELECT 2)), STRUCT(0.25 AS threshold, TRUE AS perform_aggregation))")]
    [InlineData("SELECT * FROM ML.WEIGHTS(MODEL m, STRUCT(true AS standardize))")]
    [InlineData("SELECT * FROM ML.TRAINING_INFO(MODEL \"My Model\")")]
    [InlineData("SELECT * FROM ML.PREDICT(MODEL m, ((SELECT 1)), [1, 2.0, -3], 'x', NULL)")]
    public void Function_call_round_trips_through_ToString(string sql)
    {
        var first = ParseCall(sql);
        string printed = first.ToString();
        var second = ParseCall(printed);
        Assert.Equal(first, second);
        Assert.Equal(printed, second.ToString());
    }

    [Fact]
    public void Float_option_stays_a_float_after_a_round_trip()
    {
        var s = ParseCreate("CREATE MODEL m OPTIONS(l2_reg = 1.0) AS SELECT 1");
        Assert.Equal("CREATE MODEL m OPTIONS(l2_reg = 1.0) AS SELECT 1", s.ToString());
        var again = Assert.IsType<NumberValue>(Option(ParseCreate(s.ToString()), "l2_reg"));
        Assert.False(again.IsInteger);
    }

    // ---- syntax errors ----

    [Theory]
    [InlineData("CREATE MODEL m OPTIONS(\n  model_type = 'x',\n  l2_reg = )\nAS SELECT 1", 3, 12, "number")]
    [InlineData("CREATE MODEL m\nOPTIONS(model_type 'x') AS SELECT 1", 2, 20, "=")]
    [InlineData("CREATE MODEL m OPTIONS(a = 1)", 1, 30, "AS")]
    [InlineData("CREATE MODEL m OPTIONS(a = 1) AS", 1, 33, "query")]
    [InlineData("CREATE MODEL m OPTIONS(a = 1,) AS SELECT 1", 1, 30, "a name")]
    [InlineData("CREATE MODEL m OPTIONS(a = STRUCT()) AS SELECT 1", 1, 35, "STRUCT")]
    [InlineData("CREATE MODEL m\n  TRANSFORM(a)\n  OPTIONS(x = 1 y = 2)\n  AS SELECT 1", 3, 17, ",")]
    [InlineData("DROP MODEL", 1, 11, "a name")]
    [InlineData("DROP MODEL IF EXISTS\n", 2, 1, "a name")]
    public void Syntax_error_in_statement_has_line_column_and_what_was_expected(string sql, int line, int column, string expected)
    {
        var e = SyntaxError(() => MlStatementParser.ParseStatement(sql, SqlLexer.Tokenize(sql)));
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.StartsWith($"Syntax error at line {line}, column {column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_names_the_text_near_it()
    {
        var e = SyntaxError(() => Parse("CREATE MODEL m OPTIONS(model_type = 'x' oops) AS SELECT 1"));
        Assert.Contains("near 'oops)'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_in_a_call_has_position_in_the_statement()
    {
        const string sql = "SELECT *\nFROM ML.PREDICT(MODEL m,\n   TABLE t\n   STRUCT(0.5 AS threshold))";
        var tokens = SqlLexer.Tokenize(sql);
        var span = Assert.Single(MlScanner.FindCalls(tokens));
        var e = SyntaxError(() => MlStatementParser.ParseCall(sql, tokens, span));
        Assert.Equal(4, e.Line);
        Assert.Equal(4, e.Column);
        Assert.Contains("expected", e.Message, StringComparison.Ordinal);
        Assert.Contains("near 'STRUCT(0.5'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_call_reports_the_end_of_the_statement()
    {
        const string sql = "SELECT * FROM ML.PREDICT(MODEL m,\n   TABLE t,\n   STRUCT(0.5 AS threshold";
        var tokens = SqlLexer.Tokenize(sql);
        var span = Assert.Single(MlScanner.FindCalls(tokens));
        Assert.Equal(tokens.Count - 1, span.Last);
        var e = SyntaxError(() => MlStatementParser.ParseCall(sql, tokens, span));
        Assert.Equal(3, e.Line);
        Assert.Equal(27, e.Column);
        Assert.Contains("at end of statement", e.Message, StringComparison.Ordinal);
    }

    // ---- MlScanner ----

    [Fact]
    public void Scanner_recognizes_create_and_drop_model_heads()
    {
        Assert.True(MlScanner.IsCreateModel(SqlLexer.Tokenize("create model m as select 1")));
        Assert.True(MlScanner.IsCreateModel(SqlLexer.Tokenize("CREATE OR REPLACE MODEL m AS SELECT 1")));
        Assert.False(MlScanner.IsCreateModel(SqlLexer.Tokenize("CREATE TABLE model AS SELECT 1")));
        Assert.False(MlScanner.IsCreateModel(SqlLexer.Tokenize("CREATE OR REPLACE TABLE t AS SELECT 1")));
        Assert.False(MlScanner.IsCreateModel(SqlLexer.Tokenize("CREATE")));
        Assert.True(MlScanner.IsDropModel(SqlLexer.Tokenize("DROP MODEL IF EXISTS m")));
        Assert.False(MlScanner.IsDropModel(SqlLexer.Tokenize("DROP TABLE model")));
    }

    [Fact]
    public void Find_calls_returns_the_token_span_of_each_call()
    {
        const string sql = "SELECT * FROM ML.PREDICT(MODEL m, TABLE t) p JOIN ml.weights(MODEL m) w ON true";
        var tokens = SqlLexer.Tokenize(sql);
        var spans = MlScanner.FindCalls(tokens);
        Assert.Equal(2, spans.Count);
        Assert.Equal("ML.PREDICT(MODEL m, TABLE t)", sql[tokens[spans[0].First].Start..tokens[spans[0].Last].End]);
        Assert.Equal("ml.weights(MODEL m)", sql[tokens[spans[1].First].Start..tokens[spans[1].Last].End]);
    }

    [Fact]
    public void Find_calls_returns_only_the_outermost_of_nested_calls()
    {
        const string sql = "SELECT * FROM ML.PREDICT(MODEL a, (SELECT * FROM ML.PREDICT(MODEL b, TABLE t)))";
        var tokens = SqlLexer.Tokenize(sql);
        var span = Assert.Single(MlScanner.FindCalls(tokens));
        Assert.Equal(sql.IndexOf("ML.", StringComparison.Ordinal), tokens[span.First].Start);
        Assert.Equal(sql.Length, tokens[span.Last].End);
    }

    [Theory]
    [InlineData("SELECT x.ml.predict(1) FROM t")]
    [InlineData("SELECT \"x\".ML.PREDICT(1) FROM t")]
    [InlineData("SELECT \"ML\".PREDICT(1) FROM t")]
    [InlineData("SELECT 'ML.PREDICT(MODEL m, TABLE t)' AS s")]
    [InlineData("SELECT E'\\' ML.PREDICT(MODEL m)' AS s")]
    [InlineData("SELECT $$ML.PREDICT(MODEL m)$$, $t$ ML.WEIGHTS( $t$")]
    [InlineData("SELECT 1 -- ML.PREDICT(MODEL m, TABLE t)")]
    [InlineData("SELECT /* /* ML.PREDICT( */ ML.PREDICT( */ 1")]
    [InlineData("SELECT ML.PREDICT FROM t")]
    [InlineData("SELECT mlx.predict(1), ML_PREDICT(1)")]
    public void Find_calls_ignores_text_that_is_not_an_ml_call(string sql)
    {
        Assert.Empty(MlScanner.FindCalls(SqlLexer.Tokenize(sql)));
    }

    [Fact]
    public void Find_calls_finds_a_call_after_strings_and_comments_that_mention_one()
    {
        const string sql = "SELECT 'ML.PREDICT(' AS s /* ML.WEIGHTS( */ FROM ML.EVALUATE(MODEL m) -- ML.X(";
        var tokens = SqlLexer.Tokenize(sql);
        var span = Assert.Single(MlScanner.FindCalls(tokens));
        Assert.Equal(sql.IndexOf("ML.EVALUATE", StringComparison.Ordinal), tokens[span.First].Start);
        Assert.Equal(sql.IndexOf(" --", StringComparison.Ordinal), tokens[span.Last].End);
    }

    [Theory]
    [InlineData("(SELECT 1)", true)]
    [InlineData("((SELECT 1))", true)]
    [InlineData("(with a as (select 1) select 1)", true)]
    [InlineData("(FROM t)", true)]
    [InlineData("(VALUES (1))", true)]
    [InlineData("(1 + 2)", false)]
    [InlineData("(a)", false)]
    [InlineData("('SELECT')", false)]
    public void Query_group_is_a_parenthesis_followed_by_a_query_keyword(string sql, bool isQuery)
    {
        Assert.Equal(isQuery, MlScanner.IsQueryGroup(SqlLexer.Tokenize(sql), 0));
    }

    [Fact]
    public void Match_paren_skips_nested_groups()
    {
        var tokens = SqlLexer.Tokenize("( a ( b [ c ] ) ) d");
        Assert.Equal(8, MlScanner.MatchParen(tokens, 0, tokens.Count));
        Assert.Equal(7, MlScanner.MatchParen(tokens, 2, tokens.Count));
        Assert.Equal(-1, MlScanner.MatchParen(SqlLexer.Tokenize("( a ( b )"), 0, 5));
    }
}
