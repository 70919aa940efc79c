using BenchmarkDotNet.Running;

namespace SqlMl.Benchmarks;

/// <summary>
/// <c>--compare ...</c>: the plain end-to-end comparison (see <see cref="CompareRunner"/>); <c>--logistic ...</c>: the
/// LOGISTIC_REG trainer in memory (see <see cref="LogisticCompare"/>); <c>--lloyd ...</c>: the KMEANS Lloyd
/// iterations in memory (see <see cref="LloydProfile"/>); <c>--pass-parts</c>: LINEAR_REG's parallel pass per chunk,
/// part by part, without DuckDB (see <see cref="PassParts"/>); anything else goes to
/// BenchmarkDotNet, e.g. <c>--filter *LinearReg*</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--compare")) return CompareRunner.Run(args);
        if (args.Contains("--logistic")) return LogisticCompare.Run(args);
        if (args.Contains("--lloyd")) return LloydProfile.Run(args);
        if (args.Contains("--pass-parts")) return PassParts.Run(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
