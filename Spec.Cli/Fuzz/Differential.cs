using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Store = Spec.Execution.Store;

namespace Spec.Cli.Fuzz;

/// <summary>One invocation of an export: its name, the original function's types, and the arguments; for a relaxed
/// SIMD probe, the probe (whose result is checked against the spec's set rather than compared).</summary>
internal sealed record Invocation(string Export, FuncType Type, ImmutableArray<Value> Args, RelaxedProbe? Probe = null);

/// <summary>What an invocation gave: its results as unsigned decimal integers, or a trap, or exhaustion.</summary>
internal sealed record Outcome(ImmutableArray<string> Results, string? Trap = null, bool Exhausted = false)
{
    public override string ToString() =>
        Exhausted ? "exhaustion" : Trap is not null ? $"trap ({Trap})" : $"[{string.Join(" ", Results)}]";
}

/// <summary>A run of a module's invocation plan: each outcome, then the memory's size and a hash of its bytes; or, for a
/// peer that rejected the module, why (<see cref="Unsupported"/>).</summary>
internal sealed record Run(ImmutableArray<Outcome> Outcomes, ulong Pages, uint MemoryHash, string? Unsupported = null)
{
    public static Run Refused(string why) => new([], 0, 0, why);
}

/// <summary>How a peer's run differs from the reference's, at call <see cref="Call"/> of the plan (null: the memory
/// after the calls, or the whole module). <see cref="Accepted"/> kinds are differences the spec allows or that say
/// nothing about either engine: NaN bits the spec leaves open, a relaxed result within the spec's set, resource
/// exhaustion, a feature the peer lacks. Every other kind is a bug in one of them.</summary>
internal sealed record Divergence(string Kind, bool Accepted, string Detail, int? Call = null);

/// <summary>
/// The checks of one generated module: it validates, survives both formats' round trips, runs in the interpreter with
/// only typed errors, and, given a peer, gives the peer's results (traps agree as traps; NaNs agree as NaNs, since the
/// spec leaves their bits open).
/// </summary>
internal static class Differential
{
    /// <summary>Fuel for one invocation: generated loops are bounded, so running out means a generator bug.</summary>
    const long Fuel = 50_000_000;

    /// <summary>The invocations to make: three of each export fN, with arguments drawn from <paramref name="seed"/>,
    /// and one of each relaxed SIMD probe rN.</summary>
    public static ImmutableArray<Invocation> Plan(Module m, int seed)
    {
        var rng = new Random(unchecked(seed * 7919 + 17));
        var plan = ImmutableArray.CreateBuilder<Invocation>();
        foreach (var e in m.Exports)
        {
            if (e.Index.Kind != ExternKind.Func) continue;
            var wrapperType = FuncTypeOf(m, e.Index.Index);
            if (e.Name.StartsWith('r'))
            {
                plan.Add(new Invocation(e.Name, wrapperType, [], RelaxedProbe.Of(m.Funcs[(int)e.Index.Index])));
                continue;
            }
            // The wrapper fN calls function N, whose results it turns to integers: the comparison needs N's own types.
            var original = FuncTypeOf(m, uint.Parse(e.Name.AsSpan(1)));
            for (int k = 0; k < 3; k++)
                plan.Add(new Invocation(e.Name, original, [.. wrapperType.Params.Select(t => Argument(rng, (NumValType)t))]));
        }
        return plan.ToImmutable();
    }

    static FuncType FuncTypeOf(Module m, uint func) =>
        (FuncType)m.Types[(int)m.Funcs[(int)func].TypeIdx].Rec.Subs[0].Comp;

    static Value Argument(Random rng, NumValType t) => t.Type switch
    {
        NumType.I32 => Value.I32(rng.Next(4) switch { 0 => 0, 1 => -1, 2 => rng.Next(0, 100), _ => rng.Next() }),
        NumType.I64 => Value.I64(rng.Next(4) switch { 0 => 0L, 1 => long.MinValue, 2 => rng.Next(0, 100), _ => rng.NextInt64() }),
        // Arguments are never NaNs with payloads: a peer's host boundary may canonicalise them.
        NumType.F32 => Value.F32(rng.Next(5) switch { 0 => 0f, 1 => -1.5f, 2 => float.NaN, 3 => float.NegativeInfinity, _ => (float)(rng.NextDouble() * 2e9 - 1e9) }),
        _ => Value.F64(rng.Next(5) switch { 0 => -0d, 1 => 2.5, 2 => double.NaN, 3 => double.PositiveInfinity, _ => rng.NextDouble() * 2e18 - 1e18 }),
    };

