using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SqlMl.Data;

/// <summary>
/// Builds and checks SqlMl connection strings. Keys (case-insensitive):
/// <list type="table">
/// <item><term>Data Source</term><description>(also <c>DataSource</c>) a DuckDB file, created if missing, or
/// <c>:memory:</c>, an in-memory database private to the connection (<see cref="SqlMlDataSource"/> shares one
/// between its connections). Default <c>:memory:</c>.</description></item>
/// <item><term>Read Only</term><description><c>true</c> opens the file read-only; several processes may read one
/// file at once, but not while another process writes it.</description></item>
/// <item><term>Threads</term><description>DuckDB's worker threads (its <c>threads</c> setting); default: all cores.</description></item>
/// <item><term>Memory Limit</term><description>DuckDB's <c>memory_limit</c>, e.g. <c>4GB</c>.</description></item>
/// <item><term>Command Timeout</term><description>the default <see cref="SqlMlCommand.CommandTimeout"/> in seconds;
/// default 0, no limit (training a model legitimately takes minutes).</description></item>
/// </list>
/// Unknown keys are an <see cref="ArgumentException"/> that names them. Read Only, Threads and Memory Limit take
/// effect when the database is first opened in the process: later connections to the same file share that instance.
/// </summary>
public sealed class SqlMlConnectionStringBuilder : DbConnectionStringBuilder
{
    /// <summary>The Data Source of a private in-memory database.</summary>
    public const string InMemory = ":memory:";

    private static readonly string[] KnownKeys = ["Data Source", "Read Only", "Threads", "Memory Limit", "Command Timeout"];

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Data Source"] = "Data Source", ["DataSource"] = "Data Source",
        ["Read Only"] = "Read Only", ["ReadOnly"] = "Read Only",
        ["Threads"] = "Threads",
        ["Memory Limit"] = "Memory Limit", ["MemoryLimit"] = "Memory Limit",
        ["Command Timeout"] = "Command Timeout", ["CommandTimeout"] = "Command Timeout",
    };

    /// <summary>An empty builder (Data Source defaults to <c>:memory:</c>).</summary>
    public SqlMlConnectionStringBuilder()
    {
    }

    /// <summary>A builder for an existing connection string; unknown keys throw <see cref="ArgumentException"/>.</summary>
    public SqlMlConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString;

    /// <summary>The database file or <c>:memory:</c>.</summary>
    public string DataSource
    {
        get => TryGetValue("Data Source", out object? v) && v is not null && v.ToString() is { Length: > 0 } s ? s : InMemory;
        set => this["Data Source"] = value;
    }

    /// <summary>Opens the database read-only.</summary>
    public bool ReadOnly
    {
        get => TryGetValue("Read Only", out object? v) && v is not null && ParseBool("Read Only", v);
        set => this["Read Only"] = value;
    }

    /// <summary>DuckDB worker threads; null for DuckDB's default (all cores).</summary>
    public int? Threads
    {
        get => TryGetValue("Threads", out object? v) && v is not null ? ParseInt("Threads", v, 1) : null;
        set => SetOrRemove("Threads", value);
    }

    /// <summary>DuckDB's memory limit, e.g. <c>4GB</c>; null for DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit
    {
        get => TryGetValue("Memory Limit", out object? v) && v is not null ? v.ToString() : null;
        set => SetOrRemove("Memory Limit", value);
    }

    /// <summary>The default command timeout in seconds; 0 (the default) is no limit.</summary>
    public int CommandTimeout
    {
        get => TryGetValue("Command Timeout", out object? v) && v is not null ? ParseInt("Command Timeout", v, 0) : 0;
        set => this["Command Timeout"] = value;
    }

    /// <summary>Whether Data Source names an in-memory database rather than a file.</summary>
    internal bool IsInMemory => string.Equals(DataSource, InMemory, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    [AllowNull]
    public override object this[string keyword]
    {
        get => base[Canonical(keyword)];
        set
        {
            string key = Canonical(keyword);
            if (value is null) Remove(key);
            else base[key] = value;
        }
    }

    /// <inheritdoc />
    public override bool ContainsKey(string keyword) => Synonyms.TryGetValue(keyword, out string? key) && base.ContainsKey(key);

    /// <inheritdoc />
    public override bool Remove(string keyword) => Synonyms.TryGetValue(keyword, out string? key) && base.Remove(key);

    /// <inheritdoc />
    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
    {
        value = null;
        return Synonyms.TryGetValue(keyword, out string? key) && base.TryGetValue(key, out value);
    }

    /// <summary>Checks every value (types and ranges) and returns the connection string DuckDB.NET opens.</summary>
    internal string ToDuckDbConnectionString()
    {
        string source = DataSource;
        if (!IsInMemory && source.StartsWith(InMemory, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Data Source '{source}' is not supported: use ':memory:' for an in-memory database private to the connection, or an SqlMlDataSource to share one between connections.");
        if (!IsInMemory) source = Path.GetFullPath(source);
        // DbConnectionStringBuilder quotes values, so a ';' in a path or setting stays inside its value.
        var duck = new DbConnectionStringBuilder { ["Data Source"] = source };
        if (ReadOnly) duck["access_mode"] = "READ_ONLY";
        if (Threads is { } threads) duck["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        if (MemoryLimit is { } limit) duck["memory_limit"] = limit;
        _ = CommandTimeout;
        return duck.ConnectionString;
    }

    private void SetOrRemove(string key, object? value)
    {
        if (value is null) Remove(key);
        else this[key] = value;
    }

    private static string Canonical(string keyword)
    {
        if (Synonyms.TryGetValue(keyword, out string? key)) return key;
        string? guess = Errors.DidYouMean(keyword, KnownKeys);
        throw new ArgumentException(
            $"Unknown connection string key '{keyword}'." + (guess is null ? "" : $" Did you mean '{guess}'?") +
            $" SqlMl connection strings take: {string.Join(", ", KnownKeys)}.", nameof(keyword));
    }

    private static bool ParseBool(string key, object value) => value switch
    {
        bool b => b,
        _ when bool.TryParse(value.ToString(), out bool b) => b,
        _ => throw new ArgumentException($"Connection string key '{key}' must be true or false, not '{value}'."),
    };

    private static int ParseInt(string key, object value, int min) =>
        value is int i && i >= min ? i
        : int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min ? n
        : throw new ArgumentException($"Connection string key '{key}' must be an integer of at least {min}, not '{value}'.");
}
