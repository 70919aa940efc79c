using SqlMl.Models;
using SqlMl.Options;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>
/// MATRIX_FACTORIZATION's trainer against a plain ALS written here (dense loops, Gaussian elimination, and for
/// implicit feedback the full user × item confidence matrix, no YᵀY trick), from the same starting factors; and
/// against planted structure: a low-rank matrix recovered to the noise level, held-out interactions ranked high.
/// </summary>
public class AlsReferenceTests
{
    private static MatrixFactorizationOptions Options(FeedbackType feedback, int rank, double l2, int iterations, double alpha = 40) =>
        new(feedback, rank, "user", "item", "rating", l2, alpha, iterations, EarlyStop: false, 0.01, new DataSplitOptions(DataSplitMethod.NoSplit, null, null));

    private static MatrixFactorizationModel Train(List<(int User, int Item, double Rating)> rows, MatrixFactorizationOptions options, ulong seed = FactorInit.DefaultSeed) =>
        MatrixFactorizationTrainer.Train(InMemoryRatings.Of(rows), options, InMemoryRatings.IntegerIds, "m", seed: seed).Model;

    /// <summary>Sparse random ratings; user and item codes in order of first appearance equal their ids.</summary>
    private static List<(int User, int Item, double Rating)> RandomRatings(int users, int items, double density, int seed, bool duplicates = false)
    {
        var rnd = new Random(seed);
        var rows = new List<(int, int, double)>();
        for (int u = 0; u < users; u++) rows.Add((u, u % items, 1 + rnd.Next(5)));
        for (int i = 0; i < items; i++) rows.Add((i % users, i, 1 + rnd.Next(5)));
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (rnd.NextDouble() < density) rows.Add((u, i, 1 + rnd.Next(5) + (rnd.NextDouble() - 0.5)));
        if (duplicates) rows.AddRange(rows.Where((_, k) => k % 7 == 0).Select(r => (r.Item1, r.Item2, r.Item3 + 1)).ToList());
        return rows;
    }

    /// <summary>First-appearance codes, as the trainer assigns them.</summary>
    private static (Dictionary<int, int> Users, Dictionary<int, int> Items) Codes(List<(int User, int Item, double Rating)> rows)
    {
        var users = new Dictionary<int, int>();
        var items = new Dictionary<int, int>();
        foreach (var (u, i, _) in rows)
        {
            users.TryAdd(u, users.Count);
            items.TryAdd(i, items.Count);
        }
        return (users, items);
    }

    [Theory]
    [InlineData(3, 0.5, false)]
    [InlineData(5, 2.0, true)]
    [InlineData(8, 0.1, false)]
    public void Explicit_factors_equal_a_plain_alternating_least_squares_from_the_same_start(int rank, double l2, bool duplicates)
    {
        var rows = RandomRatings(40, 25, 0.3, seed: rank, duplicates);
        var model = Train(rows, Options(FeedbackType.Explicit, rank, l2, iterations: 6), seed: 7);
        var (users, items) = Codes(rows);
        var y = Initial(7, items.Count, rank);
        var c = new double[items.Count];
        var x = new double[users.Count][];
        var b = new double[users.Count];
        double mu = rows.Average(r => r.Rating);
        for (int it = 0; it < 6; it++)
        {
            foreach (var (id, u) in users)
            {
                var mine = rows.Where(r => r.User == id).ToList();
                var z = PlainLinearAlgebra.LeastSquares(mine.Select(r => y[items[r.Item]].Append(1.0).ToArray()).ToArray(),
                    mine.Select(r => r.Rating - mu - c[items[r.Item]]).ToArray(), l2);
                (x[u], b[u]) = (z[..rank], z[rank]);
            }
            foreach (var (id, i) in items)
            {
                var mine = rows.Where(r => r.Item == id).ToList();
                var z = PlainLinearAlgebra.LeastSquares(mine.Select(r => x[users[r.User]].Append(1.0).ToArray()).ToArray(),
                    mine.Select(r => r.Rating - mu - b[users[r.User]]).ToArray(), l2);
                (y[i], c[i]) = (z[..rank], z[rank]);
            }
        }
        Assert.Equal(mu, model.GlobalIntercept, 12);
        AssertSide(model.Users, users, x, b);
        AssertSide(model.Items, items, y, c);
    }

