using System.Globalization;
using System.Text;
using SqlMl.Models;
using SqlMl.Parsing;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// Classification metrics, confusion matrix and ROC curve of a <see cref="LogisticModel"/> over an input with the
/// label, each one DuckDB query over <see cref="LogisticRegSql.Scored"/>. Rows with a NULL label are ignored; a label
/// that is not one of the model's classes is a row whose actual class is none of them (never a true positive,
/// probability 0 for log_loss). Definitions: docs/semantics.md, "LOGISTIC_REG functions".
/// </summary>
internal static class ClassificationSql
{
    /// <summary>The scored rows with a non-NULL label, plus __sqlml_y: the actual class index, or −1 for a label that is not a class.</summary>
    private static string Labeled(LogisticModel model, string fromSql, double threshold)
    {
        string label = "__sqlml_sc." + SqlText.QuotedIdentifier(model.Label);
        string y = $"CASE CAST({label} AS VARCHAR) {string.Concat(model.Classes.Select((c, i) => $"WHEN {SqlText.StringLiteral(c)} THEN {ValuesSql.Int(i)} "))}ELSE -1 END";
        return $"SELECT __sqlml_sc.*, {y} AS __sqlml_y FROM ({LogisticRegSql.Scored(model, fromSql, threshold)}) AS __sqlml_sc WHERE {label} IS NOT NULL";
    }

    /// <summary>
    /// ML.EVALUATE: precision, recall, accuracy, f1_score, log_loss, roc_auc. Binary: of the positive class Classes[1]
    /// at the threshold; multiclass: macro averages over the classes that occur among the actual labels.
    /// </summary>
    public static string Evaluate(LogisticModel model, string fromSql, double threshold)
    {
        int n = model.Classes.Count;
        // Per-class rows: binary evaluates the positive class only, multiclass every class.
        var classes = model.IsBinary ? [1] : Enumerable.Range(0, n).ToList();
        string trueProb = $"CASE __sqlml_y {string.Concat(Enumerable.Range(0, n).Select(i => $"WHEN {ValuesSql.Int(i)} THEN {LogisticRegSql.Prob(i)} "))}ELSE 0E0 END";
        string include = model.IsBinary ? "true" : "npos > 0";
        return $"""
            (WITH __sqlml_r AS (
                SELECT __sqlml_y AS y, {LogisticRegSql.Predicted} AS k, {trueProb} AS pt,
                       [{string.Join(", ", classes.Select(LogisticRegSql.Prob))}] AS ps
                FROM ({Labeled(model, fromSql, threshold)})),
             __sqlml_c AS (SELECT y, k, unnest([{string.Join(", ", classes.Select(c => ValuesSql.Int(c)))}]) AS c, unnest(ps) AS p FROM __sqlml_r),
             __sqlml_rk AS (
                SELECT c, y = c AS pos, k = c AS pred,
                       rank() OVER (PARTITION BY c ORDER BY p) + (count(*) OVER (PARTITION BY c, p) - 1) / 2.0 AS r
                FROM __sqlml_c),
             __sqlml_pc AS (
                SELECT c, CAST(count(*) AS DOUBLE) AS n, CAST(count(*) FILTER (pos) AS DOUBLE) AS npos,
                       CAST(count(*) FILTER (pred) AS DOUBLE) AS npred, CAST(count(*) FILTER (pos AND pred) AS DOUBLE) AS tp,
                       CAST(sum(r) FILTER (pos) AS DOUBLE) AS rpos
                FROM __sqlml_rk GROUP BY c),
             __sqlml_m AS (
                SELECT coalesce(tp / nullif(npred, 0), 0) AS prec, tp / nullif(npos, 0) AS rec,
                       (rpos - npos * (npos + 1) / 2) / nullif(npos * (n - npos), 0) AS auc
                FROM __sqlml_pc WHERE {include})
             SELECT CAST(avg(prec) AS DOUBLE) AS "precision",
                    CAST(avg(rec) AS DOUBLE) AS recall,
                    CAST((SELECT avg(CASE WHEN y = k THEN 1E0 ELSE 0E0 END) FROM __sqlml_r) AS DOUBLE) AS accuracy,
                    CAST(avg(CASE WHEN prec + rec > 0 THEN 2 * prec * rec / (prec + rec) WHEN rec IS NOT NULL THEN 0E0 END) AS DOUBLE) AS f1_score,
                    CAST((SELECT avg(-ln(greatest(pt, 1e-15))) FROM __sqlml_r) AS DOUBLE) AS log_loss,
                    CAST(avg(auc) AS DOUBLE) AS roc_auc
             FROM __sqlml_m)
            """;
    }

