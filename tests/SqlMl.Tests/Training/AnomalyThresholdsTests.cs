using SqlMl.Models;

namespace SqlMl.Tests.Training;

/// <summary>Cutoffs for ML.DETECT_ANOMALIES from the stored training scores.</summary>
public class AnomalyThresholdsTests
{
    private static double[] Scores(int n, int seed)
    {
        var rnd = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rnd.NextDouble() * 10).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(200_000)]
    public void Small_training_sets_give_exact_cutoffs(int n)
    {
        var scores = Scores(n, n);
        var sorted = scores.Order().ToArray();
        var t = AnomalyThresholds.FromScores(scores);
        Assert.True(t.IsExact);
        foreach (double c in new[] { 0, 0.001, 0.02, 0.1, 0.333, 0.5 })
        {
            double cutoff = t.Cutoff(c);
            int rank = n - (int)Math.Floor(c * n);
            Assert.True(cutoff > sorted[rank - 1], $"c = {c}: the cutoff is above the score at rank {rank}");
            if (rank < n) Assert.True(cutoff < sorted[rank], $"c = {c}: the cutoff is below the next score");
            Assert.Equal((int)Math.Floor(c * n), sorted.Count(s => s > cutoff));
        }
    }

    [Fact]
    public void Large_training_sets_never_flag_more_than_the_contamination()
    {
        const int n = 1_000_003;
        var scores = Scores(n, 5);
        var sorted = scores.Order().ToArray();
        var t = AnomalyThresholds.FromScores(scores);
        Assert.False(t.IsExact);
        foreach (double c in new[] { 0, 0.0000031, 0.02, 0.123456, 0.5 })
        {
            int flagged = sorted.Count(s => s > t.Cutoff(c));
            int exact = (int)Math.Floor(c * n);
            Assert.InRange(flagged, exact - (int)Math.Ceiling(n * 0.5 / (AnomalyThresholds.MaxStored - 1)), exact);
        }
        Assert.Equal(0, sorted.Count(s => s > t.Cutoff(0)));
        Assert.Equal(n / 2, sorted.Count(s => s > t.Cutoff(0.5)));
    }

    [Fact]
    public void Cutoffs_survive_the_payload_round_trip()
    {
        var t = AnomalyThresholds.FromScores(Scores(5000, 3));
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) t.WriteTo(w);
        ms.Position = 0;
        var back = AnomalyThresholds.ReadFrom(new BinaryReader(ms));
        Assert.Equal(t.Rows, back.Rows);
        foreach (double c in new[] { 0, 0.01, 0.25, 0.5 }) Assert.Equal(t.Cutoff(c), back.Cutoff(c));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(300_001)]
    public void Cutoffs_of_the_first_rows_of_a_longer_array_equal_those_of_the_rows_alone(int n)
    {
        var scores = Scores(n, 11);
        var padded = scores.Concat(Enumerable.Repeat(-1.0, 16)).ToArray();
        var alone = AnomalyThresholds.FromScores(scores);
        var first = AnomalyThresholds.FromScores(padded, n);
        Assert.Equal(alone.Rows, first.Rows);
        foreach (double c in new[] { 0, 0.001, 0.02, 0.1, 0.5 }) Assert.Equal(alone.Cutoff(c), first.Cutoff(c));
        Assert.All(padded[n..], v => Assert.Equal(-1.0, v));
    }
}
