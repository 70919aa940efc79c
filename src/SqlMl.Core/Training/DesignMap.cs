using SqlMl.Models;

namespace SqlMl.Training;

/// <summary>
/// The linear map T from the augmented row (see <see cref="MomentAccumulator"/>) to the model's features:
/// intercept, standardized numeric features (NULL imputed with the training mean) and one-hot categories seen
/// in training (with DUMMY_ENCODING the first level of each categorical column has no feature: its weight is 0).
/// Each feature is a short list of (coordinate, coefficient) terms, so XᵀX = T M Tᵀ and
/// Xᵀy = T M τ come straight from the moment matrix M.
/// </summary>
internal sealed class DesignMap
{
    private readonly int _dense;
    private readonly List<(int Index, double Coef)[]> _terms = [];
    private readonly double _labelPivot;
    private readonly List<NumericFeature> _numeric = [];
    private readonly List<(string Name, List<(string? Category, int Feature)> Levels)> _categorical = [];
    private readonly IReadOnlyList<string> _order;
    private readonly bool _fitIntercept;

    private DesignMap(int dense, double labelPivot, bool fitIntercept, IReadOnlyList<string> order)
    {
        _dense = dense;
        _labelPivot = labelPivot;
        _fitIntercept = fitIntercept;
        _order = order;
    }

    public IReadOnlyList<(int Index, double Coef)[]> Features => _terms;

    public bool IsIntercept(int feature) => _fitIntercept && feature == 0;

    /// <summary>Features after one-hot encoding, the intercept not counted (BigQuery's "cardinality" in AUTO_STRATEGY).</summary>
    public int Cardinality => _numeric.Count + _categorical.Sum(c => c.Levels.Count);

    public static DesignMap Build(MomentAccumulator acc, double[,] m, TrainingSchema schema,
        IReadOnlyList<CategoryDictionary> dictionaries, bool fitIntercept, bool dummy, string modelName)
    {
        int d = acc.DenseWidth;
        var order = schema.FeatureOrder;
        var map = new DesignMap(d, acc.LabelPivot, fitIntercept, order);
        double n = m[0, 0];
        if (fitIntercept) map._terms.Add([(0, 1.0)]);
        for (int j = 0; j < schema.Numeric.Count; j++)
        {
            int nullIdx = acc.NullIndicatorIndex(j);
            double nulls = nullIdx >= 0 ? m[d + nullIdx, d + nullIdx] : 0;
            double count = n - nulls;
            if (count < 0.5)
                throw Errors.Training($"CREATE MODEL {modelName}: feature column '{schema.Numeric[j]}' is NULL in every training row.");
            double pivot = acc.Pivots[j];
            double shift = m[0, 1 + j] / count;
            double mean = pivot + shift;
            double ss = m[1 + j, 1 + j] - count * shift * shift;
            double sd = count > 1 ? Math.Sqrt(Math.Max(0, ss) / (count - 1)) : 0;
            bool unscaled = schema.IsUnscaled(schema.Numeric[j]); // a multi-hot indicator: a raw 0/1 coordinate, like one-hot
            double scale = !unscaled && sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? sd : 1;
            double center = fitIntercept && !unscaled ? mean : 0;
            var terms = new List<(int, double)> { (0, (pivot - center) / scale), (1 + j, 1 / scale) };
            if (nullIdx >= 0) terms.Add((d + nullIdx, shift / scale));
            map._terms.Add(terms.ToArray());
            map._numeric.Add(new NumericFeature(schema.Numeric[j], mean, scale, center, 0));
        }
        for (int c = 0; c < schema.Categorical.Count; c++)
        {
            var levels = new List<(string? Category, int Feature)>();
            var values = dictionaries[c].Values;
            var candidates = Enumerable.Range(-1, values.Count + 1)
                .Select(code => (Code: code, Category: code < 0 ? null : values[code]))
                .OrderBy(x => x.Category is null).ThenBy(x => x.Category, StringComparer.Ordinal);
            foreach (var (code, category) in candidates)
            {
                int idx = acc.CategorySparseIndex(c, code);
                if (idx < 0 || m[d + idx, d + idx] < 0.5) continue;
                if (dummy && levels.Count == 0)
                {
                    levels.Add((category, -1));
                    continue;
                }
                levels.Add((category, map._terms.Count));
                map._terms.Add([(d + idx, 1.0)]);
            }
            map._categorical.Add((schema.Categorical[c], levels));
        }
        return map;
    }

