using SqlMl.Data.Internal.Catalog;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Tests.EndToEnd;

/// <summary>
/// Hand-built LOGISTIC_REG models saved straight into the catalog, so the SQL of the ML functions is tested without
/// the trainer, plus the test table they read and the plain computations the SQL is compared with.
/// </summary>
internal static class LogisticTestModels
{
    /// <summary>Feature columns of <see cref="CreateTable"/>: x1 DOUBLE, x2 INTEGER (numeric), g VARCHAR (one-hot).</summary>
    public static readonly IReadOnlyList<FeatureColumn> Features =
    [
        new("x1", FeatureKind.Numeric, "DOUBLE"), new("x2", FeatureKind.Numeric, "INTEGER"), new("g", FeatureKind.Categorical, "VARCHAR"),
    ];

    /// <summary>One linear score over x1, x2, g; <paramref name="shift"/> varies the weights between classes.</summary>
    public static LinearModel Score(string label, double shift) => new(label, true, 0.3 - shift,
        [new NumericFeature("x1", 0.4, 1.7, 0.4, 1.1 + shift), new NumericFeature("x2", 3, 2.5, 3, -0.8 + 0.5 * shift)],
        [new CategoricalFeature("g", ["a", "b", null], [0.6 - shift, -0.4, 0.9 * shift])],
        ["x1", "x2", "g"]);

    public static LogisticModel Binary(string labelType, string[] classes) =>
        new("label", labelType, classes, [Score("label", 0)]);

    public static LogisticModel Multiclass(string labelType, string[] classes) =>
        new("label", labelType, classes, classes.Select((_, i) => Score("label", 0.7 * i - 0.5)).ToList());

    public static void Save(TestDb db, string name, LogisticModel model, IReadOnlyList<KeyValuePair<string, double?>>? metrics = null,
        IReadOnlyList<IterationInfo>? iterations = null)
    {
        var stored = new StoredModel(new ModelName(null, name), "LOGISTIC_REG", "{}", Features, model.Label, model,
            iterations ?? [], metrics ?? [], "training_data", 40, 0, DateTime.UtcNow);
        ModelCatalog.Save(db.Connection.Duck, stored, ModelPayload.Write("LOGISTIC_REG", model.WriteTo));
    }

    /// <summary>
    /// Table <paramref name="table"/>(id, x1, x2, g, label): 40 rows with NULL features, an unseen category 'c',
    /// a NULL category, NULL labels and (with <paramref name="foreign"/>) a label that is not a class.
    /// </summary>
    public static void CreateTable(TestDb db, string table, string labelType, string[] labels, string? foreign = null)
    {
        string labelList = "[" + string.Join(", ", labels.Select(l => $"CAST('{l}' AS {labelType})")) + "]";
        string foreignCase = foreign is null ? "" : $"WHEN i % 13 = 5 THEN CAST('{foreign}' AS {labelType}) ";
        db.Execute($"""
            CREATE TABLE {table} AS SELECT i AS id,
              CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 37 % 19) / 6.0 - 1.2 END::DOUBLE AS x1,
              CASE WHEN i % 11 = 4 THEN NULL ELSE (i * 13 % 9) END::INTEGER AS x2,
              CASE i % 5 WHEN 0 THEN 'a' WHEN 1 THEN 'b' WHEN 2 THEN NULL WHEN 3 THEN 'c' ELSE 'a' END AS g,
              CASE WHEN i % 17 = 8 THEN NULL {foreignCase}ELSE {labelList}[1 + (i * 7 + i // 3) % {labels.Length}] END AS label
            FROM range(40) r(i)
            """);
    }

    /// <summary>The rows of the test table with the reference class probabilities and the label's text (null for NULL).</summary>
    public static List<(long Id, double[] Probs, string? Label)> Reference(TestDb db, string table, LogisticModel model)
    {
        var rows = db.Rows($"SELECT id, x1, x2, g, CAST(label AS VARCHAR) FROM {table} ORDER BY id");
        return rows.Select(r => (Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture),
            model.Probabilities([r[1] is null ? null : Convert.ToDouble(r[1], System.Globalization.CultureInfo.InvariantCulture),
                                 r[2] is null ? null : Convert.ToDouble(r[2], System.Globalization.CultureInfo.InvariantCulture)], [(string?)r[3]]),
            (string?)r[4])).ToList();
    }

    /// <summary>Predicted class index: binary P(Classes[1]) ≥ threshold; multiclass the first most probable class.</summary>
    public static int PredictedIndex(double[] p, double threshold)
    {
        if (p.Length == 2) return p[1] >= threshold ? 1 : 0;
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
