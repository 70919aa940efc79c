using System.Diagnostics;
using System.Globalization;
using SqlMl.Data;

namespace SqlMl.Cli;

/// <summary>
/// Training progress on one terminal line (standard error), rewritten in place: model, iteration, loss, elapsed.
/// Updates come from <see cref="SqlMlConnection.TrainingProgress"/>, at most one per <c>interval</c> (the last one of
/// a run is always shown); <see cref="Clear"/> erases the line when the statement ends. Only used on a terminal.
/// </summary>
internal sealed class ProgressLine(TextWriter writer, TimeSpan interval)
{
    private readonly Stopwatch _sinceShown = new();
    private bool _shown;

    /// <summary>The text of one report.</summary>
    public static string Format(SqlMlTrainingProgressEventArgs e) =>
        string.Create(CultureInfo.InvariantCulture,
            $"training {e.Model}: iteration {e.Iteration}{(e.Loss is { } loss ? $", loss {loss:G6}" : "")}, {e.Elapsed.TotalSeconds:0.0} s");

    public void OnProgress(object? sender, SqlMlTrainingProgressEventArgs e)
    {
        if (_shown && _sinceShown.Elapsed < interval) return;
        writer.Write("\r" + Format(e) + "\u001b[K");
        writer.Flush();
        _shown = true;
        _sinceShown.Restart();
    }

    /// <summary>Erases the progress line, if one was shown.</summary>
    public void Clear()
    {
        if (!_shown) return;
        writer.Write("\r\u001b[K");
        writer.Flush();
        _shown = false;
    }
}