    [Theory]
    [InlineData(3, 0.5, 40.0)]
    [InlineData(6, 0.1, 5.0)]
    public void Implicit_factors_equal_a_plain_weighted_als_over_the_dense_confidence_matrix(int rank, double l2, double alpha)
    {
        var rows = RandomRatings(30, 20, 0.2, seed: 11 * rank, duplicates: true)
            .Select((r, k) => (r.User, r.Item, k % 9 == 0 ? 0.0 : k % 13 == 0 ? -1.0 : Math.Round(r.Rating))).ToList();
        var model = Train(rows, Options(FeedbackType.Implicit, rank, l2, iterations: 5, alpha), seed: 3);
        var (users, items) = Codes(rows);
        var r = new double[users.Count, items.Count];
        var seen = new bool[users.Count, items.Count];
        foreach (var (u, i, v) in rows)
        {
            r[users[u], items[i]] += v; // duplicates add up
            seen[users[u], items[i]] = true;
        }
        double Confidence(int u, int i) => seen[u, i] ? 1 + alpha * Math.Abs(r[u, i]) : 1;
        double Preference(int u, int i) => seen[u, i] && r[u, i] > 0 ? 1 : 0;
        var y = Initial(3, items.Count, rank);
        var x = new double[users.Count][];
        for (int it = 0; it < 5; it++)
        {
            for (int u = 0; u < users.Count; u++) x[u] = WeightedSolve(y, i => Confidence(u, i), i => Preference(u, i), rank, l2);
            for (int i = 0; i < items.Count; i++) y[i] = WeightedSolve(x, u => Confidence(u, i), u => Preference(u, i), rank, l2);
        }
        Assert.Equal(0, model.GlobalIntercept);
        AssertSide(model.Users, users, x, new double[users.Count]);
        AssertSide(model.Items, items, y, new double[items.Count]);
    }

    /// <summary>(Σ_j c_j f_j f_jᵀ + λI)⁻¹ Σ_j c_j p_j f_j over every row j of the other side.</summary>
    private static double[] WeightedSolve(double[][] other, Func<int, double> confidence, Func<int, double> preference, int rank, double l2)
    {
        var a = new double[rank, rank];
        var rhs = new double[rank];
        for (int j = 0; j < other.Length; j++)
        {
            double cj = confidence(j);
            for (int p = 0; p < rank; p++)
            {
                rhs[p] += cj * preference(j) * other[j][p];
                for (int q = 0; q < rank; q++) a[p, q] += cj * other[j][p] * other[j][q];
            }
        }
        for (int p = 0; p < rank; p++) a[p, p] += l2;
        return PlainLinearAlgebra.Solve(a, rhs);
    }

    private static double[][] Initial(ulong seed, int items, int rank)
    {
        var flat = FactorInit.Normal(seed, items, rank);
        return Enumerable.Range(0, items).Select(i => flat.AsSpan(i * rank, rank).ToArray()).ToArray();
    }

    private static void AssertSide(FactorSide side, Dictionary<int, int> codes, double[][] factors, double[] intercepts)
    {
        Assert.Equal(codes.Count, side.Count);
        foreach (var (id, code) in codes)
        {
            int modelCode = side.Ids.CodeOf(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(code, modelCode);
            for (int p = 0; p < side.Rank; p++) Assert.True(Math.Abs(factors[code][p] - side.Row(code)[p]) < 1e-8, $"id {id} factor {p}: {factors[code][p]} vs {side.Row(code)[p]}");
            Assert.True(Math.Abs(intercepts[code] - side.Intercepts[code]) < 1e-8, $"id {id} intercept");
        }
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.0)]
    [InlineData(true, 2.0)]
    public void Loss_from_the_item_solves_equals_the_loss_summed_over_the_ratings(bool isImplicit, double l2)
    {
        var feedback = isImplicit ? FeedbackType.Implicit : FeedbackType.Explicit;
        var rows = RandomRatings(50, 30, 0.3, seed: 4, duplicates: feedback == FeedbackType.Explicit);
        var (users, items) = Codes(rows);
        var byUser = RatingMatrix.Build(users.Count, items.Count, rows.Select(r => users[r.User]).ToArray(), rows.Select(r => items[r.Item]).ToArray(), rows.Select(r => r.Rating).ToArray());
        if (feedback == FeedbackType.Implicit) byUser = byUser.SumDuplicates();
        var solver = new AlsSolver(byUser, byUser.Transpose(), 6, feedback, l2, 3, rows.Average(r => r.Rating), FactorInit.Normal(1, items.Count, 6));
        for (int it = 0; it < 3; it++)
        {
            solver.Iterate();
            double direct = solver.TrainingLoss();
            Assert.True(Math.Abs(solver.LastLoss - direct) < 1e-9 * direct, $"iteration {it}: {solver.LastLoss} vs {direct}");
        }
    }

