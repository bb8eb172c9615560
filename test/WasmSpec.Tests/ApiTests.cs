using NUnit.Framework;
using Spec.Execution;
using WasmSpec.Wasi;

namespace WasmSpec.Tests;

// The embedding API as a user meets it: each test builds its module from text, on both engines.

[TestFixture(EngineKind.Interpreter)]
[TestFixture(EngineKind.Jit)]
public class ApiTests(EngineKind kind)
{
    Engine engine = null!;
    Store store = null!;
    Linker linker = null!;

    [SetUp]
    public void SetUp()
    {
        engine = new Engine(new EngineConfig { Kind = kind, ConsumeFuel = true, EpochInterruption = true });
        store = new Store(engine);
        store.AddFuel(1_000_000_000);
        linker = new Linker(engine);
    }

    [TearDown]
    public void TearDown() => store.Dispose();

    Instance Instantiate(string wat) => linker.Instantiate(store, Module.FromText(engine, wat));

    const string Arith = """
        (module $arith
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "wide") (param i64 f64) (result i64 f64) local.get 0 local.get 1)
          (func (export "nothing"))
          (memory (export "memory") 1)
          (global (export "counter") (mut i32) (i32.const 7))
          (table (export "table") 2 funcref)
          (elem (i32.const 1) func 0))
        """;

    [Test]
    public void TypedExportsAreCalledThroughDelegates()
    {
        var inst = Instantiate(Arith);
        Assert.That(inst.GetFunction<int, int, int>("add")(2, 40), Is.EqualTo(42));
        Assert.That(inst.GetFunction<int, int, int>("add")(int.MaxValue, 1), Is.EqualTo(int.MinValue));
        Assert.That(inst.GetFunction<long, double, (long, double)>("wide")(1L << 40, 0.5), Is.EqualTo((1L << 40, 0.5)));
        inst.GetAction("nothing")();
        Assert.That(inst.GetFunction("add")!.Invoke(Value.I32(1), Value.I32(2))[0].AsI32, Is.EqualTo(3));
        Assert.That(inst.GetFunction("add")!.Type.ToString(), Is.EqualTo("(func (param i32 i32) (result i32))"));
    }

    [Test]
    public void ADelegateOfTheWrongShapeIsRejectedOnceWithWhatDiffers()
    {
        var inst = Instantiate(Arith);
        var e = Assert.Throws<LinkError>(() => inst.GetFunction<long, int, int>("add"))!;
        Assert.That(e.Message, Is.EqualTo("export \"add\": the function is (func (param i32 i32) (result i32)), not Func<long, int, int>: parameter 0 is i32, the delegate's long"));
        e = Assert.Throws<LinkError>(() => inst.GetFunction<int, int>("add"))!;
        Assert.That(e.Message, Does.EndWith("it takes 2 parameters, the delegate 1"));
        e = Assert.Throws<LinkError>(() => inst.GetAction("memory"))!;
        Assert.That(e.Message, Is.EqualTo("no exported function \"memory\" (\"memory\" is a mem)"));
    }

