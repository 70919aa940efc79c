using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Alternating least squares on a sparse ratings matrix. Factor rows are stored with stride <see cref="Stride"/>
/// (zero padded to whole vectors) and intercepts apart. An explicit user solve is one (rank + 1)-dimensional ridge
/// problem over augmented item rows ỹ_i = [y_i, 1]:
/// <code>
/// explicit:  (Σ_i ỹ_i ỹ_iᵀ + λI) [x_u; b_u] = Σ_i ỹ_i (r_ui − μ − c_i)
/// implicit:  (YᵀY + Σ_i α|r_ui| y_i y_iᵀ + λI) x_u = Σ_{i: r_ui &gt; 0} (1 + α|r_ui|) y_i
/// </code>
/// (items symmetrically). Implicit solves never touch unobserved cells: YᵀY is computed once per half-iteration
/// and only observed items add their weighted outer products (Hu, Koren and Volinsky). Rows are solved in
/// parallel, each thread with its own gather buffer, Gram matrix and right-hand side (<see cref="AlsKernels"/>).
/// </summary>
internal sealed class AlsSolver
{
    private const int BlockRows = 64;
    private const int ChunkRows = 32;
    private readonly RatingMatrix _byUser;
    private readonly RatingMatrix _byItem;
    private readonly bool _explicit;
    private readonly double _lambda;
    private readonly double _alpha;
    private readonly double _global;
    private readonly ParallelOptions _parallel;
    private readonly string _modelName;

