using NUnit.Framework;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Syntax;
using Spec.TextFormat;
using Store = Spec.Execution.Store;

namespace Spec.Native.Tests;

/// <summary>
/// The JIT as an engine, on what native code must get right where the interpreter cannot go wrong: bounds at every
/// access width, indirect calls, the native stack, host functions on both sides, references while the .NET collector
/// moves objects. None of these may crash the process; each ends in the spec's result or its trap.
/// </summary>
public class JitTests
{
    /// <summary>A store on the JIT and an instance of <paramref name="wat"/>; <paramref name="import"/> makes each import in that store.</summary>
    static (Store Store, ModuleInstance Instance) Instantiate(string wat, Func<Store, ExternVal>? import = null,
        StorePolicy? policy = null, JitOptions? options = null)
    {
        var store = new Store(new Jit(options), policy);
        return (store, Instantiation.Instantiate(store, Text.Parse(wat), (_, _) => import?.Invoke(store), Features.All));
    }

    static IReadOnlyList<Value> Call(Store s, ModuleInstance m, string name, params Value[] args) =>
        Embedding.Invoke(s, (ExternVal.Func)m.Export(name)!, args);

    static string TrapOf(Store s, ModuleInstance m, string name, params Value[] args) =>
        Assert.Throws<TrapException>(() => Call(s, m, name, args))!.Reason;

    // ---- Memory ----

    /// <summary>Every load and store form, at the last address where it fits and one byte past it.</summary>
    [TestCase("i32.load", 4)] [TestCase("i64.load", 8)] [TestCase("f32.load", 4)] [TestCase("f64.load", 8)]
    [TestCase("i32.load8_s", 1)] [TestCase("i32.load8_u", 1)] [TestCase("i32.load16_s", 2)] [TestCase("i32.load16_u", 2)]
    [TestCase("i64.load8_s", 1)] [TestCase("i64.load8_u", 1)] [TestCase("i64.load16_s", 2)] [TestCase("i64.load16_u", 2)]
    [TestCase("i64.load32_s", 4)] [TestCase("i64.load32_u", 4)]
    public void LoadsCheckTheLastByteOfTheMemory(string op, int width)
    {
        var (s, m) = Instantiate($$"""
            (module (memory 1)
              (func (export "at") (param i32) (drop ({{op}} (local.get 0))))
              (func (export "off") (param i32) (drop ({{op}} offset=65535 (local.get 0))))
              (func (export "const-in") (drop ({{op}} (i32.const {{65536 - width}}))))
              (func (export "const-out") (drop ({{op}} (i32.const {{65537 - width}})))))
            """);
        Call(s, m, "at", Value.I32(65536 - width));
        Assert.That(TrapOf(s, m, "at", Value.I32(65537 - width)), Is.EqualTo("out of bounds memory access"));
        Assert.That(TrapOf(s, m, "at", Value.I32(-1)), Is.EqualTo("out of bounds memory access"));
        Call(s, m, "const-in");
        Assert.That(TrapOf(s, m, "const-out"), Is.EqualTo("out of bounds memory access"));
        // An address near 2^32 plus an offset must not wrap around to a small address.
        Assert.That(TrapOf(s, m, "off", Value.I32(-1)), Is.EqualTo("out of bounds memory access"));
        if (width == 1) Call(s, m, "off", Value.I32(0)); else Assert.That(TrapOf(s, m, "off", Value.I32(0)), Is.EqualTo("out of bounds memory access"));
    }

