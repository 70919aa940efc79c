using System.CommandLine;
using System.Data.Common;
using SqlMl.Plots;

namespace SqlMl.Cli;

/// <summary>
/// <c>sqlml plot roc|loss|clusters --db PATH --model NAME [--input SQL] [--x COL --y COL] [--size WxH] --out FILE.png|.svg</c>:
/// renders a model's ROC curve, loss curve or k-means clusters with <see cref="ModelPlots"/>. Exit 0 when the file
/// is written, 1 when the database or the ML function refuses, 2 for misuse.
/// </summary>
internal static class PlotCommand
{
    public static Command Build()
    {
        var kind = new Argument<string>("KIND") { Description = "roc (ML.ROC_CURVE), loss (ML.TRAINING_INFO) or clusters (KMEANS ML.PREDICT)." };
        kind.AcceptOnlyFromAmong("roc", "loss", "clusters");
        var db = new Option<string>("--db") { Description = "DuckDB database file holding the model (opened read-only).", Required = true, HelpName = "PATH" };
        var model = new Option<string>("--model", "-m") { Description = "The model's name.", Required = true, HelpName = "NAME" };
        var input = new Option<string?>("--input") { Description = "Rows to evaluate or cluster: a table name or a query (roc and clusters).", HelpName = "TABLE|QUERY" };
        var x = new Option<string?>("--x") { Description = "clusters: the column on the x axis (default: first numeric input column)." };
        var y = new Option<string?>("--y") { Description = "clusters: the column on the y axis (default: second numeric input column)." };
        var size = new Option<string>("--size") { Description = "WIDTHxHEIGHT in pixels.", DefaultValueFactory = _ => "800x600", HelpName = "WxH" };
        var output = new Option<string>("--out", "-o") { Description = "The image file: .png or .svg.", Required = true, HelpName = "FILE" };
        var lockTimeout = new Option<double>("--lock-timeout") { Description = "Seconds to wait while another process holds the database file.", DefaultValueFactory = _ => 0, HelpName = "SECONDS" };
        var command = new Command("plot", "Renders a model's ROC curve, loss curve or k-means clusters to PNG or SVG.")
        {
            kind, db, model, input, x, y, size, output, lockTimeout,
        };
        command.SetAction(parse => Run(
            parse.GetValue(kind)!, parse.GetValue(db)!, parse.GetValue(model)!, parse.GetValue(input), parse.GetValue(x), parse.GetValue(y),
            parse.GetValue(size)!, parse.GetValue(output)!, parse.GetValue(lockTimeout)));
        return command;
    }

    private static int Run(string kind, string db, string model, string? input, string? x, string? y, string size, string output, double lockTimeout)
    {
        if (kind is "roc" or "clusters" && string.IsNullOrWhiteSpace(input))
            return Usage($"plot {kind} needs --input (a table name or a query).");
        if (!File.Exists(db)) return Usage($"database file not found: {db}");
        if (ParseSize(size) is not { } pixels) return Usage($"--size '{size}' must be WIDTHxHEIGHT, e.g. 800x600.");
        try
        {
            using var connection = DatabaseOpener.Open(db, TimeSpan.FromSeconds(Math.Max(0, lockTimeout)), CancellationToken.None, readOnly: true);
            switch (kind)
            {
                case "roc": ModelPlots.SaveRocCurve(connection, model, input!, output, pixels); break;
                case "loss": ModelPlots.SaveLossCurve(connection, model, output, pixels); break;
                default: ModelPlots.SaveClusters(connection, model, input!, output, x, y, pixels); break;
            }
            return ExitCodes.Success;
        }
        catch (ArgumentException e)
        {
            // ArgumentException.Message appends " (Parameter 'x')"; the user needs the sentence only.
            string message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
            return Usage(message);
        }
        catch (Exception e) when (e is DbException or DatabaseOpener.LockedException or IOException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.StatementFailed;
        }
    }

    private static PlotSize? ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w is >= 100 and <= 10_000 && h is >= 100 and <= 10_000
            ? new PlotSize(w, h)
            : null;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.Usage;
    }
}
