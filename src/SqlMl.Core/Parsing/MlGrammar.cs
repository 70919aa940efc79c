using Irony.Parsing;

namespace SqlMl.Parsing;

/// <summary>
/// The Irony grammar of the ML envelope: CREATE MODEL, DROP MODEL and ML.xxx(...) calls. Embedded DuckDB
/// queries never reach it: <see cref="MlStatementParser"/> replaces them by placeholder tokens (@q0, @q1 …)
/// of the same extent first, so positions in Irony's messages are positions in the user's text.
/// </summary>
internal sealed class MlGrammar : Grammar
{
    public static readonly LanguageData Language = new(new MlGrammar());

    public MlGrammar() : base(caseSensitive: false)
    {
        var identifier = new IdentifierTerminal("identifier");
        var quoted = new StringLiteral("quoted_identifier");
        quoted.AddStartEnd("\"", StringOptions.AllowsDoubledQuote | StringOptions.NoEscapes);
        quoted.AddStartEnd("`", StringOptions.NoEscapes);
        var str = new StringLiteral("string");
        str.AddStartEnd("'", StringOptions.AllowsDoubledQuote | StringOptions.NoEscapes);
        var number = new NumberLiteral("number", NumberOptions.AllowStartEndDot);
        number.DefaultIntTypes = [TypeCode.Int64, TypeCode.Double];
        var query = new RegexBasedTerminal("query", @"@q[0-9]+", "@q");
        NonGrammarTerminals.Add(new CommentTerminal("line_comment", "--", "\n", "\r\n"));
        NonGrammarTerminals.Add(new CommentTerminal("block_comment", "/*", "*/"));

        var statement = new NonTerminal("statement");
        var createModel = new NonTerminal("create_model");
        var dropModel = new NonTerminal("drop_model");
        var mlCall = new NonTerminal("ml_call");
        var orReplace = new NonTerminal("or_replace");
        var ifNotExists = new NonTerminal("if_not_exists");
        var ifExists = new NonTerminal("if_exists");
        var name = new NonTerminal("name");
        var modelName = new NonTerminal("model_name");
        var tableName = new NonTerminal("table_name");
        var transform = new NonTerminal("transform");
        var options = new NonTerminal("options");
        var optionList = new NonTerminal("option_list");
        var option = new NonTerminal("option");
        var value = new NonTerminal("value");
        var negative = new NonTerminal("negative");
        var array = new NonTerminal("array");
        var valueList = new NonTerminal("value_list");
        var structValue = new NonTerminal("struct");
        var fieldList = new NonTerminal("field_list");
        var field = new NonTerminal("field");
        var argList = new NonTerminal("arg_list");
        var arg = new NonTerminal("arg");
        var modelArg = new NonTerminal("model_arg");
        var tableArg = new NonTerminal("table_arg");
        var boolValue = new NonTerminal("bool");
        var nullValue = new NonTerminal("null");
        var generateArray = new NonTerminal("generate_array");
        var signedNumber = new NonTerminal("signed_number");

        statement.Rule = createModel | dropModel | mlCall;
        createModel.Rule = ToTerm("CREATE") + orReplace + "MODEL" + ifNotExists + modelName + transform + options + "AS" + query;
        orReplace.Rule = Empty | ToTerm("OR") + "REPLACE";
        ifNotExists.Rule = Empty | ToTerm("IF") + "NOT" + "EXISTS";
        ifExists.Rule = Empty | ToTerm("IF") + "EXISTS";
        dropModel.Rule = ToTerm("DROP") + "MODEL" + ifExists + modelName;
        name.Rule = identifier | quoted;
        modelName.Rule = name | name + "." + name;
        tableName.Rule = name | name + "." + name | name + "." + name + "." + name;
        transform.Rule = Empty | ToTerm("TRANSFORM") + query;
        options.Rule = Empty | ToTerm("OPTIONS") + "(" + optionList + ")";
        optionList.Rule = MakeStarRule(optionList, ToTerm(","), option);
        option.Rule = name + "=" + value;
        value.Rule = str | quoted | number | negative | boolValue | nullValue | array | structValue | generateArray;
        boolValue.Rule = ToTerm("TRUE") | "FALSE";
        nullValue.Rule = ToTerm("NULL");
        negative.Rule = ToTerm("-") + number;
        array.Rule = ToTerm("[") + valueList + "]";
        valueList.Rule = MakeStarRule(valueList, ToTerm(","), value);
        structValue.Rule = ToTerm("STRUCT") + "(" + fieldList + ")";
        // GENERATE_ARRAY(start, end, step) with number literals only (ML.ROC_CURVE's thresholds); kept unexpanded in the tree.
        generateArray.Rule = ToTerm("GENERATE_ARRAY") + "(" + signedNumber + "," + signedNumber + "," + signedNumber + ")";
        signedNumber.Rule = number | negative;
        fieldList.Rule = MakePlusRule(fieldList, ToTerm(","), field);
        field.Rule = value | value + "AS" + name;
        mlCall.Rule = ToTerm("ML") + "." + name + "(" + argList + ")";
        argList.Rule = MakeStarRule(argList, ToTerm(","), arg);
        arg.Rule = modelArg | tableArg | query | value;
        modelArg.Rule = ToTerm("MODEL") + modelName;
        tableArg.Rule = ToTerm("TABLE") + tableName;

        Root = statement;
        MarkPunctuation("(", ")", "[", "]", ",", "=", ".", "AS", "MODEL", "TABLE", "STRUCT", "GENERATE_ARRAY", "OPTIONS", "CREATE", "DROP", "ML", "TRANSFORM");
        MarkTransient(statement, value, arg, name, signedNumber);
    }
}
