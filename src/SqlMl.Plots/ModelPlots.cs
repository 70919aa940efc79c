using System.Data.Common;
using ScottPlot;

namespace SqlMl.Plots;

/// <summary>
/// Plots of SqlMl models, rendered by ScottPlot to PNG or SVG (by the file's extension). Each method runs the ML
/// function on the given connection (an open <c>SqlMlConnection</c>), so its errors (unknown model, wrong model
/// type) are the provider's; bad arguments throw <see cref="ArgumentException"/>.
/// </summary>
public static class ModelPlots
{
    /// <summary>
    /// ML.ROC_CURVE(MODEL model, input): recall against false positive rate, one point per threshold, with the
    /// diagonal of a random classifier. <paramref name="input"/> is a table name or a query with the label column.
    /// </summary>
    public static void SaveRocCurve(DbConnection connection, string model, string input, string path, PlotSize? size = null)
    {
        PlotFile.Check(path);
        var (_, _, rows) = PlotSql.Query(connection,
            $"SELECT false_positive_rate, recall FROM ML.ROC_CURVE(MODEL {PlotSql.Model(model)}, {PlotSql.Input(input)}) ORDER BY false_positive_rate, recall");
        var points = rows.Select(r => (X: PlotSql.Number(r[0]), Y: PlotSql.Number(r[1]))).Where(p => !double.IsNaN(p.X) && !double.IsNaN(p.Y)).ToList();
        points.Insert(0, (0, 0));
        points.Add((1, 1));
        var plot = new Plot();
        var curve = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.LegendText = model;
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "random";
        plot.Title($"ROC curve: {model}");
        plot.XLabel("False positive rate");
        plot.YLabel("Recall (true positive rate)");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        PlotFile.Save(plot, path, (size ?? PlotSize.Default).Checked());
    }

    /// <summary>ML.TRAINING_INFO(MODEL model): loss (and eval_loss where the model reports one) per iteration of the latest training run.</summary>
    public static void SaveLossCurve(DbConnection connection, string model, string path, PlotSize? size = null)
    {
        PlotFile.Check(path);
        string m = PlotSql.Model(model);
        var (names, _, rows) = PlotSql.Query(connection,
            $"SELECT * FROM ML.TRAINING_INFO(MODEL {m}) "
            + $"WHERE training_run = (SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL {m})) ORDER BY iteration");
        if (rows.Count == 0) throw new ArgumentException($"Model {model} has no training iterations to plot.", nameof(model));
        int iteration = PlotSql.Column(names, "iteration"), loss = PlotSql.Column(names, "loss"), evalLoss = PlotSql.Column(names, "eval_loss");
        double[] iterations = rows.Select(r => PlotSql.Number(r[iteration])).ToArray();
        var plot = new Plot();
        var training = plot.Add.Scatter(iterations, rows.Select(r => PlotSql.Number(r[loss])).ToArray());
        training.LegendText = "loss (training)";
        if (evalLoss >= 0 && rows.Any(r => r[evalLoss] is not null))
        {
            var eval = plot.Add.Scatter(iterations, rows.Select(r => PlotSql.Number(r[evalLoss])).ToArray());
            eval.LegendText = "eval_loss";
        }
        plot.Title($"Training loss: {model}");
        plot.XLabel("Iteration");
        plot.YLabel("Loss");
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path, (size ?? PlotSize.Default).Checked());
    }

    /// <summary>
    /// ML.PREDICT(MODEL model, input) of a KMEANS model: the input rows on two numeric columns (<paramref name="x"/>,
    /// <paramref name="y"/>; by default the first two numeric input columns), one color per CENTROID_ID, and the
    /// centroids (ML.CENTROIDS) as crosses where both columns are numeric features.
    /// </summary>
    public static void SaveClusters(DbConnection connection, string model, string input, string path, string? x = null, string? y = null, PlotSize? size = null)
    {
        PlotFile.Check(path);
        string m = PlotSql.Model(model);
        var (names, types, rows) = PlotSql.Query(connection, $"SELECT * FROM ML.PREDICT(MODEL {m}, {PlotSql.Input(input)})");
        int centroid = PlotSql.Column(names, "centroid_id");
        if (centroid < 0) throw new ArgumentException($"ML.PREDICT of model {model} has no CENTROID_ID column: clusters need a KMEANS model.", nameof(model));
        var numeric = Enumerable.Range(0, names.Length)
            .Where(i => i != centroid && PlotSql.IsNumeric(types[i]) && !names[i].Equals("nearest_centroids_distance", StringComparison.OrdinalIgnoreCase))
            .ToList();
        int ix = Pick(names, numeric, x, 0, nameof(x));
        int iy = Pick(names, numeric, y, 1, nameof(y));
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => PlotSql.Number(r[centroid])).OrderBy(g => g.Key))
        {
            var points = plot.Add.ScatterPoints(group.Select(r => PlotSql.Number(r[ix])).ToArray(), group.Select(r => PlotSql.Number(r[iy])).ToArray());
            points.LegendText = $"centroid {group.Key}";
        }
        AddCentroids(plot, connection, m, names[ix], names[iy]);
        plot.Title($"Clusters: {model}");
        plot.XLabel(names[ix]);
        plot.YLabel(names[iy]);
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path, (size ?? PlotSize.Default).Checked());
    }

    private static int Pick(string[] names, List<int> numeric, string? requested, int position, string parameter)
    {
        if (requested is null)
        {
            if (numeric.Count <= position)
                throw new ArgumentException("Clusters need two numeric input columns to plot; the input has " + numeric.Count + ".", parameter);
            return numeric[position];
        }
        int i = PlotSql.Column(names, requested);
        if (i < 0 || !numeric.Contains(i))
            throw new ArgumentException($"Column '{requested}' is not a numeric column of the input (numeric: {string.Join(", ", numeric.Select(k => names[k]))}).", parameter);
        return i;
    }

    private static void AddCentroids(Plot plot, DbConnection connection, string model, string x, string y)
    {
        var (_, _, rows) = PlotSql.Query(connection, $"SELECT centroid_id, feature, numerical_value FROM ML.CENTROIDS(MODEL {model})");
        var centroids = rows.GroupBy(r => PlotSql.Number(r[0]))
            .Select(g => (X: Feature(g, x), Y: Feature(g, y)))
            .Where(c => !double.IsNaN(c.X) && !double.IsNaN(c.Y))
            .ToList();
        if (centroids.Count == 0) return;
        var markers = plot.Add.Markers(centroids.Select(c => c.X).ToArray(), centroids.Select(c => c.Y).ToArray(), MarkerShape.Cross, 16, Colors.Black);
        markers.LegendText = "centroids";
    }

    private static double Feature(IEnumerable<object?[]> centroidRows, string feature) =>
        centroidRows.Where(r => string.Equals(r[1] as string, feature, StringComparison.OrdinalIgnoreCase)).Select(r => PlotSql.Number(r[2])).DefaultIfEmpty(double.NaN).First();
}
