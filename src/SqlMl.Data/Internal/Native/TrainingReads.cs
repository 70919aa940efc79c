using System.Runtime.CompilerServices;
using DuckDB.NET.Data;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// The training readers a CREATE MODEL opens on a connection while its model kind trains, so that ML.FEATURE_INFO can
/// take its statistics from the training pass (<see cref="ITrainingRead.CompleteSummary"/>) instead of scanning
/// the data again. Only while a log is open on the connection do readers accumulate statistics.
/// </summary>
internal sealed class TrainingReads : IDisposable
{
    private static readonly ConditionalWeakTable<DuckDBConnection, TrainingReads> Open = new();
    private readonly DuckDBConnection _connection;
    private readonly List<ITrainingRead> _readers = [];

    private TrainingReads(DuckDBConnection connection) => _connection = connection;

    /// <summary>Starts recording the readers opened on <paramref name="connection"/> (replacing any open log).</summary>
    public static TrainingReads Begin(DuckDBConnection connection)
    {
        var log = new TrainingReads(connection);
        Open.AddOrUpdate(connection, log);
        return log;
    }

    /// <summary>The log open on <paramref name="connection"/>, if any.</summary>
    public static TrainingReads? On(DuckDBConnection connection) => Open.TryGetValue(connection, out var log) ? log : null;

    /// <summary>The readers that read data while the log was open, in the order they started.</summary>
    public IReadOnlyList<ITrainingRead> Readers
    {
        get
        {
            lock (_readers) return [.. _readers];
        }
    }

    public void Add(ITrainingRead reader)
    {
        lock (_readers)
            if (!_readers.Contains(reader)) _readers.Add(reader);
    }

    /// <summary>Stops recording; readers opened later accumulate nothing.</summary>
    public void Dispose()
    {
        if (Open.TryGetValue(_connection, out var current) && ReferenceEquals(current, this)) Open.Remove(_connection);
    }
}