    /// <summary>The checks that need no peer: validation and both round trips (<paramref name="binary"/> is m encoded).
    /// Returns what failed, or null.</summary>
    public static string? SelfCheck(Module m, byte[] binary, Features? features = null)
    {
        var f = features ?? Features.Default;
        try { Validator.Validate(m, f); }
        catch (ValidationException e) { return $"the generated module is invalid: {e.Rule}: {e.Position}: {e.Reason}"; }
        if (!Binary.Decode(binary, f).Equals(m)) return "binary round trip changed the module";
        if (!Text.Parse(System.Text.Encoding.UTF8.GetBytes(Text.Print(m)), f).Equals(m)) return "text round trip changed the module";
        return null;
    }

    /// <summary>Runs the plan on <paramref name="engine"/> (the reference interpreter by default).</summary>
    public static Run RunInterpreter(Module m, ImmutableArray<Invocation> plan, IEngine? engine = null) => RunOn(m, plan, engine);

    /// <summary>Runs the plan on a store of <paramref name="engine"/>, each call through <paramref name="invoke"/>
    /// (<see cref="Embedding.Invoke(Store, FuncInst, IReadOnlyList{Value})"/> by default), each on fresh fuel.</summary>
    public static Run RunOn(Module m, ImmutableArray<Invocation> plan, IEngine? engine,
        Func<Store, FuncInst, IReadOnlyList<Value>, IReadOnlyList<Value>>? invoke = null)
    {
        var store = new Store(engine);
        var inst = Instantiation.Instantiate(store, m, Array.Empty<ExternVal>());
        var outcomes = ImmutableArray.CreateBuilder<Outcome>();
        foreach (var call in plan)
        {
            var f = ((ExternVal.Func)inst.Export(call.Export)!).Inst;
            try
            {
                store.Fuel = Fuel;
                var results = (invoke ?? Embedding.Invoke)(store, f, call.Args);
                outcomes.Add(new Outcome([.. results.Select(v => v.Kind == ValueKind.I32 ? v.AsU32.ToString() : v.Bits.ToString())]));
            }
            catch (TrapException e) { outcomes.Add(new Outcome([], Trap: e.Reason)); }
            catch (ExhaustionException) { outcomes.Add(new Outcome([], Exhausted: true)); }
            // Generated code catches what it throws; a reduced module may not.
            catch (UncaughtWasmException) { outcomes.Add(new Outcome([], Trap: "uncaught exception")); }
        }
        var mem = ((ExternVal.Mem)inst.Export("memory")!).Inst;
        var hash = Fnv1a(mem.Span(0, checked((int)mem.Length)));
        GC.KeepAlive(mem); // else its pages may be released while the span is read
        return new Run(outcomes.ToImmutable(), mem.Pages, hash);
    }