    [Test]
    public void ModulesReportImportsAndExportsWithTypes()
    {
        var m = Module.FromText(engine, """
            (module (import "env" "log" (func (param i32))) (import "env" "mem" (memory 1 2))
              (global (export "g") (mut i64) (i64.const 0)) (func (export "f") (result f32) f32.const 1))
            """);
        Assert.That(m.Imports.Select(i => i.ToString()), Is.EqualTo(new[]
            { "(import \"env\" \"log\" (func (param i32)))", "(import \"env\" \"mem\" (memory 1 2))" }));
        Assert.That(m.Exports.Select(e => e.ToString()), Is.EqualTo(new[]
            { "(export \"g\" (global (mut i64)))", "(export \"f\" (func (result f32)))" }));
        var binary = Module.FromBytes(engine, [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
        Assert.That(binary.Imports, Is.Empty);
    }

    [Test]
    public void MemoryGlobalsAndTablesAreTyped()
    {
        var inst = Instantiate(Arith);
        var mem = inst.GetMemory()!;
        mem.WriteInt32(8, 0x01020304);
        Assert.That(mem.ReadByte(8), Is.EqualTo(4), "little-endian");
        mem.WriteInt64(16, -2);
        Assert.That(mem.ReadInt64(16), Is.EqualTo(-2));
        mem.WriteDouble(24, Math.PI);
        Assert.That(mem.ReadDouble(24), Is.EqualTo(Math.PI));
        int n = mem.WriteString(100, "héllo\0rest");
        Assert.That(mem.ReadString(100, n), Is.EqualTo("héllo\0rest"));
        Assert.That(mem.ReadNullTerminatedString(100), Is.EqualTo("héllo"));
        mem.GetSpan(200, 3).Fill(9);
        Assert.That(mem.ReadByte(202), Is.EqualTo(9));
        var oob = Assert.Throws<Trap>(() => mem.ReadInt32(65534))!;
        Assert.That((oob.Code, oob.Message), Is.EqualTo((TrapCode.OutOfBoundsMemoryAccess, "out of bounds memory access")));
        Assert.That(mem.Grow(1), Is.EqualTo(1));
        Assert.That(mem.Length, Is.EqualTo(131072));

        var counter = inst.GetGlobal<int>("counter");
        Assert.That(counter.Value, Is.EqualTo(7));
        counter.Value = 9;
        Assert.That(inst.GetGlobal("counter")!.Value.AsI32, Is.EqualTo(9));
        Assert.Throws<LinkError>(() => inst.GetGlobal<long>("counter"));

        var table = inst.GetTable("table")!;
        Assert.That(table.Size, Is.EqualTo(2));
        Assert.That(table.GetFunction(0), Is.Null);
        Assert.That(table.GetFunction(1)!.As<Func<int, int, int>>()(3, 4), Is.EqualTo(7));
        Assert.That(Assert.Throws<Trap>(() => table.GetFunction(5))!.Code, Is.EqualTo(TrapCode.OutOfBoundsTableAccess));
    }

    [Test]
    public void HostFunctionsGetTheirCallerAndCallBackIntoWasm()
    {
        var logged = new List<string>();
        linker.Define("env", "log", (Caller caller, int ptr, int len) =>
        {
            logged.Add(caller.GetMemory()!.ReadString(ptr, len));
            return caller.GetFunction<int, int>("twice")!(len);
        });
        linker.Define("env", "pair", () => (1, 2L));
        var inst = Instantiate("""
            (module
              (import "env" "log" (func $log (param i32 i32) (result i32)))
              (import "env" "pair" (func $pair (result i32 i64)))
              (memory (export "memory") 1)
              (data (i32.const 16) "from wasm")
              (func (export "twice") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
              (func (export "run") (result i32) i32.const 16 i32.const 9 call $log)
              (func (export "sum") (result i64) (local i64) call $pair local.set 0 i64.extend_i32_u local.get 0 i64.add))
            """);
        Assert.That(inst.GetFunction<int>("run")(), Is.EqualTo(18));
        Assert.That(logged, Is.EqualTo(new[] { "from wasm" }));
        Assert.That(inst.GetFunction<long>("sum")(), Is.EqualTo(3), "a ValueTuple result is several Wasm results");
    }

    [Test]
    public void TheUntypedFormAndShadowing()
    {
        var type = new FunctionType([new Spec.Syntax.NumValType(Spec.Syntax.NumType.I64)], [new Spec.Syntax.NumValType(Spec.Syntax.NumType.I64)]);
        linker.DefineFunction("env", "neg", type, (_, args) => [Value.I64(-args[0].AsI64)]);
        Assert.Throws<ArgumentException>(() => linker.Define("env", "neg", (long x) => x));
        linker.AllowShadowing = true;
        linker.Define("env", "neg", (long x) => x + 1);
        var inst = Instantiate("""(module (import "env" "neg" (func $n (param i64) (result i64))) (func (export "f") (param i64) (result i64) local.get 0 call $n))""");
        Assert.That(inst.GetFunction<long, long>("f")(41), Is.EqualTo(42));
    }

    [Test]
    public void FunctionReferencesAreFunctionsInTypedDelegates()
    {
        var inst = Instantiate("""
            (module
              (type $unary (func (param i32) (result i32)))
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
              (func $other (export "other") (param i64))
              (elem declare func $double $square)
              (func (export "pick") (param i32) (result funcref)
                (if (result funcref) (local.get 0) (then (ref.func $square)) (else (ref.func $double))))
              (func (export "apply") (param (ref null $unary) i32) (result i32)
                (call_ref $unary (local.get 1) (local.get 0))))
            """);
        var pick = inst.GetFunction<int, Function?>("pick");
        var apply = inst.GetFunction<Function?, int, int>("apply");
        var square = pick(1)!;
        Assert.That(square.As<Func<int, int>>()(7), Is.EqualTo(49));
        Assert.That(apply(square, 5), Is.EqualTo(25));
        Assert.That(apply(pick(0), 5), Is.EqualTo(10));
        Assert.That(Assert.Throws<Trap>(() => apply(null, 5))!.Code, Is.EqualTo(TrapCode.NullFunctionReference));
        var wrongType = Assert.Throws<ArgumentException>(() => apply(inst.GetFunction("other"), 5))!;
        Assert.That(wrongType.Message, Does.StartWith("argument 0 is not of type (ref null "));
        using var otherStore = new Store(engine);
        var foreign = linker.Instantiate(otherStore, Module.FromText(engine, "(module (func (export \"f\") (param i32) (result i32) local.get 0))"));
        Assert.That(Assert.Throws<ArgumentException>(() => apply(foreign.GetFunction("f"), 5))!.Message, Is.EqualTo("the function belongs to another store"));
    }

    [Test]
    public void DotNetObjectsPassAsExternrefAndComeBackTheSame()
    {
        var seen = new List<object?>();
        linker.Define("env", "see", (object? o) => seen.Add(o));
        var inst = Instantiate("""
            (module
              (import "env" "see" (func $see (param externref)))
              (table $kept 4 externref)
              (func (export "keep") (param i32 externref) (table.set $kept (local.get 0) (local.get 1)))
              (func (export "kept") (param i32) (result externref)
                (call $see (table.get $kept (local.get 0))) (table.get $kept (local.get 0)))
              (func (export "struct") (result externref) (extern.convert_any (ref.i31 (i32.const 5))))
              (func (export "is_i31") (param externref) (result i32) (ref.test (ref i31) (any.convert_extern (local.get 0)))))
            """);
        var keep = inst.GetAction<int, object?>("keep");
        var kept = inst.GetFunction<int, object?>("kept");
        var text = new System.Text.StringBuilder("held by the guest");
        keep(0, text);
        keep(1, null);
        Assert.That(kept(0), Is.SameAs(text));
        Assert.That(kept(1), Is.Null);
        Assert.That(seen, Is.EqualTo(new object?[] { text, null }));
        // A reference the guest made of its own is no .NET object: it comes out as its Value, and goes back in as it was.
        var own = inst.GetFunction<object?>("struct")();
        Assert.That(own, Is.InstanceOf<Value>());
        Assert.That(inst.GetFunction<object?, int>("is_i31")(own), Is.EqualTo(1));
        Assert.That(inst.GetFunction<object?, int>("is_i31")(text), Is.EqualTo(0));
    }

    [Test]
    public void AnUntypedValueOfAnotherTypeIsRefusedAtTheCall()
    {
        var inst = Instantiate("(module (func (export \"f\") (param i32) (result i32) local.get 0))");
        var f = inst.GetFunction<Value, int>("f");
        Assert.That(f(Value.I32(3)), Is.EqualTo(3));
        Assert.That(Assert.Throws<ArgumentException>(() => f(Value.I64(3)))!.Message, Is.EqualTo("argument 0 is not of type i32: the function is (func (param i32) (result i32))"));
    }

    [Test]
    public void InstancesAreDefinedUnderANameAndResolvedByName()
    {
        var arith = Instantiate(Arith);
        linker.DefineInstance("arith", arith);
        var user = Instantiate("""
            (module (import "arith" "counter" (global (mut i32))) (import "arith" "add" (func $add (param i32 i32) (result i32)))
              (func (export "f") (result i32) (call $add (global.get 0) (i32.const 1))))
            """);
        Assert.That(user.GetFunction<int>("f")(), Is.EqualTo(8));
    }

    // ---- Errors: one test per class, with the message a user sees ----

    [Test]
    public void CompileErrorsSayTheRuleAndPosition()
    {
        var invalid = Assert.Throws<CompileError>(() => Module.FromText(engine, "(module (func (result i32) i64.const 0))"))!;
        Assert.That(invalid.Rule, Is.Not.Null.And.Not.Empty);
        Assert.That(invalid.Message, Is.EqualTo($"invalid module: type mismatch: instruction requires [i32] but stack has [i64] (rule {invalid.Rule} at func 0, instr 0)"));
        Assert.That(invalid.InnerException, Is.Not.Null);
        var malformed = Assert.Throws<CompileError>(() => Module.FromBytes(engine, [0, 0x61, 0x73, 0x6d, 1, 0, 0]))!;
        Assert.That(malformed.Message, Is.EqualTo("malformed binary module: unexpected end at 0x7"));
        Assert.That(malformed.Rule, Is.Null);
        var text = Assert.Throws<CompileError>(() => Module.FromText(engine, "(module (func (oops)))"))!;
        Assert.That(text.Message, Does.StartWith("malformed text module: ").And.Contain(" at 1:"));
    }

    [Test]
    public void LinkErrorsNameTheImportAndWhy()
    {
        var module = Module.FromText(engine, """(module (import "env" "log" (func (param i32))))""");
        var unknown = Assert.Throws<LinkError>(() => linker.Instantiate(store, module))!;
        Assert.That(unknown.Message, Is.EqualTo("unknown import: \"env\" \"log\" (func (param i32)) is not defined in the linker"));
        Assert.That((unknown.ImportModule, unknown.ImportName), Is.EqualTo(("env", "log")));
        linker.Define("env", "log", (long x) => { });
        var wrong = Assert.Throws<LinkError>(() => linker.Instantiate(store, module))!;
        Assert.That(wrong.Message, Is.EqualTo("incompatible import type: \"env\" \"log\": the module imports (func (param i32)), the linker defines (func (param i64))"));
    }

    [Test]
    public void TrapsCarryTheCodeMessageAndNamedBacktrace()
    {
        var inst = Instantiate("""
            (module $app
              (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
              (func $outer (export "run") (param i32) (result i32) (call $inner (local.get 0))))
            """);
        var trap = Assert.Throws<Trap>(() => inst.GetFunction<int, int>("run")(0))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.IntegerDivideByZero));
        Assert.That(trap.Message, Is.EqualTo("integer divide by zero"));
        // The text module's binary: 8 bytes of header, the type (8), function (5) and export (9) sections, then the code
        // section's id, size and count; each body after its size byte: 34 = 0x22, and 34 + 7 + 1 = 0x2a.
        Assert.That(trap.Backtrace, Is.EqualTo("#0 0x22 - app!inner\n#1 0x2a - app!outer"));
        Assert.That(trap.Frames.Select(f => f.CodeOffset), Is.EqualTo(new int?[] { 0x22, 0x2a }));
        Assert.That(trap, Is.Not.InstanceOf<Exhaustion>());
    }

