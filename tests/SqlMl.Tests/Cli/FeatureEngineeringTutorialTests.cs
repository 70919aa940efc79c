using System.Globalization;

namespace SqlMl.Tests.Cli;

/// <summary>sql-examples/feature_engineering_tutorial.sql runs with the sqlml command from the repository root.</summary>
public class FeatureEngineeringTutorialTests
{
    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Feature_engineering_tutorial_script_runs_from_the_repository_root()
    {
        var lines = SqlmlProcess.RunCsvScript("sql-examples/feature_engineering_tutorial.sql");

        // The training rows (body mass known), read plainly from the CSV, give the statistics to expect.
        var csv = File.ReadAllLines(TestDb.PenguinsCsv).Skip(1).Select(l => l.Split(',')).Where(f => f[5].Length > 0).ToList();
        var culmen = csv.Select(f => Parse(f[2])).ToList();
        double mean = culmen.Average(), sd = Math.Sqrt(culmen.Sum(v => (v - mean) * (v - mean)) / (culmen.Count - 1));
        var flipper = csv.Select(f => Parse(f[4])).ToList();

        // The model's features are the TRANSFORM outputs.
        int weights = Array.IndexOf(lines, "processed_input,weight,category_weights");
        // The one-hot encoder's sparse vector becomes one column per vocabulary index (0: NULL or unseen; then alphabetical).
        // FEATURE_CROSS(...).* gives one column per crossed pair, here species_sex.
        Assert.Equal(["culmen_length", "culmen_depth", "flipper_length", "flipper_bucket", "depth_quartile", "sex", "species_sex", "species",
                      "island_0", "island_1", "island_2", "island_3", "__INTERCEPT__"],
            lines.Skip(weights + 1).Take(13).Select(l => l.Split(',')[0]));
        Assert.Contains("'category': 'Gentoo penguin (Pygoscelis papua)_MALE'", lines[weights + 7], StringComparison.Ordinal);

        // ML.FEATURE_INFO: the raw columns, with the statistics of the training rows.
        int info = Array.IndexOf(lines, "input,min,max,mean,median,stddev,category_count,null_count");
        var flipperInfo = lines[info + 3].Split(',');
        Assert.Equal("flipper_length_mm", flipperInfo[0]);
        Assert.Equal((flipper.Min(), flipper.Max(), Math.Round(flipper.Average(), 2)), (Parse(flipperInfo[1]), Parse(flipperInfo[2]), Parse(flipperInfo[3])));
        Assert.Equal("island,,,,,,3,0", lines[info + 4]);
        Assert.Equal("sex,,,,,,2," + csv.Count(f => f[6].Length == 0).ToString(CultureInfo.InvariantCulture), lines[info + 5]);

        // ML.TRANSFORM on a new bird: training mean and deviation, min-max clamped to 1, the most frequent sex imputed.
        int transformed = Array.IndexOf(lines, "culmen_length,culmen_depth,flipper_length,flipper_bucket,depth_quartile,sex,island,species_sex,species");
        var bird = lines[transformed + 1].Split(',');
        Assert.Equal((50 - mean) / sd, Parse(bird[0]), 9);
        Assert.Equal(("1", "bin_5", "MALE"), (bird[2], bird[3], bird[5]));
        Assert.Contains("\"[{'index': 2, 'value': 1}]\"", lines[transformed + 1], StringComparison.Ordinal); // Dream is the second island

        // A good fit, and predictions on raw rows close to the recorded masses.
        int metrics = Array.IndexOf(lines, "mean_absolute_error,r2_score");
        Assert.InRange(Parse(lines[metrics + 1].Split(',')[1]), 0.8, 1.0);
        int predicted = Array.IndexOf(lines, "species,island,sex,flipper_length_mm,body_mass_g,predicted_body_mass_g");
        var rows = lines.Skip(predicted + 1).Select(l => l.Split(',')).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.InRange(Math.Abs(Parse(r[4]) - Parse(r[5])), 0, 500));
    }
}