    [TestCase("i32.store", "i32", 4)] [TestCase("i64.store", "i64", 8)] [TestCase("f32.store", "f32", 4)] [TestCase("f64.store", "f64", 8)]
    [TestCase("i32.store8", "i32", 1)] [TestCase("i32.store16", "i32", 2)]
    [TestCase("i64.store8", "i64", 1)] [TestCase("i64.store16", "i64", 2)] [TestCase("i64.store32", "i64", 4)]
    public void StoresCheckTheLastByteAndWriteNothingWhenOutOfBounds(string op, string type, int width)
    {
        // All bits set, whatever the type: a float NaN's bits are stored as they are.
        var ones = type switch { "f32" => "-nan:0x7fffff", "f64" => "-nan:0xfffffffffffff", _ => "-1" };
        var (s, m) = Instantiate($$"""
            (module (memory (export "mem") 1)
              (func (export "at") (param i32) ({{op}} (local.get 0) ({{type}}.const {{ones}})))
              (func (export "wrap") (param i32) ({{op}} offset=4294967295 (local.get 0) ({{type}}.const {{ones}}))))
            """);
        var mem = ((ExternVal.Mem)m.Export("mem")!).Inst;
        Call(s, m, "at", Value.I32(65536 - width));
        Assert.That(Embedding.ReadMemory(mem, (ulong)(65536 - width), width), Is.All.EqualTo(0xFF));
        Assert.That(TrapOf(s, m, "at", Value.I32(65537 - width)), Is.EqualTo("out of bounds memory access"));
        Assert.That(TrapOf(s, m, "wrap", Value.I32(1)), Is.EqualTo("out of bounds memory access"));
        Assert.That(Embedding.ReadMemory(mem, 0, 16), Is.All.EqualTo(0), "a store that traps writes nothing");
    }

    [Test]
    public void Memory64AddressesNearTheTopOfTheAddressSpaceTrap()
    {
        var (s, m) = Instantiate("""
            (module (memory i64 1)
              (func (export "load") (param i64) (result i64) (i64.load offset=16 (local.get 0)))
              (func (export "store") (param i64) (i64.store offset=0xffffffffffff (local.get 0) (i64.const 1))))
            """);
        Assert.That(Call(s, m, "load", Value.I64(65536 - 24))[0].AsI64, Is.Zero);
        foreach (var a in new[] { -1L, -16L, -8L, long.MaxValue, 65536 - 23 })
            Assert.That(TrapOf(s, m, "load", Value.I64(a)), Is.EqualTo("out of bounds memory access"), $"address {a}");
        foreach (var a in new[] { 0L, -1L, unchecked((long)0xffff000000000001UL) })
            Assert.That(TrapOf(s, m, "store", Value.I64(a)), Is.EqualTo("out of bounds memory access"), $"address {a}");
    }

    // ---- Calls ----

    [Test]
    public void IndirectCallsCheckTheTypeTheIndexAndTheEntry()
    {
        var (s, m) = Instantiate("""
            (module
              (type $ii (func (param i32) (result i32)))
              (type $ll (func (param i64) (result i64)))
              (type $sub (sub (func (param i32) (result i32))))
              (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
              (func $wide (type $ll) (local.get 0))
              (table 4 funcref)
              (elem (i32.const 0) $inc $wide)
              (func (export "call") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0))))
            """);
        Assert.That(Call(s, m, "call", Value.I32(0), Value.I32(41))[0].AsI32, Is.EqualTo(42));
        Assert.That(TrapOf(s, m, "call", Value.I32(1), Value.I32(1)), Is.EqualTo("indirect call type mismatch"));
        Assert.That(TrapOf(s, m, "call", Value.I32(2), Value.I32(1)), Does.StartWith("uninitialized element"));
        Assert.That(TrapOf(s, m, "call", Value.I32(4), Value.I32(1)), Is.EqualTo("undefined element"));
        Assert.That(TrapOf(s, m, "call", Value.I32(-1), Value.I32(1)), Is.EqualTo("undefined element"));
    }

    [Test]
    public void IndirectCallsAcceptASubtypeOfTheExpectedType()
    {
        var (s, m) = Instantiate("""
            (module
              (type $base (sub (func (result i32))))
              (type $derived (sub $base (func (result i32))))
              (func $d (type $derived) (i32.const 7))
              (table funcref (elem $d))
              (func (export "call") (result i32) (call_indirect (type $base) (i32.const 0))))
            """);
        Assert.That(Call(s, m, "call")[0].AsI32, Is.EqualTo(7));
    }

