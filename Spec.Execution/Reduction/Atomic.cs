using Spec.Syntax;

namespace Spec.Execution.Reduction;

// The threads proposal (not Wasm 3.0): atomic memory instructions under single-threaded semantics.
// With one thread every atomic access is a plain access that additionally traps on an unaligned address,
// no waiter is ever woken, a wait on a shared memory that would block times out at once, and fences do nothing.

public sealed partial class Interpreter
{
    /// <summary>The effective address of an atomic access of <paramref name="n"/> bytes: in bounds, then aligned.</summary>
    ulong AtomicEffective(MemInst mem, ulong i, ulong offset, ulong n, string rule)
    {
        var ea = Effective(mem, i, offset, n, rule + "-oob");
        if (ea % n != 0) throw Trap(TrapCode.UnalignedAtomic, rule + "-unaligned");
        return ea;
    }

    ulong AtomicRead(MemInst mem, ulong ea, int bits) => bits switch
    {
        8 => mem.Read<byte>(ea),
        16 => mem.Read<ushort>(ea),
        32 => mem.Read<uint>(ea),
        _ => mem.Read<ulong>(ea),
    };

    void AtomicWrite(MemInst mem, ulong ea, int bits, ulong v)
    {
        switch (bits)
        {
            case 8: mem.Write(ea, (byte)v); break;
            case 16: mem.Write(ea, (ushort)v); break;
            case 32: mem.Write(ea, (uint)v); break;
            default: mem.Write(ea, v); break;
        }
    }

    // Step/atomic-load, atomic-store, atomic-rmw, atomic-cmpxchg: the packed forms zero-extend what they read.
    string StepAtomic(Atomic a)
    {
        var mem = Mem(a.Mem);
        int bits = a.Size is { } sz ? (int)sz : a.Type == NumType.I32 ? 32 : 64;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong replacement = a.Op == AtomicOp.Load ? 0 : Pop().Bits & mask;
        ulong expected = a.Op == AtomicOp.Cmpxchg ? Pop().Bits & mask : 0;
        var addr = PopAddr(mem.Type.AddrType);
        var rule = a.Op switch { AtomicOp.Load => "Step/atomic-load", AtomicOp.Store => "Step/atomic-store", AtomicOp.Cmpxchg => "Step/atomic-cmpxchg", _ => "Step/atomic-rmw" };
        var ea = AtomicEffective(mem, addr, a.Arg.Offset, (ulong)bits / 8, rule);
        if (a.Op == AtomicOp.Store)
        {
            AtomicWrite(mem, ea, bits, replacement);
            return rule;
        }
        ulong old = AtomicRead(mem, ea, bits);
        ulong? updated = a.Op switch
        {
            AtomicOp.Load => null,
            AtomicOp.Add => old + replacement,
            AtomicOp.Sub => old - replacement,
            AtomicOp.And => old & replacement,
            AtomicOp.Or => old | replacement,
            AtomicOp.Xor => old ^ replacement,
            AtomicOp.Xchg => replacement,
            _ => old == expected ? replacement : null,
        };
        if (updated is { } u) AtomicWrite(mem, ea, bits, u & mask);
        Push(Value.Num(a.Type, old));
        return rule;
    }

    // Step/memory.atomic.notify: no thread ever waits, so 0 waiters are woken (on shared and unshared memories).
    string StepMemoryAtomicNotify(MemoryAtomicNotify n)
    {
        var mem = Mem(n.Mem);
        Pop();
        var addr = PopAddr(mem.Type.AddrType);
        AtomicEffective(mem, addr, n.Arg.Offset, 4, "Step/memory.atomic.notify");
        Push(Value.I32(0));
        return "Step/memory.atomic.notify";
    }

    // Step/memory.atomic.wait: 1 ("not-equal") when the value differs, else 2 ("timed-out"): with one thread
    // no notify can ever come, so even an infinite timeout is reported as timed out rather than hanging.
    string StepMemoryAtomicWait(MemoryAtomicWait w)
    {
        var mem = Mem(w.Mem);
        int bits = w.Type == NumType.I32 ? 32 : 64;
        Pop();
        ulong expected = Pop().Bits;
        var addr = PopAddr(mem.Type.AddrType);
        var ea = AtomicEffective(mem, addr, w.Arg.Offset, (ulong)bits / 8, "Step/memory.atomic.wait");
        if (!mem.Type.Shared) throw Trap(TrapCode.ExpectedSharedMemory, "Step/memory.atomic.wait-unshared");
        Push(Value.I32(AtomicRead(mem, ea, bits) != expected ? 1 : 2));
        return "Step/memory.atomic.wait";
    }
}
