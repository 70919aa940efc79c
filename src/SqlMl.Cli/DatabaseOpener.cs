using System.Diagnostics;
using SqlMl.Data;

namespace SqlMl.Cli;

/// <summary>
/// Opens the database, waiting up to <c>--lock-timeout</c> while another process holds the file. DuckDB's own file
/// lock does the exclusion (one writing process per file), so nothing is shared or half-written; this only retries
/// the open and turns the lock error into a clear message.
/// </summary>
internal static class DatabaseOpener
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>Opens <paramref name="path"/> (in memory when null), read-only if asked (several readers may share a file).</summary>
    public static SqlMlConnection Open(string? path, TimeSpan lockTimeout, CancellationToken cancellationToken, bool readOnly = false)
    {
        var settings = new SqlMlConnectionStringBuilder { DataSource = path ?? ":memory:", ReadOnly = readOnly };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var connection = new SqlMlConnection(settings.ConnectionString);
            try
            {
                connection.Open();
                return connection;
            }
            catch (SqlMlException e) when (e.Code == SqlMlErrorCode.DatabaseLocked)
            {
                connection.Dispose();
                if (clock.Elapsed >= lockTimeout || cancellationToken.IsCancellationRequested)
                    throw new LockedException(
                        $"database '{path}' is locked by another process (waited {lockTimeout.TotalSeconds:0.#} s; --lock-timeout SECONDS waits longer).", e);
                Thread.Sleep(RetryEvery);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>The database stayed locked for the whole <c>--lock-timeout</c>.</summary>
    internal sealed class LockedException(string message, Exception inner) : Exception(message, inner);
}
