using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SqlMl.Options;

namespace SqlMl.Training;

/// <summary>
/// Centroids laid out for <see cref="DistanceKernel"/>: the count padded to a multiple of 8 (padding centroids have
/// ‖c‖² = +∞, so they never win), numeric coordinates feature-major (<c>Numeric[j·Padded + k]</c>), one-hot coordinates
/// index-major (<c>OneHot[i·Padded + k]</c>), and ‖c‖². For COSINE the centroids are scaled to unit length (a zero
/// centroid stays zero with ‖c‖² taken as 1, so its cosine distance to every row is 1).
/// </summary>
internal sealed unsafe class PackedCentroids
{
    public PackedCentroids(int count, int numeric, int oneHotWidth)
    {
        Count = count;
        Padded = (count + 7) / 8 * 8;
        NumericCount = numeric;
        OneHotWidth = oneHotWidth;
        Numeric = GC.AllocateArray<double>(Math.Max(1, numeric * Padded), pinned: true);
        OneHot = new double[oneHotWidth * Padded];
        Norm2 = GC.AllocateArray<double>(Padded, pinned: true);
    }

    public int Count { get; }

    public int Padded { get; }

    public int NumericCount { get; }

    public int OneHotWidth { get; }

    public double[] Numeric { get; }

    public double[] OneHot { get; }

    public double[] Norm2 { get; }

    public double* NumericPointer => (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Numeric));

    public double* Norm2Pointer => (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Norm2));

    /// <summary>Packs <paramref name="count"/> centroids given row by row (numeric + one-hot coordinates each).</summary>
    public static PackedCentroids Pack(ReadOnlySpan<double> centroids, int count, int numeric, int oneHotWidth, KMeansDistance distance)
    {
        var packed = new PackedCentroids(count, numeric, oneHotWidth);
        packed.Update(centroids, distance);
        return packed;
    }

    /// <summary>Replaces the centroids (same count and dimension).</summary>
    public void Update(ReadOnlySpan<double> centroids, KMeansDistance distance)
    {
        int d = NumericCount + OneHotWidth;
        Norm2.AsSpan().Fill(double.PositiveInfinity);
        for (int k = 0; k < Count; k++)
        {
            var c = centroids.Slice(k * d, d);
            double norm2 = 0;
            foreach (double v in c) norm2 += v * v;
            double scale = 1;
            if (distance == KMeansDistance.Cosine)
            {
                scale = norm2 > 0 ? 1 / Math.Sqrt(norm2) : 0;
                norm2 = 1;
            }
            for (int j = 0; j < NumericCount; j++) Numeric[j * Padded + k] = c[j] * scale;
            for (int i = 0; i < OneHotWidth; i++) OneHot[i * Padded + k] = c[NumericCount + i] * scale;
            Norm2[k] = norm2;
        }
    }
}
