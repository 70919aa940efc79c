namespace SqlMl;

/// <summary>What kind of user mistake a <see cref="SqlMlException"/> reports.</summary>
public enum SqlMlErrorCode
{
    /// <summary>The SQL text does not parse.</summary>
    Syntax = 1,
    /// <summary>Names, options or types do not fit (unknown option, missing column, wrong type).</summary>
    Binding = 2,
    /// <summary>The model catalog refuses the request (model exists, model not found).</summary>
    Catalog = 3,
    /// <summary>Training cannot produce a model from the data (empty set, NULL or NaN labels).</summary>
    Training = 4,
    /// <summary>Prediction or evaluation input does not fit the model.</summary>
    Prediction = 5,
    /// <summary>DuckDB rejected a statement; the DuckDB error is the inner exception.</summary>
    Engine = 6,
    /// <summary>The database file is held by another process (DuckDB allows one writing process per file).</summary>
    DatabaseLocked = 7,
    /// <summary>A statement ran past the command's timeout (CommandTimeout) and was stopped.</summary>
    Timeout = 8,
}
