using System.Runtime.CompilerServices;
using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// §4.4.7 Memory instructions (spectec 4.3-execution.instructions, "Memory instructions").
// Bounds are checked explicitly against the current length: ea + N > |BYTES| traps.

public sealed unsafe partial class Interpreter
{
    /// <summary>The effective address i + offset of an access of <paramref name="n"/> bytes, or the trap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong Effective(MemInst mem, ulong i, ulong offset, ulong n, string oobRule)
    {
        var ea = i + offset;
        if (ea < i || !mem.InBounds(ea, n)) throw Trap(TrapCode.OutOfBoundsMemoryAccess, oobRule);
        return ea;
    }

    string StepLoad(in Inst i)
    {
        var mem = (MemInst)i.O!;
        var t = (NumType)i.A;
        var a = PopAddr(mem.Type.AddrType);
        if (i.B == 0)
        {
            // Step_read/load-num-val
            var n = t is NumType.I32 or NumType.F32 ? 4UL : 8UL;
            var ea = Effective(mem, a, i.C, n, "Step_read/load-num-oob");
            Push(Value.Num(t, n == 4 ? mem.Read<uint>(ea) : mem.Read<ulong>(ea)));
            pc++;
            return "Step_read/load-num-val";
        }
        // Step_read/load-pack-val: the packed value, extended
        int size = i.B >> 1;
        bool signed = (i.B & 1) == 1;
        var e = Effective(mem, a, i.C, (ulong)size / 8, "Step_read/load-pack-oob");
        ulong v = (size, signed) switch
        {
            (8, false) => mem.Read<byte>(e),
            (8, true) => (ulong)(long)mem.Read<sbyte>(e),
            (16, false) => mem.Read<ushort>(e),
            (16, true) => (ulong)(long)mem.Read<short>(e),
            (32, false) => mem.Read<uint>(e),
            _ => (ulong)(long)mem.Read<int>(e),
        };
        Push(Value.Num(t, v));
        pc++;
        return "Step_read/load-pack-val";
    }

    string StepStore(in Inst i)
    {
        var mem = (MemInst)i.O!;
        var v = Pop();
        var a = PopAddr(mem.Type.AddrType);
        var t = (NumType)i.A;
        int size = i.B != 0 ? i.B : t is NumType.I32 or NumType.F32 ? 32 : 64;
        var ea = Effective(mem, a, i.C, (ulong)size / 8, i.B != 0 ? "Step/store-pack-oob" : "Step/store-num-oob");
        switch (size)
        {
            case 8: mem.Write(ea, (byte)v.Bits); break;
            case 16: mem.Write(ea, (ushort)v.Bits); break;
            case 32: mem.Write(ea, (uint)v.Bits); break;
            default: mem.Write(ea, v.Bits); break;
        }
        if (recordChanges) ChangedBytes(mem, ea, BitConverter.GetBytes(v.Bits).AsSpan(0, size / 8).ToArray());
        pc++;
        return i.B != 0 ? "Step/store-pack-val" : "Step/store-num-val";
    }

    MemInst Mem(uint x) => module.mems[(int)x];

    void ChangedBytes(MemInst mem, ulong at, byte[] bytes) =>
        changes.Add(new StoreChange($"mem {store.mems.IndexOf(mem)} [0x{at:x}..0x{at + (ulong)bytes.Length:x})", Bytes: bytes));

    /// <summary>A bulk operation's bytes: the first 16 written are shown.</summary>
    void ChangedRange(MemInst mem, ulong at, ulong n) =>
        changes.Add(new StoreChange($"mem {store.mems.IndexOf(mem)} [0x{at:x}..0x{at + n:x})", Bytes: mem.Span(at, (int)Math.Min(n, 16)).ToArray()));

