using System.Globalization;
using System.Text;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>A statement with its parameters resolved: the text to run, values to bind, and the way back to the original text.</summary>
internal sealed class BoundStatement(SqlStatement statement, IReadOnlyList<object?> values, IReadOnlyList<(int NewStart, int NewEnd, int OldStart, int OldEnd)> edits)
{
    /// <summary>The statement to run (its offset is the original statement's offset in the script).</summary>
    public SqlStatement Statement { get; } = statement;

    /// <summary>Values for DuckDB's <c>$1</c>, <c>$2</c> … in <see cref="Statement"/>; empty when they were written as literals.</summary>
    public IReadOnlyList<object?> Values { get; } = values;

    /// <summary>Maps an offset in the bound text back to the original statement's text, for error positions.</summary>
    public int OriginalOffset(int offset)
    {
        int delta = 0;
        foreach (var e in edits)
        {
            if (offset < e.NewStart) break;
            if (offset < e.NewEnd) return e.OldStart;
            delta = e.OldEnd - e.NewEnd;
        }
        return offset + delta;
    }
}

/// <summary>
/// Resolves the parameters of a script's statements against the command's parameters: <c>$name</c> by name,
/// <c>$n</c> by position among all parameters, <c>?</c> as the next unnamed parameter (empty ParameterName), counted
/// over the whole script. Plain statements get DuckDB
/// parameters <c>$1</c>, <c>$2</c> … bound to the values; ML statements, which SqlMl parses and compiles to other SQL,
/// get the values written in as literals (<see cref="SqlLiteral"/>).
/// </summary>
internal sealed class ParameterBinder(IReadOnlyList<SqlMlParameter> parameters)
{
    private readonly List<SqlMlParameter> _unnamed = parameters.Where(p => p.ParameterName.Length == 0).ToList();
    private int _nextQuestionMark;

    public BoundStatement Bind(SqlStatement statement, bool inline)
    {
        // PREPARE name AS …: its placeholders belong to the prepared statement (EXECUTE name(values) fills them).
        if (!statement.Tokens.Any(t => t.Kind == TokenKind.Parameter) || statement.Tokens[0].IsWord("PREPARE"))
            return new BoundStatement(statement, [], []);
        // DuckDB cannot bind parameters of EXECUTE name(…) either: its arguments are written as literals too.
        inline |= statement.Tokens[0].IsWord("EXECUTE");
        string text = statement.Text;
        var sb = new StringBuilder(text.Length + 16);
        var edits = new List<(int, int, int, int)>();
        var values = new List<object?>();
        var slots = new Dictionary<SqlMlParameter, int>();
        int pos = 0;
        foreach (var token in statement.Tokens.Where(t => t.Kind == TokenKind.Parameter))
        {
            var parameter = Resolve(token, statement);
            string replacement;
            if (inline)
            {
                replacement = SqlLiteral.TryFormat(parameter.Value) ?? throw Errors.Binding(
                    $"Parameter {token.Text}: a value of type {parameter.Value!.GetType().Name} cannot be used in an ML statement, where parameters are written into the SQL as literals. Use a number, string, boolean, date/time, GUID, byte array or a list of those.");
                if (token.Start > 0 && text[token.Start - 1] == '-' && replacement.StartsWith('-')) replacement = " " + replacement;
            }
            else
            {
                if (!slots.TryGetValue(parameter, out int slot))
                {
                    values.Add(parameter.Value is DBNull ? null : parameter.Value);
                    slot = values.Count;
                    slots[parameter] = slot;
                }
                replacement = "$" + slot.ToString(CultureInfo.InvariantCulture);
            }
            sb.Append(text, pos, token.Start - pos);
            int newStart = sb.Length;
            sb.Append(replacement);
            edits.Add((newStart, sb.Length, token.Start, token.End));
            pos = token.End;
        }
        sb.Append(text, pos, text.Length - pos);
        string bound = sb.ToString();
        return new BoundStatement(new SqlStatement(bound, statement.Offset, SqlLexer.Tokenize(bound)), values, edits);
    }

    private SqlMlParameter Resolve(Token token, SqlStatement statement)
    {
        string t = token.Text;
        if (t == "?")
        {
            int index = _nextQuestionMark++;
            return index < _unnamed.Count ? _unnamed[index]
                : throw Missing(statement, token, $"Parameter ? number {index + 1} has no value: the command has {_unnamed.Count} unnamed parameter{(_unnamed.Count == 1 ? "" : "s")}; each ? takes the next parameter without a name, in order.");
        }
        string name = t[1..];
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            return n >= 1 && n <= parameters.Count ? parameters[n - 1]
                : throw Missing(statement, token, $"Parameter {t} has no value: the command has {parameters.Count} parameter{(parameters.Count == 1 ? "" : "s")}; ${n} is the parameter at position {n}.");
        }
        foreach (var p in parameters)
            if (string.Equals(p.ParameterName, name, StringComparison.OrdinalIgnoreCase)) return p;
        throw Missing(statement, token, $"Parameter {t} has no value: bind it with command.Parameters.AddWithValue(\"{name}\", value), or with sqlml --param {name}=VALUE.");
    }

    private static SqlMlException Missing(SqlStatement statement, Token token, string message)
    {
        var (line, column) = new SourceText(statement.Text).Position(token.Start);
        return new SqlMlException(SqlMlErrorCode.Binding, message, line, column);
    }
}
