using SqlMl.Options;
using System.Globalization;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>Seeded synthetic k-means data: columns in memory, loadable into DuckDB or usable as <see cref="ITrainingData"/>.</summary>
internal sealed class KMeansTestData
{
    public KMeansTestData(double?[][] numeric, string?[][] categorical, bool[]? init = null)
    {
        Numeric = numeric;
        Categorical = categorical;
        Init = init;
    }

    public double?[][] Numeric { get; }

    public string?[][] Categorical { get; }

    public bool[]? Init { get; }

    public int Rows => Numeric.Length > 0 ? Numeric[0].Length : Categorical[0].Length;

    /// <summary>
    /// Points around <paramref name="centers"/> (numeric, one per cluster) with Gaussian noise of <paramref name="spread"/>;
    /// optional NULLs (share <paramref name="nullRate"/>) and a categorical column correlated with the cluster.
    /// </summary>
    public static KMeansTestData Blobs(int rows, double[][] centers, double spread, int seed, double nullRate = 0, bool category = false, int initRows = 0)
    {
        var rnd = new Random(seed);
        int p = centers[0].Length;
        var numeric = Enumerable.Range(0, p).Select(_ => new double?[rows]).ToArray();
        var cat = new string?[rows];
        string[] colors = ["red", "green", "blue"];
        for (int r = 0; r < rows; r++)
        {
            int c = r % centers.Length;
            for (int j = 0; j < p; j++)
                numeric[j][r] = rnd.NextDouble() < nullRate ? null : centers[c][j] + spread * Gaussian(rnd);
            cat[r] = rnd.NextDouble() < 0.08 ? null : rnd.NextDouble() < 0.7 ? colors[c % 3] : colors[rnd.Next(3)];
        }
        var init = initRows > 0 ? Enumerable.Range(0, rows).Select(r => r < initRows).ToArray() : null;
        return new KMeansTestData(numeric, category ? [cat] : [], init);
    }

    public static double Gaussian(Random rnd) => Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());

    /// <summary>CREATE TABLE <paramref name="table"/> (x0 …, c0 …, init BOOLEAN, id BIGINT) with the rows.</summary>
    public void Load(TestDb db, string table = "t")
    {
        var cols = Numeric.Select((_, j) => $"x{j} DOUBLE").Concat(Categorical.Select((_, c) => $"c{c} VARCHAR")).Append("init BOOLEAN").Append("id BIGINT");
        db.Execute($"CREATE TABLE {table} ({string.Join(", ", cols)})");
        using var appender = db.Connection.Duck.CreateAppender(table);
        for (int r = 0; r < Rows; r++)
        {
            var row = appender.CreateRow();
            foreach (var col in Numeric)
            {
                if (col[r] is { } v) row.AppendValue(v);
                else row.AppendNullValue();
            }
            foreach (var col in Categorical) row.AppendValue(col[r]);
            row.AppendValue(Init?[r] ?? false).AppendValue((long)r).EndRow();
        }
    }

    /// <summary>The columns as SqlMl's trainer reads them (categorical codes in order of first appearance).</summary>
    public ITrainingData AsTrainingData() => new InMemory(this);

    /// <summary>Six overlapping centers in four dimensions (the Lloyd pass tests' blobs).</summary>
    public static readonly double[][] SixCenters =
    [
        [0, 0, 0, 1], [3, 1, -1, 0], [-1, 4, 2, 2], [2, -3, 5, -1], [6, 6, 0, 3], [-4, 2, -3, 1],
    ];

    /// <summary>The rows read and encoded for k-means (standardized), with or without the tiled copy.</summary>
    public KMeansData Build(KMeansDistance distance, bool tiles)
    {
        using var raw = KMeansRawData.Read(AsTrainingData(), "m", withFlags: false, CancellationToken.None);
        return KMeansData.Build(raw, KMeansEncoding.FromData(raw, distance, standardize: true), distance, tiles);
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private sealed class InMemory(KMeansTestData data) : ITrainingData
    {
        private readonly CategoryDictionary[] _dictionaries = data.Categorical.Select(_ => new CategoryDictionary()).ToArray();

        public TrainingSchema Schema { get; } = new(
            data.Numeric.Select((_, j) => "x" + j).ToList(), data.Categorical.Select((_, c) => "c" + c).ToList(), null);

        public IReadOnlyList<CategoryDictionary> Dictionaries => _dictionaries;

        public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
        {
            const int size = 100;
            var batch = new ColumnBatch(data.Numeric.Length, data.Categorical.Length, size);
            for (int start = 0; start < data.Rows; start += size)
            {
                batch.Count = Math.Min(size, data.Rows - start);
                for (int j = 0; j < data.Numeric.Length; j++)
                {
                    var mask = new ulong[(size + 63) / 64];
                    for (int r = 0; r < batch.Count; r++)
                    {
                        var v = data.Numeric[j][start + r];
                        batch.Numeric[j][r] = v ?? 0;
                        if (v.HasValue) mask[r >> 6] |= 1UL << (r & 63);
                    }
                    batch.NumericValidity[j] = mask;
                }
                for (int c = 0; c < data.Categorical.Length; c++)
                    for (int r = 0; r < batch.Count; r++)
                        batch.Categorical[c][r] = data.Categorical[c][start + r] is { } s ? _dictionaries[c].GetOrAdd(s) : -1;
                if (data.Init is not null) batch.IsEval = data.Init.Skip(start).Take(batch.Count).Concat(new bool[size]).ToArray();
                yield return batch;
            }
        }
    }
}