    [Fact]
    public void A_planted_low_rank_matrix_is_recovered_to_the_noise_level()
    {
        const int users = 400, items = 250, rank = 4;
        const double noise = 0.1;
        var rnd = new Random(5);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
        var p = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, rank).Select(_ => Normal()).ToArray()).ToArray();
        var q = Enumerable.Range(0, items).Select(_ => Enumerable.Range(0, rank).Select(_ => Normal()).ToArray()).ToArray();
        var bu = Enumerable.Range(0, users).Select(_ => 0.5 * Normal()).ToArray();
        var bi = Enumerable.Range(0, items).Select(_ => 0.5 * Normal()).ToArray();
        double Truth(int u, int i) => 3 + bu[u] + bi[i] + PlainLinearAlgebra.Dot(p[u], q[i]);
        var train = new List<(int, int, double)>();
        var heldOut = new List<(int User, int Item)>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
            {
                double draw = rnd.NextDouble();
                if (draw < 0.25) train.Add((u, i, Truth(u, i) + noise * Normal()));
                else if (draw < 0.28) heldOut.Add((u, i));
            }
        var model = Train(train, Options(FeedbackType.Explicit, rank, l2: 0.05, iterations: 40));
        double Predict(int u, int i) => model.Predict(u.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        double rmse = Math.Sqrt(heldOut.Average(h => Math.Pow(Predict(h.User, h.Item) - Truth(h.User, h.Item), 2)));
        double spread = Math.Sqrt(heldOut.Average(h => Math.Pow(Truth(h.User, h.Item) - 3, 2)));
        // The truth has a spread of ~2.3; the held-out error must be at the level of the observation noise.
        Assert.True(spread > 1.5, $"spread {spread}");
        Assert.True(rmse < 1.5 * noise, $"held-out RMSE against the truth {rmse}, noise {noise}");
    }

    [Fact]
    public void Implicit_model_ranks_held_out_interactions_far_above_random()
    {
        const int users = 300, items = 200, groups = 5;
        var rnd = new Random(9);
        var train = new List<(int, int, double)>();
        var heldOut = new List<(int User, int Item)>();
        for (int u = 0; u < users; u++)
        {
            var mine = Enumerable.Range(0, items).Where(i => rnd.NextDouble() < (i % groups == u % groups ? 0.3 : 0.01)).ToList();
            // A random in-taste item (holding out, say, the last would starve the high item ids of training data).
            var taste = mine.Where(i => i % groups == u % groups).ToList();
            int held = taste[rnd.Next(taste.Count)];
            heldOut.Add((u, held));
            train.AddRange(mine.Where(i => i != held).Select(i => (u, i, 1.0 + rnd.Next(3))));
        }
        var model = Train(train, Options(FeedbackType.Implicit, rank: 8, l2: 1, iterations: 15, alpha: 10));
        var percentiles = new List<double>();
        foreach (var (u, held) in heldOut)
        {
            int code = model.Users.Ids.CodeOf(u.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var scores = Enumerable.Range(0, model.Items.Count).Select(i => model.Predict(code, i)).ToArray();
            double mine = model.Predict(code, model.Items.Ids.CodeOf(held.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            percentiles.Add((scores.Count(s => s >= mine) - 1) / (double)(scores.Length - 1));
        }
        // Random scores put a held-out item at the 50th percentile on average; planted taste puts it near the top.
        Assert.True(percentiles.Average() < 0.2, $"mean percentile rank {percentiles.Average()}");
        Assert.True(percentiles.Count(x => x < 0.3) > 0.9 * users, $"most held-out items rank in the top 30 %: {percentiles.Count(x => x < 0.3)} of {users}");
    }
}
