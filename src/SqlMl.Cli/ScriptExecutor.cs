using System.Data.Common;
using System.Diagnostics;
using SqlMl.Data;
using SqlMl.Parsing;

namespace SqlMl.Cli;

/// <summary>
/// Runs scripts statement by statement on one connection: binds <c>--param</c> values, prints each result set (unless
/// quiet), keeps the last one for <c>--output</c>, writes the <c>--log json</c> line, and stops at the first failing or
/// cancelled statement. Each statement is sent at its own line and column, so error positions are the script's.
/// </summary>
internal sealed class ScriptExecutor(SqlMlConnection connection, CliOptions options, TextWriter output, TextWriter error, Interrupts interrupts)
{
    private static readonly string[] WriteKeywords = ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"];
    private readonly StatementLog _log = new(error, options.LogJson);

    /// <summary>How result sets are printed; the REPL's <c>.format</c> changes it.</summary>
    public OutputFormat Format { get; set; } = options.Format;

    /// <summary>Prints each statement's run time (the REPL's <c>.timer on</c>).</summary>
    public bool Timer { get; set; }

    /// <summary>The last result set any statement returned, for <c>--output</c>.</summary>
    public ResultSet? LastResult { get; private set; }

    /// <summary>Runs a script; <paramref name="firstLine"/> is the line of the source it starts on.</summary>
    public int Run(string script, string source, int firstLine = 1)
    {
        var text = new SourceText(script);
        foreach (var statement in StatementSplitter.Split(script))
        {
            if (interrupts.Requested) return ExitCodes.Interrupted;
            var (line, column) = text.Position(statement.Offset);
            int code = RunStatement(statement, source, line + firstLine - 1, column);
            if (code != ExitCodes.Success) return code;
        }
        return ExitCodes.Success;
    }

    private int RunStatement(SqlStatement statement, string source, int line, int column)
    {
        var clock = Stopwatch.StartNew();
        long? rows = null;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = new string('\n', line - 1) + new string(' ', column - 1) + statement.Text;
        foreach (var (name, value) in Bound(statement)) cmd.Parameters.AddWithValue(name, value);
        var progress = options.Progress ? new ProgressLine(error, TimeSpan.FromMilliseconds(100)) : null;
        if (progress is not null) connection.TrainingProgress += progress.OnProgress;
        interrupts.Begin(cmd);
        try
        {
            if (WritesRows(statement))
            {
                int n = cmd.ExecuteNonQuery();
                if (n >= 0) rows = n;
            }
            else
            {
                using var reader = cmd.ExecuteReader();
                do
                {
                    if (reader.FieldCount == 0) continue;
                    rows = (rows ?? 0) + ReadResult(reader);
                }
                while (reader.NextResult());
            }
        }
        catch (Exception e) when (interrupts.Requested && e is DbException or OperationCanceledException)
        {
            return Fail(statement, source, line, clock, StatementOutcome.Cancelled, "statement cancelled (Ctrl-C).", ExitCodes.Interrupted);
        }
        // A DbException is the provider's report of a failed statement; the others are not user errors it reports as
        // SqlMlException, but still this statement's failure: report them the same way, no stack trace.
        catch (Exception e) when (e is DbException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            string where = source is "-c" or "stdin" ? "" : source + ": ";
            return Fail(statement, source, line, clock, StatementOutcome.Error, where + e.Message, ExitCodes.StatementFailed);
        }
        finally
        {
            interrupts.End();
            if (progress is not null)
            {
                connection.TrainingProgress -= progress.OnProgress;
                progress.Clear();
            }
        }
        _log.Write(statement.Text, source, line, rows, clock.Elapsed, StatementOutcome.Ok, null);
        if (Timer) output.WriteLine($"Run Time: {clock.Elapsed.TotalSeconds:0.000} s");
        return ExitCodes.Success;
    }

    private int Fail(SqlStatement statement, string source, int line, Stopwatch clock, StatementOutcome outcome, string message, int code)
    {
        if (_log.Enabled) _log.Write(statement.Text, source, line, null, clock.Elapsed, outcome, message);
        else error.WriteLine("error: " + message);
        return code;
    }

    /// <summary>
    /// Prints (or counts) one result set. It is held in memory only when it must be: for <c>--output</c> (the last one
    /// is written at the end) and for the table format (column widths); csv and json stream row by row.
    /// </summary>
    private long ReadResult(DbDataReader reader)
    {
        if (options.OutputFile is null && (options.Quiet || Format != OutputFormat.Table))
            return options.Quiet ? ResultSet.ReadRows(reader).LongCount() : new ResultPrinter(Format, output).Stream(ResultSet.ColumnNames(reader), ResultSet.ReadRows(reader));
        var result = ResultSet.Read(reader);
        LastResult = result;
        if (!options.Quiet) new ResultPrinter(Format, output).Print(result);
        return result.Rows.Count;
    }

    /// <summary>
    /// The --param values a statement uses: those its <c>$name</c>s name (a script need not use them all), or all of
    /// them, in order, when it has a positional <c>?</c>.
    /// </summary>
    private IEnumerable<KeyValuePair<string, object?>> Bound(SqlStatement statement)
    {
        var used = statement.Tokens.Where(t => t.Kind == TokenKind.Parameter).Select(t => t.Text).ToList();
        if (used.Count == 0) return [];
        if (used.Contains("?")) return options.Parameters;
        var names = used.Select(u => u.TrimStart('$')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return options.Parameters.Where(p => names.Contains(p.Key));
    }

    /// <summary>DML and COPY run as non-queries so the log can report the rows they wrote.</summary>
    private static bool WritesRows(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        if (tokens.Count == 0 || !WriteKeywords.Any(k => tokens[0].IsWord(k))) return false;
        return !tokens.Any(t => t.IsWord("RETURNING"));
    }
}
