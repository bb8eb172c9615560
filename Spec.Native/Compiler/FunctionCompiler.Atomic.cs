using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// The threads proposal's atomic accesses (Step/atomic-load, atomic-store, atomic-rmw, atomic-cmpxchg), inline and
// sequentially consistent under x86-64's memory order: a load is a plain aligned move, a store an exchange (xchg locks
// implicitly: a full fence, so SB's "both loads read 0" cannot happen), add/sub/xchg a locked xadd or xchg, and/or/xor
// and cmpxchg a lock cmpxchg (retried for and/or/xor until no other thread wrote between). Each access is checked as a
// plain one (Address: "out of bounds memory access"), then for alignment ("unaligned atomic"). atomic.fence is
// mfence; memory.atomic.wait and notify block and queue, so the runtime does them.

internal sealed partial class FunctionCompiler
{
    void AtomicAccess(Atomic x)
    {
        int size = x.Size is { } sz ? (int)sz / 8 : x.Type == NumType.I32 ? 4 : 8;
        var w = size switch { 1 => Width.W8, 2 => Width.W16, 4 => Width.W32, _ => Width.W64 };
        var cls = ClassOf(x.Type);
        switch (x.Op)
        {
            case AtomicOp.Load: AtomicLoad(x, size, w, cls); break;
            case AtomicOp.Store: AtomicStore(x, size, w); break;
            case AtomicOp.Add or AtomicOp.Sub or AtomicOp.Xchg: AtomicXadd(x, size, w, cls); break;
            case AtomicOp.Cmpxchg: AtomicCmpxchg(x, size, w, cls); break;
            default: AtomicBitwise(x, size, w, cls); break;
        }
    }

    /// <summary>After <see cref="Address"/>: "unaligned atomic" unless i + offset is a multiple of <paramref name="size"/>.</summary>
    void CheckAligned(uint memIdx, in Entry addr, ulong offset, int size)
    {
        if (size == 1) return;
        var unaligned = TrapLabel(TrapCode.UnalignedAtomic);
        if (addr.Kind == Kind.Const)
        {
            ulong i = mc.Instance.Mems[(int)memIdx].Type.AddrType == AddrType.I64 ? addr.Bits : (uint)addr.Bits;
            if (((i + offset) & (ulong)(size - 1)) != 0) a.Jmp(unaligned);
        }
        else if (addressTemp is { } end)
        {
            // Address left i + offset + size there, aligned exactly when i + offset is (size is a power of two).
            a.Test(Width.W32, end, size - 1);
            a.Jcc(Cond.NE, unaligned);
        }
    }

    /// <summary>Step/atomic-load: a plain move, zero-extending the packed forms.</summary>
    void AtomicLoad(Atomic x, int size, Width w, VClass cls)
    {
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        var d = AllocGpr();
        var m = Address(x.Mem, addr, x.Arg.Offset, size);
        CheckAligned(x.Mem, addr, x.Arg.Offset, size);
        if (size < 4) a.Movzx(d, w, m); else a.Mov(w, d, m);
        ReleaseAddress(addr);
        PushGpr(cls, d);
    }

    /// <summary>Step/atomic-store: an exchange, whose implicit lock orders it with every later load.</summary>
    void AtomicStore(Atomic x, int size, Width w)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref v);
        MaterializeFlagsOf(ref addr);
        var r = OwnGpr(v); // xchg writes the old value back into it
        var m = Address(x.Mem, addr, x.Arg.Offset, size);
        CheckAligned(x.Mem, addr, x.Arg.Offset, size);
        a.Xchg(w, m, r);
        ReleaseAddress(addr);
        Release(r);
    }

    /// <summary>Step/atomic-rmw for add, sub (adding the negation) and xchg: lock xadd or xchg leave the old value in the register.</summary>
    void AtomicXadd(Atomic x, int size, Width w, VClass cls)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref v);
        MaterializeFlagsOf(ref addr);
        var r = OwnGpr(v);
        if (x.Op == AtomicOp.Sub) a.Unary(UnaryOp.Neg, Width.W64, r);
        var m = Address(x.Mem, addr, x.Arg.Offset, size);
        CheckAligned(x.Mem, addr, x.Arg.Offset, size);
        if (x.Op == AtomicOp.Xchg) a.Xchg(w, m, r); else a.LockXadd(w, m, r);
        if (size < 4) a.Movzx(r, w, r);
        ReleaseAddress(addr);
        PushGpr(cls, r);
    }

    /// <summary>Step/atomic-rmw for and, or and xor: lock cmpxchg of old op v against old, until no other write came between.</summary>
    void AtomicBitwise(Atomic x, int size, Width w, VClass cls)
    {
        Claim(Rax); // before the operands leave the stack: one in rax moves out
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref v);
        MaterializeFlagsOf(ref addr);
        var r = ReadGpr(v);
        var t = AllocGpr();
        var m = Address(x.Mem, addr, x.Arg.Offset, size);
        CheckAligned(x.Mem, addr, x.Arg.Offset, size);
        // rax: the value last read, zero-extended (a failed cmpxchg reloads only its width, the rest stays zero).
        if (size < 4) a.Movzx(Rax, w, m); else a.Mov(w, Rax, m);
        var retry = a.NewLabel();
        a.Bind(retry);
        a.Mov(Width.W64, t, Rax);
        a.Alu(x.Op switch { AtomicOp.And => AluOp.And, AtomicOp.Or => AluOp.Or, _ => AluOp.Xor }, Width.W64, t, r);
        a.LockCmpxchg(w, m, t);
        a.Jcc(Cond.NE, retry);
        ReleaseAddress(addr);
        ReleaseRead(v, r);
        Release(v);
        Release(t);
        PushGpr(cls, Rax);
    }

    /// <summary>Step/atomic-cmpxchg: lock cmpxchg compares the wrapped expected value in rax and leaves the value read there.</summary>
    void AtomicCmpxchg(Atomic x, int size, Width w, VClass cls)
    {
        Claim(Rax);
        var replacement = Pop();
        var expected = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref replacement);
        MaterializeFlagsOf(ref expected);
        MaterializeFlagsOf(ref addr);
        LoadGpr(Rax, expected);
        Release(expected);
        var r = ReadGpr(replacement);
        var m = Address(x.Mem, addr, x.Arg.Offset, size);
        CheckAligned(x.Mem, addr, x.Arg.Offset, size);
        a.LockCmpxchg(w, m, r);
        // On success rax still holds the whole expected operand: only the accessed width is the value read.
        if (size < 4) a.Movzx(Rax, w, Rax);
        else if (size == 4) a.Mov(Width.W32, Rax, Rax);
        ReleaseAddress(addr);
        ReleaseRead(replacement, r);
        Release(replacement);
        PushGpr(cls, Rax);
    }
}
