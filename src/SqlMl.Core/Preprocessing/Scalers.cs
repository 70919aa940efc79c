namespace SqlMl.Preprocessing;

/// <summary>ML.STANDARD_SCALER(numerical_expression) OVER(): (x − mean) / sample standard deviation.</summary>
internal sealed class StandardScalerFunction() : PreprocessingFunction("STANDARD_SCALER", isAnalytic: true, minArguments: 1, maxArguments: 1,
    "(numerical_expression) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        string x = SqlFragments.AsDouble(args.NumericExpr(0, "numerical_expression"));
        string[] stats = [SqlFragments.Aggregate($"avg({x})"), SqlFragments.Aggregate($"stddev_samp({x})")];
        // A constant column (sd 0) or a single row (sd NULL) is only centred.
        return new CompiledCall(stats, s => args.Fragments.Let([x, s[0], s[1]], r =>
            $"CASE WHEN {r[2]} IS NULL OR {r[2]} = 0 THEN {r[0]} - {r[1]} ELSE ({r[0]} - {r[1]}) / {r[2]} END"));
    }
}

/// <summary>ML.MIN_MAX_SCALER(numerical_expression) OVER(): (x − min) / (max − min), clamped to [0, 1].</summary>
internal sealed class MinMaxScalerFunction() : PreprocessingFunction("MIN_MAX_SCALER", isAnalytic: true, minArguments: 1, maxArguments: 1,
    "(numerical_expression) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        string x = SqlFragments.AsDouble(args.NumericExpr(0, "numerical_expression"));
        string[] stats = [SqlFragments.Aggregate($"min({x})"), SqlFragments.Aggregate($"max({x})")];
        return new CompiledCall(stats, s => args.Fragments.Let([x, s[0], s[1]], r =>
            $"CASE WHEN {r[0]} IS NULL THEN NULL WHEN {r[2]} = {r[1]} THEN 0.0::DOUBLE " +
            $"ELSE greatest(0.0::DOUBLE, least(1.0::DOUBLE, ({r[0]} - {r[1]}) / ({r[2]} - {r[1]}))) END"));
    }
}

/// <summary>ML.MAX_ABS_SCALER(numerical_expression) OVER(): x / max |x|.</summary>
internal sealed class MaxAbsScalerFunction() : PreprocessingFunction("MAX_ABS_SCALER", isAnalytic: true, minArguments: 1, maxArguments: 1,
    "(numerical_expression) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        string x = SqlFragments.AsDouble(args.NumericExpr(0, "numerical_expression"));
        return new CompiledCall([SqlFragments.Aggregate($"max(abs({x}))")], s => args.Fragments.Let([x, s[0]], r =>
            $"CASE WHEN {r[1]} IS NULL OR {r[1]} = 0 THEN {r[0]} ELSE {r[0]} / {r[1]} END"));
    }
}

/// <summary>
/// ML.ROBUST_SCALER(numerical_expression [, quantile_range] [, with_median] [, with_quantile_range]) OVER():
/// (x − median) / (q_hi − q_lo), with the lower (discrete) quantiles.
/// </summary>
internal sealed class RobustScalerFunction() : PreprocessingFunction("ROBUST_SCALER", isAnalytic: true, minArguments: 1, maxArguments: 4,
    "(numerical_expression [, quantile_range] [, with_median] [, with_quantile_range]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        double lo = 25, hi = 75;
        if (args.Has(1))
        {
            var range = args.NumberArray(1, "quantile_range");
            if (range.Count != 2 || range.Any(v => v != Math.Floor(v)) || !(0 < range[0] && range[0] < range[1] && range[1] < 100))
                throw args.Error($"quantile_range must be two integers [lo, hi] with 0 < lo < hi < 100, got {args.Text(1)}.", 1);
            (lo, hi) = (range[0], range[1]);
        }
        bool withMedian = args.Bool(2, "with_median", true);
        bool withRange = args.Bool(3, "with_quantile_range", true);
        string x = SqlFragments.AsDouble(args.NumericExpr(0, "numerical_expression"));
        string quantiles = SqlFragments.Aggregate($"quantile_disc({x}, {SqlFragments.DoubleList([lo / 100, 0.5, hi / 100])})");
        return new CompiledCall([quantiles], s => args.Fragments.Let([x, s[0]], r =>
        {
            string centre = withMedian ? $"{r[1]}[2]" : "0.0::DOUBLE";
            // An interquartile range of 0 leaves the scale alone.
            string scale = withRange ? $"(CASE WHEN {r[1]}[3] - {r[1]}[1] = 0 THEN 1.0::DOUBLE ELSE {r[1]}[3] - {r[1]}[1] END)" : "1.0::DOUBLE";
            return $"({r[0]} - {centre}) / {scale}";
        }));
    }
}
