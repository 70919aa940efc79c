namespace SqlMl.Preprocessing;

/// <summary>ML.NGRAMS(array_input, range [, separator]): the n-grams by start position, then length.</summary>
internal sealed class NgramsFunction() : PreprocessingFunction("NGRAMS", isAnalytic: false, minArguments: 2, maxArguments: 3,
    "(array_input, range [, separator])")
{
    public override CompiledCall Compile(CallArguments args)
    {
        long lo, hi;
        var t = args.Text(1).TrimStart();
        if (t.StartsWith('['))
        {
            var range = args.NumberArray(1, "range");
            if (range.Count != 2 || range.Any(v => v != Math.Floor(v)))
                throw args.Error($"range must be an INT64 or an array of two INT64 [min, max], got {args.Text(1)}.", 1);
            (lo, hi) = ((long)range[0], (long)range[1]);
        }
        else lo = hi = args.Int(1, "range", 0);
        if (lo < 1 || hi < lo || hi > 1000)
            throw args.Error($"range must satisfy 1 <= min <= max <= 1000, got {args.Text(1)}.", 1);
        string separator = args.String(2, "separator", " ");
        var f = args.Fragments;
        return CompiledCall.Scalar(f.Let($"CAST({args.ArrayExpr(0, "array_input")} AS VARCHAR[])", a =>
        {
            string i = f.Name(), k = f.Name(), g = f.Name(), z = f.Name();
            // An n-gram that would hold a NULL element is left out.
            string gram = $"CASE WHEN {i} + {k} - 1 <= len({a}) AND len(list_filter({a}[{i}:{i} + {k} - 1], {z} -> {z} IS NULL)) = 0 " +
                          $"THEN array_to_string({a}[{i}:{i} + {k} - 1], {Parsing.SqlText.StringLiteral(separator)}) END";
            return $"CASE WHEN {a} IS NULL THEN NULL ELSE flatten(list_transform(range(1, len({a}) + 1), {i} -> list_filter(list_transform(range({lo}, {hi + 1}), {k} -> {gram}), {g} -> {g} IS NOT NULL))) END";
        }));
    }
}

/// <summary>
/// ML.BAG_OF_WORDS(tokenized_document [, top_k] [, frequency_threshold]) OVER(): the count of each vocabulary
/// index in the document, sorted by index; unknown and NULL tokens count at index 0.
/// </summary>
internal sealed class BagOfWordsFunction() : PreprocessingFunction("BAG_OF_WORDS", isAnalytic: true, minArguments: 1, maxArguments: 3,
    "(tokenized_document [, top_k] [, frequency_threshold]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var (topK, threshold) = Vocabulary.Options(args, 1);
        var f = args.Fragments;
        string document = args.ArrayExpr(0, "tokenized_document");
        string vocabulary = Vocabulary.Build(f, Vocabulary.DocumentHistogram(document), topK, threshold);
        return new CompiledCall([vocabulary], s => f.Let([$"CAST({document} AS VARCHAR[])", s[0]], r =>
        {
            string t = f.Name(), e = f.Name();
            string counts = $"list_aggregate(list_transform({r[0]}, {t} -> {Vocabulary.Index(r[1], t)}), 'histogram')";
            string entries = $"list_transform(list_sort(map_entries({counts})), {e} -> {SqlFragments.IndexValue($"{e}.key", $"{e}.value")})";
            return $"CASE WHEN {r[0]} IS NULL THEN NULL WHEN len({r[0]}) = 0 THEN {EmptyEntries} ELSE {entries} END";
        }));
    }

    public const string EmptyEntries = "CAST([] AS STRUCT(\"index\" BIGINT, \"value\" DOUBLE)[])";
}

/// <summary>
/// ML.TF_IDF(tokenized_document [, top_k] [, frequency_threshold]) OVER(): for each distinct term t of a document,
/// tf = count / document size and idf = ln(1 + N / (1 + df(t))), N the documents and df(t) those holding t
/// (NULL is a term of its own); value = tf × idf, summed per vocabulary index (unknown terms at 0).
/// </summary>
internal sealed class TfIdfFunction() : PreprocessingFunction("TF_IDF", isAnalytic: true, minArguments: 1, maxArguments: 3,
    "(tokenized_document [, top_k] [, frequency_threshold]) OVER()")
{
    public override CompiledCall Compile(CallArguments args)
    {
        var (topK, threshold) = Vocabulary.Options(args, 1);
        var f = args.Fragments;
        string document = args.ArrayExpr(0, "tokenized_document");
        string doc = $"CAST({document} AS VARCHAR[])";
        string histogram = Vocabulary.DocumentHistogram(document);
        string e1 = f.Name(), e2 = f.Name(), u = f.Name();
        string[] stats =
        [
            Vocabulary.Build(f, histogram, topK, threshold),
            $"list_transform(list_sort(map_entries({histogram})), {e1} -> {e1}.key)",
            $"list_transform(list_sort(map_entries({histogram})), {e2} -> {e2}.value)",
            SqlFragments.Aggregate($"count({doc})"),
            SqlFragments.Aggregate($"count(CASE WHEN len(list_filter({doc}, {u} -> {u} IS NULL)) > 0 THEN 1 END)"),
        ];
        return new CompiledCall(stats, s => f.Let([doc, s[0], s[1], s[2], s[3], s[4]], r =>
        {
            string d = r[0], vocabulary = r[1], terms = r[2], df = r[3], n = r[4], nullDf = r[5];
            string t = f.Name(), a = f.Name(), w = f.Name(), i = f.Name(), q = f.Name(), z = f.Name();
            string distinct = $"list_concat(list_distinct({d}), CASE WHEN len(list_filter({d}, {z} -> {z} IS NULL)) > 0 THEN [NULL::VARCHAR] ELSE [] END)";
            string count = $"len(list_filter({d}, {a} -> {a} IS NOT DISTINCT FROM {t}))";
            string termDf = $"(CASE WHEN {t} IS NULL THEN {nullDf} ELSE coalesce({df}[list_position({terms}, {t})], 0) END)";
            string weight = $"CAST({count} AS DOUBLE) / len({d}) * ln(1 + CAST({n} AS DOUBLE) / (1 + {termDf}))";
            string weights = $"list_transform({distinct}, {t} -> {{'i': {Vocabulary.Index(vocabulary, t)}, 'w': {weight}}})";
            return $"CASE WHEN {d} IS NULL THEN NULL ELSE " + f.Let(weights, ws =>
                $"list_transform(list_sort(list_distinct(list_transform({ws}, {q} -> {q}.i))), {i} -> " +
                SqlFragments.IndexValue(i, $"list_sum(list_transform(list_filter({ws}, {w} -> {w}.i = {i}), {w} -> {w}.w))") + ")") + " END";
        }));
    }
}
