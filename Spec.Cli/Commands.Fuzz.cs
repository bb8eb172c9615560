using System.Globalization;
using Spec.BinaryFormat;
using Spec.Cli.Fuzz;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// wasmspec fuzz [--seed N] [--count N] [--peer node] [--save DIR]: generates modules from consecutive seeds and checks
/// each (it validates, round-trips through both formats, runs with only typed errors) and, with a peer, that the peer
/// gives the same results. A finding is saved as DIR/seed-N.wasm and .wat and printed with the seed that remakes it.
/// Exit status: 0 no finding, 1 findings, 2 bad usage or the peer could not run.
/// </summary>
internal static class FuzzCommand
{
    internal const string Usage = """
        usage: wasmspec fuzz [--seed N] [--count N] [--peer node|jit] [--save DIR]
          generates modules from consecutive seeds and checks each validates, round-trips and runs with typed errors
          --seed N       the first seed (default: from the clock)
          --count N      how many modules (default 100)
          --peer node|jit  also run every export there and compare results, traps and memory
          --save DIR     where findings go (default fuzz-findings)
        """;

    public static int Run(string[] args) => Run(args, Console.Out);

    internal static int Run(string[] args, TextWriter output)
    {
        int seed = Environment.TickCount & int.MaxValue, count = 100;
        string? peer = null;
        string save = "fuzz-findings";
        for (int k = 0; k < args.Length; k++)
        {
            string? Next() => ++k < args.Length ? args[k] : null;
            switch (args[k])
            {
                case "--seed" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var s): seed = s; break;
                case "--count" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0: count = c; break;
                case "--peer" when Next() is "node" or "jit": peer = args[k]; break;
                case "--save" when Next() is { } dir: save = dir; break;
                default:
                    Console.Error.WriteLine($"wasmspec fuzz: bad argument {args[k]}\n{Usage}");
                    return ExitStatus.Usage;
            }
        }

        string? scratch = null, harness = null;
        if (peer == "node")
        {
            scratch = Directory.CreateTempSubdirectory("wasmspec-fuzz-").FullName;
            harness = Path.Combine(scratch, "harness.js");
            File.WriteAllText(harness, Differential.NodeHarness);
        }
        int findings = 0, invocations = 0, traps = 0;
        try
        {
            for (int n = 0; n < count; n++)
            {
                int s = unchecked(seed + n);
                var module = new ModuleGenerator(s).Generate();
                var binary = Binary.Encode(module);
                var plan = Differential.Plan(module, s);
                string? finding = Differential.SelfCheck(module, binary);
                if (finding is null)
                {
                    var ours = Differential.RunInterpreter(module, plan);
                    invocations += plan.Length;
                    traps += ours.Outcomes.Count(o => o.Trap is not null);
                    if (ours.Outcomes.Any(o => o.Exhausted)) finding = "an invocation ran out of fuel or stack";
                    else if (peer == "jit")
                        finding = Differential.Compare(plan, ours,
                            Differential.RunInterpreter(module, plan, new Native.Jit(new Native.JitOptions { Fuel = true })), peer);
                    else if (peer is not null)
                        finding = Differential.Compare(plan, ours, Differential.RunNode(harness!, binary, plan, scratch!), peer);
                }
                if (finding is null) continue;
                findings++;
                Directory.CreateDirectory(save);
                var stem = Path.Combine(save, $"seed-{s}");
                File.WriteAllBytes(stem + ".wasm", binary);
                File.WriteAllText(stem + ".wat", Text.Print(module));
                output.WriteLine($"seed {s}: {finding} (saved {stem}.wat)");
            }
        }
        catch (InvalidOperationException e) when (peer is not null)
        {
            Console.Error.WriteLine($"wasmspec fuzz: the peer failed: {e.Message}");
            return ExitStatus.Usage;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"wasmspec fuzz: cannot start {peer}: {e.Message}");
            return ExitStatus.Usage;
        }
        finally
        {
            if (scratch is not null) Directory.Delete(scratch, recursive: true);
        }
        output.WriteLine($"fuzz: {count} modules (seeds {seed}..{unchecked(seed + count - 1)}), {invocations} invocations "
            + $"({traps} trapped){(peer is null ? "" : $", compared with {peer}")}: {findings} finding{(findings == 1 ? "" : "s")}");
        return findings == 0 ? ExitStatus.Success : ExitStatus.Failed;
    }
}
