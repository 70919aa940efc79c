namespace SqlMl.Parsing;

/// <summary>One entry of a TRANSFORM(...) select list. <see cref="Offset"/> is relative to the list's text.</summary>
internal abstract record TransformItem(int Offset);

/// <summary>
/// <c>*</c>, optionally with <c>EXCEPT(a, b)</c> (DuckDB's EXCLUDE is accepted too) and <c>REPLACE(expr AS a, …)</c>.
/// </summary>
internal sealed record TransformStar(IReadOnlyList<string> Except, IReadOnlyList<TransformExpression> Replace, int Offset) : TransformItem(Offset);

/// <summary>
/// An expression with its output name. <see cref="Column"/> is set when the expression is a bare column reference
/// (then <see cref="Alias"/> may be null: the column keeps its name).
/// </summary>
internal sealed record TransformExpression(string Sql, string? Alias, string? Column, int Offset) : TransformItem(Offset)
{
    /// <summary>The output column's name.</summary>
    public string Name => Alias ?? Column!;

    /// <summary>Whether this item passes an input column through unchanged, under its own name.</summary>
    public bool IsPassThrough => Column is not null && (Alias is null || Alias.Equals(Column, StringComparison.OrdinalIgnoreCase));
}

/// <summary><c>expression.*</c>: the fields of a STRUCT expression (e.g. ML.FEATURE_CROSS(...)), each a column of its own.</summary>
internal sealed record TransformStructStar(string Sql, int Offset) : TransformItem(Offset);
