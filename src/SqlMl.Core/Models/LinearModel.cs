namespace SqlMl.Models;

/// <summary>
/// A numeric feature of a linear model. The feature value is (x̃ − Center) / Scale, where x̃ is x with NULL
/// replaced by <see cref="Mean"/>; <see cref="Weight"/> applies to that standardized value.
/// </summary>
internal sealed record NumericFeature(string Name, double Mean, double Scale, double Center, double Weight)
{
    /// <summary>Weight on the raw value x̃.</summary>
    public double RawWeight => Weight / Scale;
}

/// <summary>A one-hot encoded feature: one weight per training category; NULL is a category (null entry).</summary>
internal sealed record CategoricalFeature(string Name, IReadOnlyList<string?> Categories, IReadOnlyList<double> Weights)
{
    public double WeightOf(string? category)
    {
        for (int i = 0; i < Categories.Count; i++)
            if (Categories[i] == category) return Weights[i];
        return 0; // unseen at training: contributes nothing
    }
}

/// <summary>
/// An immutable linear regression model: prediction = intercept + Σ numeric weights · standardized values
/// + Σ one-hot weights. <see cref="FeatureOrder"/> keeps the training query's column order.
/// </summary>
internal sealed record LinearModel(
    string Label,
    bool FitIntercept,
    double Intercept,
    IReadOnlyList<NumericFeature> Numeric,
    IReadOnlyList<CategoricalFeature> Categorical,
    IReadOnlyList<string> FeatureOrder)
{
    /// <summary>Standard errors and p-values (calculate_p_values), or null.</summary>
    public CoefficientStats? Stats { get; init; }

    /// <summary>
    /// How the features derived by automatic preprocessing (TIMESTAMP components, STRUCT fields, multi-hot arrays) are
    /// computed from input rows; null when every feature is a plain column. Not part of the payload: it is recomputed
    /// from the catalog's feature columns when the model is used.
    /// </summary>
    public Features.InputExpansion? Inputs { get; init; }

    /// <summary>Global feature attributions in <see cref="FeatureOrder"/> (enable_global_explain), or null.</summary>
    public IReadOnlyList<KeyValuePair<string, double>>? GlobalAttributions { get; init; }

    /// <summary>The intercept in raw feature units: Intercept − Σ RawWeight · Center.</summary>
    public double RawIntercept => Intercept - Numeric.Sum(f => f.RawWeight * f.Center);

    /// <summary>
    /// Body layout (version 1): label string, fit_intercept bool, intercept double; feature_order int32 n, n × string;
    /// numeric int32 n, n × (name string, mean double, scale double, center double, weight double);
    /// categorical int32 n, n × (name string, int32 k, k × (is_null bool, [category string], weight double));
    /// then a tail (absent in payloads written before it existed): byte flags (1 = stats, 2 = global attributions),
    /// stats as four double lists (int32 n, n × double), attributions as int32 n, n × (name string, value double).
    /// </summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(Label);
        w.Write(FitIntercept);
        w.Write(Intercept);
        w.WriteStrings(FeatureOrder);
        w.Write(Numeric.Count);
        foreach (var f in Numeric)
        {
            w.Write(f.Name); w.Write(f.Mean); w.Write(f.Scale); w.Write(f.Center); w.Write(f.Weight);
        }
        w.Write(Categorical.Count);
        foreach (var f in Categorical)
        {
            w.Write(f.Name);
            w.Write(f.Categories.Count);
            for (int i = 0; i < f.Categories.Count; i++)
            {
                w.WriteNullable(f.Categories[i]);
                w.Write(f.Weights[i]);
            }
        }
        w.Write((byte)((Stats is null ? 0 : 1) | (GlobalAttributions is null ? 0 : 2)));
        if (Stats is { } st)
            foreach (var list in new[] { st.StandardErrors, st.PValues, st.RawStandardErrors, st.RawPValues })
            {
                w.Write(list.Count);
                foreach (double v in list) w.Write(v);
            }
        if (GlobalAttributions is { } ga)
        {
            w.Write(ga.Count);
            foreach (var kv in ga)
            {
                w.Write(kv.Key); w.Write(kv.Value);
            }
        }
    }

    public static LinearModel ReadFrom(BinaryReader r)
    {
        string label = r.ReadString();
        bool fit = r.ReadBoolean();
        double intercept = r.ReadDouble();
        var order = r.ReadStrings();
        var numeric = Enumerable.Range(0, r.ReadInt32())
            .Select(_ => new NumericFeature(r.ReadString(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble())).ToList();
        var categorical = new List<CategoricalFeature>();
        int nc = r.ReadInt32();
        for (int c = 0; c < nc; c++)
        {
            string name = r.ReadString();
            int k = r.ReadInt32();
            var cats = new List<string?>(k);
            var weights = new List<double>(k);
            for (int i = 0; i < k; i++)
            {
                cats.Add(r.ReadNullable());
                weights.Add(r.ReadDouble());
            }
            categorical.Add(new CategoricalFeature(name, cats, weights));
        }
        var model = new LinearModel(label, fit, intercept, numeric, categorical, order);
        if (r.BaseStream.Position >= r.BaseStream.Length) return model;
        byte flags = r.ReadByte();
        if ((flags & 1) != 0)
        {
            var lists = Enumerable.Range(0, 4).Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadDouble()).ToList()).ToList();
            model = model with { Stats = new CoefficientStats(lists[0], lists[1], lists[2], lists[3]) };
        }
        if ((flags & 2) != 0)
            model = model with { GlobalAttributions = Enumerable.Range(0, r.ReadInt32()).Select(_ => new KeyValuePair<string, double>(r.ReadString(), r.ReadDouble())).ToList() };
        return model;
    }

    /// <summary>
    /// Coefficients in the order <see cref="CoefficientStats"/> uses: the intercept (when fitted), numeric features,
    /// then each categorical feature's levels. Standardized (the fitted scale) or raw (input units).
    /// </summary>
    public IReadOnlyList<double> Coefficients(bool standardized) =>
    [
        .. FitIntercept ? [standardized ? Intercept : RawIntercept] : Array.Empty<double>(),
        .. Numeric.Select(f => standardized ? f.Weight : f.RawWeight),
        .. Categorical.SelectMany(c => c.Weights),
    ];

    /// <summary>Reference prediction for one row (NULL as null), the plain form of the SQL the planner compiles.</summary>
    public double Predict(IReadOnlyList<double?> numeric, IReadOnlyList<string?> categorical)
    {
        double sum = Intercept;
        for (int j = 0; j < Numeric.Count; j++)
        {
            var f = Numeric[j];
            sum += f.Weight * ((numeric[j] ?? f.Mean) - f.Center) / f.Scale;
        }
        for (int c = 0; c < Categorical.Count; c++) sum += Categorical[c].WeightOf(categorical[c]);
        return sum;
    }
}

/// <summary>
/// Standard errors and two-sided p-values of a GLM's coefficients (ML.ADVANCED_WEIGHTS), in the order of
/// <see cref="LinearModel.Coefficients"/>: for the standardized coefficients and for the raw (input-unit) ones.
/// Only the intercept's values differ between the two (centring moves it); a coefficient fixed at 0 (a dropped dummy
/// level, an aliased column) has NaN.
/// </summary>
internal sealed record CoefficientStats(
    IReadOnlyList<double> StandardErrors,
    IReadOnlyList<double> PValues,
    IReadOnlyList<double> RawStandardErrors,
    IReadOnlyList<double> RawPValues);
