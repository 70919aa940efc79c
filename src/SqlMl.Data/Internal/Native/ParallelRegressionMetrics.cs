using System.Numerics.Tensors;
using DuckDB.NET.Data;
using SqlMl.Evaluation;
using SqlMl.Models;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Native;

/// <summary>
/// LINEAR_REG's metrics over the training data (NO_SPLIT, or a split that left no evaluation rows) in one parallel pass
/// over the training query (<see cref="ChunkAggregate"/>), instead of ML.EVALUATE's SQL over the user's query. Each
/// thread predicts its rows in C# exactly as the compiled SQL does (raw-unit intercept, then each numeric feature's raw
/// weight times the value or, when NULL, the training mean, added left to right) and keeps the sums the metrics need
/// plus every absolute error, so that median_absolute_error is the exact median (by selection,
/// <see cref="ExactMedian"/>), as DuckDB's <c>median()</c> gives it. Same definitions as <see cref="Planning.RegressionSql"/>:
/// population variances (merged per chunk by Chan's formula), mean_squared_log_error NULL when any label or prediction
/// is ≤ −1, non-finite results NULL.
/// </summary>
internal static class ParallelRegressionMetrics
{
    /// <summary>
    /// The metrics of <paramref name="model"/> over the rows of <paramref name="sql"/> (the numeric features of
    /// <paramref name="schema"/>, the label, then a split flag that is ignored), in <see cref="RegressionMetrics.ColumnNames"/> order.
    /// </summary>
    public static List<KeyValuePair<string, double?>> Compute(DuckDBConnection connection, string sql, TrainingSchema schema, SplitColumn splitColumn,
        LinearModel model, CancellationToken cancellationToken)
    {
        var weights = new double[schema.Numeric.Count];
        var means = new double[schema.Numeric.Count];
        var order = new int[model.Numeric.Count];
        var names = schema.Numeric.ToList();
        for (int i = 0; i < model.Numeric.Count; i++)
        {
            var f = model.Numeric[i];
            int j = names.FindIndex(n => n.Equals(f.Name, StringComparison.Ordinal));
            if (j < 0) throw new InvalidOperationException($"Feature {f.Name} is not in the training query.");
            order[i] = j;
            weights[i] = f.RawWeight;
            means[i] = f.Mean;
        }
        var session = new Session(new Prediction(model.RawIntercept, weights, means, order), schema.Numeric.Count, cancellationToken);
        ChunkAggregate.Run(connection, sql, ParallelLinearPass.ColumnTypes(schema, splitColumn), session);
        var total = new Sums();
        foreach (var worker in session.Workers.Cast<Worker>()) total.Merge(worker.Sums);
        return Metrics(total, session.Workers.Cast<Worker>().Select(w => w.AbsoluteErrors).ToList());
    }

    private static List<KeyValuePair<string, double?>> Metrics(Sums s, List<(double[] Values, int Count)> errors)
    {
        IReadOnlyList<double?> values = new double?[RegressionMetrics.ColumnNames.Count];
        if (s.Count > 0)
        {
            var all = new double[s.Count];
            long at = 0;
            foreach (var (v, c) in errors)
            {
                Array.Copy(v, 0, all, at, c);
                at += c;
            }
            values = RegressionMetrics.FromSums(s.Count, s.AbsoluteError, s.SquaredError, s.LogDefined ? s.SquaredLogError : null,
                ExactMedian.Of(all) ?? double.NaN, s.Y.M2, s.E.M2).Values;
        }
        return RegressionMetrics.ColumnNames.Select((name, i) =>
            new KeyValuePair<string, double?>(name, values[i] is { } v && double.IsFinite(v) ? v : null)).ToList();
    }

    /// <summary>The compiled prediction: intercept + Σ weight · (value, or mean when NULL), in the model's feature order.</summary>
    private sealed record Prediction(double Intercept, double[] Weights, double[] Means, int[] Columns);

    private sealed class Session(Prediction prediction, int features, CancellationToken token) : ChunkAggregateSession(token)
    {
        protected override ChunkWorker CreateWorker() => new Worker(prediction, features);
    }

    /// <summary>Count, mean and sum of squared deviations (population variance = M2 / count).</summary>
    private sealed class Sums
    {
        public long Count;
        public double AbsoluteError;
        public double SquaredError;
        public double SquaredLogError;
        public bool LogDefined = true;
        public RunningMoments Y;
        public RunningMoments E;