    /// <summary>
    /// return_call from a function with no stack-passed parameters to one with eight (fourteen i64s: six in registers),
    /// a million times: the tail calls reuse the slots every call reserves, so neither the stack nor the depth grows.
    /// </summary>
    [Test]
    public void TailCallsMayPassMoreStackValuesThanTheirCallerReceived()
    {
        var ps = string.Join(" ", Enumerable.Repeat("i64", 13));
        var next = string.Concat(Enumerable.Range(1, 13).Select(k => $"(i64.add (local.get {k}) (i64.const {k}))"));
        var sum = string.Concat(Enumerable.Range(1, 13).Select(k => $"(local.get {k}) i64.add "));
        var (s, m) = Instantiate($$"""
            (module
              (func $count (param i64 {{ps}}) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.const 0) {{sum}})
                  (else (return_call $count (i64.sub (local.get 0) (i64.const 1)) {{next}}))))
              (func (export "start") (param $n i64) (result i64)
                (return_call $count (local.get $n) {{string.Concat(Enumerable.Repeat("(i64.const 0)", 13))}})))
            """, policy: new StorePolicy { MaxCallDepth = 1000 });
        const long n = 1_000_000;
        Assert.That(Call(s, m, "start", Value.I64(n))[0].AsI64, Is.EqualTo(n * Enumerable.Range(1, 13).Sum()));
        Assert.That(Jit.Statistics(m).NotCompiled, Is.Zero, "every function compiled");
    }

    /// <summary>A module large enough to be compiled in parts on several threads: direct calls, tail calls and
    /// <c>ref.func</c> cross from each part into those before and after it, and every result is the interpreter's.</summary>
    [Test]
    public void A_module_compiled_in_parts_calls_across_them_as_if_compiled_whole()
    {
        const int n = 1000;
        var funcs = new System.Text.StringBuilder();
        for (int k = 0; k < n; k++)
        {
            int next = (k * 7 + 1) % n, other = (k * 13 + 5) % n;
            funcs.Append($"(func $f{k} (param i32) (result i32) (local i32) (local.set 1 (i32.const {k}))");
            for (int j = 0; j < 12; j++)
                funcs.Append($" (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 31)) (i32.const {j + k})))");
            string recurse = (k % 3) switch
            {
                0 => $"(call $f{next} (i32.sub (local.get 0) (i32.const 1)))",
                1 => $"(call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $f{other}))",
                _ => $"(return_call $f{other} (i32.sub (local.get 0) (i32.const 1)))",
            };
            funcs.Append(k % 3 == 2
                ? $" (if (i32.eqz (local.get 0)) (then (return (local.get 1)))) {recurse})\n"
                : $" (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1)) (else (i32.xor (local.get 1) {recurse}))))\n");
        }
        var exports = string.Concat(Enumerable.Range(0, n).Where(k => k % 97 == 0).Select(k => $"(export \"f{k}\" (func $f{k}))"));
        var wat = $"(module (type $t (func (param i32) (result i32))) (elem declare func {string.Join(" ", Enumerable.Range(0, n).Select(k => $"$f{k}"))}) {funcs} {exports})";
        var module = Text.Parse(wat);
        var jit = new Store(new Jit());
        var compiled = Instantiation.Instantiate(jit, module, Array.Empty<ExternVal>());
        var reference = new Store();
        var interpreted = Instantiation.Instantiate(reference, module, Array.Empty<ExternVal>());

        var stats = Jit.Statistics(compiled);
        Assert.That(stats.NotCompiled, Is.Zero);
        Assert.That(stats.Parts, Environment.ProcessorCount > 1 ? Is.GreaterThan(1) : Is.EqualTo(1));
        for (int k = 0; k < n; k += 97)
            foreach (int depth in new[] { 0, 1, 5, 40 })
                Assert.That(Call(jit, compiled, $"f{k}", Value.I32(depth))[0].AsI32,
                    Is.EqualTo(Call(reference, interpreted, $"f{k}", Value.I32(depth))[0].AsI32), $"f{k}({depth})");
    }

