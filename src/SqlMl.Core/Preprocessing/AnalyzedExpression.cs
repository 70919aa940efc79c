namespace SqlMl.Preprocessing;

/// <summary>
/// A select-list expression whose analytic preprocessing calls are split into the statistics they learn
/// (<see cref="Aggregates"/>) and a row expression that takes those statistics as constants (<see cref="Freeze"/>).
/// Running the aggregates over the training rows and freezing their results gives, row by row, what the window
/// form gives over the training rows, and applies the same statistics to any later row.
/// </summary>
public sealed class AnalyzedExpression
{
    private readonly string _template;

    internal AnalyzedExpression(string template, IReadOnlyList<string> aggregates)
    {
        _template = template;
        Aggregates = aggregates;
    }

    /// <summary>
    /// DuckDB aggregate expressions over the rows the expression is evaluated on (e.g. <c>avg(CAST((x) AS DOUBLE))</c>);
    /// empty when the expression has no analytic call. Run them as <c>SELECT agg1, agg2, … FROM rows</c>.
    /// </summary>
    public IReadOnlyList<string> Aggregates { get; }

    /// <summary>
    /// The expression as DuckDB scalar SQL, with the statistics as literals. <paramref name="values"/> are the
    /// aggregates' results in order, as DuckDB.NET returns them (double, long, string, List&lt;T&gt;, null …).
    /// </summary>
    public string Freeze(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Aggregates.Count)
            throw new ArgumentException($"Freeze needs {Aggregates.Count} values (one per aggregate), got {values.Count}.", nameof(values));
        return Marker.SubstituteStats(_template, i => "(" + SqlLiteral.Render(values[i]) + ")");
    }
}
