using System.Data.Common;
using DuckDB.NET.Data;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Execution;

/// <summary>
/// Runs a script statement by statement, in order: CREATE/DROP MODEL are executed here, every other statement goes
/// to DuckDB after its ML table functions are rewritten. Statements are bound when they run, so a script can
/// create a model and use it in the next statement. Errors carry positions in the whole script. Parameters are
/// resolved per statement (<see cref="ParameterBinder"/>); each step runs under the command's
/// <see cref="ExecutionControl"/> (cancellation, timeout).
/// </summary>
internal sealed partial class ScriptRunner
{
    private readonly DuckDBConnection _connection;
    private readonly SourceText _source;
    private readonly List<SqlStatement> _statements;
    private readonly ParameterBinder _parameters;
    private readonly ExecutionControl? _control;
    private readonly Action<SqlMlTrainingProgressEventArgs>? _progress;
    private readonly MlFunctionRewriter _rewriter;
    private int _next;

    /// <param name="connection">The DuckDB connection statements run on.</param>
    /// <param name="script">One or more statements.</param>
    /// <param name="parameters">The command's parameters, in order.</param>
    /// <param name="control">Cancellation and timeout; null runs every step with only the caller's token.</param>
    /// <param name="progress">Receives each training iteration of CREATE MODEL statements; null when nobody listens.</param>
    public ScriptRunner(DuckDBConnection connection, string script, IReadOnlyList<SqlMlParameter> parameters,
        ExecutionControl? control = null, Action<SqlMlTrainingProgressEventArgs>? progress = null)
    {
        _connection = connection;
        _source = new SourceText(script);
        _statements = StatementSplitter.Split(script);
        _parameters = new ParameterBinder(parameters);
        _control = control;
        _progress = progress;
        _rewriter = new MlFunctionRewriter(connection);
    }

    /// <summary>Whether the command was cancelled (<see cref="SqlMlCommand.Cancel"/>).</summary>
    public bool IsCancellationRequested => _control?.IsCancellationRequested ?? false;

    /// <summary>Rows changed by the statements run so far (DuckDB's count for DML), or -1 if none reported.</summary>
    public int RecordsAffected { get; private set; } = -1;

    /// <summary>Runs statements until one returns rows; returns its reader, or null when the script is done.</summary>
    public DbDataReader? NextResult(CancellationToken cancellationToken = default) => Step(token =>
    {
        while (_next < _statements.Count)
        {
            var reader = Run(_statements[_next++], wantRows: true, token);
            if (reader is not null) return reader;
        }
        return null;
    }, cancellationToken);

    /// <summary>Runs every remaining statement, discarding rows.</summary>
    public void RunToEnd(CancellationToken cancellationToken = default) => Step(token =>
    {
        while (_next < _statements.Count) Run(_statements[_next++], wantRows: false, token)?.Dispose();
        return 0;
    }, cancellationToken);

    private T Step<T>(Func<CancellationToken, T> step, CancellationToken cancellationToken) =>
        _control is null ? step(cancellationToken) : _control.Run(step, cancellationToken, DescribeCurrent);

    /// <summary>The statement that ran last, for cancellation and timeout messages.</summary>
    private string DescribeCurrent()
    {
        if (_next == 0 || _next > _statements.Count) return "The command";
        var st = _statements[_next - 1];
        var (line, _) = _source.Position(st.Offset);
        string head = string.Join(' ', st.Tokens.Take(3).Select(t => t.Text.ToUpperInvariant()));
        return $"The statement at line {line} ({head} …)";
    }

    private DbDataReader? Run(SqlStatement original, bool wantRows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BoundStatement? bound = null;
        try
        {
            bool ml = MlScanner.IsCreateModel(original.Tokens) || MlScanner.FindCalls(original.Tokens).Count > 0;
            bound = _parameters.Bind(original, inline: ml);
            var statement = bound.Statement;
            if (MlScanner.IsCreateModel(statement.Tokens))
            {
                var stmt = (CreateModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens);
                // Checks the preprocessing calls on the whole statement, so their errors point into the statement.
                Preprocessing.PreprocessingRewriter.Rewrite(statement.Text);
                var progress = _progress is null ? null : new TrainingProgressReporter(stmt.Name.ToString(), _progress);
                CreateModelExecutor.Create(_connection, stmt, _rewriter, cancellationToken, progress);
                return null;
            }
            if (MlScanner.IsDropModel(statement.Tokens))
            {
                CreateModelExecutor.Drop(_connection, (DropModelStatement)MlStatementParser.ParseStatement(statement.Text, statement.Tokens));
                return null;
            }
            _rewriter.BeginStatement();
            string sql = _rewriter.RewriteStatement(statement.Text);
            var cmd = _connection.CreateCommand();
            try
            {
                cmd.CommandText = sql;
                foreach (object? value in bound.Values) cmd.Parameters.Add(new DuckDBParameter { Value = value });
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
            catch
            {
                cmd.Dispose();
                throw;
            }
        }
        catch (SqlMlException e) when (e.Line is { } line && e.Column is { } col)
        {
            throw Relocate(e, original, bound, line, col);
        }
        catch (DuckDBException e)
        {
            throw FromDuckDb(e, original, bound);
        }
    }

    /// <summary>
    /// The line and column in the script of an offset in the statement as it ran: in the bound text when parameters
    /// were bound (mapped back to the original statement), else in the original statement.
    /// </summary>
    private (int Line, int Column) ScriptPosition(SqlStatement original, BoundStatement? bound, int offset) =>
        _source.Position(original.Offset + (bound?.OriginalOffset(offset) ?? offset));

    private SqlMlException Relocate(SqlMlException e, SqlStatement original, BoundStatement? bound, int line, int col)
    {
        var text = bound?.Statement ?? original;
        var (l, c) = ScriptPosition(original, bound, new SourceText(text.Text).Offset(line, col));
        string message = e.Message.Replace($"line {line}, column {col}", $"line {l}, column {c}", StringComparison.Ordinal);
        return new SqlMlException(e.Code, message, l, c, e.InnerException);
    }

    private SqlMlException FromDuckDb(DuckDBException e, SqlStatement original, BoundStatement? bound)
    {
        var statement = bound?.Statement ?? original;
        if (ParserErrorPosition.Offset(e, statement.Text) is { } offset)
        {
            var (l, c) = ScriptPosition(original, bound, offset);
            return new SqlMlException(SqlMlErrorCode.Syntax, $"Syntax error at line {l}, column {c}: {ParserErrorPosition.FirstLine(e.Message)}", l, c, e);
        }
        if (e.Message.StartsWith("Binder Error", StringComparison.Ordinal) && _rewriter.UncheckedInputs.Count > 0)
        {
            var calls = _rewriter.UncheckedInputs;
            string models = string.Join(", ", calls.Select(c => c.Model).Distinct());
            return new SqlMlException(SqlMlErrorCode.Engine,
                $"{e.Message}\nThe input of {string.Join(", ", calls.Select(c => c.Call))} could not be checked before the statement ran " +
                $"(DuckDB cannot describe it on its own, e.g. a CTE): make sure it has the columns the model reads; ML.FEATURE_INFO(MODEL {calls[0].Model}) lists them" +
                (calls.Select(c => c.Model).Distinct().Count() > 1 ? $" (models: {models})." : "."), inner: e);
        }
        return new SqlMlException(SqlMlErrorCode.Engine, e.Message, inner: e);
    }
}
