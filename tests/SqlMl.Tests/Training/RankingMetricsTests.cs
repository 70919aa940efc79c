using SqlMl.Evaluation;

namespace SqlMl.Tests.Training;

/// <summary>The implicit-feedback metrics on a case small enough to compute by hand.</summary>
public class RankingMetricsTests
{
    [Fact]
    public void Ranking_metrics_follow_the_documented_definitions()
    {
        double[] scores = [0.9, 0.1, 0.5, 0.3];
        double Predict(int user, int item) => user == 0 && item >= 0 ? scores[item] : 0;
        RankedPair[] pairs =
        [
            new(0, 0, 2, 1), new(0, 0, 3, 2), new(0, 0, 1, 0), new(0, 0, -1, 1), // user 0 is known; one item is not
            new(1, -1, 0, 1),                                                      // an unknown user scores every item 0
        ];
        var m = RankingMetrics.Compute(4, pairs, Predict);
        // User 0: 5 candidates; relevant positions 2 (item 2), 3 (item 3) and 5 (the unknown item, score 0, ties count against it).
        double ap0 = (1 / 2.0 + 2 / 3.0 + 3 / 5.0) / 3;
        double ndcg0 = (1 / Math.Log2(3) + 2 / Math.Log2(4) + 1 / Math.Log2(6)) / (2 / Math.Log2(2) + 1 / Math.Log2(3) + 1 / Math.Log2(4));
        // User 1: every item ties at 0, so its item is at position 4 of 4.
        double ap1 = 1 / 4.0, ndcg1 = 1 / Math.Log2(5);
        Assert.Equal((ap0 + ap1) / 2, m.MeanAveragePrecision!.Value, 12);
        Assert.Equal((ndcg0 + ndcg1) / 2, m.NormalizedDiscountedCumulativeGain!.Value, 12);
        Assert.Equal((1 * 1 / 4.0 + 2 * 2 / 4.0 + 1 * 4 / 4.0 + 1 * 3 / 3.0) / 5, m.AverageRank!.Value, 12);
        Assert.Equal((0.25 + 0.49 + 0.01 + 1 + 1) / 5, m.MeanSquaredError, 12);
        Assert.Equal(RankingMetrics.ColumnNames.Count, m.Values.Count);
    }

    [Fact]
    public void Without_relevant_pairs_the_ranking_metrics_are_null()
    {
        var m = RankingMetrics.Compute(2, [new RankedPair(0, 0, 1, 0), new RankedPair(0, 0, 0, -3)], (_, _) => 0.25);
        Assert.Null(m.MeanAveragePrecision);
        Assert.Null(m.NormalizedDiscountedCumulativeGain);
        Assert.Null(m.AverageRank);
        Assert.Equal(0.0625, m.MeanSquaredError, 12);
    }
}
