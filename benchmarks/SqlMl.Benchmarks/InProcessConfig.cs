using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SqlMl.Benchmarks;

/// <summary>
/// In process (no generated project to build, so it works with any --artifacts-path) and one invocation per
/// iteration: each measured operation takes 0.05–2 s.
/// </summary>
internal sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() =>
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(2)
            .WithIterationCount(8));
}
