namespace SqlMl.Preprocessing;

/// <summary>ML.ONE_HOT_ENCODER(string_expression [, drop] [, top_k] [, frequency_threshold]) OVER().</summary>
internal sealed class OneHotEncoderFunction() : PreprocessingFunction("ONE_HOT_ENCODER", isAnalytic: true, minArguments: 1, maxArguments: 4,
    "(string_expression [, drop] [, top_k] [, frequency_threshold]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        string drop = args.Choice(1, "drop", "none", "none", "most_frequent");
        var (topK, threshold) = Vocabulary.Options(args, 2);
        var f = args.Fragments;
        string value = args.ScalarExpr(0, "string_expression");
        string x = SqlFragments.AsVarchar(value);
        var stats = new List<string> { Vocabulary.Build(f, Vocabulary.ValueHistogram(value), topK, threshold) };
        // Dummy encoding: the most frequent vocabulary entry keeps its index with value 0.
        if (drop == "most_frequent") stats.Add(Vocabulary.Build(f, Vocabulary.ValueHistogram(value), 1, threshold) + "[1]");
        return new CompiledCall(stats, s => f.Let(drop == "most_frequent" ? [x, s[0], s[1]] : [x, s[0]], r =>
        {
            string value = drop == "most_frequent" ? $"CASE WHEN {r[0]} = {r[2]} THEN 0.0 ELSE 1.0 END" : "1.0";
            return "[" + SqlFragments.IndexValue(Vocabulary.Index(r[1], r[0]), value) + "]";
        }));
    }
}

/// <summary>ML.LABEL_ENCODER(string_expression [, top_k] [, frequency_threshold]) OVER(): the vocabulary index.</summary>
internal sealed class LabelEncoderFunction() : PreprocessingFunction("LABEL_ENCODER", isAnalytic: true, minArguments: 1, maxArguments: 3,
    "(string_expression [, top_k] [, frequency_threshold]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var (topK, threshold) = Vocabulary.Options(args, 1);
        string value = args.ScalarExpr(0, "string_expression");
        string vocabulary = Vocabulary.Build(args.Fragments, Vocabulary.ValueHistogram(value), topK, threshold);
        return new CompiledCall([vocabulary], s => $"CAST({Vocabulary.Index(s[0], SqlFragments.AsVarchar(value))} AS BIGINT)");
    }
}

/// <summary>
/// ML.MULTI_HOT_ENCODER(array_expression [, top_k] [, frequency_threshold]) OVER(): one entry (value 1.0) per
/// distinct index of the array's elements, sorted by index; the vocabulary counts rows holding a value.
/// </summary>
internal sealed class MultiHotEncoderFunction() : PreprocessingFunction("MULTI_HOT_ENCODER", isAnalytic: true, minArguments: 1, maxArguments: 3,
    "(array_expression [, top_k] [, frequency_threshold]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var (topK, threshold) = Vocabulary.Options(args, 1);
        var f = args.Fragments;
        string input = args.ArrayExpr(0, "array_expression");
        string array = $"CAST({input} AS VARCHAR[])";
        string vocabulary = Vocabulary.Build(f, Vocabulary.DocumentHistogram(input), topK, threshold);
        return new CompiledCall([vocabulary], s => f.Let([array, s[0]], r =>
        {
            string e = f.Name(), i = f.Name();
            // A NULL array is the unknown value, like a NULL string for ML.ONE_HOT_ENCODER.
            string elements = $"coalesce({r[0]}, [NULL::VARCHAR])";
            return $"list_transform(list_sort(list_distinct(list_transform({elements}, {e} -> {Vocabulary.Index(r[1], e)}))), {i} -> {SqlFragments.IndexValue(i, "1.0")})";
        }));
    }
}
