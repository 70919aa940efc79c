using SqlMl.Cli;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// SQL scenario files (Scenarios/*.test), in the spirit of DuckDB's sqllogictest files. Blocks are separated by
/// blank lines; each starts with a directive line:
/// <c>statement ok</c>, <c>statement error SUBSTRING</c>, or <c>query</c> followed by SQL, a <c>----</c> line
/// and the expected rows, values separated by '|' and printed as the CLI's table format prints them.
/// Lines starting with '#' are comments. The path of the repository's penguins CSV is available as {penguins}.
/// </summary>
public class ScenarioTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.test").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Scenario_file_produces_the_expected_rows(string file)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", file)).Replace("\r\n", "\n", StringComparison.Ordinal);
        using var db = new TestDb();
        int blocks = 0;
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n').Where(l => !l.StartsWith('#')).ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            if (lines.Count == 0) continue;
            string directive = lines[0].Trim();
            int sep = lines.IndexOf("----");
            string sql = string.Join('\n', lines.Skip(1).Take((sep < 0 ? lines.Count : sep) - 1))
                .Replace("{penguins}", TestDb.PenguinsCsv, StringComparison.Ordinal);
            string where = $"{file}, block {blocks + 1} ({directive})";
            if (directive == "statement ok")
            {
                db.Execute(sql);
            }
            else if (directive.StartsWith("statement error", StringComparison.Ordinal))
            {
                var e = Assert.Throws<SqlMlException>(() => db.Execute(sql));
                string expected = directive["statement error".Length..].Trim();
                Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{where}: '{e.Message}' does not contain '{expected}'");
            }
            else if (directive == "query")
            {
                Assert.True(sep > 0, $"{where}: query without ---- line");
                var expected = lines.Skip(sep + 1).Where(l => l.Length > 0).ToList();
                var actual = db.Rows(sql).Select(r => string.Join('|', r.Select(ResultPrinter.Text))).ToList();
                Assert.True(expected.SequenceEqual(actual), $"{where}:\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', actual)}");
            }
            else
            {
                Assert.Fail($"{where}: unknown directive");
            }
            blocks++;
        }
        Assert.True(blocks > 0, file + " has no blocks");
    }
}
