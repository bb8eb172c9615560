using System.Diagnostics;
using Spec.Execution;
using Spec.Examples;
using Spec.Native;
using Spec.TextFormat;

namespace Spec.Bench;

/// <summary>
/// `threads`: the README's parallel sum (examples/threads) with 1 worker thread and with 2 over the same numbers, on
/// each engine, in the same run: the speed-up is the 1-thread time over the 2-thread time (the median of the runs).
/// Beside each time, the processor time the process used meanwhile: on a machine other work keeps busy, a speed-up
/// near 1 with processor time well under the wall time says the cores were not there to be had.
/// </summary>
internal static class Threads
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0]) : 5;
        var module = Text.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "examples", "threads", "parallel-sum.wat")));
        var numbers = Enumerable.Range(0, 1 << 20).Select(n => n * 31 + 7).ToArray();
        Console.WriteLine($"parallel sum of {numbers.Length:N0} i32 numbers, {runs} runs each, median seconds; {Environment.ProcessorCount} processors");
        foreach (var (name, engine, rounds) in new (string, Func<IEngine?>, int)[] { ("jit", () => new Jit(), 200), ("interp", () => null, 2) })
        {
            var one = new List<double>();
            var two = new List<double>();
            var cpuOne = new List<double>();
            var cpuTwo = new List<double>();
            int expected = 0;
            for (int r = 0; r < runs + 1; r++)
            {
                // Alternating, so that both see the same machine; the first pair warms .NET up and is not counted.
                var (t1, c1) = Time(() => ParallelSum.Run(module, numbers, 1, engine, rounds), out int s1);
                var (t2, c2) = Time(() => ParallelSum.Run(module, numbers, 2, engine, rounds), out int s2);
                if (s1 != s2) { Console.Error.WriteLine($"{name}: 1 thread summed {s1}, 2 threads {s2}"); return 1; }
                expected = s1;
                if (r == 0) continue;
                one.Add(t1);
                two.Add(t2);
                cpuOne.Add(c1);
                cpuTwo.Add(c2);
            }
            double m1 = Median(one), m2 = Median(two);
            Console.WriteLine($"{name,-7} {rounds} rounds: 1 thread {m1:F3} s (processor {Median(cpuOne):F3} s), " +
                $"2 threads {m2:F3} s (processor {Median(cpuTwo):F3} s), speed-up {m1 / m2:F2}x (sum {expected})");
        }
        return 0;
    }

    /// <summary>The wall time and the process's processor time <paramref name="run"/> took.</summary>
    static (double Wall, double Processor) Time(Func<int> run, out int result)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var processor = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        result = run();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - processor).TotalSeconds);
    }

    static double Median(List<double> xs)
    {
        xs.Sort();
        return xs[xs.Count / 2];
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (WasmSpec.sln) not found");
    }
}
