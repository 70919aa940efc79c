namespace SqlMl.Training;

/// <summary>
/// Where the per-row loops of k-means (moving a row between cluster sums, a row's exact distance) read numeric
/// coordinate j of row r: the column arrays, or the tiled copy (<see cref="KMeansData.Tiles"/>). Written once against
/// this interface, each loop is compiled for both layouts (the structs are generic arguments, so the reads inline).
/// </summary>
internal interface IRowCoordinates
{
    double At(int j, int r);
}

/// <summary>From the column arrays (<see cref="KMeansData.NumericPointers"/>).</summary>
internal readonly unsafe struct ColumnCoordinates(double** cols) : IRowCoordinates
{
    public double At(int j, int r) => cols[j][r];
}

/// <summary>From the tiled copy: row r's tile, then feature j's 16 values, then r's place among them.</summary>
internal readonly unsafe struct TileCoordinates(double* tiles, int stride) : IRowCoordinates
{
    public double At(int j, int r) =>
        tiles[(long)((uint)r / KMeansData.Tile) * stride + j * KMeansData.Tile + (int)((uint)r % KMeansData.Tile)];
}