    string StepVLoad(VLoad l)
    {
        var mem = Mem(l.Mem);
        var a = PopAddr(mem.Type.AddrType);
        switch (l.Op)
        {
            case null:
            {
                var ea = Effective(mem, a, l.Arg.Offset, 16, "Step_read/vload-oob");
                Push(Value.V128(new V128(mem.Read<ulong>(ea), mem.Read<ulong>(ea + 8))));
                return "Step_read/vload-val";
            }
            case VLoadShape s:
            {
                var ea = Effective(mem, a, l.Arg.Offset, 8, "Step_read/vload-pack-oob");
                Push(Value.V128(Numerics.vload_extend((int)s.Size, s.Sx, mem.Read<ulong>(ea))));
                return "Step_read/vload-pack-val";
            }
            case VLoadSplat s:
            {
                var ea = Effective(mem, a, l.Arg.Offset, (ulong)s.Size / 8, "Step_read/vload-splat-oob");
                Push(Value.V128(Numerics.vload_splat((int)s.Size, ReadN(mem, ea, (int)s.Size))));
                return "Step_read/vload-splat-val";
            }
            case VLoadZero z:
            {
                var ea = Effective(mem, a, l.Arg.Offset, (ulong)z.Size / 8, "Step_read/vload-zero-oob");
                Push(Value.V128(Numerics.vload_zero((int)z.Size, ReadN(mem, ea, (int)z.Size))));
                return "Step_read/vload-zero-val";
            }
            default: throw new InvalidOperationException("unknown vector load");
        }
    }

    static ulong ReadN(MemInst mem, ulong ea, int bits) => bits switch
    {
        8 => mem.Read<byte>(ea), 16 => mem.Read<ushort>(ea), 32 => mem.Read<uint>(ea), _ => mem.Read<ulong>(ea),
    };

    static void WriteN(MemInst mem, ulong ea, int bits, ulong v)
    {
        switch (bits)
        {
            case 8: mem.Write(ea, (byte)v); break;
            case 16: mem.Write(ea, (ushort)v); break;
            case 32: mem.Write(ea, (uint)v); break;
            default: mem.Write(ea, v); break;
        }
    }

    string StepVLoadLane(VLoadLane l)
    {
        var mem = Mem(l.Mem);
        var v = Pop().AsV128;
        var a = PopAddr(mem.Type.AddrType);
        var ea = Effective(mem, a, l.Arg.Offset, (ulong)l.Size / 8, "Step_read/vload_lane-oob");
        Push(Value.V128(Numerics.vload_lane((int)l.Size, l.Lane, v, ReadN(mem, ea, (int)l.Size))));
        return "Step_read/vload_lane-val";
    }

    string StepVStore(VStore s)
    {
        var mem = Mem(s.Mem);
        var v = Pop().AsV128;
        var a = PopAddr(mem.Type.AddrType);
        var ea = Effective(mem, a, s.Arg.Offset, 16, "Step/vstore-oob");
        mem.Write(ea, v.Lo);
        mem.Write(ea + 8, v.Hi);
        return "Step/vstore-val";
    }

    string StepVStoreLane(VStoreLane s)
    {
        var mem = Mem(s.Mem);
        var v = Pop().AsV128;
        var a = PopAddr(mem.Type.AddrType);
        int n = (int)s.Size;
        var ea = Effective(mem, a, s.Arg.Offset, (ulong)n / 8, "Step/vstore_lane-oob");
        var lane = Numerics.vextract_lane(new Shape(n switch { 8 => LaneType.I8, 16 => LaneType.I16, 32 => LaneType.I32, _ => LaneType.I64 }, 128 / n), null, s.Lane, v);
        WriteN(mem, ea, n, lane);
        return "Step/vstore_lane-val";
    }

    /// <summary>A value of address type <paramref name="at"/>: i32 values wrap to 32 bits.</summary>
    Value AddrValue(AddrType at, ulong v) => at == AddrType.I32 ? Value.I32((uint)v) : Value.I64(v);

    string StepMemorySize(MemorySize m)
    {
        var mem = Mem(m.Mem);
        Push(AddrValue(mem.Type.AddrType, mem.Pages));
        return "Step_read/memory.size";
    }

    string StepMemoryGrow(MemoryGrow g)
    {
        var mem = Mem(g.Mem);
        var n = PopAddr(mem.Type.AddrType);
        if (mem.Grow(n) is { } old) { Push(AddrValue(mem.Type.AddrType, old)); return "Step/memory.grow-succeed"; }
        Push(AddrValue(mem.Type.AddrType, ulong.MaxValue)); // -1 at the memory's address width
        return "Step/memory.grow-fail";
    }

