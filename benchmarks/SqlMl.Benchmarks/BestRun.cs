using System.Diagnostics;

namespace SqlMl.Benchmarks;

/// <summary>The fastest of several timed runs, as the comparison tools report it.</summary>
internal static class BestRun
{
    /// <summary>
    /// Runs <paramref name="action"/> once untimed (warm-up), then <paramref name="repeat"/> times; returns the fastest
    /// wall time and the whole process's CPU time during that same run, both in seconds.
    /// </summary>
    public static (double Wall, double Cpu) Of(int repeat, Action action)
    {
        action();
        double best = double.PositiveInfinity, bestCpu = 0;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            action();
            double wall = clock.Elapsed.TotalSeconds;
            process.Refresh();
            if (wall < best) (best, bestCpu) = (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
        }
        return (best, bestCpu);
    }
}