    /// <summary>XᵀX and Xᵀy of the features.</summary>
    public (double[,] G, double[] B) NormalEquations(double[,] m)
    {
        int f = _terms.Count;
        var g = new double[f, f];
        var b = new double[f];
        var tau = Target(m.GetLength(0));
        var mt = new double[f][];
        for (int a = 0; a < f; a++)
        {
            // row a of T·M, as a dense vector over coordinates
            var row = new double[m.GetLength(0)];
            foreach (var (i, coef) in _terms[a])
                for (int k = 0; k < row.Length; k++) row[k] += coef * m[i, k];
            mt[a] = row;
            b[a] = tau[0] * row[0] + row[_dense - 1];
        }
        for (int a = 0; a < f; a++)
            for (int bb = a; bb < f; bb++)
            {
                double s = 0;
                foreach (var (i, coef) in _terms[bb]) s += coef * mt[a][i];
                g[a, bb] = g[bb, a] = s;
            }
        return (g, b);
    }

    /// <summary>τ: the label as a linear function of the augmented row (ỹ + pivot).</summary>
    public double[] Target(int size)
    {
        var tau = new double[size];
        tau[0] = _labelPivot;
        tau[_dense - 1] = 1;
        return tau;
    }

    /// <summary>q = Tᵀw: prediction as a linear function of the augmented row.</summary>
    public double[] PredictionVector(double[] w, int size)
    {
        var q = new double[size];
        for (int a = 0; a < _terms.Count; a++)
            foreach (var (i, coef) in _terms[a]) q[i] += w[a] * coef;
        return q;
    }

    public LinearModel ToModel(double[] w, string label)
    {
        int offset = _fitIntercept ? 1 : 0;
        var numeric = _numeric.Select((f, j) => f with { Weight = w[offset + j] }).ToList();
        var categorical = _categorical.Select(c => new CategoricalFeature(
            c.Name, c.Levels.Select(l => l.Category).ToList(), c.Levels.Select(l => l.Feature < 0 ? 0 : w[l.Feature]).ToList())).ToList();
        return new LinearModel(label, _fitIntercept, _fitIntercept ? w[0] : 0, numeric, categorical, _order);
    }

    /// <summary>
    /// The design feature of each coefficient in <see cref="LinearModel.Coefficients"/> order (intercept, numeric,
    /// categorical levels); -1 for a dropped DUMMY_ENCODING level.
    /// </summary>
    public IReadOnlyList<int> CoefficientFeatures() =>
    [
        .. _fitIntercept ? [0] : Array.Empty<int>(),
        .. _numeric.Select((_, j) => (_fitIntercept ? 1 : 0) + j),
        .. _categorical.SelectMany(c => c.Levels.Select(l => l.Feature)),
    ];

    /// <summary>Numeric feature j's standardization (scale, center).</summary>
    public (double Scale, double Center) Standardization(int j) => (_numeric[j].Scale, _numeric[j].Center);

    /// <summary>
    /// warm_start: the weights in this design that give the same predictions as <paramref name="previous"/>, as far as
    /// the designs share features (a numeric feature keeps its raw weight; a category level keeps its weight, relative to
    /// the dropped level under DUMMY_ENCODING; anything the previous model lacks starts at 0).
    /// </summary>
    public double[] StartFrom(LinearModel previous)
    {
        var w = new double[_terms.Count];
        int offset = _fitIntercept ? 1 : 0;
        double intercept = previous.RawIntercept;
        for (int j = 0; j < _numeric.Count; j++)
        {
            if (previous.Numeric.FirstOrDefault(f => f.Name == _numeric[j].Name) is not { } old) continue;
            w[offset + j] = old.RawWeight * _numeric[j].Scale;
            intercept += old.RawWeight * _numeric[j].Center;
        }
        foreach (var (name, levels) in _categorical)
        {
            if (previous.Categorical.FirstOrDefault(f => f.Name == name) is not { } old) continue;
            double baseline = levels.Count > 0 && levels[0].Feature < 0 ? old.WeightOf(levels[0].Category) : 0;
            intercept += baseline;
            foreach (var (category, feature) in levels)
                if (feature >= 0) w[feature] = old.WeightOf(category) - baseline;
        }
        if (_fitIntercept) w[0] = intercept;
        return w;
    }
}
