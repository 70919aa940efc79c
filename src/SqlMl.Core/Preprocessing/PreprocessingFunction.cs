namespace SqlMl.Preprocessing;

/// <summary>One ML.xxx preprocessing function: its shape and how a call compiles to DuckDB SQL.</summary>
internal abstract class PreprocessingFunction
{
    /// <summary>Upper-case name without "ML.".</summary>
    public abstract string Name { get; }

    /// <summary>Analytic functions learn statistics over the rows and are called with an empty OVER().</summary>
    public abstract bool IsAnalytic { get; }

    public abstract int MinArguments { get; }

    public abstract int MaxArguments { get; }

    /// <summary>The argument list as BigQuery documents it, for messages.</summary>
    public abstract string Signature { get; }

    public abstract CompiledCall Compile(CallArguments args);
}
