using System.Collections.Immutable;
using System.Diagnostics;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Bench;

/// <summary>Benchmarks on a synthetic module of realistic code: `decode` measures the binary decoder's throughput,
/// `validate` the validator's, and how its time grows when the module doubles; `execute` times the interpreter beside
/// peer engines (see Execute.cs); `programs` times whole WASI programs under wasmspec's engines and node (Programs.cs);
/// `emit` the x86-64 emitter's instructions per second (see Emit.cs); `compile` the JIT's throughput and time to first
/// instruction (see Compile.cs); `threads` the parallel sum's speed-up with two threads over one (see Threads.cs).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "decode": return Decode(args.Skip(1).ToArray());
            case "validate": return Validate(args.Skip(1).ToArray());
            case "execute": return Execute.Run(args.Skip(1).ToArray());
            case "programs": return Programs.Run(args.Skip(1).ToArray());
            case "emit": return Emit.Run(args.Skip(1).ToArray());
            case "compile": return Compile.Run(args.Skip(1).ToArray());
            case "calls": return Calls.Run(args.Skip(1).ToArray());
            case "threads": return Threads.Run(args.Skip(1).ToArray());
            default:
                Console.Error.WriteLine("usage: Spec.Bench decode|validate [MEGABYTES] | execute [RUNS] | emit [MILLIONS] | compile [MEGABYTES] | threads [RUNS] | calls [MILLIONS] | programs [--engines jit|interp|jit,interp] [--runs N] [--only NAME,...]");
                return 2;
        }
    }

    static int Decode(string[] args)
    {
        double targetMb = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8;
        var module = SyntheticModule.Build((int)(targetMb * 1024 * 1024));
        var bytes = Binary.Encode(module);
        double mb = bytes.Length / (1024.0 * 1024.0);
        int instrs = module.Funcs.Sum(f => Count(f.Body.Instrs));
        Console.WriteLine($"module: {bytes.Length:N0} bytes ({mb:F2} MB), {module.Funcs.Length:N0} functions, {instrs:N0} instructions");

        if (!Binary.Decode(bytes).Equals(module)) { Console.Error.WriteLine("decode(encode(m)) != m"); return 1; }

        for (int i = 0; i < 3; i++) Binary.Decode(bytes);    // warm-up, tiering
        // Wall-clock time, and the process's CPU time, which a machine shared with other work disturbs less.
        var times = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < 15; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            Binary.Decode(bytes);
            times.Add(sw.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpu0).TotalSeconds);
        }
        times.Sort();
        cpu.Sort();
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        int[] gcs = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        Binary.Decode(bytes);
        Console.WriteLine($"one decode allocates {(GC.GetAllocatedBytesForCurrentThread() - alloc0) / (1024.0 * 1024.0):F1} MB; collections gen0/1/2: "
            + $"{GC.CollectionCount(0) - gcs[0]}/{GC.CollectionCount(1) - gcs[1]}/{GC.CollectionCount(2) - gcs[2]}");
        double median = times[times.Count / 2], cpuMedian = cpu[cpu.Count / 2];
        Console.WriteLine($"decode: median {median * 1000:F1} ms wall, {cpuMedian * 1000:F1} ms CPU over {times.Count} runs; min {times[0] * 1000:F1} ms wall");
        if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"throughput: {mb / median:F1} MB/s (median wall clock), {mb / cpuMedian:F1} MB/s (median CPU time), {mb / times[0]:F1} MB/s (best wall clock), {mb / cpu[0]:F1} MB/s (best CPU time)");
        return 0;
    }

    static int Validate(string[] args)
    {
        double targetMb = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8;
        var results = new List<(double Mb, double Seconds)>();
        foreach (var scale in new[] { 1, 2 })
        {
            var module = SyntheticModule.Build((int)(scale * targetMb * 1024 * 1024));
            double mb = Binary.Encode(module).Length / (1024.0 * 1024.0);
            Spec.Validation.Validator.Validate(module); // warm-up; also proves the module valid
            Spec.Validation.Validator.Validate(module);
            var times = new List<double>();
            for (int i = 0; i < 9; i++)
            {
                GC.Collect();
                var sw = Stopwatch.StartNew();
                Spec.Validation.Validator.Validate(module);
                times.Add(sw.Elapsed.TotalSeconds);
            }
            times.Sort();
            results.Add((mb, times[times.Count / 2]));
            Console.WriteLine($"validate {mb:F2} MB: median {times[times.Count / 2] * 1000:F1} ms, min {times[0] * 1000:F1} ms over {times.Count} runs;"
                + $" {mb / times[times.Count / 2]:F1} MB/s (median), {mb / times[0]:F1} MB/s (best)");
        }
        if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"growth: {results[1].Mb / results[0].Mb:F2}x the code took {results[1].Seconds / results[0].Seconds:F2}x the time");
        return 0;
    }

    static int Count(ImmutableArray<Instr> instrs) => instrs.Sum(i => 1 + i switch
    {
        Block b => Count(b.Body),
        Loop l => Count(l.Body),
        If f => Count(f.Then) + Count(f.Else),
        _ => 0,
    });
}

