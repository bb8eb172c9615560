using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

/// <summary>What the runtime defines for every engine: fuel, the call-depth budget, interruption.</summary>
[TestFixtureSource(typeof(Engines), nameof(Engines.All))]
public class RuntimeTests(IEngine engine)
{
    Store NewStore(StorePolicy? policy = null) => new(engine, policy);

    [Test]
    public void FuelIsOneUnitPerInstructionExecuted()
    {
        var b = new ModuleBuilder();
        // 5 instructions: i32.const, i32.const, i32.add, drop, nop
        b.Func(Sig([], []), [C32(1), C32(2), Add32, Drop.I, Nop.I], "five");
        // block (1) + i32.const (1) + br_if (1) + nop (1) = 4 when not taken; the block's end costs nothing
        b.Func(Sig([I32], []), [Block(Res(), Get(0), new BrIf(0), Nop.I)], "branchy");
        // a loop of n iterations: each iteration runs loop, local.get, i32.const, i32.sub, local.tee, br_if: 6
        b.Func(Sig([I32], []), [Loop(Res(), Get(0), C32(1), Sub32, Tee(0), new BrIf(0))], "loop");
        b.Func(Sig([], []), [new Call(0), new Call(0)], "calls");
        var s = NewStore();
        var m = b.Instantiate(s);
        long Cost(string name, params Value[] args)
        {
            s.Fuel = 1_000_000;
            Call(s, m, name, args);
            return 1_000_000 - s.Fuel!.Value;
        }
        Assert.That(Cost("five"), Is.EqualTo(5));
        Assert.That(Cost("branchy", Value.I32(0)), Is.EqualTo(4));
        Assert.That(Cost("branchy", Value.I32(1)), Is.EqualTo(3), "a taken br_if skips the nop");
        Assert.That(Cost("loop", Value.I32(10)), Is.EqualTo(60));
        Assert.That(Cost("calls"), Is.EqualTo(2 + 2 * 5));
    }

