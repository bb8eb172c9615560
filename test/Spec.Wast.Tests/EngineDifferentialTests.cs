using System.Text;
using NUnit.Framework;
using Spec.Execution;
using Spec.Native;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Wast.Tests;

/// <summary>
/// The two engines against each other on the testsuite's own modules: every module a script instantiates (from the
/// testsuite's root and legacy/ folders, importing at most spectest) is instantiated on both, every exported function
/// is called with the same arguments, and the results (bit for bit: the JIT makes NaNs canonical here), the traps
/// (by message) and finally the exported memories, globals and tables must agree. Running out of fuel is
/// inconclusive: the JIT charges a straight run of instructions before it, the interpreter each one.
/// </summary>
public class EngineDifferentialTests
{
    const long Fuel = 2_000_000;

    static IEnumerable<string> Files()
    {
        var root = Testsuite.Root(null) ?? throw new AssertionException("testsuite not found: set WASM_TESTSUITE");
        return Testsuite.Files(root, root).Concat(Testsuite.Files(Path.Combine(root, "legacy"), root));
    }

    [Test]
    public void EveryTestsuiteModuleRunsAlikeOnBothEngines()
    {
        var root = Testsuite.Root(null)!;
        int modules = 0, calls = 0, inconclusive = 0;
        var differences = new List<string>();
        foreach (var file in Files())
        {
            var name = Testsuite.DisplayName(file, root);
            var features = Testsuite.ProfileOf(name);
            Script script;
            try { script = WastParser.Parse(name, File.ReadAllBytes(file)); }
            catch (WasmException) { continue; }
            var frontend = Pipeline.For(features);
            foreach (var c in script.Commands)
            {
                if (c is not ModuleCommand { IsDefinition: false } mc || Load(frontend, mc.Module) is not { } module) continue;
                if (module.Imports.Any(i => i.Module != "spectest")) continue;
                modules++;
                var interp = Run(module, features, null);
                var jit = Run(module, features, new Jit(new JitOptions { Fuel = true, CanonicalNaNs = true }));
                calls += interp.Calls;
                if (interp.Exhausted || jit.Exhausted) { inconclusive++; continue; }
                if (interp.Text != jit.Text) differences.Add($"{name}:{mc.Line}\n  interp: {First(interp.Text, jit.Text)}\n  jit:    {First(jit.Text, interp.Text)}");
            }
        }
        TestContext.Out.WriteLine($"{modules} modules, {calls} calls, {inconclusive} inconclusive (fuel)");
        Assert.That(modules, Is.GreaterThan(1500));
        Assert.That(calls, Is.GreaterThan(15_000));
        Assert.That(differences, Is.Empty, string.Join("\n", differences.Take(20)));
    }

    /// <summary>The first line where <paramref name="a"/> differs from <paramref name="b"/>.</summary>
    static string First(string a, string b)
    {
        var la = a.Split('\n');
        var lb = b.Split('\n');
        for (int k = 0; k < la.Length; k++)
            if (k >= lb.Length || la[k] != lb[k]) return la[k];
        return "(a prefix of the other)";
    }

    static Module? Load(Frontend frontend, ModuleSource source)
    {
        try
        {
            var m = source switch
            {
                TextModule t => frontend.ParseText!(Encoding.UTF8.GetBytes(t.Source)),
                BinaryModule b => frontend.Decode!([.. b.Bytes]),
                _ => null,
            };
            if (m is not null) frontend.Validate!(m);
            return m;
        }
        catch (WasmException) { return null; }
    }

    /// <summary>What a run showed, as text: each call's outcome, then the exported state.</summary>
    sealed record Outcome(string Text, int Calls, bool Exhausted);

    static Outcome Run(Module module, Features features, IEngine? engine)
    {
        var store = new Store(engine);
        var spectest = Spectest.Exports(store, TextWriter.Null);
        var log = new StringBuilder();
        int calls = 0;
        bool exhausted = false;
        ModuleInstance inst;
        try
        {
            store.Fuel = Fuel;
            inst = Instantiation.Instantiate(store, module, (m, n) => m == "spectest" ? spectest.GetValueOrDefault(n) : null, features);
        }
        catch (WasmException e)
        {
            return new($"instantiate: {Describe(e)}", 0, e is ExhaustionException);
        }
        foreach (var export in inst.Exports)
        {
            if (export.Value is not ExternVal.Func f) continue;
            var type = Embedding.TypeOf(f.Inst);
            if (Arguments(type, export.Name) is not { } argSets) continue;
            foreach (var args in argSets)
            {
                calls++;
                store.Fuel = Fuel;
                try
                {
                    var results = Embedding.Invoke(store, f, args);
                    log.Append(export.Name).Append(" = ").AppendJoin(' ', results.Select(Show)).Append('\n');
                }
                catch (WasmException e)
                {
                    exhausted |= e is ExhaustionException { Code: TrapCode.FuelExhausted };
                    log.Append(export.Name).Append(" ! ").Append(Describe(e)).Append('\n');
                }
            }
        }
        foreach (var export in inst.Exports)
        {
            switch (export.Value)
            {
                case ExternVal.Mem m:
                    log.Append($"memory {export.Name}: {m.Inst.Pages} pages, hash {Hash(m.Inst)}\n");
                    break;
                case ExternVal.Global g:
                    log.Append($"global {export.Name}: {Show(g.Inst.Value)}\n");
                    break;
                case ExternVal.Table t:
                    log.Append($"table {export.Name}: {t.Inst.Size}:");
                    for (ulong k = 0; k < Math.Min(t.Inst.Size, 64); k++) log.Append(' ').Append(Show(Value.Reference(t.Inst[k])));
                    log.Append('\n');
                    break;
            }
        }
        return new(log.ToString(), calls, exhausted);
    }

