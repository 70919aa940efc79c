using System.Text.Json;

namespace SqlMl.Cli;

/// <summary>How a statement ended, as <c>--log json</c> reports it.</summary>
internal enum StatementOutcome
{
    Ok,
    Error,
    Cancelled,
}

/// <summary>
/// <c>--log json</c>: one JSON object per line on standard error for each statement run, with <c>statement</c> (its
/// text), <c>source</c> (<c>-c</c>, the file, or <c>stdin</c>), <c>line</c>, <c>rows</c> (rows returned, or rows
/// written by INSERT/UPDATE/DELETE/MERGE/COPY; null when DuckDB reports none), <c>duration_ms</c>,
/// <c>outcome</c> (<c>ok</c>, <c>error</c>, <c>cancelled</c>) and <c>error</c> (the message, or null).
/// </summary>
internal sealed class StatementLog(TextWriter error, bool enabled)
{
    public bool Enabled => enabled;

    public void Write(string? statement, string source, int line, long? rows, TimeSpan duration, StatementOutcome outcome, string? message)
    {
        if (!enabled) return;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (statement is null) w.WriteNull("statement");
            else w.WriteString("statement", statement);
            w.WriteString("source", source);
            w.WriteNumber("line", line);
            if (rows is { } r) w.WriteNumber("rows", r);
            else w.WriteNull("rows");
            w.WriteNumber("duration_ms", Math.Round(duration.TotalMilliseconds, 3));
            w.WriteString("outcome", outcome.ToString().ToLowerInvariant());
            if (message is null) w.WriteNull("error");
            else w.WriteString("error", message);
            w.WriteEndObject();
        }
        error.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        error.Flush();
    }
}
