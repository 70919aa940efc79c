using static SqlMl.Tests.Features.AutoTypesData;

namespace SqlMl.Tests.Features;

/// <summary>
/// STRUCT features are expanded into one feature per field, named <c>{struct}_{field}</c>, each preprocessed by its own
/// type (numeric, one-hot, TIMESTAMP, ARRAY); a model on the STRUCT equals the model on the flattened columns.
/// </summary>
public class StructFeatureTests
{
    private static TestDb Data()
    {
        var db = new TestDb();
        db.Execute("""
            CREATE TABLE s AS
            SELECT i AS id,
                   CASE WHEN i % 19 = 7 THEN NULL ELSE {'a': CASE WHEN i % 11 = 3 THEN NULL ELSE (i % 10) * 0.5 END,
                                                        'b': 'g' || (i % 3),
                                                        'when': TIMESTAMP '2024-03-01 00:00:00' + INTERVAL (i * 7) HOUR,
                                                        'tags': CASE WHEN i % 4 = 0 THEN ['p'] ELSE ['q', 'r'] END} END AS st,
                   (i % 10) * 0.5 * 2 + (i % 3) + (i % 4) * 0.25 + sin(i) AS y,
                   i % 3 = 0 AS k
            FROM range(200) r(i)
            """);
        db.Execute("CREATE TABLE f AS SELECT id, st.a AS st_a, st.b AS st_b, st.when AS st_when, st.tags AS st_tags, y, k FROM s");
        return db;
    }

    [Fact]
    public void Linear_model_on_a_struct_equals_the_model_on_its_flattened_fields()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], l2_reg = 0.5) AS SELECT st, y FROM s");
        db.Execute("CREATE MODEL flat OPTIONS(model_type = 'linear_reg', input_label_cols = ['y'], l2_reg = 0.5) AS SELECT st_a, st_b, st_when, st_tags, y FROM f");
        AssertSameWeights(db, "flat", "raw", 1e-9);
        Assert.Equal(["st_a", "st_b", "st_when", "_TS_DOM_st_when", "_TS_DOW_st_when", "_TS_MOY_st_when", "_TS_HOD_st_when", "_TS_MOH_st_when", "_TS_WOY_st_when", "_TS_YEAR_st_when", "st_tags", "__INTERCEPT__"],
            db.Rows("SELECT processed_input FROM ML.WEIGHTS(MODEL raw)").Select(r => (string)r[0]!));
        AssertClose(Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL flat, TABLE f) ORDER BY id"),
            Doubles(db, "SELECT predicted_y FROM ML.PREDICT(MODEL raw, TABLE s) ORDER BY id"), 1e-9);
        // A NULL struct is NULL in every field: mean for st_a, NULL categories elsewhere.
        Close(db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL flat, (SELECT NULL::DOUBLE AS st_a, NULL AS st_b, NULL::TIMESTAMP AS st_when, NULL::VARCHAR[] AS st_tags))"),
            db.Double("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT st FROM s WHERE st IS NULL LIMIT 1))"), 1e-9, "NULL struct");
    }

    [Fact]
    public void Logistic_and_kmeans_models_on_a_struct_equal_the_flattened_models()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1) AS SELECT st, k FROM s");
        db.Execute("CREATE MODEL flat OPTIONS(model_type = 'logistic_reg', input_label_cols = ['k'], l2_reg = 1) AS SELECT st_a, st_b, st_when, st_tags, k FROM f");
        AssertSameWeights(db, "flat", "raw", 1e-7);
        AssertClose(Doubles(db, "SELECT predicted_k_probs[1].prob FROM ML.PREDICT(MODEL flat, TABLE f) ORDER BY id"),
            Doubles(db, "SELECT predicted_k_probs[1].prob FROM ML.PREDICT(MODEL raw, TABLE s) ORDER BY id"), 1e-7);
        db.Execute("CREATE MODEL kraw OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init') AS SELECT st, id < 3 AS init FROM s");
        db.Execute("CREATE MODEL kflat OPTIONS(model_type = 'kmeans', num_clusters = 3, kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init') AS SELECT st_a, st_b, st_when, st_tags, id < 3 AS init FROM f");
        Assert.Equal(Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL kflat, TABLE f) ORDER BY id"), Doubles(db, "SELECT centroid_id FROM ML.PREDICT(MODEL kraw, TABLE s) ORDER BY id"));
        AssertClose(Doubles(db, "SELECT numerical_value FROM ML.CENTROIDS(MODEL kflat) WHERE numerical_value IS NOT NULL ORDER BY centroid_id, feature"),
            Doubles(db, "SELECT numerical_value FROM ML.CENTROIDS(MODEL kraw) WHERE numerical_value IS NOT NULL ORDER BY centroid_id, feature"), 1e-9);
    }

    [Fact]
    public void Unnamed_nested_and_clashing_structs_are_clear_errors()
    {
        using var db = Data();
        string Fails(string query) => db.Fails($"CREATE MODEL e OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS {query}").Message;
        Assert.Contains("feature column 'r' has type STRUCT(INTEGER, VARCHAR); a STRUCT feature needs named fields", Fails("SELECT row(1, 'x') AS r, y FROM s"), StringComparison.Ordinal);
        Assert.Contains("field 'inner' of STRUCT feature column 'n' is itself a STRUCT (STRUCT(v INTEGER)); nested STRUCTs are not expanded",
            Fails("SELECT {'inner': {'v': 1}, 'w': 2} AS n, y FROM s"), StringComparison.Ordinal);
        Assert.Contains("field 'm' of STRUCT feature column 'n' of type MAP(VARCHAR, INTEGER) is not yet supported by SqlMl.",
            Fails("SELECT {'m': map(['k'], [1])} AS n, y FROM s"), StringComparison.Ordinal);
        Assert.Contains("two features are named 'st_a' after automatic preprocessing (from columns 'st' and 'st_a')",
            Fails("SELECT st, st.a AS st_a, y FROM s"), StringComparison.Ordinal);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlml.models"));
    }

    [Fact]
    public void Prediction_input_struct_needs_the_trained_fields()
    {
        using var db = Data();
        db.Execute("CREATE MODEL raw OPTIONS(model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT st, y FROM s");
        // Extra fields and another field order are fine; fields are found by name.
        Assert.Equal(200, db.Rows("SELECT predicted_y FROM ML.PREDICT(MODEL raw, (SELECT {'tags': st.tags, 'extra': 1, 'b': st.b, 'a': st.a, 'when': st.when} AS st FROM s))").Count);
        var e = db.Fails("SELECT * FROM ML.PREDICT(MODEL raw, (SELECT {'a': st.a, 'b': st.b} AS st FROM s))");
        Assert.Contains("input column 'st' has type STRUCT(a DECIMAL(21,1), b VARCHAR), but model raw was trained with it as STRUCT(a DECIMAL(21,1), b VARCHAR, \"when\" TIMESTAMP, tags VARCHAR[])", e.Message, StringComparison.Ordinal);
    }
}