    [Test]
    public void ExhaustionIsATrapOfItsOwn()
    {
        var inst = Instantiate("(module (func $f (export \"f\") call $f))");
        var e = Assert.Throws<Exhaustion>(() => inst.GetAction("f")())!;
        Assert.That((e.Code, e.Message), Is.EqualTo((TrapCode.CallStackExhausted, "call stack exhausted")));
    }

    [Test]
    public void AHostExceptionPassesThroughAsTheInnerException()
    {
        var thrown = new InvalidOperationException("the database is down");
        linker.Define("env", "query", (int x) => { throw thrown; });
        var inst = Instantiate("""(module (import "env" "query" (func $q (param i32))) (func (export "f") (call $q (i32.const 1))))""");
        var trap = Assert.Throws<Trap>(() => inst.GetAction("f")())!;
        Assert.That(trap.InnerException, Is.SameAs(thrown));
        Assert.That((trap.Code, trap.Message), Is.EqualTo((TrapCode.HostTrap, "host function failed: the database is down")));
    }

    [Test]
    public void ErrorsOfNestedCallsKeepTheirClass()
    {
        linker.Define("env", "back", (Caller c) => c.GetAction("boom")!());
        var inst = Instantiate("""(module (import "env" "back" (func $b)) (func (export "boom") unreachable) (func (export "f") call $b))""");
        var trap = Assert.Throws<Trap>(() => inst.GetAction("f")())!;
        Assert.That((trap.Code, trap.Message), Is.EqualTo((TrapCode.Unreachable, "unreachable")));
    }

