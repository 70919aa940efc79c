using ScottPlot;

namespace SqlMl.Plots;

/// <summary>Saves a plot as PNG or SVG by the file's extension.</summary>
internal static class PlotFile
{
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not ".png" and not ".svg") throw new ArgumentException($"Plot file '{path}' must end in .png or .svg.", nameof(path));
    }

    public static void Save(Plot plot, string path, PlotSize size)
    {
        Check(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(path, size.Width, size.Height);
        else plot.SavePng(path, size.Width, size.Height);
    }
}
