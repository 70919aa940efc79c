using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Chooses the evaluation rows of a training set held in memory (LOGISTIC_REG, MATRIX_FACTORIZATION), with the same
/// rules as LINEAR_REG's streaming <see cref="SplitRouter"/> (docs/semantics.md "Data split"): CUSTOM and SEQ use the
/// per-row flag computed in SQL; RANDOM with a fraction takes rows whose value hash is below fraction · 2⁶⁴;
/// AUTO_SPLIT (and RANDOM without a fraction) takes the k rows with the smallest hashes (ties by row position), k
/// from the row count.
/// </summary>
internal static class InMemorySplit
{
    /// <summary>
    /// Per-row evaluation mask of the first <paramref name="rows"/> rows, or null when every row trains.
    /// <paramref name="hash"/> (RANDOM, AUTO_SPLIT) and <paramref name="flag"/> (CUSTOM, SEQ) hold at least
    /// <paramref name="rows"/> entries when the method reads them.
    /// </summary>
    public static bool[]? EvaluationRows(DataSplitOptions split, int rows, ReadOnlySpan<ulong> hash, ReadOnlySpan<bool> flag)
    {
        switch (split.Method)
        {
            case DataSplitMethod.NoSplit:
                return null;
            case DataSplitMethod.Custom or DataSplitMethod.Seq:
                return flag[..rows].ToArray();
            case DataSplitMethod.Random when split.EvalFraction is { } f:
            {
                ulong threshold = (ulong)(f * 18446744073709551616.0);
                var eval = new bool[rows];
                for (int r = 0; r < rows; r++) eval[r] = hash[r] < threshold;
                return eval;
            }
            default:
                return Smallest(hash[..rows], DataSplitOptions.AutoEvalRows(rows));
        }
    }

    private static bool[]? Smallest(ReadOnlySpan<ulong> hash, long k)
    {
        if (k <= 0) return null;
        // A max-heap of the k smallest (hash, row) keys seen so far; most rows are rejected by one comparison.
        var heap = new PriorityQueue<int, (ulong Hash, int Row)>(Comparer<(ulong Hash, int Row)>.Create((a, b) => b.CompareTo(a)));
        for (int r = 0; r < hash.Length; r++)
        {
            if (heap.Count < k) heap.Enqueue(r, (hash[r], r));
            else if (heap.TryPeek(out _, out var top) && (hash[r], r).CompareTo(top) < 0) heap.DequeueEnqueue(r, (hash[r], r));
        }
        var eval = new bool[hash.Length];
        while (heap.TryDequeue(out int row, out _)) eval[row] = true;
        return eval;
    }
}
