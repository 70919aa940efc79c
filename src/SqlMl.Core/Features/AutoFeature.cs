using SqlMl.Models;

namespace SqlMl.Features;

/// <summary>How a model feature is computed from its source value (a column, or a field of a STRUCT column).</summary>
internal enum Derivation
{
    /// <summary>The value itself (numeric: standardized; otherwise one-hot on its text).</summary>
    Value,
    /// <summary>Unix seconds of a timestamp or date (numeric, standardized; NULL → training mean).</summary>
    EpochSeconds,
    /// <summary><c>_TS_DOM_</c>: day of month 1–31 (one-hot).</summary>
    DayOfMonth,
    /// <summary><c>_TS_DOW_</c>: day of week 1 (Sunday) – 7 (Saturday), as BigQuery's EXTRACT(DAYOFWEEK) (one-hot).</summary>
    DayOfWeek,
    /// <summary><c>_TS_MOY_</c>: month 1–12 (one-hot).</summary>
    MonthOfYear,
    /// <summary><c>_TS_HOD_</c>: hour 0–23 (one-hot).</summary>
    HourOfDay,
    /// <summary><c>_TS_MOH_</c>: minute 0–59 (one-hot).</summary>
    MinuteOfHour,
    /// <summary><c>_TS_WOY_</c>: week of year 0–53, weeks starting on Sunday (days before the first Sunday are week 0) (one-hot).</summary>
    WeekOfYear,
    /// <summary><c>_TS_YEAR_</c>: the year (one-hot).</summary>
    Year,
    /// <summary>An array's elements, multi-hot: one 0/1 coordinate per element seen in training (NULL array or element → the NULL category).</summary>
    MultiHot,
}

/// <summary>
/// One model feature computed from an input column by automatic preprocessing. <see cref="Path"/> is the column name
/// followed by STRUCT field names; <see cref="SourceType"/> is the DuckDB type found at that path.
/// </summary>
internal sealed record AutoFeature(string Name, FeatureKind Kind, IReadOnlyList<string> Path, DuckDbType SourceType, Derivation Derivation)
{
    /// <summary>A plain column, used as it is.</summary>
    public static AutoFeature Plain(string column, FeatureKind kind, string type) =>
        new(column, kind, [column], DuckDbType.Parse(type), Derivation.Value);
}

/// <summary>
/// A multi-hot feature during training: its elements (ordinal order, NULL last) and the 0/1 indicator columns the
/// trainer reads for them, which are neither centred nor scaled (like one-hot coordinates). After training the indicators
/// are folded back into one categorical feature named <see cref="Name"/> (<see cref="MultiHotFolding"/>).
/// </summary>
internal sealed record MultiHotGroup(string Name, IReadOnlyList<string?> Elements, IReadOnlyList<string> Columns);