    static string Describe(WasmException e) => e switch
    {
        ExhaustionException x => $"exhaustion {x.Code}",
        UncaughtWasmException => "uncaught exception",
        _ => $"{e.GetType().Name}: {e.Reason}",
    };

    /// <summary>Three sets of arguments per function, from a seed of its name; null when a parameter cannot be made (a non-nullable reference).</summary>
    static List<Value[]>? Arguments(FuncType type, string name)
    {
        var rng = new Random(name.Aggregate(17, (h, ch) => h * 31 + ch));
        var sets = new List<Value[]>();
        for (int s = 0; s < 3; s++)
        {
            var args = new Value[type.Params.Length];
            for (int k = 0; k < args.Length; k++)
            {
                if (Argument(rng, type.Params[k]) is not { } v) return null;
                args[k] = v;
            }
            sets.Add(args);
        }
        return sets;
    }

    static Value? Argument(Random rng, ValType t) => t switch
    {
        NumValType { Type: NumType.I32 } => Value.I32(rng.Next(5) switch { 0 => 0, 1 => -1, 2 => int.MinValue, 3 => rng.Next(0, 64), _ => rng.Next() }),
        NumValType { Type: NumType.I64 } => Value.I64(rng.Next(5) switch { 0 => 0L, 1 => -1L, 2 => long.MinValue, 3 => rng.Next(0, 64), _ => rng.NextInt64() }),
        NumValType { Type: NumType.F32 } => Value.F32Bits(rng.Next(5) switch
        {
            0 => 0x8000_0000u, 1 => 0x7FC0_0001u, 2 => 0x7F80_0000u, 3 => 0x0000_0001u, _ => (uint)rng.Next() * 2 + 1,
        }),
        NumValType => Value.F64Bits(rng.Next(5) switch
        {
            0 => 0x8000_0000_0000_0000UL, 1 => 0x7FF4_0000_0000_0001UL, 2 => 0xFFF0_0000_0000_0000UL, 3 => 1UL, _ => (ulong)rng.NextInt64(),
        }),
        VecValType => Value.V128(new V128((ulong)rng.NextInt64(), (ulong)rng.NextInt64())),
        RefType { Null: true } => Value.Null,
        _ => null,
    };

    static string Show(Value v) => v.Kind switch
    {
        ValueKind.Ref => v.Ref switch
        {
            null => "null",
            I31Ref i => $"i31:{i.Value}",
            HostRef h => $"host:{h.Address}",
            ExternRef { Inner: HostRef h } => $"extern:{h.Address}",
            var r => r.GetType().Name,
        },
        ValueKind.V128 => $"v128:{v.Hi:x16}{v.Bits:x16}",
        _ => $"{v.Kind}:{v.Bits:x}",
    };

    static ulong Hash(MemInst m)
    {
        ulong h = 14695981039346656037;
        foreach (var b in m.Span(0, checked((int)m.Length))) h = (h ^ b) * 1099511628211;
        GC.KeepAlive(m); // the span does not keep the memory's pages alive
        return h;
    }
}

/// <summary>On the JIT, the interpreter evaluates constant expressions (initialisers, offsets) and nothing else.</summary>
public class JitRunsNoInterpretedCodeTests
{
    /// <summary>Every rule a constant expression's reduction can apply (Valid_const: constants, global.get, ref.null,
    /// ref.func, ref.i31, extended arithmetic, allocation, conversions). Eval_expr reduces it in the configuration's own
    /// frame: no label or frame ends, no context rules.</summary>
    static readonly HashSet<string> ConstantRules =
    [
        "Step_read/global.get", "Step_read/ref.null", "Step_read/ref.func", "Step_pure/ref.i31", "Step_pure/binop-val",
        "Step/struct.new", "Step_read/struct.new_default", "Step/struct.new_desc", "Step_read/struct.new_default_desc",
        "Step_pure/array.new", "Step_read/array.new_default", "Step/array.new_fixed",
        "Step_pure/any.convert_extern-null", "Step_pure/any.convert_extern-addr", "Step_pure/extern.convert_any-null",
        "Step_pure/extern.convert_any-addr",
    ];

    [Test]
    public void TheTestsuiteOnTheJitTakesNoStepOutsideConstantExpressions()
    {
        var root = Testsuite.Root(null) ?? throw new AssertionException("testsuite not found: set WASM_TESTSUITE");
        var seen = new HashSet<string>();
        int passed = 0;
        foreach (var file in Testsuite.Files(root, root).Concat(Testsuite.Files(Path.Combine(root, "legacy"), root)))
        {
            var name = Testsuite.DisplayName(file, root);
            var r = Program.RunFile(file, name, "jit", Testsuite.ProfileOf(name), rule => seen.Add(rule));
            passed += r.Passed;
            Assert.That(r.Failed, Is.Zero, name);
        }
        Assert.That(passed, Is.GreaterThan(60_000));
        Assert.That(seen, Is.Not.Empty, "constant expressions were evaluated, so the trace was seen");
        Assert.That(seen.Except(ConstantRules), Is.Empty, "rules the interpreter applied outside constant expressions");
    }
}
