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
    /// <summary>The intercept in raw feature units: Intercept − Σ RawWeight · Center.</summary>
    public double RawIntercept => Intercept - Numeric.Sum(f => f.RawWeight * f.Center);

    /// <summary>
    /// Body layout (version 1): label string, fit_intercept bool, intercept double; feature_order int32 n, n × string;
    /// numeric int32 n, n × (name string, mean double, scale double, center double, weight double);
    /// categorical int32 n, n × (name string, int32 k, k × (is_null bool, [category string], weight double)).
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
        return new LinearModel(label, fit, intercept, numeric, categorical, order);
    }

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
