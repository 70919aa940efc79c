using System.Globalization;
using System.Text;
using Irony.Parsing;

namespace SqlMl.Parsing;

/// <summary>
/// Parses the ML envelope with <see cref="MlGrammar"/>. Raw DuckDB SQL inside it (the AS query, TRANSFORM's
/// list, parenthesized query arguments) is masked by placeholders first and put back into the tree as text.
/// Syntax errors carry 1-based line and column relative to the statement text.
/// </summary>
internal static class MlStatementParser
{
    /// <summary>Parses a CREATE MODEL or DROP MODEL statement.</summary>
    public static MlStatement ParseStatement(string text, IReadOnlyList<Token> tokens)
    {
        var masks = new List<(int Start, int End, bool Grouped)>();
        int depth = 0;
        int transformStart = -1;
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (depth == 0 && t.IsWord("TRANSFORM") && i + 1 < tokens.Count && tokens[i + 1].IsSymbol('('))
            {
                int close = MlScanner.MatchParen(tokens, i + 1, tokens.Count);
                if (close < 0)
                {
                    var (line, column) = new SourceText(text).Position(tokens[i + 1].Start);
                    throw Errors.Syntax("the TRANSFORM list's '(' is never closed: add ')' before OPTIONS or AS.", line, column);
                }
                masks.Add((tokens[i + 1].Start, tokens[close].End, true));
                transformStart = tokens[i + 1].End;
                i = close;
                continue;
            }
            if (t.IsSymbol('(') || t.IsSymbol('[')) depth++;
            else if (t.IsSymbol(')') || t.IsSymbol(']')) depth--;
            else if (depth == 0 && t.IsWord("AS") && i + 1 < tokens.Count)
            {
                masks.Add((t.End, text.Length, false));
                break;
            }
        }
        var (masked, segments) = Mask(text, tokens, 0, masks);
        var root = Parse(masked, text, 0);
        return root.Term.Name switch
        {
            "create_model" => WithTransformPosition(BuildCreate(root, segments), text, transformStart),
            "drop_model" => new DropModelStatement(BuildModelName(root.ChildNodes[1]), root.ChildNodes[0].ChildNodes.Count > 0),
            _ => throw Errors.Syntax("expected CREATE MODEL or DROP MODEL", 1, 1),
        };
    }

    /// <summary>Parses the ML.xxx(...) call that spans <paramref name="span"/> of <paramref name="tokens"/>.</summary>
    public static MlFunctionCall ParseCall(string text, IReadOnlyList<Token> tokens, CallSpan span)
    {
        int start = tokens[span.First].Start;
        int end = tokens[span.Last].End;
        var masks = new List<(int Start, int End, bool Grouped)>();
        int depth = 0;
        for (int i = span.First + 3; i <= span.Last; i++)
        {
            if (depth == 1 && MlScanner.IsQueryGroup(tokens, i) && (tokens[i - 1].IsSymbol(',') || tokens[i - 1].IsSymbol('(')))
            {
                int close = MlScanner.MatchParen(tokens, i, span.Last + 1);
                if (close < 0) break;
                masks.Add((tokens[i].Start - start, tokens[close].End - start, true));
                i = close;
                continue;
            }
            if (tokens[i].IsSymbol('(') || tokens[i].IsSymbol('[')) depth++;
            else if (tokens[i].IsSymbol(')') || tokens[i].IsSymbol(']')) depth--;
        }
        string callText = text[start..end];
        var (masked, segments) = Mask(callText, tokens.Skip(span.First).Take(span.Last - span.First + 1), start, masks);
        var root = Parse(masked, text, start);
        if (root.Term.Name != "ml_call") throw Errors.Syntax("expected an ML function call", 1, 1);
        string function = root.ChildNodes[0].Token.ValueString.ToUpperInvariant();
        var args = root.ChildNodes[1].ChildNodes.Select(a => BuildArgument(a, segments)).ToList();
        return new MlFunctionCall(function, args);
    }

    /// <summary>
    /// Replaces each mask's extent by a placeholder @qN. A grouped mask spans a matched '(' … ')' pair, and its
    /// segment is the text inside the parentheses; any other mask's segment is its trimmed text. Only the tokens
    /// (at their start minus <paramref name="shift"/>) reach Irony: comments, which the lexer reads nested as DuckDB
    /// does, become blanks, line breaks kept, so positions do not move.
    /// </summary>
    private static (string Masked, List<string> Segments) Mask(string text, IEnumerable<Token> tokens, int shift, List<(int Start, int End, bool Grouped)> masks)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var token in tokens)
        {
            for (int i = sb.Length; i < token.Start - shift; i++) sb.Append(text[i] == '\n' ? '\n' : ' ');
            sb.Append(text, token.Start - shift, token.Length);
        }
        for (int i = sb.Length; i < text.Length; i++) sb.Append(text[i] == '\n' ? '\n' : ' ');
        var segments = masks.Select(m => m.Grouped ? text[(m.Start + 1)..(m.End - 1)] : text[m.Start..m.End].Trim()).ToList();
        // Last to first: a placeholder longer than its extent shifts only text after it, never a mask still to be replaced.
        for (int m = masks.Count - 1; m >= 0; m--)
        {
            var (s, e, grouped) = masks[m];
            string placeholder = (s > 0 && !char.IsWhiteSpace(text[s - 1]) && !grouped ? " " : "") + "@q" + m.ToString(CultureInfo.InvariantCulture);
            for (int i = s; i < e; i++)
                sb[i] = text[i] == '\n' ? '\n' : ' ';
            if (placeholder.Length <= e - s)
            {
                for (int i = 0; i < placeholder.Length; i++) sb[s + i] = placeholder[i];
            }
            else
            {
                sb.Remove(s, e - s).Insert(s, placeholder);
            }
        }
        return (sb.ToString(), segments);
    }

    private static ParseTreeNode Parse(string masked, string original, int offset)
    {
        var tree = new Parser(MlGrammar.Language).Parse(masked);
        if (tree.HasErrors() || tree.Root is null)
        {
            var msg = tree.ParserMessages.FirstOrDefault();
            int pos = msg?.Location.Position ?? 0;
            var src = new SourceText(original);
            var (line, col) = src.Position(Math.Min(offset + pos, original.Length));
            string near = NearText(masked, pos);
            throw Errors.Syntax(Expected(msg) + near, line, col);
        }
        return tree.Root;
    }

    /// <summary>"expected one of 'AS', 'OPTIONS'" from the parser state, or Irony's own text.</summary>
    private static string Expected(Irony.LogMessage? msg)
    {
        var terms = msg?.ParserState?.ExpectedTerminals;
        if (terms is { Count: > 0 })
        {
            var names = terms.Select(t => t is KeyTerm k ? "'" + k.Text.ToUpperInvariant() + "'" : t.Name.Replace('_', ' '))
                .Select(n => n switch { "query" => "a query", "identifier" or "quoted identifier" => "a name", "number" => "a number", "string" => "a string", _ => n }).Distinct().Order(StringComparer.Ordinal).ToList();
            return names.Count == 1 ? "expected " + names[0] : "expected one of " + string.Join(", ", names);
        }
        string detail = msg?.Message ?? "syntax error";
        const string IronyPrefix = "Syntax error, ";
        return detail.StartsWith(IronyPrefix, StringComparison.Ordinal) ? detail[IronyPrefix.Length..] : detail;
    }

    private static string NearText(string masked, int pos)
    {
        if (pos >= masked.Length) return " at end of statement";
        int end = pos;
        while (end < masked.Length && end - pos < 20 && !char.IsWhiteSpace(masked[end])) end++;
        string near = masked[pos..Math.Max(end, pos + 1)];
        return near.StartsWith("@q", StringComparison.Ordinal) ? " near a query" : " near '" + near + "'";
    }

    private static CreateModelStatement BuildCreate(ParseTreeNode node, List<string> segments)
    {
        // children: or_replace, if_not_exists, model_name, transform, options, query
        bool orReplace = node.ChildNodes[0].ChildNodes.Count > 0;
        bool ifNotExists = node.ChildNodes[1].ChildNodes.Count > 0;
        var name = BuildModelName(node.ChildNodes[2]);
        var transformNode = node.ChildNodes[3];
        string? transform = transformNode.ChildNodes.Count > 0 ? "(" + Segment(transformNode.ChildNodes[0], segments) + ")" : null;
        var optionsNode = node.ChildNodes[4];
        var options = new List<OptionEntry>();
        if (optionsNode.ChildNodes.Count > 0)
        {
            foreach (var opt in optionsNode.ChildNodes[0].ChildNodes)
            {
                var key = opt.ChildNodes[0];
                options.Add(new OptionEntry(key.Token.ValueString, BuildValue(opt.ChildNodes[1]), key.Token.Location.Position));
            }
        }
        string query = Segment(node.ChildNodes[5], segments);
        return new CreateModelStatement(name, orReplace, ifNotExists, transform, options, query);
    }

    private static CreateModelStatement WithTransformPosition(CreateModelStatement stmt, string text, int transformStart)
    {
        if (stmt.Transform is null || transformStart < 0) return stmt;
        var (line, column) = new SourceText(text).Position(transformStart);
        return stmt with { TransformLine = line, TransformColumn = column };
    }

    private static string Segment(ParseTreeNode queryNode, List<string> segments) =>
        segments[int.Parse(queryNode.Token.Text.AsSpan(2), CultureInfo.InvariantCulture)];

    private static ModelName BuildModelName(ParseTreeNode node) =>
        node.ChildNodes.Count == 1
            ? new ModelName(null, node.ChildNodes[0].Token.ValueString)
            : new ModelName(node.ChildNodes[0].Token.ValueString, node.ChildNodes[1].Token.ValueString);

    private static MlArgument BuildArgument(ParseTreeNode node, List<string> segments) => node.Term.Name switch
    {
        "model_arg" => new ModelArgument(BuildModelName(node.ChildNodes[0])),
        "table_arg" => new TableArgument(string.Join(".", node.ChildNodes[0].ChildNodes.Select(n => n.Term.Name == "quoted_identifier" ? SqlText.QuotedIdentifier(n.Token.ValueString) : n.Token.ValueString))),
        "query" => new QueryArgument(Segment(node, segments)),
        _ => new ValueArgument(BuildValue(node)),
    };

    private static OptionValue BuildValue(ParseTreeNode node)
    {
        switch (node.Term.Name)
        {
            case "string":
            case "quoted_identifier":
                return new StringValue(node.Token.ValueString);
            case "number":
                return node.Token.Value is double d ? new NumberValue(d, false) : new NumberValue(Convert.ToDouble(node.Token.Value, CultureInfo.InvariantCulture), true);
            case "negative":
                var n = (NumberValue)BuildValue(node.ChildNodes[1]);
                return n with { Value = -n.Value };
            case "bool":
                return new BoolValue(node.ChildNodes[0].Token.ValueString.Equals("TRUE", StringComparison.OrdinalIgnoreCase));
            case "null":
                return new NullValue();
            case "array":
                return new ArrayValue(node.ChildNodes[0].ChildNodes.Select(BuildValue).ToList());
            case "generate_array":
                return new GenerateArrayValue((NumberValue)BuildValue(node.ChildNodes[0]), (NumberValue)BuildValue(node.ChildNodes[1]), (NumberValue)BuildValue(node.ChildNodes[2]));
            case "struct":
                return new StructValue(node.ChildNodes[0].ChildNodes.Select(f =>
                    new StructField(f.ChildNodes.Count > 1 ? f.ChildNodes[1].Token.ValueString : null, BuildValue(f.ChildNodes[0]))).ToList());
            default:
                throw Errors.Syntax("unexpected " + node.Term.Name, 1, 1);
        }
    }
}
