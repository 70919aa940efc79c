using System.Data.Common;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Runs a script statement by statement, in order: CREATE/DROP MODEL are executed here, every other statement goes
/// to DuckDB after its ML table functions are rewritten. Statements are bound when they run, so a script can
/// create a model and use it in the next statement. Errors carry positions in the whole script.
/// </summary>
internal sealed partial class ScriptRunner
{
    private readonly DuckDBConnection _connection;
    private readonly SourceText _source;
    private readonly List<SqlStatement> _statements;
    private readonly IReadOnlyList<DbParameter> _parameters;
    private readonly CancellationToken _cancellationToken;
    private readonly MlFunctionRewriter _rewriter;
    private int _next;

    public ScriptRunner(DuckDBConnection connection, string script, IReadOnlyList<DbParameter> parameters, CancellationToken cancellationToken)
    {
        _connection = connection;
        _source = new SourceText(script);
        _statements = StatementSplitter.Split(script);
        _parameters = parameters;
        _cancellationToken = cancellationToken;
        _rewriter = new MlFunctionRewriter(connection);
    }

    /// <summary>Rows changed by the statements run so far (DuckDB's count for DML), or -1 if none reported.</summary>
    public int RecordsAffected { get; private set; } = -1;

    /// <summary>Runs statements until one returns rows; returns its reader, or null when the script is done.</summary>
    public DbDataReader? NextResult()
    {
        while (_next < _statements.Count)
        {
            var reader = Run(_statements[_next++], wantRows: true);
            if (reader is not null) return reader;
        }
        return null;
    }

    /// <summary>Runs every remaining statement, discarding rows.</summary>
    public void RunToEnd()
    {
        while (_next < _statements.Count) Run(_statements[_next++], wantRows: false)?.Dispose();
    }

    private DbDataReader? Run(SqlStatement statement, bool wantRows)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (MlScanner.IsCreateModel(statement.Tokens))
            {
                var stmt = (CreateModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens);
                // Checks the preprocessing calls on the whole statement, so their errors point into the statement.
                Preprocessing.PreprocessingRewriter.Rewrite(statement.Text);
                CreateModelExecutor.Create(_connection, stmt, _rewriter, _cancellationToken);
                return null;
            }
            if (MlScanner.IsDropModel(statement.Tokens))
            {
                CreateModelExecutor.Drop(_connection, (DropModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens));
                return null;
            }
            string sql = _rewriter.Rewrite(statement.Text);
            var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            if (statement.Tokens.Any(t => t.Kind == TokenKind.Parameter))
                foreach (var p in _parameters) cmd.Parameters.Add(p is DuckDBParameter d ? new DuckDBParameter(d.ParameterName, d.Value) : new DuckDBParameter(p.ParameterName, p.Value));
            if (!wantRows)
            {
                int n = cmd.ExecuteNonQuery();
                if (n >= 0) RecordsAffected = Math.Max(0, RecordsAffected) + n;
                cmd.Dispose();
                return null;
            }
            var reader = cmd.ExecuteReader();
            if (reader.FieldCount > 0) return new OwningReader(reader, cmd);
            reader.Dispose();
            cmd.Dispose();
            return null;
        }
        catch (SqlMlException e) when (e.Line is { } line && e.Column is { } col)
        {
            throw Relocate(e, statement, line, col);
        }
        catch (DuckDBException e)
        {
            throw FromDuckDb(e, statement);
        }
    }

    private SqlMlException Relocate(SqlMlException e, SqlStatement statement, int line, int col)
    {
        int local = new SourceText(statement.Text).Offset(line, col);
        var (l, c) = _source.Position(statement.Offset + local);
        string message = e.Message.Replace($"line {line}, column {col}", $"line {l}, column {c}", StringComparison.Ordinal);
        return new SqlMlException(e.Code, message, l, c, e.InnerException);
    }

    private SqlMlException FromDuckDb(DuckDBException e, SqlStatement statement)
    {
        var m = CaretLine().Match(e.Message);
        if (m.Success && e.Message.StartsWith("Parser Error", StringComparison.Ordinal))
        {
            int line = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var text = new SourceText(statement.Text);
            int local = text.Offset(line, CaretColumn(statement.Text, text, line, m));
            var (l, c) = _source.Position(statement.Offset + local);
            return new SqlMlException(SqlMlErrorCode.Syntax, $"Syntax error at line {l}, column {c}: {FirstLine(e.Message)}", l, c, e);
        }
        return new SqlMlException(SqlMlErrorCode.Engine, e.Message, inner: e);
    }

    /// <summary>
    /// The 1-based column DuckDB's caret points at. DuckDB shows "LINE n: text" with the caret below; long lines
    /// are shown as a window ("...text...") that is located in the statement's line.
    /// </summary>
    private static int CaretColumn(string statement, SourceText text, int line, Match m)
    {
        string shown = m.Groups[2].Value;
        int caret = m.Groups[3].Value.Length - ("LINE ".Length + m.Groups[1].Value.Length + ": ".Length);
        bool leading = shown.StartsWith("...", StringComparison.Ordinal);
        string window = shown.Trim('.');
        if (!leading) return caret + 1;
        int start = text.Offset(line, 1);
        int end = statement.IndexOf('\n', start);
        string lineText = statement[start..(end < 0 ? statement.Length : end)];
        int at = window.Length > 0 ? lineText.IndexOf(window, StringComparison.Ordinal) : -1;
        return at < 0 ? 1 : at + (caret - 3) + 1;
    }

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? s : s[..nl].TrimEnd();
    }

    // "LINE 2: select foo fro bar\n                 ^"
    [GeneratedRegex(@"(?m)^LINE (\d+): (.*)\r?\n( *)\^")]
    private static partial Regex CaretLine();
}
