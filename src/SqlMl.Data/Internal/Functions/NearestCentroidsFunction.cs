using DuckDB.NET.Data.DataChunk.Reader;
using DuckDB.NET.Data.DataChunk.Writer;

namespace SqlMl.Data.Internal.Functions;

/// <summary>
/// <c>sqlml_kmeans_nearest(d1, …, dK) → BIGINT</c> (DOUBLE varargs, K ≤ 100): the 0-based indices of the min(K, 5)
/// smallest distances, ordered by (distance, index) — the order of sorting (distance, centroid) pairs, so ties list
/// the lower centroid first — packed 7 bits each, the nearest in the lowest bits. The compiled KMEANS ML.PREDICT
/// unpacks it with plain SQL into nearest_centroids_distance; DuckDB's per-row list sort cost 5–10 µs a row at K = 64.
/// </summary>
internal static class NearestCentroidsFunction
{
    /// <summary>The SQL name.</summary>
    public const string Name = "sqlml_kmeans_nearest";

    /// <summary>How many nearest centroids are packed (ML.PREDICT's nearest_centroids_distance length).</summary>
    public const int Count = 5;

    /// <summary>Bits per packed index (K ≤ 100 &lt; 128).</summary>
    public const int Bits = 7;

    /// <summary>
    /// One vector: a partial insertion sort keeps the Count best indices per row. A row with a NULL distance gives NULL;
    /// NaN sorts after every number, as in DuckDB's ORDER BY.
    /// </summary>
    public static void Nearest(IReadOnlyList<IDuckDBDataReader> readers, IDuckDBDataWriter writer, ulong rows)
    {
        int k = readers.Count, take = Math.Min(k, Count);
        if (k > 1 << Bits) throw new ArgumentException($"{Name} takes at most {1 << Bits} distances, not {k}.");
        Span<double> distance = stackalloc double[k];
        Span<int> top = stackalloc int[Count];
        for (ulong i = 0; i < rows; i++)
        {
            bool isNull = false;
            for (int c = 0; c < k && !isNull; c++)
            {
                if (readers[c].IsValid(i)) distance[c] = readers[c].GetValue<double>(i);
                else isNull = true;
            }
            if (isNull)
            {
                writer.WriteNull(i);
                continue;
            }
            int have = 0;
            for (int c = 0; c < k; c++)
            {
                double v = distance[c];
                if (have == take && !Less(v, distance[top[have - 1]])) continue; // equal keeps the lower index
                int at = have < take ? have++ : have - 1;
                while (at > 0 && Less(v, distance[top[at - 1]]))
                {
                    top[at] = top[at - 1];
                    at--;
                }
                top[at] = c;
            }
            long packed = 0;
            for (int j = take - 1; j >= 0; j--) packed = (packed << Bits) | (long)top[j];
            writer.WriteValue(packed, i);
        }
    }

    /// <summary>a &lt; b, with NaN after every number (and equal to itself).</summary>
    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));
}