/// <summary>
/// A module whose code resembles compiled C: locals, i32/i64 arithmetic, loads and stores, calls, structured
/// control with branches, an occasional float and SIMD operation. Valid, and deterministic for a given size.
/// </summary>
static class SyntheticModule
{
    public static Module Build(int targetBytes)
    {
        var rng = new Random(42);
        var types = ImmutableArray.Create(
            new TypeDef(new RecType([SubType.Plain(new FuncType([ValType.I32, ValType.I32], [ValType.I32]))])),
            new TypeDef(new RecType([SubType.Plain(new FuncType([ValType.I32], []))])));
        var funcs = new List<Func>();
        long approx = 0;
        while (approx < targetBytes)
        {
            var body = new List<Instr>();
            int n = rng.Next(20, 200);
            for (int i = 0; i < n; i++) body.AddRange(Statement(rng, 0, funcs.Count + 1));
            body.Add(new LocalGet(0)); // the result of type 0
            var f = new Func(0, [new Local(ValType.I32), new Local(ValType.I32), new Local(ValType.I32), new Local(ValType.I32),
                new Local(ValType.I64), new Local(ValType.F64)], new Expr([.. body]));
            funcs.Add(f);
            approx += n * 22L;
        }
        return new Module(types, [], [], [new Global(new GlobalType(Mut.Var, ValType.I32), new Expr([Const.I32(1024)]))],
            [new Mem(new MemType(AddrType.I32, new Limits(16, null)))], [], [.. funcs], [], [], null,
            [new Export("f0", new ExternIdx(ExternKind.Func, 0))]);
    }

    // Locals 0..5 are i32 (two parameters, four locals), 6 is i64, 7 is f64: every generated function is valid.
    const uint F64Local = 7;
    static uint Local(Random r) => (uint)r.Next(0, 6);

    static IEnumerable<Instr> Statement(Random r, int depth, int funcCount)
    {
        int k = r.Next(100);
        if (k < 30) return [new LocalGet(Local(r)), new LocalGet(Local(r)), new Binop(NumType.I32, (BinOp)r.Next(0, 15)), new LocalSet(Local(r))];
        if (k < 45) return [new LocalGet(Local(r)), Const.I32(r.Next(-100, 5000)), new Binop(NumType.I32, BinOp.Add), new LocalTee(Local(r)), Drop.I];
        if (k < 60) return [new LocalGet(Local(r)), new Load(NumType.I32, null, 0, new MemArg(2, (ulong)r.Next(0, 4096))), new LocalSet(Local(r))];
        if (k < 70) return [new LocalGet(Local(r)), new LocalGet(Local(r)), new Store(NumType.I32, null, 0, new MemArg(2, (ulong)r.Next(0, 256)))];
        if (k < 76) return [new LocalGet(Local(r)), new LocalGet(Local(r)), new Call((uint)r.Next(0, funcCount)), new LocalSet(Local(r))];
        if (k < 80) return [new GlobalGet(0), Const.I64(r.NextInt64()), new Cvtop(NumType.I32, NumType.I64, CvtOp.Wrap), new Binop(NumType.I32, BinOp.Xor), new GlobalSet(0)];
        if (k < 84) return [new LocalGet(F64Local), Const.F64(r.NextDouble()), new Binop(NumType.F64, BinOp.Mul), new LocalSet(F64Local)];
        if (k < 86) return [new LocalGet(Local(r)), new VSplat(Shape.I32x4), new LocalGet(Local(r)), new VSplat(Shape.I32x4), new VBinop(Shape.I32x4, VBinOp.Add), new VExtractLane(Shape.I32x4, null, 0), new LocalSet(Local(r))];
        if (depth >= 3) return [Nop.I];
        if (k < 93)
        {
            var body = Enumerable.Range(0, r.Next(2, 8)).SelectMany(_ => Statement(r, depth + 1, funcCount)).ToList();
            body.AddRange([new LocalGet(Local(r)), new Testop(NumType.I32, TestOp.Eqz), new BrIf((uint)r.Next(0, 2))]);
            return [new Block(ValBlockType.Empty, [new Loop(ValBlockType.Empty, [.. body])])];
        }
        var then = Enumerable.Range(0, r.Next(1, 5)).SelectMany(_ => Statement(r, depth + 1, funcCount)).ToArray();
        var els = Enumerable.Range(0, r.Next(0, 3)).SelectMany(_ => Statement(r, depth + 1, funcCount)).ToArray();
        return [new LocalGet(Local(r)), Const.I32(0), new Relop(NumType.I32, RelOp.GtS), new If(ValBlockType.Empty, [.. then], [.. els])];
    }
}
