using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace SqlMl.Tests.Notebooks;

/// <summary>
/// sql-examples/notebooks/sqlml.ipynb: its C# cells are compiled and run in order with Roslyn scripting (the engine
/// behind the notebook's C# kernel, with the kernel's default usings), so the notebook cannot rot.
/// </summary>
public partial class NotebookTests
{
    private static readonly string NotebookPath = Path.Combine(TestDb.RepoRoot, "sql-examples", "notebooks", "sqlml.ipynb");

    /// <summary>The usings the .NET Interactive C# kernel adds to every notebook.</summary>
    private static readonly string[] KernelUsings = ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>The C# cells' sources, in order.</summary>
    private static List<string> CSharpCells()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(NotebookPath));
        Assert.Equal(".net-csharp", doc.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        return doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Where(c => !c.GetProperty("metadata").TryGetProperty("polyglot_notebook", out var p) || p.GetProperty("kernelName").GetString() == "csharp")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
    }

    [Fact]
    public void Notebook_package_references_match_the_repository_versions()
    {
        var props = XDocument.Load(Path.Combine(TestDb.RepoRoot, "Directory.Packages.props"));
        var versions = props.Descendants("PackageVersion").ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value, StringComparer.OrdinalIgnoreCase);
        var nugets = CSharpCells().SelectMany(c => NugetReference().Matches(c)).ToList();
        Assert.NotEmpty(nugets);
        foreach (Match m in nugets) Assert.Equal(versions[m.Groups[1].Value], m.Groups[2].Value);
        // Every package the libraries use (ScottPlot brings its SkiaSharp/HarfBuzz assets itself).
        var used = new[] { "SqlMl.Core", "SqlMl.Data", "SqlMl.Plots" }
            .SelectMany(p => XDocument.Load(Path.Combine(TestDb.RepoRoot, "src", p, p + ".csproj")).Descendants("PackageReference"))
            .Select(e => e.Attribute("Include")!.Value)
            .Where(n => !n.StartsWith("SkiaSharp", StringComparison.Ordinal) && !n.StartsWith("HarfBuzzSharp", StringComparison.Ordinal));
        Assert.Empty(used.Except(nugets.Select(m => m.Groups[1].Value), StringComparer.OrdinalIgnoreCase));
        var dlls = CSharpCells().SelectMany(c => DllReference().Matches(c)).Select(m => Path.GetFileName(m.Groups[1].Value)).ToList();
        Assert.Equal(["SqlMl.Core.dll", "SqlMl.Data.dll", "SqlMl.Plots.dll"], dlls);
    }

    [Fact]
    public async Task Notebook_csharp_cells_compile_and_run_training_every_model_type_and_plotting()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(new[] { typeof(SqlMl.Data.SqlMlConnection), typeof(SqlMl.SqlMlErrorCode), typeof(SqlMl.Plots.ModelPlots), typeof(ScottPlot.Plot), typeof(DuckDB.NET.Data.DuckDBConnection) }.Select(t => t.Assembly.Location))
            .DistinctBy(Path.GetFileName)
            .Select(p => MetadataReference.CreateFromFile(p));
        var options = ScriptOptions.Default.WithReferences(references).WithImports(KernelUsings);
        var output = new StringWriter();
        var console = Console.Out;
        ScriptState<object>? state = null;
        Console.SetOut(output);
        try
        {
            foreach (var cell in CSharpCells())
            {
                // Package and assembly references (#r) are the kernel's business; the test supplies the built assemblies.
                string code = string.Join('\n', cell.Split('\n').Select(l => l.TrimStart().StartsWith("#r ", StringComparison.Ordinal) || l.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? "" : l));
                state = state is null ? await CSharpScript.RunAsync(code, options) : await state.ContinueWithAsync(code, options);
            }
        }
        finally
        {
            Console.SetOut(console);
        }
        string text = output.ToString();
        Assert.Contains("movie_ratings | MATRIX_FACTORIZATION", text, StringComparison.Ordinal);
        Assert.Contains("penguin_segments | KMEANS", text, StringComparison.Ordinal);
        Assert.Contains("penguin_sex | LOGISTIC_REG", text, StringComparison.Ordinal);
        Assert.Contains("penguin_weight | LINEAR_REG", text, StringComparison.Ordinal);
        Assert.True(Convert.ToDouble(Metric(state!, "weightMetrics", 1)) > 0.8, text);
        Assert.True(Convert.ToDouble(Metric(state!, "sexMetrics", 2)) > 0.8, text);
        Assert.True(Convert.ToDouble(Metric(state!, "ratingMetrics", 1)) > 0.5, text);
        var plots = (List<string?>)state!.GetVariable("plots").Value;
        Assert.Equal(["ratings_loss.png", "segments.png", "sex_loss.svg", "sex_roc.png", "weight_loss.svg"], plots);
        Directory.Delete((string)state.GetVariable("plotDir").Value, recursive: true);
    }

    private static object? Metric(ScriptState<object> state, string variable, int column) =>
        ((List<object?[]>)state.GetVariable(variable).Value).Single()[column];

    [GeneratedRegex(@"#r\s+""nuget:\s*([^,""]+),\s*([^""]+)""")]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"#r\s+""([^""]+\.dll)""")]
    private static partial Regex DllReference();
}
