using System.Globalization;

namespace SqlMl.Tests.Cli;

/// <summary>sql-examples/recommendations_tutorial.sql runs with the sqlml command from the repository root and recommends sensibly.</summary>
public class RecommendationsTutorialTests
{
    [Fact]
    public void Recommendations_tutorial_script_runs_and_recommends_the_favourite_genre()
    {
        var lines = SqlmlProcess.RunCsvScript("sql-examples/recommendations_tutorial.sql");
        Assert.Contains("iteration,loss,eval_loss", lines);
        Assert.Contains("map,ndcg,average_rank", lines);
        Assert.Contains("viewer_id,top_10", lines);
        // The explicit top 10 (first) and the implicit top 10 of unwatched movies (second) are the viewer's genre.
        var shares = lines.Select((l, i) => (l, i)).Where(x => x.l == "share_in_favourite_genre").Select(x => double.Parse(lines[x.i + 1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, shares.Count);
        Assert.All(shares, s => Assert.True(s >= 0.9, $"share {s}"));
        // The held-out ratings are predicted far better than by their spread (r2 > 0.5), and held-out watches rank high.
        int metrics = Array.IndexOf(lines, "rmse,mae,r2");
        Assert.True(double.Parse(lines[metrics + 1].Split(',')[2], CultureInfo.InvariantCulture) > 0.5, lines[metrics + 1]);
        int ranking = Array.IndexOf(lines, "map,ndcg,average_rank");
        Assert.True(double.Parse(lines[ranking + 1].Split(',')[2], CultureInfo.InvariantCulture) < 0.25, lines[ranking + 1]);
        Assert.Contains("global__intercept__,1,0", lines);
    }
}
