namespace SqlMl.Preprocessing;

/// <summary>One ML.xxx preprocessing function: its shape and how a call compiles to DuckDB SQL.</summary>
internal abstract class PreprocessingFunction(string name, bool isAnalytic, int minArguments, int maxArguments, string signature)
{
    /// <summary>Upper-case name without "ML.".</summary>
    public string Name => name;

    /// <summary>Analytic functions learn statistics over the rows and are called with an empty OVER().</summary>
    public bool IsAnalytic => isAnalytic;

    /// <summary>The fewest arguments a call takes.</summary>
    public int MinArguments => minArguments;

    /// <summary>The most arguments a call takes.</summary>
    public int MaxArguments => maxArguments;

    /// <summary>The argument list as BigQuery documents it, for messages.</summary>
    public string Signature => signature;

    public abstract CompiledCall Compile(CallArguments args);
}