    // ---- The native stack ----

    [Test]
    public void RunawayRecursionIsExhaustionEvenWhenTheBudgetExceedsTheNativeStack()
    {
        var policy = new StorePolicy { MaxCallDepth = int.MaxValue };
        var (s, m) = Instantiate("(module (func $f (export \"f\") (call $f)))", policy: policy);
        Assert.That(Assert.Throws<ExhaustionException>(() => Call(s, m, "f"))!.Reason, Is.EqualTo("call stack exhausted"));
        // Frames of 2,000 locals each (32 KB) reach the end of the stack in a few hundred calls.
        var locals = string.Join(" ", Enumerable.Repeat("(local v128)", 2000));
        var (s2, m2) = Instantiate($"(module (func $g (export \"g\") (param i32) {locals} (call $g (i32.add (local.get 0) (i32.const 1)))))", policy: policy);
        Assert.That(Assert.Throws<ExhaustionException>(() => Call(s2, m2, "g", Value.I32(0)))!.Reason, Is.EqualTo("call stack exhausted"));
        // The store still runs afterwards.
        var (s3, m3) = Instantiate("(module (func (export \"one\") (result i32) (i32.const 1)))");
        Assert.That(Call(s3, m3, "one")[0].AsI32, Is.EqualTo(1));
    }

    [Test]
    public void RecursionAlternatingWithTheHostIsExhaustion()
    {
        FuncInst? f = null;
        var (s, m) = Instantiate("""
            (module (import "env" "down" (func $down (param i32)))
              (func (export "f") (param i32) (call $down (i32.add (local.get 0) (i32.const 1)))))
            """, store => new ExternVal.Func(Embedding.AllocFunc(store, new FuncType([ValType.I32], []), a => Embedding.Invoke(store, f!, a))),
            new StorePolicy { MaxCallDepth = int.MaxValue });
        f = ((ExternVal.Func)m.Export("f")!).Inst;
        Assert.That(Assert.Throws<ExhaustionException>(() => Call(s, m, "f", Value.I32(0)))!.Reason, Is.EqualTo("call stack exhausted"));
    }

    [Test]
    public void TheCallDepthBudgetLimitsCompiledRecursion()
    {
        var (s, m) = Instantiate("""
            (module (func $d (export "depth") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (call $d (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
            """, policy: new StorePolicy { MaxCallDepth = 1000 });
        Assert.That(Call(s, m, "depth", Value.I32(998))[0].AsI32, Is.EqualTo(998));
        Assert.Throws<ExhaustionException>(() => Call(s, m, "depth", Value.I32(1000)));
        Assert.That(Call(s, m, "depth", Value.I32(500))[0].AsI32, Is.EqualTo(500), "the budget is whole again");
    }

    // ---- Host functions ----

    [Test]
    public void AHostFunctionThatThrowsIsAHostExceptionWithTheCauseInside()
    {
        var (s, m) = Instantiate("""
            (module (import "env" "boom" (func $boom)) (func (export "f") (call $boom)))
            """, store => new ExternVal.Func(Embedding.AllocFunc(store, new FuncType([], []), _ => throw new FormatException("bad"))));
        var e = Assert.Throws<HostException>(() => Call(s, m, "f"))!;
        Assert.That(e.InnerException, Is.InstanceOf<FormatException>());
        Assert.That(e.Message, Does.Contain("bad"));
    }

