using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

// The threads proposal's atomics under single-threaded semantics.
public class AtomicTests
{
    static readonly MemArg W = new(2, 0), D = new(3, 0), B = new(0, 0);

    static (Store, ModuleInstance) Module(bool shared)
    {
        var b = new ModuleBuilder();
        b.Memory(1, 1, "mem", shared: shared);
        b.ActiveData(0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
        b.Func(Sig([I32, I32], [I32]), [Get(0), Get(1), new Atomic(NumType.I32, null, AtomicOp.Add, 0, W)], "add");
        b.Func(Sig([I32, I64], [I64]), [Get(0), Get(1), new Atomic(NumType.I64, Sz.S8, AtomicOp.Sub, 0, B)], "sub8");
        b.Func(Sig([I32, I64, I64], [I64]), [Get(0), Get(1), Get(2), new Atomic(NumType.I64, Sz.S32, AtomicOp.Cmpxchg, 0, W)], "cmpxchg32");
        b.Func(Sig([I32], [I64]), [Get(0), new Atomic(NumType.I64, null, AtomicOp.Load, 0, D)], "load64");
        b.Func(Sig([I32, I32, I64], [I32]), [Get(0), Get(1), Get(2), new MemoryAtomicWait(NumType.I32, 0, W)], "wait32");
        b.Func(Sig([I32, I32], [I32]), [Get(0), Get(1), new MemoryAtomicNotify(0, W), AtomicFence.I], "notify");
        var s = new Store();
        return (s, b.Instantiate(s));
    }

    [Test]
    public void Rmw_returns_the_old_value_and_writes_the_new_one()
    {
        var (s, m) = Module(shared: true);
        Assert.That(Call(s, m, "add", Value.I32(0), Value.I32(1))[0].AsU32, Is.EqualTo(0x44332211u));
        Assert.That(Call(s, m, "load64", Value.I32(0))[0].Bits, Is.EqualTo(0x8877665544332212UL));
        Assert.That(Call(s, m, "sub8", Value.I32(1), Value.I64(0x23))[0].Bits, Is.EqualTo(0x22UL), "zero-extended old byte");
        Assert.That(Call(s, m, "load64", Value.I32(0))[0].Bits, Is.EqualTo(0x887766554433FF12UL), "0x22 - 0x23 wraps within the byte");
    }

    [Test]
    public void Cmpxchg_compares_the_wrapped_expected_value()
    {
        var (s, m) = Module(shared: false);
        Assert.That(Call(s, m, "cmpxchg32", Value.I32(4), Value.I64(unchecked((long)0xFFFFFFFF88776655UL)), Value.I64(7))[0].Bits, Is.EqualTo(0x88776655UL));
        Assert.That(Call(s, m, "load64", Value.I32(0))[0].Bits, Is.EqualTo(0x0000000744332211UL));
        Assert.That(Call(s, m, "cmpxchg32", Value.I32(4), Value.I64(8), Value.I64(9))[0].Bits, Is.EqualTo(7UL), "no match: unchanged");
        Assert.That(Call(s, m, "load64", Value.I32(0))[0].Bits, Is.EqualTo(0x0000000744332211UL));
    }

    [Test]
    public void Unaligned_addresses_trap_after_the_bounds_check()
    {
        var (s, m) = Module(shared: true);
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "add", Value.I32(2), Value.I32(1)))!.Reason, Is.EqualTo("unaligned atomic"));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "add", Value.I32(65534), Value.I32(1)))!.Reason, Is.EqualTo("out of bounds memory access"));
    }

    [Test]
    public void Wait_needs_a_shared_memory_and_never_blocks_with_one_thread()
    {
        var (s, m) = Module(shared: true);
        Assert.That(Call(s, m, "wait32", Value.I32(0), Value.I32(0), Value.I64(-1))[0].AsI32, Is.EqualTo(1), "not-equal");
        Assert.That(Call(s, m, "wait32", Value.I32(0), Value.I32(0x44332211), Value.I64(0))[0].AsI32, Is.EqualTo(2), "timed-out");
        Assert.That(Call(s, m, "notify", Value.I32(0), Value.I32(5))[0].AsI32, Is.EqualTo(0));
        var (s2, m2) = Module(shared: false);
        Assert.That(Assert.Throws<TrapException>(() => Call(s2, m2, "wait32", Value.I32(0), Value.I32(0), Value.I64(0)))!.Reason, Is.EqualTo("expected shared memory"));
        Assert.That(Call(s2, m2, "notify", Value.I32(0), Value.I32(5))[0].AsI32, Is.EqualTo(0));
    }
}