    /// <summary>
    /// A solver starting from <paramref name="initialItems"/> (items × rank, row-major; the users are solved from
    /// them first) and, for explicit feedback, <paramref name="initialItemIntercepts"/> (empty = 0).
    /// </summary>
    public AlsSolver(RatingMatrix byUser, RatingMatrix byItem, int rank, FeedbackType feedback, double lambda, double alpha,
        double globalIntercept, ReadOnlySpan<double> initialItems, ReadOnlySpan<double> initialItemIntercepts = default, int maxDegreeOfParallelism = -1, string modelName = "")
    {
        _modelName = modelName;
        _byUser = byUser;
        _byItem = byItem;
        _explicit = feedback == FeedbackType.Explicit;
        _lambda = lambda;
        _alpha = alpha;
        _global = _explicit ? globalIntercept : 0;
        // At most one thread per core: left unbounded, the thread pool injects more workers while rows are being solved,
        // and an iteration then waits for descheduled stragglers (measured ~3x slower on 2 cores).
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount };
        Rank = rank;
        Dimension = _explicit ? rank + 1 : rank;
        Stride = AlsKernels.Stride(rank);
        GramStride = AlsKernels.Stride(Dimension);
        X = new double[byUser.Rows * Stride];
        Y = new double[byItem.Rows * Stride];
        UserIntercepts = new double[byUser.Rows];
        ItemIntercepts = new double[byItem.Rows];
        for (int i = 0; i < byItem.Rows; i++) initialItems.Slice(i * rank, rank).CopyTo(Y.AsSpan(i * Stride));
        if (_explicit && !initialItemIntercepts.IsEmpty) initialItemIntercepts.CopyTo(ItemIntercepts);
    }

    public int Rank { get; }

    /// <summary>Unknowns per row: rank, plus the intercept for explicit feedback.</summary>
    public int Dimension { get; }

    /// <summary>Row stride of <see cref="X"/> and <see cref="Y"/>: rank rounded up to whole vectors.</summary>
    public int Stride { get; }

    /// <summary>Row stride of the per-row Gram matrices: <see cref="Dimension"/> rounded up to whole vectors.</summary>
    public int GramStride { get; }

    public double[] X { get; }

    public double[] Y { get; }

    /// <summary>User intercepts (all 0 for implicit feedback).</summary>
    public double[] UserIntercepts { get; }

    public double[] ItemIntercepts { get; }

    public double GlobalIntercept => _global;

    /// <summary>One iteration: every user from the items, then every item from the users.</summary>
    public void Iterate(CancellationToken cancellationToken = default)
    {
        SolveSide(_byUser, Y, ItemIntercepts, X, UserIntercepts, null, cancellationToken);
        var rowLoss = new double[_byItem.Rows];
        SolveSide(_byItem, X, UserIntercepts, Y, ItemIntercepts, rowLoss, cancellationToken);
        double total = 0;
        foreach (double l in rowLoss) total += l;
        LastLoss = _explicit
            ? total / _byUser.Count
            : (total + _lambda * (TensorPrimitives.Dot(X, X) + TensorPrimitives.Dot(Y, Y))) / ((double)_byUser.Rows * _byItem.Rows);
    }

    /// <summary>
    /// <see cref="TrainingLoss"/> after the last <see cref="Iterate"/>, obtained from the item solves' normal
    /// equations at no extra pass: for a row solved from G z = b (G with ridge ρ), its squared error
    /// Σ c (t − z·f)² = Σ c t² − zᵀG z − ρ‖z‖², O(d²) per item instead of O(d) per rating.
    /// </summary>
    public double LastLoss { get; private set; } = double.NaN;

    /// <summary>The prediction for user and item codes; -1 means unknown (that side contributes nothing).</summary>
    public double Predict(int user, int item)
    {
        double p = _global;
        if (user >= 0) p += UserIntercepts[user];
        if (item >= 0) p += ItemIntercepts[item];
        if (user >= 0 && item >= 0) p += AlsKernels.Dot(X.AsSpan(user * Stride, Stride), Y.AsSpan(item * Stride, Stride));
        return p;
    }

    /// <summary>
    /// Explicit: the mean squared error over the training ratings. Implicit: the WALS objective
    /// Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all users × items, divided by their number; the
    /// unobserved cells (c = 1, p = 0) enter through ⟨XᵀX, YᵀY⟩, never one by one.
    /// </summary>
    public double TrainingLoss()
    {
        int chunks = (_byUser.Rows + ChunkRows - 1) / ChunkRows;
        var partial = new double[chunks];
        Parallel.For(0, chunks, _parallel, () => new double[_byUser.MaxRowLength], (c, _, dots) =>
        {
            double sum = 0;
            for (int u = c * ChunkRows; u < Math.Min(_byUser.Rows, (c + 1) * ChunkRows); u++)
            {
                int start = _byUser.Offsets[u], count = _byUser.Offsets[u + 1] - start;
                AlsGather.Dots(X.AsSpan(u * Stride, Stride), Y, _byItem.Rows, _byUser.Indices.AsSpan(start, count), Stride, dots);
                double bu = _global + UserIntercepts[u];
                for (int e = 0; e < count; e++)
                {
                    double v = _byUser.Values[start + e], s = bu + ItemIntercepts[_byUser.Indices[start + e]] + dots[e];
                    if (_explicit) sum += (v - s) * (v - s);
                    else
                    {
                        double p = v > 0 ? 1 : 0, conf = 1 + _alpha * Math.Abs(v);
                        sum += conf * (p - s) * (p - s) - s * s;
                    }
                }
            }
            partial[c] = sum;
            return dots;
        }, _ => { });
        double total = 0;
        foreach (double s in partial) total += s;
        if (_explicit) return total / _byUser.Count;
        var gx = Gram(X, _byUser.Rows);
        var gy = Gram(Y, _byItem.Rows);
        double cross = 0;
        for (int j = 0; j < Rank; j++)
        {
            cross += gx[j * GramStride + j] * gy[j * GramStride + j];
            for (int c = j + 1; c < Rank; c++) cross += 2 * gx[j * GramStride + c] * gy[j * GramStride + c];
        }
        double norms = TensorPrimitives.Dot(X, X) + TensorPrimitives.Dot(Y, Y);
        return (total + cross + _lambda * norms) / ((double)_byUser.Rows * _byItem.Rows);
    }

    private double[] Gram(double[] rows, int n)
    {
        var g = new double[GramStride * GramStride];
        AlsKernels.AddGram(rows, n, Stride, Rank, g, GramStride);
        return g;
    }

    private void SolveSide(RatingMatrix m, double[] fixedSide, double[] fixedIntercepts, double[] solved, double[] solvedIntercepts, double[]? rowLoss, CancellationToken cancellationToken)
    {
        double[]? baseGram = null;
        if (!_explicit)
        {
            baseGram = Gram(fixedSide, m.Columns);
            for (int c = 0; c < Dimension; c++) baseGram[c * GramStride + c] += _lambda;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = _parallel.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var side = new Side(m, fixedSide, fixedIntercepts, solved, solvedIntercepts, baseGram, rowLoss);
        Parallel.ForEach(Partitioner.Create(0, m.Rows, ChunkRows), options, () => new Workspace(Stride, GramStride, Dimension),
            (range, _, ws) =>
            {
                for (int first = range.Item1; first < range.Item2; first += BatchedCholesky.Width) SolveBatch(side, first, Math.Min(BatchedCholesky.Width, range.Item2 - first), ws);
                return ws;
            },
            _ => { });
    }

    private sealed record Side(RatingMatrix Matrix, double[] Fixed, double[] FixedIntercepts, double[] Solved, double[] SolvedIntercepts, double[]? BaseGram, double[]? RowLoss);

    /// <summary>Rows first .. first + count − 1 (at most 8): their systems are built, then solved side by side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SolveBatch(Side side, int first, int count, Workspace ws)
    {
        double ridge = _explicit ? _lambda : 0; // implicit: λ is already in the base Gram matrix
        for (int lane = 0; lane < count; lane++) Build(side, first + lane, ridge, ws.Grams[lane], ws.Rhss[lane], ws, out ws.Constants[lane]);
        int failed = ws.Batch.Solve(ws.Grams, ws.Rhss, count, GramStride);
        for (int lane = 0; lane < count; lane++)
        {
            if ((failed & (1 << lane)) != 0) continue;
            Store(side, first + lane, ws.Rhss[lane]);
            if (side.RowLoss is { } loss) loss[first + lane] = RowLoss(ws.Grams[lane], ws.Rhss[lane], ws.Constants[lane], _lambda);
        }
        for (int lane = 0; lane < count; lane++)
            if ((failed & (1 << lane)) != 0) SolveRow(side, first + lane, ws);
    }

    /// <summary>One row whose system was not positive definite: rebuilt with a growing ridge until it factors.</summary>
    private void SolveRow(Side side, int row, Workspace ws)
    {
        double ridge = _explicit ? _lambda : 0;
        var gram = ws.Grams[0];
        var copy = ws.Grams[1];
        var rhs = ws.Rhss[0];
        double constant;
        for (int attempt = 0; ; attempt++)
        {
            double trace = Build(side, row, ridge, gram, rhs, ws, out constant);
            gram.CopyTo(copy, 0);
            if (AlsKernels.CholeskySolve(gram, Dimension, GramStride, rhs, ws.Solution)) break;
            if (attempt == 6)
                throw Errors.Training($"CREATE MODEL {_modelName}: the ALS normal equations of a row are not solvable (ridge {ridge:G3}); the factors diverged. Use a larger l2_reg.");
            ridge = Math.Max(ridge * 100, 1e-10 * (1 + trace / Dimension));
        }
        Store(side, row, ws.Solution);
        if (side.RowLoss is { } loss) loss[row] = RowLoss(copy, ws.Solution, constant, _explicit ? ridge : _lambda + ridge);
    }

    /// <summary>Σ c t² − zᵀG z − ρ‖z‖²: the row's weighted squared error at the solution z of G z = b (upper triangle of G).</summary>
    private double RowLoss(double[] gram, double[] z, double constant, double ridge)
    {
        int d = Dimension, lg = GramStride;
        double quadratic = 0, norm = 0;
        for (int j = 0; j < d; j++)
        {
            double zj = z[j], cross = 0;
            for (int c = j + 1; c < d; c++) cross += gram[j * lg + c] * z[c];
            quadratic += zj * (gram[j * lg + j] * zj + 2 * cross);
            norm += zj * zj;
        }
        return constant - quadratic - ridge * norm;
    }

    private void Store(Side side, int row, double[] solution)
    {
        var target = side.Solved.AsSpan(row * Stride, Stride);
        solution.AsSpan(0, Stride).CopyTo(target);
        if (_explicit)
        {
            side.SolvedIntercepts[row] = solution[Rank];
            if (Rank < Stride) target[Rank] = 0; // the intercept's slot is padding in the factor row
        }
        else if (Dimension < Stride)
        {
            target[Dimension..].Clear();
        }
    }

    /// <summary>Fills the workspace's Gram matrix and right-hand side for one row; returns the Gram trace before the ridge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Build(Side side, int row, double ridge, double[] gram, double[] rhsArray, Workspace ws, out double constant)
    {
        int ls = Stride, lg = GramStride, k = Rank;
        var m = side.Matrix;
        Array.Clear(rhsArray);
        Array.Clear(ws.Sum);
        var rhs = rhsArray.AsSpan(0, ls);
        double targetSum = 0;
        constant = 0;
        int start = m.Offsets[row], end = m.Offsets[row + 1];
        for (int b = start; b < end; b += BlockRows)
        {
            int count = Math.Min(BlockRows, end - b);
            var others = m.Indices.AsSpan(b, count);
            var values = m.Values.AsSpan(b, count);
            if (_explicit)
            {
                targetSum += AlsGather.GatherExplicit(side.Fixed, side.FixedIntercepts, others, values, _global, ls, ws.Rows, rhs, ws.Sum, out double squares);
                constant += squares;
            }
            else
            {
                constant += AlsGather.GatherImplicit(side.Fixed, m.Columns, others, values, _alpha, ls, ws.Rows, rhs);
            }
            // The first block starts the Gram matrix from zeros (explicit) or YᵀY + λI (implicit): no clearing pass.
            if (b == start) AlsKernels.SetGram(ws.Rows, count, ls, k, gram, lg, side.BaseGram);
            else AlsKernels.AddGram(ws.Rows, count, ls, k, gram, lg);
        }
        if (_explicit)
        {
            // The intercept's row and column of the augmented Gram matrix: Σ y_i and the count.
            for (int c = 0; c < k; c++) gram[c * lg + k] = ws.Sum[c];
            gram[k * lg + k] = end - start;
            rhsArray[k] = targetSum;
        }
        double trace = 0;
        for (int c = 0; c < Dimension; c++)
        {
            trace += gram[c * lg + c];
            gram[c * lg + c] += ridge;
        }
        return trace;
    }

    private sealed class Workspace(int stride, int gramStride, int dimension)
    {
        public double[] Rows { get; } = new double[BlockRows * stride];

        public double[][] Grams { get; } = Enumerable.Range(0, BatchedCholesky.Width).Select(_ => new double[gramStride * gramStride]).ToArray();

        public double[][] Rhss { get; } = Enumerable.Range(0, BatchedCholesky.Width).Select(_ => new double[gramStride]).ToArray();

        public BatchedCholesky Batch { get; } = new(dimension);

        /// <summary>Per lane: Σ c t² of the row (explicit Σ t², implicit Σ_{r &gt; 0} (1 + α|r|)), for its loss.</summary>
        public double[] Constants { get; } = new double[BatchedCholesky.Width];

        public double[] Solution { get; } = new double[gramStride];

        public double[] Sum { get; } = new double[stride];
    }
}