    /// <summary>
    /// ML.CONFUSION_MATRIX: expected_label (the input label's type), then one BIGINT count per predicted class in
    /// class order, named by <see cref="ColumnNames"/>; one row per distinct non-NULL actual label, in label order.
    /// </summary>
    public static string ConfusionMatrix(LogisticModel model, string fromSql, double threshold)
    {
        var names = ColumnNames(model.Classes);
        string label = SqlText.QuotedIdentifier(model.Label);
        var counts = names.Select((name, i) => $"count(*) FILTER ({LogisticRegSql.Predicted} = {ValuesSql.Int(i)}) AS {SqlText.QuotedIdentifier(name)}");
        return $"(SELECT {label} AS expected_label, {string.Join(", ", counts)} FROM ({Labeled(model, fromSql, threshold)}) GROUP BY {label} ORDER BY {label})";
    }

    /// <summary>
    /// BigQuery's column names for classes: a label that is a valid column name (a letter or _ then letters, digits, _)
    /// is kept; any other gets a '_' prefix and each character other than a letter, digit or _ becomes '_' (0 → _0,
    /// -1 → __1, "a b" → _a_b). A name equal (case-insensitively) to an earlier one or to expected_label gets _2, _3 … .
    /// </summary>
    public static List<string> ColumnNames(IReadOnlyList<string> classes)
    {
        var taken = new HashSet<string>(["expected_label"], StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var c in classes)
        {
            bool valid = c.Length > 0 && (char.IsAsciiLetter(c[0]) || c[0] == '_') && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
            string name = valid ? c : "_" + new string(c.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_' ? ch : '_').ToArray());
            string unique = name;
            for (int k = 2; !taken.Add(unique); k++) unique = name + "_" + ValuesSql.Int(k);
            names.Add(unique);
        }
        return names;
    }

    /// <summary>
    /// ML.ROC_CURVE of a binary model: one row per distinct threshold, ascending. Positive = Classes[1]; a row is
    /// predicted positive when P(Classes[1]) ≥ threshold. Default thresholds: the distinct values of
    /// quantile_disc(P(Classes[1]), 0, 0.01, …, 1) over the input's rows (at most 101, each a predicted probability).
    /// Counts come from cumulative counts per distinct probability and an ASOF join, O(n log n) for any number of thresholds.
    /// </summary>
    public static string RocCurve(LogisticModel model, string fromSql, IReadOnlyList<double>? thresholds)
    {
        string p1 = LogisticRegSql.Prob(1);
        string t = thresholds is null
            ? $"SELECT DISTINCT unnest(quantile_disc(p, [{string.Join(", ", Enumerable.Range(0, 101).Select(i => (i / 100.0).ToString("0.00", CultureInfo.InvariantCulture)))}])) AS threshold FROM __sqlml_r"
            : "SELECT DISTINCT threshold FROM (VALUES " + string.Join(", ", thresholds.Select(v => "(" + SqlText.Double(v) + ")")) + ") AS __sqlml_v(threshold)";
        return $"""
            (WITH __sqlml_r AS (SELECT __sqlml_y = 1 AS pos, {p1} AS p FROM ({Labeled(model, fromSql, 0.5)})),
             __sqlml_t AS ({t}),
             __sqlml_n AS (SELECT count(*) FILTER (pos) AS npos, count(*) FILTER (NOT pos) AS nneg FROM __sqlml_r),
             __sqlml_d AS (SELECT p, count(*) FILTER (pos) AS dp, count(*) FILTER (NOT pos) AS dn FROM __sqlml_r GROUP BY p),
             __sqlml_cum AS (SELECT p, CAST(sum(dp) OVER (ORDER BY p DESC) AS BIGINT) AS tp, CAST(sum(dn) OVER (ORDER BY p DESC) AS BIGINT) AS fp FROM __sqlml_d),
             __sqlml_tc AS (
                SELECT __sqlml_t.threshold, coalesce(__sqlml_cum.tp, 0) AS tp, coalesce(__sqlml_cum.fp, 0) AS fp
                FROM __sqlml_t ASOF LEFT JOIN __sqlml_cum ON __sqlml_t.threshold <= __sqlml_cum.p)
             SELECT CAST(threshold AS DOUBLE) AS threshold,
                    CAST(tp AS DOUBLE) / nullif(npos, 0) AS recall,
                    CAST(fp AS DOUBLE) / nullif(nneg, 0) AS false_positive_rate,
                    CAST(tp AS BIGINT) AS true_positives, CAST(fp AS BIGINT) AS false_positives,
                    CAST(nneg - fp AS BIGINT) AS true_negatives, CAST(npos - tp AS BIGINT) AS false_negatives
             FROM __sqlml_tc, __sqlml_n ORDER BY threshold)
            """;
    }
}
