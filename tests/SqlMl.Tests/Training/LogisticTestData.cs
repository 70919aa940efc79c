using System.Globalization;
using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>LOGISTIC_REG rows in memory, served as <see cref="ITrainingData"/> (label = class index, optional split hash or flag).</summary>
internal sealed class LogisticTestData(string[] numericNames, double?[][] numeric, string[] categoricalNames, string?[][] categorical, int[] label) : ITrainingData
{
    private readonly CategoryDictionary[] _dictionaries = categoricalNames.Select(_ => new CategoryDictionary()).ToArray();

    public double?[][] NumericColumns => numeric;

    public string?[][] CategoricalColumns => categorical;

    public int[] Labels => label;

    public int Rows => label.Length;

    public bool[]? IsEval { get; init; }

    public ulong[]? Hash { get; init; }

    /// <summary>A row whose label is served as NULL.</summary>
    public int? NullLabelRow { get; init; }

    public TrainingSchema Schema { get; } = new(numericNames, categoricalNames, "y");

    public IReadOnlyList<CategoryDictionary> Dictionaries => _dictionaries;

    public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
    {
        const int size = 128;
        var batch = new ColumnBatch(numeric.Length, categorical.Length, size);
        for (int start = 0; start < Rows; start += size)
        {
            batch.Count = Math.Min(size, Rows - start);
            for (int j = 0; j < numeric.Length; j++)
            {
                var mask = new ulong[size / 64];
                for (int r = 0; r < batch.Count; r++)
                {
                    var v = numeric[j][start + r];
                    batch.Numeric[j][r] = v ?? 0;
                    if (v.HasValue) mask[r >> 6] |= 1UL << (r & 63);
                }
                batch.NumericValidity[j] = mask;
            }
            for (int c = 0; c < categorical.Length; c++)
                for (int r = 0; r < batch.Count; r++)
                    batch.Categorical[c][r] = categorical[c][start + r] is { } s ? _dictionaries[c].GetOrAdd(s) : -1;
            for (int r = 0; r < batch.Count; r++) batch.Label[r] = label[start + r];
            batch.LabelValidity = null;
            if (NullLabelRow is { } nr && nr >= start && nr < start + batch.Count)
            {
                var mask = Enumerable.Repeat(ulong.MaxValue, size / 64).ToArray();
                mask[(nr - start) >> 6] &= ~(1UL << ((nr - start) & 63));
                batch.LabelValidity = mask;
            }
            if (IsEval is not null) batch.IsEval = IsEval.Skip(start).Take(batch.Count).Concat(new bool[size]).ToArray();
            if (Hash is not null) batch.Hash = Hash.Skip(start).Take(batch.Count).Concat(new ulong[size]).ToArray();
            yield return batch;
        }
    }

    /// <summary>Rows from a CSV with a header (numeric columns by name, label column by name, classes in ordinal text order).</summary>
    public static (LogisticTestData Data, string[] Classes) FromCsv(string path, string[] features, string labelColumn)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        int li = Array.IndexOf(header, labelColumn);
        var classes = rows.Select(r => r[li]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var numeric = features.Select(f => rows.Select(r => (double?)double.Parse(r[Array.IndexOf(header, f)], CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var labels = rows.Select(r => Array.IndexOf(classes, r[li])).ToArray();
        return (new LogisticTestData(features, numeric, [], [], labels), classes);
    }

    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);
}
