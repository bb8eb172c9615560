using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;
using static Spec.Native.X64.Reg;

namespace Spec.Native.Compiler;

// §4.4.7 Memory instructions (spectec 4.3-execution.instructions, "Memory instructions"): every access is
// checked explicitly, ea + N <= |BYTES| against the length in the memory's cell (Step_read/load-num-oob and the
// like trap "out of bounds memory access"). The check is left out only where it is provably true: a constant
// address below the memory's minimum size, which it can never shrink below. Memory 0's base and cell are in
// r13 and r12; other memories are reached through their addresses, constants of this instance.

internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Emits the bounds check for an access of <paramref name="size"/> bytes at <paramref name="addr"/> +
    /// <paramref name="offset"/> in memory <paramref name="memIdx"/>, and returns the operand of the access. The
    /// operand may use the scratch register and <paramref name="addr"/>'s register: use it at once, then
    /// <see cref="ReleaseAddress"/>.
    /// </summary>
    Mem Address(uint memIdx, in Entry addr, ulong offset, int size)
    {
        var mem = mc.Instance.Mems[(int)memIdx];
        bool mem64 = mem.Type.AddrType == AddrType.I64;
        var trap = TrapLabel(TrapCode.OutOfBoundsMemoryAccess);
        ulong minBytes = mem.Type.Limits.Min << mem.Type.PageSizeLog2;
        Reg baseReg = R13, cellReg = R12;
        if (memIdx != 0)
        {
            // Not pinned: the cell's address in the scratch register, the base loaded after the check.
            baseReg = Scratch;
            cellReg = Scratch;
        }
        if (addr.Kind == Kind.Const)
        {
            ulong i = mem64 ? addr.Bits : (uint)addr.Bits;
            ulong ea = i + offset;
            bool overflow = ea < i || ea > ulong.MaxValue - (ulong)size;
            if (!overflow && ea + (ulong)size <= minBytes)
            {
                if (memIdx != 0) a.MovImm(Scratch, (ulong)mem.Base);
                if (ea <= int.MaxValue) return Mem.At(baseReg, (int)ea);
                var t = AllocGpr();
                addressTemp = t;
                a.MovImm(t, ea);
                return Mem.At(baseReg, t, 1);
            }
            if (overflow) { a.Jmp(trap); return Mem.At(R13); }
            var end = AllocGpr();
            addressTemp = end;
            a.MovImm(end, ea + (ulong)size);
            if (memIdx != 0) a.MovImm(Scratch, (ulong)mc.MemoryCell(memIdx));
            a.Alu(AluOp.Cmp, Width.W64, end, Mem.At(cellReg, Layout.CellLength));
            a.Jcc(Cond.A, trap);
            if (memIdx != 0) a.MovImm(Scratch, (ulong)mem.Base);
            return Mem.At(baseReg, end, 1, -size);
        }
        ulong reach = offset + (ulong)size;
        // An i64 memory's offset may reach past 2^64 with the access's size: no address is in bounds then.
        if (reach < offset) { a.Jmp(trap); return Mem.At(R13); }
        var r = ReadGpr(addr);
        addressRead = (addr, r);
        var e = AllocGpr();
        addressTemp = e;
        bool reachFits = offset <= int.MaxValue - 64;
        if (!mem64)
        {
            // An i32 address is zero-extended, so i + offset + N cannot overflow 64 bits.
            if (reachFits) a.Lea(Width.W64, e, Mem.At(r, (int)reach));
            else
            {
                a.MovImm(e, reach);
                a.Alu(AluOp.Add, Width.W64, e, r);
            }
        }
        else
        {
            a.Mov(Width.W64, e, r);
            if (reachFits) a.Alu(AluOp.Add, Width.W64, e, (int)reach);
            else
            {
                a.MovImm(Scratch, reach);
                a.Alu(AluOp.Add, Width.W64, e, Scratch);
            }
            a.Jcc(Cond.B, trap); // carry: beyond 2^64
        }
        if (memIdx != 0) a.MovImm(Scratch, (ulong)mc.MemoryCell(memIdx));
        a.Alu(AluOp.Cmp, Width.W64, e, Mem.At(cellReg, Layout.CellLength));
        a.Jcc(Cond.A, trap);
        if (memIdx != 0) a.MovImm(Scratch, (ulong)mem.Base);
        return reachFits ? Mem.At(baseReg, r, 1, (int)offset) : Mem.At(baseReg, e, 1, -size);
    }

    Reg? addressTemp;
    (Entry Entry, Reg Reg)? addressRead;

    void ReleaseAddress(in Entry addr)
    {
        if (addressTemp is { } t) Release(t);
        if (addressRead is { } read) ReleaseRead(read.Entry, read.Reg);
        addressTemp = null;
        addressRead = null;
        Release(addr);
    }

    /// <summary>Step_read/load-num-val, load-pack-val.</summary>
    void Load(Load l)
    {
        var addr = Pop();
        MaterializeFlagsOf(ref addr);
        var cls = ClassOf(l.Type);
        int size = l.Op is { } op ? (int)op.Size / 8 : l.Type is NumType.I32 or NumType.F32 ? 4 : 8;
        if (Abi.IsFloat(cls))
        {
            var x = AllocXmm();
            var m = Address(l.Mem, addr, l.Arg.Offset, size);
            if (cls == VClass.F32) a.MovssLoad(x, m); else a.MovsdLoad(x, m);
            ReleaseAddress(addr);
            PushXmm(cls, x);
            return;
        }
        var d = AllocGpr();
        var at = Address(l.Mem, addr, l.Arg.Offset, size);
        switch (l.Op)
        {
            case null: a.Mov(WidthOf(l.Type), d, at); break;
            case { Size: Sz.S8 or Sz.S16 } p when p.Sx == Sx.U: a.Movzx(d, p.Size == Sz.S8 ? Width.W8 : Width.W16, at); break;
            case { Size: Sz.S8 or Sz.S16 } p: a.Movsx(WidthOf(l.Type), d, p.Size == Sz.S8 ? Width.W8 : Width.W16, at); break;
            case { Sx: Sx.U }: a.Mov(Width.W32, d, at); break;
            default: a.Movsx(Width.W64, d, Width.W32, at); break;
        }
        ReleaseAddress(addr);
        PushGpr(cls, d);
    }

    /// <summary>Step/store-num-val, store-pack-val.</summary>
    void Store(Syntax.Store s)
    {
        var v = Pop();
        var addr = Pop();
        MaterializeFlagsOf(ref v);
        MaterializeFlagsOf(ref addr);
        var cls = ClassOf(s.Type);
        int size = s.Size is { } sz ? (int)sz / 8 : s.Type is NumType.I32 or NumType.F32 ? 4 : 8;
        var w = size switch { 1 => Width.W8, 2 => Width.W16, 4 => Width.W32, _ => Width.W64 };
        if (Abi.IsFloat(cls))
        {
            var x = ReadXmm(v);
            var m = Address(s.Mem, addr, s.Arg.Offset, size);
            if (cls == VClass.F32) a.MovssStore(m, x); else a.MovsdStore(m, x);
            ReleaseAddress(addr);
            ReleaseRead(v, x);
            Release(v);
            return;
        }
        if (v.Kind == Kind.Const && (w != Width.W64 || (long)v.Bits == (int)v.Bits))
        {
            var m = Address(s.Mem, addr, s.Arg.Offset, size);
            a.Mov(w, m, w switch { Width.W8 => (sbyte)v.Bits, Width.W16 => (short)v.Bits, _ => (int)v.Bits });
            ReleaseAddress(addr);
            return;
        }
        var r = ReadGpr(v);
        var at = Address(s.Mem, addr, s.Arg.Offset, size);
        a.Mov(w, at, r);
        ReleaseAddress(addr);
        ReleaseRead(v, r);
        Release(v);
    }

    /// <summary>A popped condition becomes a register value (an address or a stored value is no branch condition).</summary>
    void MaterializeFlagsOf(ref Entry e)
    {
        if (e.Kind != Kind.Flags) return;
        var r = AllocGpr();
        LoadGpr(r, e);
        e = Entry.InGpr(VClass.I32, r);
    }

    /// <summary>Step_read/memory.size: the length over the page size.</summary>
    void MemorySize(MemorySize m)
    {
        MaterializeFlags();
        var mem = mc.Instance.Mems[(int)m.Mem];
        var d = AllocGpr();
        if (m.Mem == 0) a.Mov(Width.W64, d, Mem.At(R12, Layout.CellLength));
        else
        {
            a.MovImm(Scratch, (ulong)mc.MemoryCell(m.Mem));
            a.Mov(Width.W64, d, Mem.At(Scratch, Layout.CellLength));
        }
        a.Shift(ShiftOp.Shr, Width.W64, d, mem.Type.PageSizeLog2);
        PushGpr(mem.Type.AddrType == AddrType.I64 ? VClass.I64 : VClass.I32, d);
    }
}
