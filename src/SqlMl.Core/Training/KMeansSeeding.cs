namespace SqlMl.Training;

/// <summary>
/// Initial centroids as training row indices: RANDOM (distinct rows drawn uniformly), KMEANS++ (greedy k-means++:
/// each new centroid is the best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D², the squared distance to the
/// nearest centroid so far, judged by the resulting Σ D²) and CUSTOM (the flagged rows, in row order). Duplicate
/// rows are never drawn twice; when fewer distinct rows than clusters exist the model cannot be built.
/// </summary>
internal static class KMeansSeeding
{
    private const int ChunkRows = 16_384;

    public static int[] Random(KMeansData data, int k, Random rng, string modelName)
    {
        int n = data.Rows;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var chosen = new List<int>(k);
        for (int i = 0; i < n && chosen.Count < k; i++)
        {
            int j = rng.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
            int row = order[i];
            bool duplicate = false;
            foreach (int c in chosen)
                if (data.RowDistance2(row, c) == 0) { duplicate = true; break; }
            if (!duplicate) chosen.Add(row);
        }
        if (chosen.Count < k) throw Errors.KMeansTooFewPoints(modelName, k, chosen.Count);
        return [.. chosen];
    }

    public static int[] PlusPlus(KMeansData data, int k, Random rng, string modelName, CancellationToken cancellationToken)
    {
        int n = data.Rows;
        int trials = 2 + (int)Math.Log(k);
        var chosen = new List<int>(k) { rng.Next(n) };
        var d2 = new double[data.PaddedRows];
        Distances(data, [chosen[0]], d2, null, initialize: true, cancellationToken);
        var candidates = new int[trials];
        var draws = new double[trials];
        for (int t = 1; t < k; t++)
        {
            double total = 0;
            for (int r = 0; r < n; r++) total += d2[r];
            if (!(total > 0)) throw Errors.KMeansTooFewPoints(modelName, k, chosen.Count);
            for (int i = 0; i < trials; i++) draws[i] = rng.NextDouble() * total;
            Array.Sort(draws);
            Draw(d2, n, draws, candidates);
            var potential = new double[trials];
            Distances(data, candidates, d2, potential, initialize: false, cancellationToken);
            int best = 0;
            for (int i = 1; i < trials; i++)
                if (potential[i] < potential[best]) best = i;
            chosen.Add(candidates[best]);
            Distances(data, [candidates[best]], d2, null, initialize: false, cancellationToken);
        }
        return [.. chosen];
    }

    public static int[] Custom(KMeansData data, int? k, string modelName, string column)
    {
        var rows = new List<int>();
        for (int r = 0; r < data.Rows; r++)
            if (data.Flags![r]) rows.Add(r);
        if (rows.Count == 0)
            throw Errors.Training($"CREATE MODEL {modelName}: kmeans_init_col '{column}' is TRUE in no training row; mark the rows to start from (one per cluster).");
        if (k is { } kv && rows.Count != kv)
            throw Errors.Training($"CREATE MODEL {modelName}: kmeans_init_col '{column}' is TRUE in {rows.Count} rows, but num_clusters is {kv}; they must be equal.");
        if (rows.Count > Options.KMeansOptions.Defaults.MaxClusters || rows.Count < Options.KMeansOptions.Defaults.MinClusters)
            throw Errors.Training($"CREATE MODEL {modelName}: kmeans_init_col '{column}' is TRUE in {rows.Count} rows; num_clusters must be between {Options.KMeansOptions.Defaults.MinClusters} and {Options.KMeansOptions.Defaults.MaxClusters}.");
        return [.. rows];
    }

    /// <summary>For sorted draws in [0, Σ d2), the rows where the running sum of d2 first exceeds each draw.</summary>
    private static void Draw(double[] d2, int n, double[] draws, int[] rows)
    {
        double sum = 0;
        int i = 0, last = -1;
        for (int r = 0; r < n && i < draws.Length; r++)
        {
            if (d2[r] <= 0) continue;
            last = r;
            sum += d2[r];
            while (i < draws.Length && draws[i] < sum) rows[i++] = r;
        }
        for (; i < draws.Length; i++) rows[i] = last; // rounding left the last draw past the end
    }

    /// <summary>
    /// Squared distances from every row to the given rows. With <paramref name="potential"/> null, d2 becomes
    /// min(d2, distance to rows[0]) (the distance itself when <paramref name="initialize"/>), computed exactly so that
    /// duplicates of a chosen row get 0 and are never drawn; otherwise potential[i] = Σ min(d2, distance to rows[i]).
    /// </summary>
    private static void Distances(KMeansData data, int[] rows, double[] d2, double[]? potential, bool initialize, CancellationToken cancellationToken)
    {
        int dim = data.Dimension;
        var points = new double[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++) data.CopyRow(rows[i], points.AsSpan(i * dim, dim));
        var packed = PackedCentroids.Pack(points, rows.Length, data.Numeric.Length, data.OneHotWidth, Options.KMeansDistance.Euclidean);
        int chunks = (data.Rows + ChunkRows - 1) / ChunkRows;
        var partial = new double[chunks * rows.Length];
        Parallel.For(0, chunks, CoreParallelism.Options(cancellationToken), chunk =>
        {
            const int t = KMeansData.Tile;
            var block = new double[packed.Padded * t];
            int start = chunk * ChunkRows, end = Math.Min(data.Rows, start + ChunkRows);
            if (potential is null)
            {
                var exact = new double[end - start];
                data.RowDistances2(rows[0], start, exact);
                for (int r = start; r < end; r++) d2[r] = initialize ? exact[r - start] : Math.Min(d2[r], exact[r - start]);
                return;
            }
            for (int r0 = start; r0 < end; r0 += t)
            {
                DistanceKernel.Tile(data, packed, r0, block);
                int count = Math.Min(t, end - r0);
                for (int b = 0; b < count; b++)
                {
                    int r = r0 + b;
                    for (int i = 0; i < rows.Length; i++)
                        partial[chunk * rows.Length + i] += Math.Min(d2[r], Math.Max(data.Norm2[r] + block[i * t + b], 0));
                }
            }
        });
        if (potential is null) return;
        for (int c = 0; c < chunks; c++)
            for (int i = 0; i < rows.Length; i++) potential[i] += partial[c * rows.Length + i];
    }
}
