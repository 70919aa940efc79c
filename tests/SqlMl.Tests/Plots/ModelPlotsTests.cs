using System.Xml.Linq;
using SqlMl.Data;
using SqlMl.Plots;
using SqlMl.Tests.Cli;

namespace SqlMl.Tests.Plots;

/// <summary>The plots library and <c>sqlml plot</c>: files are produced and well-formed (PNG signature, SVG XML with the plot's parts), not pixels.</summary>
public class ModelPlotsTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private const string Models = """
        CREATE TABLE pts AS
        SELECT i % 2 AS label, (i % 2) * 2.0 + (hash(i) % 100) / 60.0 AS x, (hash(i, 'y') % 100) / 50.0 + (i % 2) AS y FROM range(200) r(i);
        CREATE MODEL clf OPTIONS(model_type = 'logistic_reg', input_label_cols = ['label']) AS SELECT * FROM pts;
        CREATE MODEL km OPTIONS(model_type = 'kmeans', num_clusters = 2) AS SELECT x, y FROM pts;
        """;

    private static TestDb Open()
    {
        var db = new TestDb();
        db.Execute(Models);
        return db;
    }

    private static XDocument SvgOf(string file)
    {
        var doc = XDocument.Load(file);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        return doc;
    }

    private static IEnumerable<string> Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value.Trim());

    [Fact]
    public void Roc_curve_renders_png_and_svg_with_title_and_axis_labels()
    {
        using var db = Open();
        using var dir = new TempDir();
        ModelPlots.SaveRocCurve(db.Connection, "clf", "pts", dir.File("roc.png"));
        Assert.Equal(PngSignature, File.ReadAllBytes(dir.File("roc.png"))[..8]);
        ModelPlots.SaveRocCurve(db.Connection, "clf", "SELECT * FROM pts WHERE x > 0.5", dir.File("roc.svg"), new PlotSize(400, 300));
        var svg = SvgOf(dir.File("roc.svg"));
        Assert.Equal("400", svg.Root!.Attribute("width")!.Value);
        var texts = Texts(svg).ToList();
        Assert.Contains("ROC curve: clf", texts);
        Assert.Contains("False positive rate", texts);
        Assert.Contains("Recall (true positive rate)", texts);
        Assert.NotEmpty(svg.Descendants(Svg + "path"));
    }

    [Fact]
    public void Loss_curve_plots_the_latest_training_run()
    {
        using var db = Open();
        using var dir = new TempDir();
        ModelPlots.SaveLossCurve(db.Connection, "km", dir.File("loss.svg"));
        var texts = Texts(SvgOf(dir.File("loss.svg"))).ToList();
        Assert.Contains("Training loss: km", texts);
        Assert.Contains("Iteration", texts);
        Assert.Contains("loss (training)", texts);
    }

    [Fact]
    public void Clusters_plot_one_series_per_centroid_and_the_centroids()
    {
        using var db = Open();
        using var dir = new TempDir();
        ModelPlots.SaveClusters(db.Connection, "km", "pts", dir.File("clusters.svg"), x: "x", y: "y");
        var texts = Texts(SvgOf(dir.File("clusters.svg"))).ToList();
        Assert.Contains("centroid 1", texts);
        Assert.Contains("centroid 2", texts);
        Assert.Contains("centroids", texts);
        Assert.Contains("Clusters: km", texts);
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        using var db = Open();
        using var dir = new TempDir();
        Assert.Contains(".png or .svg", Assert.Throws<ArgumentException>(() => ModelPlots.SaveLossCurve(db.Connection, "km", dir.File("x.gif"))).Message, StringComparison.Ordinal);
        Assert.Contains("not a model name", Assert.Throws<ArgumentException>(() => ModelPlots.SaveLossCurve(db.Connection, "km; DROP TABLE pts", dir.File("x.png"))).Message, StringComparison.Ordinal);
        Assert.Contains("KMEANS", Assert.Throws<ArgumentException>(() => ModelPlots.SaveClusters(db.Connection, "clf", "pts", dir.File("x.png"))).Message, StringComparison.Ordinal);
        Assert.Contains("'label' is not a numeric column", Assert.Throws<ArgumentException>(() => ModelPlots.SaveClusters(db.Connection, "km", "SELECT x, y, 'a' AS label FROM pts", dir.File("x.png"), x: "label")).Message, StringComparison.Ordinal);
        Assert.Throws<SqlMlException>(() => ModelPlots.SaveRocCurve(db.Connection, "nope", "pts", dir.File("x.png")));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    /// <summary>A database file holding the test models, made in-process (closed before sqlml opens it).</summary>
    private static string ModelFile(TempDir dir)
    {
        string path = dir.File("x.duckdb");
        using var db = new TestDb(path);
        db.Execute(Models);
        return path;
    }

    [Fact]
    public void Plot_command_writes_png_and_svg_files()
    {
        using var dir = new TempDir();
        string db = ModelFile(dir);
        var (exit, _, err) = SqlmlProcess.Run(null, "plot", "roc", "--db", db, "--model", "clf", "--input", "pts", "--out", dir.File("roc.png"), "--size", "640x480");
        Assert.True(exit == 0, err);
        Assert.Equal(PngSignature, File.ReadAllBytes(dir.File("roc.png"))[..8]);
        Assert.Equal(0, SqlmlProcess.Run(null, "plot", "clusters", "--db", db, "-m", "km", "--input", "SELECT x, y FROM pts", "--out", dir.File("k.svg")).Exit);
        SvgOf(dir.File("k.svg"));
    }

    [Fact]
    public void Plot_command_exits_1_when_the_database_refuses_and_2_for_misuse()
    {
        using var dir = new TempDir();
        string db = ModelFile(dir);
        var (missing, _, missingErr) = SqlmlProcess.Run(null, "plot", "loss", "--db", db, "--model", "nope", "--out", dir.File("l.png"));
        Assert.Equal(1, missing);
        Assert.StartsWith("error: ", missingErr, StringComparison.Ordinal);
        Assert.Equal(2, SqlmlProcess.Run(null, "plot", "roc", "--db", db, "--model", "clf", "--out", dir.File("r.png")).Exit);
        var (noDb, _, noDbErr) = SqlmlProcess.Run(null, "plot", "pie", "--db", dir.File("none.duckdb"), "--model", "clf", "--out", dir.File("r.png"));
        Assert.Equal(2, noDb);
        Assert.StartsWith("error: ", noDbErr, StringComparison.Ordinal);
        Assert.Equal(2, SqlmlProcess.Run(null, "plot", "loss", "--db", dir.File("none.duckdb"), "--model", "clf", "--out", dir.File("r.png")).Exit);
        Assert.False(File.Exists(dir.File("none.duckdb")));
        Assert.False(File.Exists(dir.File("l.png")));
        var (badColumn, _, badColumnErr) = SqlmlProcess.Run(null, "plot", "clusters", "--db", db, "-m", "km", "--input", "SELECT x, y FROM pts", "--x", "nosuch", "--out", dir.File("k.svg"));
        Assert.Equal(2, badColumn);
        Assert.StartsWith("error: Column 'nosuch' is not a numeric column of the input", badColumnErr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", badColumnErr, StringComparison.Ordinal);
    }
}
