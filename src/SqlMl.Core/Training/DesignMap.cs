using SqlMl.Models;

namespace SqlMl.Training;

/// <summary>
/// The linear map T from the augmented row (see <see cref="MomentAccumulator"/>) to the model's features:
/// intercept, standardized numeric features (NULL imputed with the training mean) and one-hot categories seen
/// in training. Each feature is a short list of (coordinate, coefficient) terms, so XᵀX = T M Tᵀ and
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

    public static DesignMap Build(MomentAccumulator acc, double[,] m, TrainingSchema schema,
        IReadOnlyList<CategoryDictionary> dictionaries, bool fitIntercept, string modelName)
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
            double scale = sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? sd : 1;
            double center = fitIntercept ? mean : 0;
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
            c.Name, c.Levels.Select(l => l.Category).ToList(), c.Levels.Select(l => w[l.Feature]).ToList())).ToList();
        return new LinearModel(label, _fitIntercept, _fitIntercept ? w[0] : 0, numeric, categorical, _order);
    }
}
