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
