using System.Diagnostics;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Native;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Bench;

/// <summary>
/// `compile`: the JIT on a synthetic module of compiled-C-like code (the one `decode` and `validate` use): its
/// compile throughput in MB of code section per second, and the time to the first instruction, from the module's
/// bytes to an export running (decode, validate, instantiate with compiling, call), beside the interpreter's.
/// </summary>
internal static class Compile
{
    public static int Run(string[] args)
    {
        double targetMb = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 6;
        var synthetic = SyntheticModule.Build((int)(targetMb * 1024 * 1024));
        // The first instruction to run: an export that returns at once (the synthetic functions may recurse without end).
        var module = synthetic with
        {
            Funcs = [.. synthetic.Funcs, new Func(0, [], new Expr([Const.I32(1)]))],
            Exports = [.. synthetic.Exports, new Export("first", new ExternIdx(ExternKind.Func, (uint)synthetic.Funcs.Length))],
        };
        var bytes = Binary.Encode(module);
        double codeMb = CodeSectionBytes(bytes) / (1024.0 * 1024.0);
        Console.WriteLine($"module: {bytes.Length:N0} bytes, code section {codeMb:F2} MB, {module.Funcs.Length:N0} functions");

        var compile = new List<double>();
        var compileCpu = new List<double>();
        JitStatistics? stats = null;
        for (int i = 0; i < 7; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var store = new Store(new Jit());
            var inst = Instantiation.Instantiate(store, module, Array.Empty<ExternVal>());
            stats = Jit.Statistics(inst);
            if (i < 2) continue; // the first runs warm up .NET's own JIT
            compile.Add(stats.CompileTime.TotalSeconds);
            compileCpu.Add(stats.CompileCpuTime.TotalSeconds);
        }
        compile.Sort();
        compileCpu.Sort();
        Console.WriteLine($"jit: {stats!.Functions:N0} functions, {stats.MachineCodeBytes:N0} bytes of machine code, {stats.NotCompiled} not compiled, in {stats.Parts} parts on up to {Environment.ProcessorCount} threads");
        Console.WriteLine($"compile: median {compile[compile.Count / 2] * 1000:F0} ms, {codeMb / compile[compile.Count / 2]:F1} MB/s of code section (best {codeMb / compile[0]:F1} MB/s)");
        // Processor time is what the compiler costs whatever else runs; wall-clock time is what a user waits.
        Console.WriteLine($"compile, processor time of all compiling threads: median {compileCpu[compileCpu.Count / 2] * 1000:F0} ms, {codeMb / compileCpu[compileCpu.Count / 2]:F1} MB/s");

        // Each engine three times, alternating, the median shown: the first round warms .NET's own JIT for both.
        var rounds = new Dictionary<string, List<(double Decode, double Instantiate, double Call)>> { ["jit"] = [], ["interp"] = [] };
        for (int round = 0; round < 3; round++)
            foreach (var (name, engine) in new (string, IEngine?)[] { ("jit", new Jit()), ("interp", null) })
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Stopwatch.StartNew();
                var m = Binary.Decode(bytes);
                var decoded = clock.Elapsed;
                var store = new Store(engine);
                var inst = Instantiation.Instantiate(store, m, Array.Empty<ExternVal>());
                var instantiated = clock.Elapsed;
                Embedding.Invoke(store, (ExternVal.Func)inst.Export("first")!, [Value.I32(0), Value.I32(0)]);
                var first = clock.Elapsed;
                rounds[name].Add((decoded.TotalMilliseconds, (instantiated - decoded).TotalMilliseconds, (first - instantiated).TotalMilliseconds));
            }
        foreach (var (name, times) in rounds)
        {
            var (decode, instantiate, call) = times.OrderBy(t => t.Decode + t.Instantiate + t.Call).ElementAt(times.Count / 2);
            Console.WriteLine($"time to first instruction ({name}, median of {times.Count}): {decode + instantiate + call:F0} ms = decode {decode:F0} ms"
                + $" + validate and instantiate {instantiate:F0} ms + call {call:F0} ms");
        }
        if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        return 0;
    }

    /// <summary>The size of the code section's contents (section id 10).</summary>
    static long CodeSectionBytes(byte[] b)
    {
        int at = 8;
        while (at < b.Length)
        {
            byte id = b[at++];
            ulong size = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte x = b[at++];
                size |= (ulong)(x & 0x7f) << shift;
                if ((x & 0x80) == 0) break;
            }
            if (id == 10) return (long)size;
            at += (int)size;
        }
        return 0;
    }
}
