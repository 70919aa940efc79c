using DuckDB.NET.Data;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// LINEAR_REG's training pass on every DuckDB thread (<see cref="ChunkAggregate"/>): each thread's chunks go to its own
/// <see cref="MomentAccumulator"/> and <see cref="SplitRouter"/>, fed exactly as the streaming path feeds them
/// (<see cref="LinearRegressionTrainer.AddBatch"/>, row hashes from <see cref="RowHasher"/>), and the per-thread
/// results are merged at the end. All accumulators share the pivots of the first chunk any thread checked, so the
/// merge is a sum. For training queries of numeric features only (the merge has no category dictionaries to
/// reconcile) and splits that need no row order: NO_SPLIT, AUTO_SPLIT, RANDOM and CUSTOM.
/// </summary>
internal static class ParallelLinearPass
{
    /// <summary>Whether the parallel pass can train on this schema and split.</summary>
    public static bool Supports(TrainingSchema schema, DataSplitMethod split, SplitColumn splitColumn) =>
        schema.Categorical.Count == 0 && schema.MultiHot.Count == 0 && schema.Label is not null
        && split is DataSplitMethod.NoSplit or DataSplitMethod.AutoSplit or DataSplitMethod.Random or DataSplitMethod.Custom
        && splitColumn is SplitColumn.None or SplitColumn.ComputedHash or SplitColumn.Flag;

    /// <summary>The DuckDB types of the training query's columns as the parallel passes read them: numeric features, the label, then the split's flag if any.</summary>
    public static List<string> ColumnTypes(TrainingSchema schema, SplitColumn splitColumn)
    {
        var types = Enumerable.Repeat("DOUBLE", schema.Numeric.Count + 1).ToList();
        if (splitColumn == SplitColumn.Flag) types.Add("BOOLEAN");
        return types;
    }

    /// <summary>
    /// Runs the pass over <paramref name="sql"/> (numeric features, the label, then the split's flag when
    /// <paramref name="splitColumn"/> is <see cref="SplitColumn.Flag"/>) and returns the merged moments and split,
    /// both null when the query returned no rows, and how many DuckDB threads (aggregate states) took part.
    /// </summary>
    public static (MomentAccumulator? Acc, SplitRouter? Router, int Threads) Run(DuckDBConnection connection, string sql, TrainingSchema schema,
        SplitColumn splitColumn, DataSplitOptions split, string modelName, CancellationToken cancellationToken)
    {
        var types = ColumnTypes(schema, splitColumn);
        // While CREATE MODEL's log is open, each thread also accumulates ML.FEATURE_INFO's statistics.
        var log = TrainingReads.On(connection);
        var session = new Session(schema, splitColumn, split, modelName, log is not null, cancellationToken);
        ChunkAggregate.Run(connection, sql, types, session);
        MomentAccumulator? acc = null;
        SplitRouter? router = null;
        var workers = session.Workers.Cast<Worker>().ToList();
        foreach (var worker in workers)
        {
            if (acc is null || router is null)
            {
                (acc, router) = (worker.Acc, worker.Router);
                continue;
            }
            router.Merge(worker.Router, acc.Merge(worker.Acc));
        }
        if (log is not null)
        {
            // Merged into the first thread's accumulator: merging into an empty one would copy its exact rows.
            var statistics = workers.Count > 0 ? workers[0].Statistics! : new FeatureStatistics(schema.Numeric.Count, 0);
            for (int w = 1; w < workers.Count; w++) statistics.Merge(workers[w].Statistics!);
            log.Add(new Read(sql, schema, statistics.Summarize()));
        }
        return (acc, router, workers.Count);
    }

    /// <summary>The pass as ML.FEATURE_INFO sees it: every row of <see cref="Sql"/> was read.</summary>
    private sealed record Read(string Sql, TrainingSchema Schema, FeatureSummary? CompleteSummary) : ITrainingRead;

