
namespace SqlMl.Tests.Cli;

/// <summary>sql-examples/kmeans_tutorial.sql runs with the sqlml command from the repository root.</summary>
public class KMeansTutorialTests
{
    [Fact]
    public void Kmeans_tutorial_script_runs_from_the_repository_root()
    {
        var lines = SqlmlProcess.RunCsvScript("sql-examples/kmeans_tutorial.sql");
        Assert.Contains("davies_bouldin_index,mean_squared_distance", lines);
        Assert.Contains("centroid_id,body_mass_g,culmen_depth_mm,culmen_length_mm,flipper_length_mm", lines);
        // One segment is exactly the Gentoo penguins.
        Assert.Contains(lines, l => l.EndsWith(",Gentoo penguin (Pygoscelis papua),123", StringComparison.Ordinal));
        // 2% of the 344 training penguins are anomalies (the anomaly listing has the header plus 6 rows).
        int header = Array.FindIndex(lines, l => l.StartsWith("species,island,sex,", StringComparison.Ordinal));
        Assert.True(header > 0);
        Assert.Equal(6, lines.Skip(header + 1).TakeWhile(l => !l.StartsWith("is_anomaly", StringComparison.Ordinal)).Count());
        Assert.Equal("true,3.66", lines[^1]);
    }
}