        public void Merge(Sums other)
        {
            Count += other.Count;
            AbsoluteError += other.AbsoluteError;
            SquaredError += other.SquaredError;
            SquaredLogError += other.SquaredLogError;
            LogDefined &= other.LogDefined;
            Y.Merge(other.Y);
            E.Merge(other.E);
        }
    }

    private sealed unsafe class Worker(Prediction prediction, int features) : ChunkWorker
    {
        private static readonly int Size = ChunkStream.VectorSize;
        private readonly double[] _p = new double[Size];
        private readonly double[] _y = new double[Size];
        private readonly double[] _kept = new double[Size];
        private readonly double[] _e = new double[Size];
        private readonly double[] _t1 = new double[Size];
        private readonly double[] _t2 = new double[Size];
        private double[] _absolute = new double[1 << 16];

        public Sums Sums { get; } = new();

        public (double[] Values, int Count) AbsoluteErrors => (_absolute, (int)Sums.Count);

        public override void Update(ChunkView chunk)
        {
            int rows = chunk.Rows;
            if (rows > Size) throw new InvalidOperationException($"A data chunk of {rows} rows exceeds the vector size {Size}.");
            var p = _p.AsSpan(0, rows);
            p.Fill(prediction.Intercept);
            for (int i = 0; i < prediction.Columns.Length; i++)
            {
                int j = prediction.Columns[i];
                double w = prediction.Weights[i], mean = prediction.Means[i];
                var x = new ReadOnlySpan<double>(chunk.Data(j), rows);
                ulong* valid = chunk.Validity(j);
                // p + w·x, not fused, in the order the compiled SQL adds its terms.
                if (valid == null) TensorPrimitives.MultiplyAdd(x, w, p, p);
                else
                    for (int r = 0; r < rows; r++)
                        p[r] += w * ((valid[r >> 6] & (1UL << (r & 63))) != 0 ? x[r] : mean);
            }
            var label = new ReadOnlySpan<double>(chunk.Data(features), rows);
            var labelValid = chunk.Validity(features);
            ReadOnlySpan<double> y = label, predicted = p;
            if (labelValid != null)
            {
                // Rows without a label are not evaluated (RegressionSql's WHERE __y IS NOT NULL); training rejects them anyway.
                int kept = 0;
                for (int r = 0; r < rows; r++)
                {
                    if ((labelValid[r >> 6] & (1UL << (r & 63))) == 0) continue;
                    _y[kept] = label[r];
                    _kept[kept++] = p[r];
                }
                y = _y.AsSpan(0, kept);
                predicted = _kept.AsSpan(0, kept);
            }
            int n = y.Length;
            if (n == 0) return;
            var e = _e.AsSpan(0, n);
            TensorPrimitives.Subtract(y, predicted, e);
            if (Sums.Count + n > _absolute.Length)
                Array.Resize(ref _absolute, (int)Math.Min(Array.MaxLength, Math.Max(_absolute.Length * 2L, Sums.Count + n)));
            var abs = _absolute.AsSpan((int)Sums.Count, n);
            TensorPrimitives.Abs(e, abs);
            Sums.AbsoluteError += TensorPrimitives.Sum(abs);
            Sums.SquaredError += TensorPrimitives.SumOfSquares(e);
            if (Sums.LogDefined)
            {
                if (TensorPrimitives.Min(y) <= -1 || TensorPrimitives.Min(predicted) <= -1) Sums.LogDefined = false;
                else Sums.SquaredLogError += SquaredLogErrors(y, predicted, _t1.AsSpan(0, n), _t2.AsSpan(0, n));
            }
            Sums.Y.Merge(RunningMoments.Of(y, _t1.AsSpan(0, n)));
            Sums.E.Merge(RunningMoments.Of(e, _t1.AsSpan(0, n)));
            Sums.Count += n;
        }

        /// <summary>Σ (ln(max(1 + y, 1e-300)) − ln(max(1 + p, 1e-300)))², as RegressionSql writes it.</summary>
        private static double SquaredLogErrors(ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> a, Span<double> b)
        {
            TensorPrimitives.Add(y, 1.0, a);
            TensorPrimitives.Max(a, 1e-300, a);
            TensorPrimitives.Log(a, a);
            TensorPrimitives.Add(p, 1.0, b);
            TensorPrimitives.Max(b, 1e-300, b);
            TensorPrimitives.Log(b, b);
            TensorPrimitives.Subtract(a, b, a);
            return TensorPrimitives.SumOfSquares(a);
        }
    }
}
