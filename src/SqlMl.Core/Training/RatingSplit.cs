using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Chooses the evaluation rows of a matrix factorization training set, with the same rules as LINEAR_REG's
/// split (docs/semantics.md "Data split"): CUSTOM and SEQ use the per-row flag computed in SQL; RANDOM with a
/// fraction takes rows whose value hash is below fraction · 2⁶⁴; AUTO_SPLIT (and RANDOM without a fraction) takes
/// the k rows with the smallest hashes (ties by row position), k from the row count.
/// </summary>
internal static class RatingSplit
{
    /// <summary>Per-row evaluation mask, or null when every row trains.</summary>
    public static bool[]? EvaluationRows(DataSplitOptions split, RatingRows rows)
    {
        int n = rows.Count;
        switch (split.Method)
        {
            case DataSplitMethod.NoSplit:
                return null;
            case DataSplitMethod.Custom or DataSplitMethod.Seq:
                return rows.Flag.ToArray();
            case DataSplitMethod.Random when split.EvalFraction is { } f:
            {
                ulong threshold = (ulong)(f * 18446744073709551616.0);
                var hash = rows.Hash;
                var eval = new bool[n];
                for (int r = 0; r < n; r++) eval[r] = hash[r] < threshold;
                return eval;
            }
            default:
                return Smallest(rows.Hash, DataSplitOptions.AutoEvalRows(n));
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
