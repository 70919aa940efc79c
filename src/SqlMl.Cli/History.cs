namespace SqlMl.Cli;

/// <summary>
/// The REPL's input history: one entry per non-empty line, kept in <c>~/.sqlml_history</c> (or the file
/// <c>SQLML_HISTORY</c> names; <c>SQLML_HISTORY=</c> empty keeps none), the last 1000 lines.
/// </summary>
internal sealed class History
{
    private const int Limit = 1000;
    private readonly List<string> _entries = [];
    private readonly string? _path;

    public History(string? path)
    {
        _path = string.IsNullOrEmpty(path) ? null : path;
        if (_path is not null && File.Exists(_path))
            _entries.AddRange(File.ReadAllLines(_path).Where(l => l.Length > 0).TakeLast(Limit));
    }

    /// <summary>The history file in effect for this user.</summary>
    public static string? DefaultPath()
    {
        var env = Environment.GetEnvironmentVariable("SQLML_HISTORY");
        if (env is not null) return env;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".sqlml_history");
    }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds a line (not a repeat of the last one) and appends it to the file; a file that cannot be written is skipped.</summary>
    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || (_entries.Count > 0 && _entries[^1] == line)) return;
        _entries.Add(line);
        if (_entries.Count > Limit) _entries.RemoveAt(0);
        if (_path is null) return;
        try
        {
            File.AppendAllLines(_path, [line]);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
