using SqlMl.Training;

namespace SqlMl.Tests.Training;

/// <summary>(user, item, rating) rows served as a matrix factorization trainer reads them: categorical [user, item], rating label, no split column.</summary>
internal sealed class InMemoryRatings : ITrainingData
{
    private readonly List<(string? User, string? Item, double? Rating)> _rows;
    private readonly CategoryDictionary[] _dictionaries = [new(), new()];

    public InMemoryRatings(IEnumerable<(string? User, string? Item, double? Rating)> rows) => _rows = rows.ToList();

    public static InMemoryRatings Of(IEnumerable<(int User, int Item, double Rating)> rows) =>
        new(rows.Select(r => ((string?)r.User.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)r.Item.ToString(System.Globalization.CultureInfo.InvariantCulture), (double?)r.Rating)));

    public TrainingSchema Schema { get; } = new([], ["user", "item"], "rating");

    public IReadOnlyList<CategoryDictionary> Dictionaries => _dictionaries;

    public static RatingIdTypes IntegerIds => new("INTEGER", true, "INTEGER", true);

    public IEnumerable<ColumnBatch> ReadBatches(CancellationToken cancellationToken)
    {
        const int capacity = 1000;
        var batch = new ColumnBatch(0, 2, capacity);
        var validity = new ulong[(capacity + 63) / 64];
        for (int start = 0; start < _rows.Count; start += capacity)
        {
            int n = Math.Min(capacity, _rows.Count - start);
            Array.Fill(validity, ulong.MaxValue);
            for (int r = 0; r < n; r++)
            {
                var (u, i, y) = _rows[start + r];
                batch.Categorical[0][r] = u is null ? -1 : _dictionaries[0].GetOrAdd(u);
                batch.Categorical[1][r] = i is null ? -1 : _dictionaries[1].GetOrAdd(i);
                batch.Label[r] = y ?? 0;
                if (y is null) validity[r >> 6] &= ~(1UL << (r & 63));
            }
            batch.Count = n;
            batch.LabelValidity = validity;
            yield return batch;
        }
    }
}
