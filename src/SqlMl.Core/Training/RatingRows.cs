namespace SqlMl.Training;

/// <summary>
/// The rows of a matrix factorization training query, copied out of the batch stream: user and item as codes of
/// the data's two category dictionaries (schema: categorical [user, item], label = rating), the rating, and the
/// per-row split hash or flag when the query has one. NULL ids or ratings and non-finite ratings are errors that
/// name the column.
/// </summary>
internal sealed class RatingRows
{
    private int[] _user = new int[1024];
    private int[] _item = new int[1024];
    private double[] _rating = new double[1024];
    private ulong[]? _hash;
    private bool[]? _flag;

    public int Count { get; private set; }

    public ReadOnlySpan<int> User => _user.AsSpan(0, Count);

    public ReadOnlySpan<int> Item => _item.AsSpan(0, Count);

    public ReadOnlySpan<double> Rating => _rating.AsSpan(0, Count);

    public ReadOnlySpan<ulong> Hash => _hash.AsSpan(0, _hash is null ? 0 : Count);

    public ReadOnlySpan<bool> Flag => _flag.AsSpan(0, _flag is null ? 0 : Count);

    public bool HasHash => _hash is not null;

    public bool HasFlag => _flag is not null;

    /// <summary>The distinct user ids as text, indexed by the codes in <see cref="User"/>.</summary>
    public IReadOnlyList<string> UserIds { get; private set; } = [];

    public IReadOnlyList<string> ItemIds { get; private set; } = [];

    public static RatingRows Read(ITrainingData data, string modelName, CancellationToken cancellationToken)
    {
        var schema = data.Schema;
        if (schema.Categorical.Count != 2 || schema.Label is null)
            throw new ArgumentException("matrix factorization reads categorical [user, item] and a rating label", nameof(data));
        var rows = new RatingRows();
        foreach (var batch in data.ReadBatches(cancellationToken))
            rows.Append(batch, schema, modelName);
        rows.UserIds = data.Dictionaries[0].Values;
        rows.ItemIds = data.Dictionaries[1].Values;
        return rows;
    }

    private void Append(ColumnBatch batch, TrainingSchema schema, string modelName)
    {
        int n = batch.Count;
        Reserve(Count + n, batch);
        var users = batch.Categorical[0];
        var items = batch.Categorical[1];
        for (int r = 0; r < n; r++)
        {
            if (users[r] < 0) throw NullIn(modelName, "user_col", schema.Categorical[0]);
            if (items[r] < 0) throw NullIn(modelName, "item_col", schema.Categorical[1]);
            if (!ColumnBatch.IsValid(batch.LabelValidity, r)) throw NullIn(modelName, "rating_col", schema.Label!);
            double rating = batch.Label[r];
            if (!double.IsFinite(rating))
                throw Errors.Training($"CREATE MODEL {modelName}: rating_col '{schema.Label}' contains NaN or Infinity; ratings must be finite numbers.");
            _user[Count + r] = users[r];
            _item[Count + r] = items[r];
            _rating[Count + r] = rating;
        }
        if (_hash is not null) batch.Hash.AsSpan(0, n).CopyTo(_hash.AsSpan(Count));
        if (_flag is not null) batch.IsEval.AsSpan(0, n).CopyTo(_flag.AsSpan(Count));
        Count += n;
    }

    private void Reserve(int size, ColumnBatch batch)
    {
        if (Count == 0)
        {
            if (batch.Hash is not null) _hash = new ulong[_user.Length];
            if (batch.IsEval is not null) _flag = new bool[_user.Length];
        }
        if (size <= _user.Length) return;
        int capacity = Math.Max(size, _user.Length * 2);
        Array.Resize(ref _user, capacity);
        Array.Resize(ref _item, capacity);
        Array.Resize(ref _rating, capacity);
        if (_hash is not null) Array.Resize(ref _hash, capacity);
        if (_flag is not null) Array.Resize(ref _flag, capacity);
    }

    private static SqlMlException NullIn(string modelName, string option, string column) =>
        Errors.Training($"CREATE MODEL {modelName}: {option} '{column}' is NULL in some rows. Filter them out, e.g. WHERE {SqlMl.Parsing.SqlText.Identifier(column)} IS NOT NULL.");
}
