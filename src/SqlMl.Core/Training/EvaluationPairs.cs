using SqlMl.Evaluation;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// The (user, item, rating) rows a matrix factorization model is evaluated on, with user and item mapped to the
/// model's codes (-1 when the model does not know them). For implicit feedback, duplicate (user, item) rows are
/// merged by summing their ratings, as in training; explicit rows stay one observation each.
/// </summary>
internal sealed class EvaluationPairs
{
    private readonly RankedPair[] _pairs;
    private readonly bool _implicit;

    private EvaluationPairs(RankedPair[] pairs, bool isImplicit)
    {
        _pairs = pairs;
        _implicit = isImplicit;
    }

    public int Count => _pairs.Length;

    /// <summary>
    /// The <paramref name="rows"/> marked in <paramref name="select"/> (null: all), their user and item codes mapped
    /// through <paramref name="userCode"/> and <paramref name="itemCode"/> (-1 = unknown to the model).
    /// </summary>
    public static EvaluationPairs Build(RatingRows rows, bool[]? select, int[] userCode, int[] itemCode, FeedbackType feedback)
    {
        bool isImplicit = feedback == FeedbackType.Implicit;
        var list = new List<RankedPair>(select is null ? rows.Count : 1024);
        var index = isImplicit ? new Dictionary<(int, int), int>() : null;
        var users = rows.User;
        var items = rows.Item;
        var ratings = rows.Rating;
        for (int r = 0; r < rows.Count; r++)
        {
            if (select is not null && !select[r]) continue;
            if (index is not null)
            {
                if (index.TryGetValue((users[r], items[r]), out int at))
                {
                    list[at] = list[at] with { Rating = list[at].Rating + ratings[r] };
                    continue;
                }
                index.Add((users[r], items[r]), list.Count);
            }
            list.Add(new RankedPair(users[r], userCode[users[r]], itemCode[items[r]], ratings[r]));
        }
        return new EvaluationPairs([.. list], isImplicit);
    }

    /// <summary>Explicit: mean squared error against the rating; implicit: against the 0/1 preference (rating &gt; 0).</summary>
    public double? MeanSquaredError(Func<int, int, double> predict)
    {
        if (_pairs.Length == 0) return null;
        double sum = 0;
        foreach (var p in _pairs)
        {
            double target = _implicit ? (p.Rating > 0 ? 1 : 0) : p.Rating;
            double e = target - predict(p.User, p.Item);
            sum += e * e;
        }
        return sum / _pairs.Length;
    }

    /// <summary>ML.EVALUATE's columns: regression metrics (explicit) or ranking metrics (implicit).</summary>
    public IReadOnlyList<KeyValuePair<string, double?>> Metrics(int itemCount, Func<int, int, double> predict)
    {
        if (_implicit)
        {
            var m = RankingMetrics.Compute(itemCount, _pairs, predict);
            return Zip(RankingMetrics.ColumnNames, m.Values);
        }
        var y = new double[_pairs.Length];
        var p = new double[_pairs.Length];
        Parallel.For(0, (_pairs.Length + 4095) / 4096, chunk =>
        {
            for (int i = chunk * 4096; i < Math.Min(_pairs.Length, (chunk + 1) * 4096); i++)
            {
                y[i] = _pairs[i].Rating;
                p[i] = predict(_pairs[i].User, _pairs[i].Item);
            }
        });
        var r = RegressionMetrics.Compute(y, p);
        return Zip(RegressionMetrics.ColumnNames, r.Values);
    }

    private static List<KeyValuePair<string, double?>> Zip(IReadOnlyList<string> names, IReadOnlyList<double?> values) =>
        names.Zip(values, (k, v) => new KeyValuePair<string, double?>(k, v is { } d && double.IsFinite(d) ? d : null)).ToList();
}