    [Test]
    public void NoExceptionTypeOfTheImplementationReachesTheCaller()
    {
        linker.Define("env", "fail", () => { throw new InvalidOperationException("no"); });
        var failures = new Action[]
        {
            () => Module.FromText(engine, "(module (func (result i32)))"),
            () => Module.FromBytes(engine, [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]),
            () => Module.FromText(engine, "(modul)"),
            () => Instantiate("""(module (import "env" "missing" (func)))"""),
            () => Instantiate("(module (func $f (export \"f\") call $f))").GetAction("f")(),
            () => Instantiate("(module (func (export \"f\") unreachable))").GetAction("f")(),
            () => Instantiate("(module (tag $t) (func (export \"f\") throw $t))").GetAction("f")(),
            () => Instantiate("""(module (import "env" "fail" (func $x)) (func (export "f") call $x))""").GetAction("f")(),
            () => Instantiate("(module (memory 1) (func (export \"f\") (drop (i32.load (i32.const 65536)))))").GetAction("f")(),
            () => Instantiate("(module (memory (export \"m\") 1))").GetMemory("m")!.ReadInt64(65530),
            () => Instantiate("(module (func unreachable) (start 0))"),
        };
        foreach (var failure in failures)
        {
            var e = Assert.Catch(() => failure())!;
            Assert.That(e, Is.InstanceOf<WasmError>(), e.ToString());
            Assert.That(e.GetType().Namespace, Is.EqualTo("WasmSpec"), e.ToString());
        }
    }