    string StepMemoryFill(MemoryFill f)
    {
        var mem = Mem(f.Mem);
        var at = mem.Type.AddrType;
        var n = PopAddr(at);
        var v = Pop();
        var d = PopAddr(at);
        if (!mem.InBounds(d, n)) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/memory.fill-oob");
        if (n == 0) return "Step_read/memory.fill-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // (CONST at i) val (STORE I32 8 x) (CONST at i+1) val (CONST at n-1) (MEMORY.FILL x)
            Splice(NewRhs().V(AddrValue(at, d)).V(v).I(new Syntax.Store(NumType.I32, Sz.S8, f.Mem, default))
                .V(AddrValue(at, d + 1)).V(v).V(AddrValue(at, n - 1)).I(f));
            return "Step_read/memory.fill-succ";
        }
        mem.Fill(d, (byte)v.Bits, n);
        if (recordChanges) ChangedRange(mem, d, n);
        return "Step_read/memory.fill-succ";
    }

    string StepMemoryCopy(MemoryCopy c)
    {
        MemInst dm = Mem(c.Dst), smem = Mem(c.Src);
        // The length has the smaller of the two address types.
        var nt = dm.Type.AddrType == AddrType.I64 && smem.Type.AddrType == AddrType.I64 ? AddrType.I64 : AddrType.I32;
        var n = PopAddr(nt);
        var s = PopAddr(smem.Type.AddrType);
        var d = PopAddr(dm.Type.AddrType);
        if (!smem.InBounds(s, n) || !dm.InBounds(d, n)) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/memory.copy-oob");
        if (n == 0) return "Step_read/memory.copy-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // le: (CONST i_1) (CONST i_2) (LOAD I32 8_U x_2) (STORE I32 8 x_1) (CONST i_1+1) (CONST i_2+1) (CONST n-1) (MEMORY.COPY x_1 x_2)
            // gt: the last byte first, then (CONST i_1) (CONST i_2) (CONST n-1) (MEMORY.COPY x_1 x_2)
            ulong first = d <= s ? 0 : n - 1, rest = d <= s ? 1UL : 0;
            Splice(NewRhs().V(AddrValue(dm.Type.AddrType, d + first)).V(AddrValue(smem.Type.AddrType, s + first))
                .I(new Load(NumType.I32, new LoadOp(Sz.S8, Sx.U), c.Src, default)).I(new Syntax.Store(NumType.I32, Sz.S8, c.Dst, default))
                .V(AddrValue(dm.Type.AddrType, d + rest)).V(AddrValue(smem.Type.AddrType, s + rest)).V(AddrValue(nt, n - 1)).I(c));
            return d <= s ? "Step_read/memory.copy-le" : "Step_read/memory.copy-gt";
        }
        dm.Copy(d, smem, s, n);
        if (recordChanges) ChangedRange(dm, d, n);
        return d <= s ? "Step_read/memory.copy-le" : "Step_read/memory.copy-gt";
    }

    string StepMemoryInit(MemoryInit m)
    {
        var mem = Mem(m.Mem);
        var data = module.datas[(int)m.Data];
        var n = PopU32();
        var s = PopU32();
        var d = PopAddr(mem.Type.AddrType);
        if ((ulong)s + n > (ulong)data.Bytes.Length || !mem.InBounds(d, n)) throw Trap(TrapCode.OutOfBoundsMemoryAccess, "Step_read/memory.init-oob");
        if (n == 0) return "Step_read/memory.init-zero";
        ChargeBulk(n);
        if (exact && faithful)
        {
            // (CONST at i) (CONST I32 b_j) (STORE I32 8 x) (CONST at i+1) (CONST I32 j+1) (CONST I32 n-1) (MEMORY.INIT x y)
            var at = mem.Type.AddrType;
            Splice(NewRhs().V(AddrValue(at, d)).V(Value.I32(data.Bytes[s])).I(new Syntax.Store(NumType.I32, Sz.S8, m.Mem, default))
                .V(AddrValue(at, d + 1)).V(Value.I32(s + 1)).V(Value.I32(n - 1)).I(m));
            return "Step_read/memory.init-succ";
        }
        mem.Init(d, data.Bytes, s, n);
        if (recordChanges) ChangedRange(mem, d, n);
        return "Step_read/memory.init-succ";
    }

    string StepDataDrop(DataDrop d)
    {
        module.datas[(int)d.Data].Bytes = [];
        return "Step/data.drop";
    }
}