    [Test]
    public void BulkOperationsCostOneUnitPerByteOrElement()
    {
        var b = new ModuleBuilder();
        b.Memory(1, export: "memory");
        b.Func(Sig([I32], []), [C32(0), C32(7), Get(0), new MemoryFill(0)], "fill");
        b.Func(Sig([I32], []), [C32(100), C32(0), Get(0), new MemoryCopy(0, 0)], "copy");
        var s = NewStore();
        var m = b.Instantiate(s);
        s.Fuel = 10_000;
        Call(s, m, "fill", Value.I32(1000));
        Assert.That(s.Fuel, Is.EqualTo(10_000 - 4 - 1000), "four instructions and a thousand bytes");
        Call(s, m, "copy", Value.I32(0));
        Assert.That(s.Fuel, Is.EqualTo(10_000 - 4 - 1000 - 4), "copying nothing costs only the instructions");
        s.Fuel = 1_003;
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "fill", Value.I32(1000)))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.FuelExhausted));
        var mem = (ExternVal.Mem)m.Export("memory")!;
        Assert.That(Embedding.ReadMemory(mem.Inst, 0, 1)[0], Is.EqualTo(7), "the earlier fill happened");
    }

    [Test]
    public void FuelIsKeptAcrossInvocationsAndCanBeAdded()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [Nop.I, Nop.I, Nop.I], "three");
        var s = NewStore();
        var m = b.Instantiate(s);
        Assert.That(s.Fuel, Is.Null, "a store is not metered until given fuel");
        s.Fuel = 7;
        Call(s, m, "three");
        Call(s, m, "three");
        Assert.That(s.Fuel, Is.EqualTo(1));
        Assert.That(Assert.Throws<ExhaustionException>(() => Call(s, m, "three"))!.Reason, Is.EqualTo("fuel exhausted"));
        // An engine may stop before a straight run of instructions it cannot pay for in full, or part way through it.
        var left = s.Fuel!.Value;
        Assert.That(left, Is.InRange(0, 1));
        s.AddFuel(5);
        Call(s, m, "three");
        Assert.That(s.Fuel, Is.EqualTo(left + 5 - 3));
        s.Fuel = null;
        for (int k = 0; k < 10; k++) Call(s, m, "three");
        Assert.That(s.Fuel, Is.Null);
    }

    [Test]
    public void TheCallDepthBudgetCountsFramesOfNestedInvocationsToo()
    {
        // f(n) calls the host, which calls f(n - 1) again: Wasm and host frames alternate.
        var b = new ModuleBuilder();
        var host = b.ImportFunc("env", "down", Sig([I32], [I32]));
        b.Func(Sig([I32], [I32]), [Get(0), Eqz32, If(Res(I32), [C32(0)], [Get(0), C32(1), Sub32, new Call(host), C32(1), Add32])], "f");
        var s = NewStore(new StorePolicy { MaxCallDepth = 50 });
        FuncInst? f = null;
        var down = Embedding.AllocFunc(s, Sig([I32], [I32]), a => Embedding.Invoke(s, f!, a));
        var m = b.Instantiate(s, new ExternVal.Func(down));
        f = ((ExternVal.Func)m.Export("f")!).Inst;
        Assert.That(Call(s, m, "f", Value.I32(40))[0].AsI32, Is.EqualTo(40));
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "f", Value.I32(60)))!;
        Assert.That(e.Reason, Is.EqualTo("call stack exhausted"));
        Assert.That(Call(s, m, "f", Value.I32(40))[0].AsI32, Is.EqualTo(40), "the budget is whole again after exhaustion");
    }

    [Test]
    public void UnboundedReentryThroughTheHostIsExhaustionNotACrash()
    {
        var b = new ModuleBuilder();
        var host = b.ImportFunc("env", "again", Sig([], []));
        b.Func(Sig([], []), [new Call(host)], "f");
        var s = NewStore(new StorePolicy { MaxCallDepth = int.MaxValue });
        FuncInst? f = null;
        var again = Embedding.AllocFunc(s, Sig([], []), _ => Embedding.Invoke(s, f!, []));
        var m = b.Instantiate(s, new ExternVal.Func(again));
        f = ((ExternVal.Func)m.Export("f")!).Inst;
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "f"))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.CallStackExhausted));
    }

    [Test]
    public void InterruptStopsARunningLoopFromAnotherThread()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [Loop(Res(), new Br(0))], "spin");
        var s = NewStore();
        var m = b.Instantiate(s);
        using var timer = new Timer(_ => s.Interrupt(), null, 50, Timeout.Infinite);
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "spin"))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.Interrupted));
        Assert.That(e.Reason, Is.EqualTo("interrupted"));
        // The request is consumed: the store runs again.
        b.Func(Sig([], [I32]), [C32(3)], "three");
        var m2 = b.Instantiate(s);
        Assert.That(Call(s, m2, "three")[0].AsI32, Is.EqualTo(3));
    }

    [Test]
    public void ADeadlineStopsARunningLoopAndEveryLaterCall()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [Loop(Res(), new Br(0))], "spin");
        b.Func(Sig([], [I32]), [C32(3)], "three");
        var s = NewStore();
        var m = b.Instantiate(s);
        s.SetDeadline(TimeSpan.FromMilliseconds(50));
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "spin"))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.DeadlineExceeded));
        Assert.That(e.Reason, Is.EqualTo("deadline exceeded"));
        Assert.That(s.Stopping.IsCancellationRequested, "host calls that wait on the store see it stop");
        s.Interrupt();
        e = Assert.Throws<ExhaustionException>(() => Call(s, m, "three"))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.DeadlineExceeded), "a passed deadline stays, and an interruption does not hide it");
    }

    [Test]
    public void ADeadlineEndsAHostCallThatWaitsOnTheStore()
    {
        var b = new ModuleBuilder();
        var wait = b.ImportFunc("env", "wait", Sig([], []));
        b.Func(Sig([], []), [new Call(wait)], "f");
        var s = NewStore();
        // A host function that blocks until the store must stop, as WASI's sleeping and reading do.
        var host = Embedding.AllocFunc(s, Sig([], []), _ =>
        {
            s.Stopping.WaitHandle.WaitOne();
            s.ThrowIfStopping();
            return [];
        });
        var m = b.Instantiate(s, new ExternVal.Func(host));
        s.SetDeadline(TimeSpan.FromMilliseconds(50));
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "f"))!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.DeadlineExceeded));
    }

    [Test]
    public void EveryTrapCodeHasOneMessageAndOneKind()
    {
        var codes = Enum.GetValues<TrapCode>();
        Assert.That(codes.Select(Traps.Message).Distinct().Count(), Is.EqualTo(codes.Length));
        foreach (var c in codes)
        {
            var e = Traps.Exception(c);
            Assert.That(e.Reason, Is.EqualTo(Traps.Message(c)));
            Assert.That(e, Traps.IsExhaustion(c) ? Is.InstanceOf<ExhaustionException>() : Is.InstanceOf<TrapException>());
        }
        Assert.That(new TrapException(TrapCode.UninitializedElement, "7").Reason, Is.EqualTo("uninitialized element 7"));
    }
}

/// <summary>The engines every engine-neutral test runs on (the JIT meters fuel, as these tests use it).</summary>
public static class Engines
{
    public static IEnumerable<IEngine> All => [Reduction.Interpreter.Engine, new Native.Jit(new Native.JitOptions { Fuel = true })];
}
