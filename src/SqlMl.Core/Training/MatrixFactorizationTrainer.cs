using System.Diagnostics;
using System.Globalization;
using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// MATRIX_FACTORIZATION: reads (user, item, rating) rows, splits off evaluation rows, and runs ALS
/// (<see cref="AlsSolver"/>) until max_iterations or, with early_stop, until an iteration improves the loss by less
/// than min_rel_progress (relative). Users and items get dense codes in order of first appearance among the
/// training rows; only they are in the model. Explicit feedback keeps duplicate (user, item) rows as separate
/// observations; implicit feedback sums their ratings into one interaction. The global intercept of an explicit
/// model is the mean training rating (fixed); user and item intercepts are learnt with the factors and regularized
/// by the same l2_reg.
/// </summary>
internal static class MatrixFactorizationTrainer
{
    public static MatrixFactorizationResult Train(ITrainingData data, MatrixFactorizationOptions options, RatingIdTypes types, string modelName,
        CancellationToken cancellationToken = default, ulong seed = FactorInit.DefaultSeed, IProgress<IterationInfo>? progress = null)
    {
        string statement = "CREATE MODEL " + modelName;
        var rows = RatingRows.Read(data, modelName, cancellationToken);
        if (rows.Count == 0) throw Errors.Training($"{statement}: the training query returned no rows.");
        var eval = InMemorySplit.EvaluationRows(options.Split, rows.Count, rows.Hash, rows.Flag);

        // Dense codes for the users and items of the training rows.
        var userCode = Filled(rows.UserIds.Count);
        var itemCode = Filled(rows.ItemIds.Count);
        var userIds = new List<string>();
        var itemIds = new List<string>();
        int n = 0;
        for (int r = 0; r < rows.Count; r++)
            if (eval is null || !eval[r]) n++;
        if (n == 0)
            throw Errors.Training($"{statement}: every row went to the evaluation split; no training rows are left. Check data_split_col / data_split_eval_fraction.");
        var tu = new int[n];
        var ti = new int[n];
        var tr = new double[n];
        for (int r = 0, t = 0; r < rows.Count; r++)
        {
            if (eval is not null && eval[r]) continue;
            tu[t] = Code(userCode, rows.User[r], userIds, rows.UserIds);
            ti[t] = Code(itemCode, rows.Item[r], itemIds, rows.ItemIds);
            tr[t++] = rows.Rating[r];
        }
        RequireTwo(statement, "users", "user_col", options.UserColumn, userIds);
        RequireTwo(statement, "items", "item_col", options.ItemColumn, itemIds);

        bool isImplicit = options.Feedback == FeedbackType.Implicit;
        var byUser = RatingMatrix.Build(userIds.Count, itemIds.Count, tu, ti, tr);
        var distinct = byUser.SumDuplicates();
        if (isImplicit)
        {
            byUser = distinct;
            if (!byUser.Values.Any(v => v > 0))
                throw Errors.Training($"{statement}: IMPLICIT feedback needs positive ratings (interactions) in rating_col '{options.RatingColumn}'; every training rating is <= 0.");
        }
        var byItem = byUser.Transpose();
        double global = isImplicit ? 0 : tr.Average();
        int rank = options.NumFactors ?? MatrixFactorizationOptions.DefaultFactors(n);

        var solver = new AlsSolver(byUser, byItem, rank, options.Feedback, options.L2Reg, options.WalsAlpha, global,
            FactorInit.Normal(seed, itemIds.Count, rank), modelName: modelName);
        var evalPairs = eval is null ? null : EvaluationPairs.Build(rows, eval, userCode, itemCode, options.Feedback);
        var iterations = Iterate(solver, options, evalPairs, statement, cancellationToken, progress);

        var model = ToModel(solver, options, types, userIds, itemIds, distinct);
        var metricsPairs = evalPairs is { Count: > 0 } ? evalPairs : EvaluationPairs.Build(rows, null, userCode, itemCode, options.Feedback);
        var metrics = metricsPairs.Metrics(itemIds.Count, model.Predict);
        return new MatrixFactorizationResult(model, iterations, n, rows.Count - n, metrics,
            evalPairs is { Count: > 0 } ? "evaluation_split" : "training_data");
    }

    private static List<IterationInfo> Iterate(AlsSolver solver, MatrixFactorizationOptions options, EvaluationPairs? evalPairs, string statement, CancellationToken cancellationToken,
        IProgress<IterationInfo>? progress)
    {
        var iterations = new List<IterationInfo>();
        double previous = double.NaN;
        for (int it = 0; it < options.MaxIterations; it++)
        {
            var clock = Stopwatch.StartNew();
            solver.Iterate(cancellationToken);
            double loss = solver.LastLoss;
            if (!double.IsFinite(loss))
                throw Errors.Training($"{statement}: the loss became {loss} at iteration {it}; the ratings are too large for this l2_reg. Scale the ratings or raise l2_reg.");
            double? evalLoss = evalPairs?.MeanSquaredError(solver.Predict);
            iterations.Add(new IterationInfo(it, loss, evalLoss, null, clock.ElapsedMilliseconds));
            progress?.Report(iterations[^1]);
            if (options.EarlyStop && it > 0 && (previous - loss) < options.MinRelProgress * Math.Abs(previous)) break;
            previous = loss;
        }
        return iterations;
    }

    private static MatrixFactorizationModel ToModel(AlsSolver solver, MatrixFactorizationOptions options, RatingIdTypes types,
        List<string> userIds, List<string> itemIds, RatingMatrix distinct)
    {
        var users = Side(solver.X, solver.Stride, solver.Rank, Ids(userIds, types.UserIsInteger), solver.UserIntercepts);
        var items = Side(solver.Y, solver.Stride, solver.Rank, Ids(itemIds, types.ItemIsInteger), solver.ItemIntercepts);
        return new MatrixFactorizationModel(options.Feedback, options.UserColumn, options.ItemColumn, options.RatingColumn,
            types.UserSqlType, types.ItemSqlType, solver.GlobalIntercept, users, items, distinct.Offsets, distinct.Indices);
    }

    private static FactorSide Side(double[] padded, int stride, int rank, IdSet ids, double[] intercepts)
    {
        var factors = new double[ids.Count * rank];
        for (int i = 0; i < ids.Count; i++) padded.AsSpan(i * stride, rank).CopyTo(factors.AsSpan(i * rank));
        return new FactorSide(ids, (double[])intercepts.Clone(), factors, rank);
    }

    private static IdSet Ids(List<string> text, bool integer) =>
        integer ? IdSet.FromIntegers(text.Select(t => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray())
                : IdSet.FromStrings([.. text]);

    private static int[] Filled(int n)
    {
        var a = new int[n];
        Array.Fill(a, -1);
        return a;
    }

    private static int Code(int[] map, int raw, List<string> ids, IReadOnlyList<string> text)
    {
        if (map[raw] < 0)
        {
            map[raw] = ids.Count;
            ids.Add(text[raw]);
        }
        return map[raw];
    }

    private static void RequireTwo(string statement, string what, string option, string column, List<string> ids)
    {
        if (ids.Count < 2)
            throw Errors.Training($"{statement}: matrix factorization needs at least 2 distinct {what} in the training rows; {option} '{column}' has only {ids.Count} ('{ids[0]}').");
    }
}
