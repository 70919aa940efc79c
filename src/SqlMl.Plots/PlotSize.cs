namespace SqlMl.Plots;

/// <summary>The size of a rendered plot in pixels.</summary>
/// <param name="Width">Width in pixels (at least 100).</param>
/// <param name="Height">Height in pixels (at least 100).</param>
public readonly record struct PlotSize(int Width, int Height)
{
    /// <summary>800 × 600.</summary>
    public static PlotSize Default => new(800, 600);

    internal PlotSize Checked() =>
        Width >= 100 && Height >= 100 && Width <= 10_000 && Height <= 10_000 ? this
        : throw new ArgumentOutOfRangeException(nameof(Width), $"Plot size {Width}x{Height}: width and height must be 100 to 10000 pixels.");
}