    private sealed class Session(TrainingSchema schema, SplitColumn splitColumn, DataSplitOptions split, string modelName, bool statistics,
        CancellationToken token) : ChunkAggregateSession(token)
    {
        private readonly Lock _pivotLock = new();
        private (double[] Numeric, double Label)? _pivots;

        public TrainingSchema Schema => schema;
        public SplitColumn SplitColumn => splitColumn;
        public DataSplitOptions Split => split;
        public string ModelName => modelName;
        /// <summary>The threads' shared exact-median cap, when they accumulate ML.FEATURE_INFO's statistics.</summary>
        public MedianBudget? MedianBudget { get; } = statistics ? FeatureStatistics.SharedBudget(schema.Numeric.Count) : null;

        /// <summary>The shared pivots: those of the first batch that asks.</summary>
        public (double[] Numeric, double Label) Pivots(ColumnBatch batch)
        {
            lock (_pivotLock) return _pivots ??= MomentAccumulator.PivotsOf(batch);
        }

        protected override ChunkWorker CreateWorker() => new Worker(this);
    }

    private sealed unsafe class Worker : ChunkWorker
    {
        private readonly Session _session;
        private readonly ColumnBatch _batch;
        private readonly ulong[][] _masks;
        private readonly ulong[] _labelMask;
        private readonly ulong[]? _hash;
        private readonly bool[]? _flag;
        private readonly RowHasher? _hasher;
        private bool _pivotsSet;

        public Worker(Session session)
        {
            _session = session;
            int p = session.Schema.Numeric.Count;
            int capacity = ChunkStream.VectorSize;
            _batch = new ColumnBatch(p, 0, capacity);
            _masks = new ulong[p][];
            for (int j = 0; j < p; j++) _masks[j] = new ulong[(capacity + 63) / 64];
            _labelMask = new ulong[(capacity + 63) / 64];
            if (session.SplitColumn == SplitColumn.ComputedHash)
            {
                _hash = new ulong[capacity];
                _hasher = new RowHasher([], hasLabel: true);
            }
            if (session.SplitColumn == SplitColumn.Flag) _flag = new bool[capacity];
            if (session.MedianBudget is { } budget) Statistics = new FeatureStatistics(p, 0, budget);
            Acc = new MomentAccumulator(p, 0, capacity);
            Router = new SplitRouter(session.Split, Acc.DenseWidth, Acc.MaxSparsePerRow);
        }

        public MomentAccumulator Acc { get; }

        public SplitRouter Router { get; }

        /// <summary>ML.FEATURE_INFO's statistics of this thread's rows, when asked for.</summary>
        public FeatureStatistics? Statistics { get; }

        public override void Update(ChunkView chunk)
        {
            int rows = chunk.Rows, p = _batch.Numeric.Length;
            if (rows > _batch.Capacity) throw new InvalidOperationException($"A data chunk of {rows} rows exceeds the vector size {_batch.Capacity}.");
            _batch.Count = rows;
            for (int j = 0; j < p; j++)
            {
                new ReadOnlySpan<double>(chunk.Data(j), rows).CopyTo(_batch.Numeric[j]);
                _batch.NumericValidity[j] = ChunkStream.CopyValidity(chunk.Validity(j), rows, _masks[j]);
            }
            new ReadOnlySpan<double>(chunk.Data(p), rows).CopyTo(_batch.Label);
            _batch.LabelValidity = ChunkStream.CopyValidity(chunk.Validity(p), rows, _labelMask);
            if (_flag is not null)
            {
                var data = chunk.Data(p + 1);
                var valid = chunk.Validity(p + 1);
                for (int r = 0; r < rows; r++)
                    _flag[r] = valid != null && (valid[r >> 6] & (1UL << (r & 63))) == 0 || data[r] != 0;
                _batch.IsEval = _flag;
            }
            Statistics?.Add(_batch);
            if (_hasher is not null)
            {
                _hasher.Hash(_batch, _hash!);
                _batch.Hash = _hash;
            }
            if (!_pivotsSet)
            {
                // The batch is checked first, so that pivots never come from NaN or infinite values.
                LinearRegressionTrainer.CheckBatch(_batch, _session.Schema, _session.ModelName);
                var (numeric, label) = _session.Pivots(_batch);
                Acc.SetPivots(numeric, label);
                _pivotsSet = true;
            }
            LinearRegressionTrainer.AddBatch(Acc, Router, _batch, _session.Schema, _session.ModelName);
        }
    }
}
