namespace SqlMl.Training;

/// <summary>The DuckDB types of the user and item columns, and whether their ids are kept as integers (else strings).</summary>
internal sealed record RatingIdTypes(string UserSqlType, bool UserIsInteger, string ItemSqlType, bool ItemIsInteger);
