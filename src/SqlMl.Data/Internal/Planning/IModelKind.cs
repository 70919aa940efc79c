using DuckDB.NET.Data;
using SqlMl.Models;
using SqlMl.Parsing;
using SqlMl.Training;

namespace SqlMl.Data.Internal.Planning;

/// <summary>
/// What CREATE MODEL hands a model kind: the statement, its model_type and a connection to read data; the token that
/// cancels training (checked per iteration and per chunk) and where each finished iteration is reported.
/// </summary>
internal sealed record CreateModelContext(CreateModelStatement Statement, string ModelType, DuckDBConnection Connection, CancellationToken CancellationToken)
{
    /// <summary>Receives each training iteration as it finishes, on the training thread; null when nobody listens.</summary>
    public IProgress<IterationInfo>? Progress { get; init; }
}

/// <summary>The input of an ML table function: SQL usable after FROM, and its columns when DuckDB could describe them.</summary>
internal sealed record FunctionInput(string FromSql, IReadOnlyList<QueryColumn>? Columns);

/// <summary>
/// One model type: its trainer binding (options → training → <see cref="StoredModel"/>) and how each ML
/// function is compiled to DuckDB SQL for it. Adding a model type means adding one of these to
/// <see cref="ModelKinds"/>.
/// </summary>
internal interface IModelKind
{
    string ModelType { get; }

    /// <summary>Binds options, reads the training data and trains. Returns the model and its payload bytes.</summary>
    (StoredModel Model, byte[] Payload) Train(CreateModelContext context);

    /// <summary>Reads the model object back from its catalog payload (see <see cref="ModelPayload"/>).</summary>
    object ReadModel(byte[] payload, string modelName);

    /// <summary>The SQL of an ML function call (a parenthesized subquery), or null if the function does not apply.</summary>
    string? Compile(string function, StoredModel model, FunctionInput? input, StructValue? settings);

    /// <summary>
    /// ML.ROC_CURVE, which alone takes a list of thresholds (GENERATE_ARRAY or an array literal; null when not given).
    /// Null when the model type has no ROC curve.
    /// </summary>
    string? CompileRocCurve(StoredModel model, FunctionInput? input, IReadOnlyList<double>? thresholds, StructValue? settings) => null;
}
