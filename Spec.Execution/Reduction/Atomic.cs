using Spec.Syntax;

namespace Spec.Execution.Reduction;

// The threads proposal (not Wasm 3.0): atomic memory instructions, each one sequentially consistent access to the
// memory's bytes (MemInst's atomics, which other threads' accesses to a shared memory cannot tear or reorder), and
// wait/notify over the memory's waiter queues, blocking this thread until notified, timed out or stopped.

public sealed partial class Interpreter
{
    /// <summary>The effective address of an atomic access of <paramref name="n"/> bytes: in bounds, then aligned.</summary>
    ulong AtomicEffective(MemInst mem, ulong i, ulong offset, ulong n, string rule)
    {
        var ea = Effective(mem, i, offset, n, rule + "-oob");
        if (ea % n != 0) throw Trap(TrapCode.UnalignedAtomic, rule + "-unaligned");
        return ea;
    }

    // Step/atomic-load, atomic-store, atomic-rmw, atomic-cmpxchg: the packed forms zero-extend what they read.
    string StepAtomic(Atomic a)
    {
        var mem = Mem(a.Mem);
        int bits = a.Size is { } sz ? (int)sz : a.Type == NumType.I32 ? 32 : 64;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong operand = a.Op == AtomicOp.Load ? 0 : Pop().Bits & mask;
        ulong expected = a.Op == AtomicOp.Cmpxchg ? Pop().Bits & mask : 0;
        var addr = PopAddr(mem.Type.AddrType);
        var rule = a.Op switch { AtomicOp.Load => "Step/atomic-load", AtomicOp.Store => "Step/atomic-store", AtomicOp.Cmpxchg => "Step/atomic-cmpxchg", _ => "Step/atomic-rmw" };
        var ea = AtomicEffective(mem, addr, a.Arg.Offset, (ulong)bits / 8, rule);
        switch (a.Op)
        {
            case AtomicOp.Store: mem.AtomicStore(ea, bits, operand); return rule;
            case AtomicOp.Load: Push(Value.Num(a.Type, mem.AtomicLoad(ea, bits))); return rule;
            case AtomicOp.Cmpxchg: Push(Value.Num(a.Type, mem.AtomicCompareExchange(ea, bits, expected, operand))); return rule;
            default: Push(Value.Num(a.Type, mem.AtomicRmw(ea, bits, a.Op, operand))); return rule;
        }
    }

    // Step/atomic.fence: a full fence, ordering this thread's accesses before it against those after it.
    string StepAtomicFence()
    {
        Interlocked.MemoryBarrier();
        return "Step/atomic.fence";
    }

    // Step/memory.atomic.notify: wakes up to count waiters at the address, oldest first; an unshared memory has none.
    string StepMemoryAtomicNotify(MemoryAtomicNotify n)
    {
        var mem = Mem(n.Mem);
        var count = Pop().AsU32;
        var addr = PopAddr(mem.Type.AddrType);
        var ea = AtomicEffective(mem, addr, n.Arg.Offset, 4, "Step/memory.atomic.notify");
        Push(Value.I32(mem.Notify(ea, count)));
        return "Step/memory.atomic.notify";
    }

    // Step/memory.atomic.wait: 1 ("not-equal") when the value differs, else blocks until notified (0) or the timeout
    // in nanoseconds passes (2; negative: never); an unshared memory traps.
    string StepMemoryAtomicWait(MemoryAtomicWait w)
    {
        var mem = Mem(w.Mem);
        int bits = w.Type == NumType.I32 ? 32 : 64;
        long timeout = (long)Pop().Bits;
        ulong expected = Pop().Bits & (bits == 32 ? uint.MaxValue : ulong.MaxValue);
        var addr = PopAddr(mem.Type.AddrType);
        var ea = AtomicEffective(mem, addr, w.Arg.Offset, (ulong)bits / 8, "Step/memory.atomic.wait");
        if (!mem.Type.Shared) throw Trap(TrapCode.ExpectedSharedMemory, "Step/memory.atomic.wait-unshared");
        Push(Value.I32(mem.Wait(store, ea, bits, expected, timeout)));
        return "Step/memory.atomic.wait";
    }
}