    /// <summary>FNV-1a over the memory's bytes (the peer computes the same).</summary>
    static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (var b in bytes) h = (h ^ b) * 16777619;
        return h;
    }

    /// <summary>The first difference between two runs of <paramref name="plan"/>, described; null if they agree.</summary>
    public static string? Compare(ImmutableArray<Invocation> plan, Run ours, Run theirs, string peer) =>
        Diverge(plan, ours, theirs, peer, memory: true) is { Accepted: false } d ? d.Detail : null;

    /// <summary>How <paramref name="theirs"/> differs from the reference run <paramref name="ours"/>: the first real
    /// divergence, else the first accepted one, else null.</summary>
    public static Divergence? Diverge(ImmutableArray<Invocation> plan, Run ours, Run theirs, string peer, bool memory)
    {
        if (theirs.Unsupported is { } why) return new("unsupported-feature", true, $"{peer} cannot run the module: {why}");
        Divergence? accepted = null;
        for (int k = 0; k < plan.Length; k++)
        {
            var (a, b) = (ours.Outcomes[k], theirs.Outcomes[k]);
            if (Classify(plan[k], a, b) is not { } kind) continue;
            var what = plan[k].Probe is { } probe ? $" ({Interp.Mnemonic(probe.Op)} of {string.Join(" ", probe.Operands)})" : "";
            var d = new Divergence(kind.Kind, kind.Accepted, $"{plan[k].Export}({string.Join(", ", plan[k].Args)}){what} [call {k}]: interpreter {a}, {peer} {b}", k);
            if (!d.Accepted) return d;
            accepted ??= d;
        }
        if (memory && accepted is null && (ours.Pages != theirs.Pages || ours.MemoryHash != theirs.MemoryHash))
            return new("memory", false, $"memory after the calls: interpreter {ours.Pages} pages, hash {ours.MemoryHash:x8}; {peer} {theirs.Pages} pages, hash {theirs.MemoryHash:x8}");
        return accepted;
    }

    internal static bool Agree(FuncType type, Outcome a, Outcome b) => Classify(type, a, b) is null or { Accepted: true, Kind: "nan-bits" };

    /// <summary>The kind of difference between two outcomes of <paramref name="call"/>: for a relaxed SIMD probe,
    /// "relaxed" (accepted) if both results are in the spec's set and differ, "relaxed-result" if the peer's is not.</summary>
    internal static (string Kind, bool Accepted)? Classify(Invocation call, Outcome a, Outcome b)
    {
        // (The reference's own result is checked against the set on its own; a probe whose reference result is not in
        // it, say one a reduction has broken, is compared exactly.)
        if (call.Probe is { } probe && WithinRelaxed(probe, a) && b.Trap is null && !b.Exhausted && b.Results.Length == 2)
        {
            if (!WithinRelaxed(probe, b)) return ("relaxed-result", false);
            return a.Results.SequenceEqual(b.Results) ? null : ("relaxed", true);
        }
        return Classify(call.Type, a, b);
    }

    /// <summary>Whether a probe's outcome is a result the spec allows.</summary>
    internal static bool WithinRelaxed(RelaxedProbe probe, Outcome o) =>
        o.Trap is null && !o.Exhausted && o.Results.Length == 2
        && ulong.TryParse(o.Results[0], out var lo) && ulong.TryParse(o.Results[1], out var hi) && probe.Allows(lo, hi);

    /// <summary>The kind of difference between two outcomes of one call, or null if they agree exactly.</summary>
    internal static (string Kind, bool Accepted)? Classify(FuncType type, Outcome a, Outcome b)
    {
        // Exhaustion depends on limits the spec leaves to each engine: after it, memory may differ too.
        if (a.Exhausted || b.Exhausted) return a.Exhausted == b.Exhausted ? null : ("exhaustion", true);
        if (a.Trap is not null && b.Trap is not null)
            return TrapKind(a.Trap) == TrapKind(b.Trap) ? null : TrapPrecedence(TrapKind(a.Trap), TrapKind(b.Trap)) ? ("trap-precedence", true) : ("trap-kind", false);
        if (a.Trap is not null || b.Trap is not null) return ("trap-vs-result", false);
        if (a.Results.Length != b.Results.Length || a.Results.Length != type.Results.Length) return ("arity", false);
        bool nanBits = false;
        for (int r = 0; r < a.Results.Length; r++)
        {
            if (a.Results[r] == b.Results[r]) continue;
            bool bothNaN = type.Results[r] == ValType.F32
                ? IsNaN32(a.Results[r]) && IsNaN32(b.Results[r])
                : type.Results[r] == ValType.F64 && IsNaN64(a.Results[r]) && IsNaN64(b.Results[r]);
            if (!bothNaN) return ("result", false);
            nanBits = true;
        }
        return nanBits ? ("nan-bits", true) : null;
    }

    /// <summary>Whether two trap kinds can both be an array bulk instruction's (array.copy, array.init_elem, ...) that
    /// fails two checks at once, say an out-of-bounds array and an out-of-bounds segment: both rules apply
    /// (Step_read/array.init_elem-oob1 and -oob2), both give TRAP, and which one an engine's message names is its own
    /// choice (the interpreter names the array, V8 the segment).</summary>
    internal static bool TrapPrecedence(string kind1, string kind2) =>
        (kind1 == "array-out-of-bounds" || kind2 == "array-out-of-bounds")
        && new[] { kind1, kind2 }.All(k => k is "array-out-of-bounds" or "null-reference" or "table-or-indirect-call" or "memory-out-of-bounds");

    /// <summary>A trap's kind, from the testsuite's message or a peer's own words for the same trap.</summary>
    internal static string TrapKind(string message)
    {
        var m = message.ToLowerInvariant();
        return m switch
        {
            _ when m.Contains("by zero") => "divide-by-zero",
            _ when m.Contains("integer overflow") || m.Contains("unrepresentable") || m.Contains("invalid conversion") => "integer-overflow",
            _ when m.Contains("array") && m.Contains("bounds") => "array-out-of-bounds",
            // array.new_data, memory.init, array.init_data past their segment: the testsuite's "out of bounds memory access"
            _ when m.Contains("memory") && m.Contains("bounds") || m.Contains("data segment") => "memory-out-of-bounds",
            _ when m.Contains("unreachable") => "unreachable",
            _ when m.Contains("cast") => "cast-failure",
            // call_indirect (a missing entry, a null one or a mismatched type: V8 says one message for the last two),
            // and table accesses out of bounds (V8 says "table index is out of bounds" for both)
            _ when m.Contains("element") || m.Contains("table") || m.Contains("signature mismatch")
                   || m.Contains("type mismatch") || m.Contains("null function or") => "table-or-indirect-call",
            _ when m.Contains("null") && (m.Contains("reference") || m.Contains("pointer")) => "null-reference",
            _ when m.Contains("uncaught") || m.Contains("exception") => "uncaught-exception",
            _ => "other: " + message,
        };
    }

    static bool IsNaN32(string bits) => uint.TryParse(bits, out var u) && float.IsNaN(BitConverter.UInt32BitsToSingle(u));
    static bool IsNaN64(string bits) => ulong.TryParse(bits, out var u) && double.IsNaN(BitConverter.UInt64BitsToDouble(u));

    // ---- The peer: V8, through node (see NodePeer) ----

    /// <summary>The node script: for each module of the manifest, instantiates it, makes the calls, and prints their
    /// outcomes and the memory as one JSON line; a module V8 cannot compile is reported as unsupported.</summary>
    public const string NodeHarness = """
        'use strict';
        const fs = require('fs');
        const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
        const view = new DataView(new ArrayBuffer(8));
        function argument([type, bits]) {
          const b = BigInt(bits);
          switch (type) {
            case 'i32': return Number(BigInt.asIntN(32, b));
            case 'i64': return BigInt.asIntN(64, b);
            case 'f32': view.setUint32(0, Number(b)); return view.getFloat32(0);
            default: view.setBigUint64(0, b); return view.getFloat64(0);
          }
        }
        const unsigned = v => typeof v === 'bigint' ? BigInt.asUintN(64, v).toString() : String(v >>> 0);
        for (const job of manifest) {
          let instance;
          try {
            instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(job.wasm)), {});
          } catch (e) {
            if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
              console.log(JSON.stringify({ unsupported: e.message }));
              continue;
            }
            throw e;
          }
          const calls = [];
          for (const c of job.calls) {
            try {
              let r = instance.exports[c.func](...c.args.map(argument));
              r = r === undefined ? [] : Array.isArray(r) ? r : [r];
              calls.push({ results: r.map(unsigned) });
            } catch (e) {
              if (e instanceof WebAssembly.RuntimeError) calls.push({ trap: e.message });
              else if (e instanceof WebAssembly.Exception) calls.push({ trap: 'uncaught exception' });
              else if (e instanceof RangeError) calls.push({ exhausted: e.message });
              else throw e;
            }
          }
          const memory = new Uint8Array(instance.exports.memory.buffer);
          let hash = 2166136261;
          for (let i = 0; i < memory.length; i++) hash = Math.imul(hash ^ memory[i], 16777619) >>> 0;
          console.log(JSON.stringify({ calls, pages: memory.length / 65536, hash }));
        }
        """;
}
