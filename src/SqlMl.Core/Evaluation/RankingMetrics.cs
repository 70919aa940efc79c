namespace SqlMl.Evaluation;

/// <summary>One evaluation pair: a user group key (distinct per user id), the model's user and item codes (-1 = unknown) and the rating.</summary>
internal readonly record struct RankedPair(int UserKey, int User, int Item, double Rating);

/// <summary>
/// Implicit matrix factorization metrics (reference §1.5, proto RankingMetrics), as SqlMl defines them
/// (docs/semantics.md). For each evaluation user, the candidates are every item of the model plus the user's
/// evaluation items the model does not know; an item's position is the number of candidates scoring at least as
/// high as it (ties count against it, so a model that scores everything alike ranks nothing well). A pair is
/// relevant when its rating is &gt; 0 (preference 1).
/// <list type="bullet">
/// <item>mean_average_precision: mean over users with a relevant pair of (1/|R|) Σ_m m / pos_m, relevant pairs in
/// position order.</item>
/// <item>mean_squared_error: mean over all pairs of (p − prediction)², p = 1 if rating &gt; 0 else 0.</item>
/// <item>normalized_discounted_cumulative_gain: mean over those users of Σ r / log2(1 + pos) divided by its ideal
/// value (the ratings sorted descending at positions 1, 2, …).</item>
/// <item>average_rank: Σ r · (pos − 1)/(candidates − 1) / Σ r over relevant pairs: the expected percentile rank of
/// Hu, Koren and Volinsky; 0 is the top, random scores give about 0.5.</item>
/// </list>
/// Pairs must be distinct per (user, item). Metrics without a relevant pair are null.
/// </summary>
internal sealed record RankingMetrics(double? MeanAveragePrecision, double MeanSquaredError, double? NormalizedDiscountedCumulativeGain, double? AverageRank)
{
    public static readonly IReadOnlyList<string> ColumnNames =
        ["mean_average_precision", "mean_squared_error", "normalized_discounted_cumulative_gain", "average_rank"];

    public IReadOnlyList<double?> Values => [MeanAveragePrecision, MeanSquaredError, NormalizedDiscountedCumulativeGain, AverageRank];

    /// <summary>
    /// The metrics of <paramref name="pairs"/> for a model that knows <paramref name="itemCount"/> items (codes
    /// 0 .. itemCount − 1) and predicts with <paramref name="predict"/>(user code, item code), -1 meaning unknown.
    /// </summary>
    public static RankingMetrics Compute(int itemCount, IReadOnlyList<RankedPair> pairs, Func<int, int, double> predict)
    {
        if (pairs.Count == 0) throw new ArgumentException("no pairs", nameof(pairs));
        var sorted = pairs.OrderBy(p => p.UserKey).ThenBy(p => p.Item).ToArray();
        var starts = new List<int>();
        for (int i = 0; i < sorted.Length; i++)
            if (i == 0 || sorted[i].UserKey != sorted[i - 1].UserKey) starts.Add(i);
        starts.Add(sorted.Length);
        int users = starts.Count - 1;
        var perUser = new UserSums[users];
        Parallel.For(0, users, u => perUser[u] = ScoreUser(sorted.AsSpan(starts[u], starts[u + 1] - starts[u]), itemCount, predict));

        double squared = 0, ap = 0, ndcg = 0, rankSum = 0, weight = 0;
        int rankedUsers = 0;
        foreach (var s in perUser)
        {
            squared += s.Squared;
            if (s.Relevant == 0) continue;
            rankedUsers++;
            ap += s.AveragePrecision;
            ndcg += s.Ndcg;
            rankSum += s.WeightedRank;
            weight += s.Weight;
        }
        return new RankingMetrics(
            rankedUsers > 0 ? ap / rankedUsers : null,
            squared / sorted.Length,
            rankedUsers > 0 ? ndcg / rankedUsers : null,
            weight > 0 ? rankSum / weight : null);
    }

    private readonly record struct UserSums(double Squared, int Relevant, double AveragePrecision, double Ndcg, double WeightedRank, double Weight);

    private static UserSums ScoreUser(ReadOnlySpan<RankedPair> rows, int itemCount, Func<int, int, double> predict)
    {
        int user = rows[0].User;
        var scores = new double[itemCount];
        for (int j = 0; j < itemCount; j++) scores[j] = predict(user, j);
        var ascending = (double[])scores.Clone();
        Array.Sort(ascending);
        double unknownScore = predict(user, -1);
        int unknown = 0;
        foreach (var r in rows) unknown += r.Item < 0 ? 1 : 0;
        int candidates = itemCount + unknown;

        double squared = 0;
        var relevant = new List<(long Position, double Rating)>();
        foreach (var r in rows)
        {
            double s = r.Item >= 0 ? scores[r.Item] : unknownScore;
            double p = r.Rating > 0 ? 1 : 0;
            squared += (p - s) * (p - s);
            if (r.Rating <= 0) continue;
            long position = itemCount - LowerBound(ascending, s);
            if (r.Item < 0) position += 1 + (unknownScore >= s ? unknown - 1 : 0);
            else if (unknownScore >= s) position += unknown;
            relevant.Add((position, r.Rating));
        }
        if (relevant.Count == 0) return new UserSums(squared, 0, 0, 0, 0, 0);

        relevant.Sort((a, b) => a.Position.CompareTo(b.Position));
        double ap = 0, dcg = 0, weightedRank = 0, weight = 0;
        for (int m = 0; m < relevant.Count; m++)
        {
            var (pos, rating) = relevant[m];
            ap += (m + 1) / (double)pos;
            dcg += rating / Math.Log2(1 + pos);
            weightedRank += rating * (candidates > 1 ? (pos - 1) / (double)(candidates - 1) : 0);
            weight += rating;
        }
        var ideal = relevant.Select(r => r.Rating).OrderDescending().ToArray();
        double idcg = 0;
        for (int m = 0; m < ideal.Length; m++) idcg += ideal[m] / Math.Log2(2 + m);
        return new UserSums(squared, relevant.Count, ap / relevant.Count, dcg / idcg, weightedRank, weight);
    }

    /// <summary>The first index whose value is ≥ <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(double[] ascending, double value)
    {
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
