namespace SqlMl.Training;

/// <summary>
/// A sparse ratings matrix in compressed-row form: row r's entries are <see cref="Indices"/> and
/// <see cref="Values"/> in [Offsets[r], Offsets[r+1]). Built by counting sort, so construction is O(nnz); after
/// <see cref="Build"/> the columns of each row are in ascending order (duplicates kept, in input order).
/// </summary>
internal sealed class RatingMatrix
{
    private RatingMatrix(int rows, int columns, int[] offsets, int[] indices, double[] values)
    {
        Rows = rows;
        Columns = columns;
        Offsets = offsets;
        Indices = indices;
        Values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    public int[] Offsets { get; }

    public int[] Indices { get; }

    public double[] Values { get; }

    public int Count => Indices.Length;

    public int Length(int row) => Offsets[row + 1] - Offsets[row];

    public int MaxRowLength
    {
        get
        {
            int max = 0;
            for (int r = 0; r < Rows; r++) max = Math.Max(max, Length(r));
            return max;
        }
    }

    /// <summary>Rows from (row, column, value) triples; columns ascending within each row.</summary>
    public static RatingMatrix Build(int rows, int columns, ReadOnlySpan<int> row, ReadOnlySpan<int> column, ReadOnlySpan<double> value)
    {
        // Sorting by column first and then (stably) by row leaves each row's columns in ascending order.
        var byColumn = Scatter(columns, rows, column, row, value);
        return byColumn.Transpose();
    }

    /// <summary>The same matrix with rows and columns swapped (rows of the result are ascending within each row).</summary>
    public RatingMatrix Transpose()
    {
        var rowOf = new int[Count];
        for (int r = 0; r < Rows; r++)
            for (int e = Offsets[r]; e < Offsets[r + 1]; e++) rowOf[e] = r;
        return Scatter(Columns, Rows, Indices, rowOf, Values);
    }

    /// <summary>Duplicate (row, column) entries merged into one whose value is their sum (rows must be sorted).</summary>
    public RatingMatrix SumDuplicates()
    {
        var offsets = new int[Rows + 1];
        var indices = new List<int>(Count);
        var values = new List<double>(Count);
        for (int r = 0; r < Rows; r++)
        {
            int start = indices.Count;
            for (int e = Offsets[r]; e < Offsets[r + 1]; e++)
            {
                if (indices.Count > start && indices[^1] == Indices[e]) values[^1] += Values[e];
                else
                {
                    indices.Add(Indices[e]);
                    values.Add(Values[e]);
                }
            }
            offsets[r + 1] = indices.Count;
        }
        return new RatingMatrix(Rows, Columns, offsets, [.. indices], [.. values]);
    }

    private static RatingMatrix Scatter(int rows, int columns, ReadOnlySpan<int> row, ReadOnlySpan<int> column, ReadOnlySpan<double> value)
    {
        var offsets = new int[rows + 1];
        foreach (int r in row) offsets[r + 1]++;
        for (int r = 0; r < rows; r++) offsets[r + 1] += offsets[r];
        var next = offsets[..^1];
        var indices = new int[row.Length];
        var values = new double[row.Length];
        for (int e = 0; e < row.Length; e++)
        {
            int at = next[row[e]]++;
            indices[at] = column[e];
            values[at] = value[e];
        }
        return new RatingMatrix(rows, columns, offsets, indices, values);
    }
}