    // ---- Stopping ----

    const string Loop = """(module (func (export "spin") (loop $l (br $l))) (func (export "one") (result i32) i32.const 1))""";

    [Test]
    public void FuelIsKeptAcrossCallsAndCanBeAdded()
    {
        store.SetFuel(0);
        var inst = Instantiate(Loop);
        var one = inst.GetFunction<int>("one");
        Assert.That(Assert.Throws<Exhaustion>(() => one())!.Code, Is.EqualTo(TrapCode.FuelExhausted));
        store.AddFuel(10);
        Assert.That(one(), Is.EqualTo(1));
        var left = store.GetFuel();
        Assert.That(left, Is.LessThan(10UL));
        Assert.That(one(), Is.EqualTo(1));
        Assert.That(store.GetFuel(), Is.EqualTo(left - (10 - left)));
        store.AddFuel(1000);
        Assert.That(Assert.Throws<Exhaustion>(() => inst.GetAction("spin")())!.Message, Is.EqualTo("fuel exhausted"));
    }

    [Test]
    public void TheEpochFromATimerInterruptsALoop()
    {
        store.SetFuel(long.MaxValue);
        var spin = Instantiate(Loop).GetAction("spin");
        store.SetEpochDeadline(1);
        using var timer = new Timer(_ => engine.IncrementEpoch(), null, 50, 50);
        var e = Assert.Throws<Exhaustion>(() => spin())!;
        Assert.That((e.Code, e.Message), Is.EqualTo((TrapCode.Interrupted, "interrupted")));
    }

    [Test]
    public void ACancellationTokenInterruptsALoop()
    {
        store.SetFuel(long.MaxValue);
        var spin = Instantiate(Loop).GetAction("spin");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        using (store.InterruptOn(cts.Token))
            Assert.That(Assert.Throws<Exhaustion>(() => spin())!.Code, Is.EqualTo(TrapCode.Interrupted));
    }

    [Test]
    public void ATimeoutEndsALoop()
    {
        store.SetFuel(long.MaxValue);
        var spin = Instantiate(Loop).GetAction("spin");
        store.SetTimeout(TimeSpan.FromMilliseconds(50));
        Assert.That(Assert.Throws<Exhaustion>(() => spin())!.Message, Is.EqualTo("deadline exceeded"));
    }

    [Test]
    public void StoreLimitsBoundWhatModulesClaim()
    {
        using var small = new Store(engine, new StoreLimits { MaxMemoryBytes = 65536 });
        var e = Assert.Throws<Exhaustion>(() => linker.Instantiate(small, Module.FromText(engine, "(module (memory 2))")))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.StoreLimit));
        Assert.That(e.Message, Does.StartWith("store limit reached: MaxMemoryBytes"));
    }

    // ---- WASI ----

    static string Example(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "examples", name);

    [Test]
    public void AWasiCommandRunsWithCapturedOutput()
    {
        var stdout = new MemoryStream();
        linker.DefineWasi(new WasiConfiguration().WithArgs("hello").WithStdout(stdout));
        var inst = linker.Instantiate(store, Module.FromFile(engine, Example("hello.wasm")));
        inst.GetAction("_start")();
        Assert.That(System.Text.Encoding.UTF8.GetString(stdout.ToArray()), Is.EqualTo("Hello, world!\n"));
    }

    [Test]
    public void ProcExitIsAnExitException()
    {
        var stdout = new MemoryStream();
        linker.DefineWasi(new WasiConfiguration().WithArgs("exit", "7").WithStdout(stdout));
        var inst = linker.Instantiate(store, Module.FromFile(engine, Example("exit.wasm")));
        var e = Assert.Throws<ExitException>(() => inst.GetAction("_start")())!;
        Assert.That((e.Code, e.Message), Is.EqualTo((7, "the program exited with status 7")));
        Assert.That(System.Text.Encoding.UTF8.GetString(stdout.ToArray()), Is.EqualTo("exiting with 7\n"));
    }
}