    [Test]
    public void AHostFunctionMayCallBackIntoCompiledCode()
    {
        ModuleInstance? inst = null;
        var (s, m) = Instantiate("""
            (module (import "env" "twice" (func $twice (param i32) (result i32)))
              (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func (export "f") (param i32) (result i32) (i32.mul (call $twice (local.get 0)) (i32.const 10))))
            """, store => new ExternVal.Func(Embedding.AllocFunc(store, new FuncType([ValType.I32], [ValType.I32]),
                a => [Value.I32(Call(store, inst!, "inc", Call(store, inst!, "inc", a[0])[0])[0].AsI32)])));
        inst = m;
        Assert.That(Call(s, m, "f", Value.I32(5))[0].AsI32, Is.EqualTo(70));
    }

    // ---- References and the .NET collector ----

    [Test]
    public void ReferencesStayValidWhileTheCollectorRunsAndDeadOnesAreDropped()
    {
        const int n = 100_000;
        int collections = 0;
        var (s, m) = Instantiate("""
            (module
              (type $node (struct (field i32) (field (ref null $node))))
              (import "env" "gc" (func $gc))
              (func (export "build") (param $n i32) (result i32)
                (local $list (ref null $node)) (local $i i32) (local $sum i32)
                (loop $l
                  (local.set $list (struct.new $node (local.get $i) (local.get $list)))
                  (drop (struct.new $node (i32.const 7) (ref.null $node)))
                  (if (i32.eqz (i32.and (local.get $i) (i32.const 4095))) (then (call $gc)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                (block $done (loop $w
                  (br_if $done (ref.is_null (local.get $list)))
                  (local.set $sum (i32.add (local.get $sum) (struct.get $node 0 (local.get $list))))
                  (local.set $list (struct.get $node 1 (local.get $list)))
                  (br $w)))
                (local.get $sum)))
            """, store => new ExternVal.Func(Embedding.AllocFunc(store, new FuncType([], []), _ =>
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                collections++;
                return [];
            })));
        Assert.That(Call(s, m, "build", Value.I32(n))[0].AsU32, Is.EqualTo(unchecked((uint)((long)n * (n - 1) / 2))));
        Assert.That(collections, Is.GreaterThan(20), "the .NET collector ran while compiled code held references");
        Assert.That(JitStore.Of(s).Collections, Is.GreaterThan(0), "handles no frame held any more were dropped");
        Assert.That(JitStore.Of(s).HandleMark, Is.EqualTo(1), "every handle is given back when the invocation ends");
    }

    // ---- Native code ----

    [Test]
    public void NumericLocalGlobalMemoryAndBranchInstructionsAreCompiledWithoutCallsIntoTheRuntime()
    {
        var (_, m) = Instantiate("""
            (module (memory 1) (global $g (mut i32) (i32.const 0))
              (func (export "kernel") (param $n i32) (result i32) (local $i i32) (local $acc i64) (local $x f64)
                (loop $l
                  (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (i32.shl (local.get $i) (i32.const 2))))))
                  (i32.store offset=4 (local.get $i) (i32.xor (local.get $i) (global.get $g)))
                  (local.set $x (f64.add (local.get $x) (f64.convert_i32_s (local.get $i))))
                  (global.set $g (i32.add (global.get $g) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                (i32.add (i32.wrap_i64 (local.get $acc)) (i32.trunc_f64_s (local.get $x)))))
            """, options: new JitOptions { Listing = true });
        var listing = Jit.Listings(m).Single();
        Assert.That(listing.NotCompiled, Is.Null);
        // The function's own code (up to the out-of-line paths) has no call: only the stack check's slow path calls out.
        int outOfLine = listing.Marks.First(k => k.Note == "out-of-line paths and trap stubs").Offset;
        var body = Disassembly.Lines(listing.Code).Where(l => l.Offset < outOfLine).Select(l => l.Text).ToList();
        Assert.That(body, Is.Not.Empty);
        Assert.That(body.Where(t => t.StartsWith("call", StringComparison.Ordinal)), Is.Empty, string.Join("\n", body));
    }
}
