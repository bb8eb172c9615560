using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class MemoryTests
{
    static readonly MemArg A = new(0, 0);

    static (Store, ModuleInstance) Memory(ulong min = 1, ulong? max = 4)
    {
        var b = new ModuleBuilder();
        b.Memory(min, max, "mem");
        b.ActiveData(0, 16, 1, 2, 3, 4);
        b.Func(Sig([I32], [I32]), [Get(0), new Load(NumType.I32, null, 0, A)], "load");
        b.Func(Sig([I32], [I32]), [Get(0), new Load(NumType.I32, new LoadOp(Sz.S8, Sx.S), 0, new MemArg(0, 1))], "load8_s_off1");
        b.Func(Sig([I32, I64], []), [Get(0), Get(1), new Syntax.Store(NumType.I64, null, 0, A)], "store64");
        b.Func(Sig([I32], [I32]), [Get(0), new MemoryGrow(0)], "grow");
        b.Func(Sig([], [I32]), [new MemorySize(0)], "size");
        b.Func(Sig([I32, I32, I32], []), [Get(0), Get(1), Get(2), new MemoryFill(0)], "fill");
        b.Func(Sig([I32, I32, I32], []), [Get(0), Get(1), Get(2), new MemoryCopy(0, 0)], "copy");
        var s = new Store();
        return (s, b.Instantiate(s));
    }

    [Test]
    public void DataSegmentsInitialiseMemory()
    {
        var (s, m) = Memory();
        Assert.That(Call(s, m, "load", Value.I32(16))[0].AsU32, Is.EqualTo(0x04030201u));
        Assert.That(Call(s, m, "load8_s_off1", Value.I32(16))[0].AsI32, Is.EqualTo(2));
    }

    [Test]
    public void PackedLoadsExtend()
    {
        var (s, m) = Memory();
        Call(s, m, "store64", Value.I32(0), Value.I64(unchecked((long)0xfffffffffffffff0UL)));
        Assert.That(Call(s, m, "load8_s_off1", Value.I32(0))[0].AsI32, Is.EqualTo(-1));
    }

    [TestCase(65533)]
    [TestCase(-1)]
    [TestCase(65536)]
    public void OutOfBoundsAccessTraps(int address)
    {
        var (s, m) = Memory();
        var e = Assert.Throws<TrapException>(() => Call(s, m, "load", Value.I32(address)))!;
        Assert.That(e.Reason, Is.EqualTo("out of bounds memory access"));
        Assert.That(Call(s, m, "load", Value.I32(65532))[0].AsI32, Is.EqualTo(0));
    }

    [Test]
    public void GrowKeepsTheBaseAddressAndRespectsTheMaximum()
    {
        var (s, m) = Memory();
        var mem = ((ExternVal.Mem)m.Export("mem")!).Inst;
        var baseAddr = mem.Base;
        Assert.That(Call(s, m, "grow", Value.I32(2))[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "size")[0].AsI32, Is.EqualTo(3));
        Assert.That(mem.Base, Is.EqualTo(baseAddr));
        Assert.That(Call(s, m, "load", Value.I32(3 * 65536 - 4))[0].AsI32, Is.EqualTo(0));
        Assert.That(Call(s, m, "grow", Value.I32(2))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Call(s, m, "grow", Value.I32(1))[0].AsI32, Is.EqualTo(3));
        Assert.That(Call(s, m, "grow", Value.I32(0))[0].AsI32, Is.EqualTo(4));
    }

    [Test]
    public void UnboundedMemoryGrowsToTheAddressSpaceOnly()
    {
        var (s, m) = Memory(1, null);
        Assert.That(Call(s, m, "grow", Value.I32(0x10000))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Call(s, m, "grow", Value.I32(0x10001))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Call(s, m, "grow", Value.I32(16))[0].AsI32, Is.EqualTo(1));
    }

    [Test]
    public void Memory64GrowsUpToTheReservationCap()
    {
        var b = new ModuleBuilder();
        b.Memory(1, null, "mem", AddrType.I64);
        b.Func(Sig([I64], [I64]), [Get(0), new MemoryGrow(0)], "grow");
        var s = new Store(policy: new StorePolicy { Memory64ReservationCap = 8UL << 16 });
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "grow", Value.I64(8))[0].AsI64, Is.EqualTo(-1));
        Assert.That(Call(s, m, "grow", Value.I64(7))[0].AsI64, Is.EqualTo(1));
    }

    [Test]
    public void BulkFillAndCopyCheckBoundsFirst()
    {
        var (s, m) = Memory();
        Call(s, m, "fill", Value.I32(100), Value.I32(0xab), Value.I32(10));
        Assert.That(Call(s, m, "load", Value.I32(100))[0].AsU32, Is.EqualTo(0xababababu));
        Call(s, m, "copy", Value.I32(102), Value.I32(100), Value.I32(10)); // overlapping, forwards
        Assert.That(Call(s, m, "load", Value.I32(108))[0].AsU32, Is.EqualTo(0xababababu));
        Assert.That(Call(s, m, "load", Value.I32(110))[0].AsU32, Is.EqualTo(0x0000ababu));
        var e = Assert.Throws<TrapException>(() => Call(s, m, "fill", Value.I32(65530), Value.I32(1), Value.I32(7)))!;
        Assert.That(e.Reason, Is.EqualTo("out of bounds memory access"));
        Assert.That(Call(s, m, "load", Value.I32(65532))[0].AsI32, Is.EqualTo(0), "nothing written when out of bounds");
        Assert.DoesNotThrow(() => Call(s, m, "fill", Value.I32(65536), Value.I32(1), Value.I32(0)));
    }

    [Test]
    public void EmbedderReadsAndWritesMemory()
    {
        var (s, m) = Memory();
        var mem = ((ExternVal.Mem)m.Export("mem")!).Inst;
        Embedding.WriteMemory(mem, 200, [9, 8, 7, 6]);
        Assert.That(Call(s, m, "load", Value.I32(200))[0].AsU32, Is.EqualTo(0x06070809u));
        Assert.That(Embedding.ReadMemory(mem, 16, 4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.Throws<TrapException>(() => Embedding.ReadMemory(mem, 65535, 2));
    }

    [Test]
    public void DataSegmentOutOfBoundsFailsInstantiationAfterEarlierSegments()
    {
        var b = new ModuleBuilder();
        b.Import("env", "mem", new MemExtern(new MemType(AddrType.I32, new Limits(1, null))));
        b.ActiveData(0, 0, 42);
        b.ActiveData(0, 65536, 1);
        var s = new Store();
        var mem = Embedding.AllocMem(s, new MemType(AddrType.I32, new Limits(1, null)));
        var e = Assert.Throws<TrapException>(() => b.Instantiate(s, new ExternVal.Mem(mem)))!;
        Assert.That(e.Reason, Is.EqualTo("out of bounds memory access"));
        Assert.That(e.Phase, Is.EqualTo(Phase.Instantiate));
        Assert.That(Embedding.ReadMemory(mem, 0, 1)[0], Is.EqualTo(42), "the first segment was written");
    }

    [Test]
    public void AddressSpaceOfDeadStoresIsReclaimed()
    {
        // Each 32-bit memory reserves 4 GiB; more of them than the address space holds must still be creatable
        // one after another when the earlier ones are unreachable.
        for (int k = 0; k < 40_000; k++)
        {
            var mem = Embedding.AllocMem(new Store(), new MemType(AddrType.I32, new Limits(1, null)));
            Assert.That(mem.Reserved, Is.EqualTo(1UL << 32));
        }
    }

    [Test]
    public void TooManyLiveMemoriesAreExhaustionNotACrash()
    {
        // Past the store's own count, the process's mappings run out: that too is exhaustion.
        var s = new Store(policy: new StorePolicy { MaxMemories = int.MaxValue });
        var e = Assert.Throws<ExhaustionException>(() =>
        {
            for (int k = 0; k < 40_000; k++) Embedding.AllocMem(s, new MemType(AddrType.I32, new Limits(0, null)));
        })!;
        Assert.That(e.Reason, Is.EqualTo("out of memory"));
        foreach (var m in s.Mems) m.Dispose();
    }
}
