using SqlMl.Models;
using SqlMl.Options;

namespace SqlMl.Training.Logistic;

/// <summary>A categorical feature's levels (ordinal order, NULL last) and the design column of each (−1: the level dropped by DUMMY_ENCODING).</summary>
internal sealed record CategoricalLayout(string Name, IReadOnlyList<string?> Levels, IReadOnlyList<int> Columns);

/// <summary>
/// The encoded design of a LOGISTIC_REG model: optional intercept column 0, one column per numeric feature
/// ((x̃ − Center) / Scale, NULL → Mean), then one column per categorical level seen in the training rows (one-hot,
/// or DUMMY_ENCODING without the first level).
/// </summary>
internal sealed class LogisticLayout
{
    private LogisticLayout(bool fitIntercept, IReadOnlyList<NumericFeature> numeric, IReadOnlyList<CategoricalLayout> categorical, int columns, IReadOnlyList<string> order)
    {
        FitIntercept = fitIntercept;
        Numeric = numeric;
        Categorical = categorical;
        Columns = columns;
        FeatureOrder = order;
    }

    public bool FitIntercept { get; }

    /// <summary>Standardization of the numeric features (Weight unused here).</summary>
    public IReadOnlyList<NumericFeature> Numeric { get; }

    public IReadOnlyList<CategoricalLayout> Categorical { get; }

    public int Columns { get; }

    public IReadOnlyList<string> FeatureOrder { get; }

    public int NumericColumn(int j) => (FitIntercept ? 1 : 0) + j;

    /// <summary>
    /// Standardization from the training rows (mean and sample standard deviation of the non-NULL values; a constant
    /// column keeps scale 1; Center 0 without an intercept), or, for warm_start, the given model's.
    /// </summary>
    public static LogisticLayout Build(LogisticRawData raw, TrainingSchema schema, IReadOnlyList<CategoryDictionary> dictionaries,
        bool fitIntercept, CategoryEncoding encoding, LinearModel? warm, string modelName)
    {
        var numeric = new List<NumericFeature>();
        var moments = warm is null ? Moments(raw, schema.Numeric.Count) : [];
        for (int j = 0; j < schema.Numeric.Count; j++)
        {
            if (warm is not null)
            {
                numeric.Add(warm.Numeric[j] with { Weight = 0 });
                continue;
            }
            var (mean, sd, count) = moments[j];
            if (count == 0)
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' is NULL in every training row.");
            bool unscaled = schema.IsUnscaled(schema.Numeric[j]); // a multi-hot indicator: a raw 0/1 coordinate, like one-hot
            double scale = !unscaled && sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? sd : 1;
            numeric.Add(new NumericFeature(schema.Numeric[j], mean, scale, fitIntercept && !unscaled ? mean : 0, 0));
        }
        int column = (fitIntercept ? 1 : 0) + numeric.Count;
        var categorical = new List<CategoricalLayout>();
        for (int c = 0; c < schema.Categorical.Count; c++)
        {
            var values = dictionaries[c].Values;
            var seen = new bool[values.Count + 1];
            var codes = raw.Codes[c];
            for (int r = 0; r < raw.Rows; r++)
                if (!raw.IsEval[r]) seen[codes[r] + 1] = true;
            var levels = Enumerable.Range(-1, values.Count + 1).Where(code => seen[code + 1])
                .Select(code => code < 0 ? null : values[code])
                .OrderBy(v => v is null).ThenBy(v => v, StringComparer.Ordinal).ToList();
            var columns = new List<int>();
            for (int i = 0; i < levels.Count; i++)
                columns.Add(encoding == CategoryEncoding.Dummy && i == 0 ? -1 : column++);
            categorical.Add(new CategoricalLayout(schema.Categorical[c], levels, columns));
        }
        return new LogisticLayout(fitIntercept, numeric, categorical, column, schema.FeatureOrder);
    }

    /// <summary>
    /// Mean, sample sd and count of each numeric column over the training rows, the columns side by side (at most
    /// <see cref="Environment.ProcessorCount"/> at a time); vectorized when every row is a training row.
    /// </summary>
    private static (double Mean, double StdDev, long Count)[] Moments(LogisticRawData raw, int columns)
    {
        var result = new (double, double, long)[columns];
        bool anyEval = raw.IsEval.AsSpan().Contains(true);
        Parallel.For(0, columns, CoreParallelism.Options(), j =>
        {
            var values = raw.Numeric[j].AsSpan(0, raw.Rows);
            result[j] = anyEval ? ColumnMoments.Of(values, raw.IsEval) : ColumnMoments.Of(values);
        });
        return result;
    }

    /// <summary>For each categorical feature, the design column of each dictionary code (index code + 1; −1 none).</summary>
    public int[][] CodeColumns(IReadOnlyList<CategoryDictionary> dictionaries)
    {
        var result = new int[Categorical.Count][];
        for (int c = 0; c < Categorical.Count; c++)
        {
            var values = dictionaries[c].Values;
            var map = new int[values.Count + 1];
            for (int code = -1; code < values.Count; code++)
            {
                string? v = code < 0 ? null : values[code];
                int level = -1;
                for (int i = 0; i < Categorical[c].Levels.Count; i++)
                    if (Categorical[c].Levels[i] == v) level = i;
                map[code + 1] = level < 0 ? -1 : Categorical[c].Columns[level];
            }
            result[c] = map;
        }
        return result;
    }

    /// <summary>The linear model of one score from its coefficients (length <see cref="Columns"/>).</summary>
    public LinearModel ToModel(ReadOnlySpan<double> w, string label)
    {
        var numeric = new List<NumericFeature>();
        for (int j = 0; j < Numeric.Count; j++) numeric.Add(Numeric[j] with { Weight = w[NumericColumn(j)] });
        var categorical = new List<CategoricalFeature>();
        foreach (var c in Categorical)
        {
            var weights = new double[c.Levels.Count];
            for (int i = 0; i < weights.Length; i++) weights[i] = c.Columns[i] < 0 ? 0 : w[c.Columns[i]];
            categorical.Add(new CategoricalFeature(c.Name, c.Levels, weights));
        }
        return new LinearModel(label, FitIntercept, FitIntercept ? w[0] : 0, numeric, categorical, FeatureOrder);
    }

    /// <summary>A score's coefficients in design order; levels absent from <paramref name="model"/> start at 0.</summary>
    public double[] FromModel(LinearModel model)
    {
        var w = new double[Columns];
        if (FitIntercept) w[0] = model.Intercept;
        for (int j = 0; j < Numeric.Count; j++) w[NumericColumn(j)] = model.Numeric[j].Weight;
        for (int c = 0; c < Categorical.Count; c++)
            for (int i = 0; i < Categorical[c].Levels.Count; i++)
                if (Categorical[c].Columns[i] >= 0) w[Categorical[c].Columns[i]] = model.Categorical[c].WeightOf(Categorical[c].Levels[i]);
        return w;
    }
}
