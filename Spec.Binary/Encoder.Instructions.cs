using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// §5.4 Instructions, the encoding direction: each arm writes the opcode and immediates its Binstr rule reads.
internal sealed partial class Encoder
{
    bool _usesDataIndex;

    /// <summary>What remains to be written of an open block: the rest of one of its sequences, or a delimiter (else, catch, end).</summary>
    readonly record struct Pending(ImmutableArray<Instr> Seq, int Next, byte Delimiter, uint? Immediate)
    {
        public static Pending Of(ImmutableArray<Instr> seq) => new(seq.OrEmpty(), 0, 0, null);
        public static Pending Delimit(byte op, uint? immediate = null) => new(default, 0, op, immediate);
    }

    // Blocks nest as deeply as the input does: they are written from an explicit stack of pending work, not by recursion.
    void Instrs(ByteWriter w, ImmutableArray<Instr> instrs)
    {
        var pending = new Stack<Pending>();
        pending.Push(Pending.Of(instrs));
        while (pending.TryPop(out var p))
        {
            if (p.Seq.IsDefault)
            {
                w.Byte(p.Delimiter);
                if (p.Immediate is { } x) w.U32(x);
                continue;
            }
            if (p.Next == p.Seq.Length) continue;
            pending.Push(p with { Next = p.Next + 1 });
            _instrStarts?.Add(w.Length);
            Instr(w, p.Seq[p.Next], pending);
        }
    }

    // Bexpr
    void Expr(ByteWriter w, Expr e)
    {
        Instrs(w, e.Instrs);
        w.Byte(0x0B);
    }

    // Bblocktype
    static void BlockType(ByteWriter w, BlockType bt)
    {
        switch (bt)
        {
            case ValBlockType { Result: null }: w.Byte(0x40); break;
            case ValBlockType { Result: { } t }: ValType(w, t); break;
            case IdxBlockType x: w.S64(x.TypeIdx); break;
            default: throw Unencodable($"block type {bt}");
        }
    }

    // Bmemarg: bit 6 of the flags announces a memory index other than 0.
    static void MemArg(ByteWriter w, uint mem, MemArg ma)
    {
        if (ma.Align >= 0x40) throw Unencodable($"alignment exponent {ma.Align}");
        if (mem == 0) w.U32(ma.Align);
        else { w.U32(ma.Align | 0x40); w.U32(mem); }
        w.U64(ma.Offset);
    }

    static void Op(ByteWriter w, byte prefix, uint code)
    {
        w.Byte(prefix);
        w.U32(code);
    }

    static uint AtomicCode(Atomic a)
    {
        int variant = Array.IndexOf(Opcodes.AtomicVariants, (a.Type, a.Size));
        return variant < 0 ? throw Unencodable($"atomic access {a}") : 0x10u + 7u * (uint)a.Op + (uint)variant;
    }

    static void Op1(ByteWriter w, byte op, uint x) { w.Byte(op); w.U32(x); }
    static void Op2(ByteWriter w, byte op, uint x, uint y) { w.Byte(op); w.U32(x); w.U32(y); }
    static void Fb(ByteWriter w, uint code, uint x) { Op(w, Opcodes.FB, code); w.U32(x); }
    static void Fb(ByteWriter w, uint code, uint x, uint y) { Op(w, Opcodes.FB, code); w.U32(x); w.U32(y); }
    static void Fc(ByteWriter w, uint code, uint x) { Op(w, Opcodes.FC, code); w.U32(x); }
    static void Fc(ByteWriter w, uint code, uint x, uint y) { Op(w, Opcodes.FC, code); w.U32(x); w.U32(y); }

    internal static int LoadCode(NumType t, LoadOp? op) => (t, op) switch
    {
        (NumType.I32, null) => 0x28, (NumType.I64, null) => 0x29, (NumType.F32, null) => 0x2A, (NumType.F64, null) => 0x2B,
        (NumType.I32, { Size: Sz.S8, Sx: Sx.S }) => 0x2C, (NumType.I32, { Size: Sz.S8, Sx: Sx.U }) => 0x2D,
        (NumType.I32, { Size: Sz.S16, Sx: Sx.S }) => 0x2E, (NumType.I32, { Size: Sz.S16, Sx: Sx.U }) => 0x2F,
        (NumType.I64, { Size: Sz.S8, Sx: Sx.S }) => 0x30, (NumType.I64, { Size: Sz.S8, Sx: Sx.U }) => 0x31,
        (NumType.I64, { Size: Sz.S16, Sx: Sx.S }) => 0x32, (NumType.I64, { Size: Sz.S16, Sx: Sx.U }) => 0x33,
        (NumType.I64, { Size: Sz.S32, Sx: Sx.S }) => 0x34, (NumType.I64, { Size: Sz.S32, Sx: Sx.U }) => 0x35,
        _ => throw Unencodable($"load {t} {op}"),
    };

    internal static int StoreCode(NumType t, Sz? sz) => (t, sz) switch
    {
        (NumType.I32, null) => 0x36, (NumType.I64, null) => 0x37, (NumType.F32, null) => 0x38, (NumType.F64, null) => 0x39,
        (NumType.I32, Sz.S8) => 0x3A, (NumType.I32, Sz.S16) => 0x3B,
        (NumType.I64, Sz.S8) => 0x3C, (NumType.I64, Sz.S16) => 0x3D, (NumType.I64, Sz.S32) => 0x3E,
        _ => throw Unencodable($"store {t} {sz}"),
    };

    static uint SizeIndex(Sz sz) => sz switch { Sz.S8 => 0, Sz.S16 => 1, Sz.S32 => 2, _ => 3 };

    static uint VLoadCode(VLoadOp? op) => op switch
    {
        null => 0,
        VLoadShape { Size: Sz.S8, Lanes: 8 } s => s.Sx == Sx.S ? 1u : 2u,
        VLoadShape { Size: Sz.S16, Lanes: 4 } s => s.Sx == Sx.S ? 3u : 4u,
        VLoadShape { Size: Sz.S32, Lanes: 2 } s => s.Sx == Sx.S ? 5u : 6u,
        VLoadSplat s => 7 + SizeIndex(s.Size),
        VLoadZero { Size: Sz.S32 } => 92,
        VLoadZero { Size: Sz.S64 } => 93,
        _ => throw Unencodable($"vector load {op}"),
    };

    // Binstr/vec-lane: extract_s, extract_u, replace for the packed shapes; extract, replace for the others.
    static uint LaneCode(Shape s, bool replace, Sx? sx)
    {
        if (s == Shape.I8x16 || s == Shape.I16x8)
        {
            uint b = s == Shape.I8x16 ? 21u : 24u;
            return replace ? b + 2 : sx == Sx.U ? b + 1 : sx == Sx.S ? b : throw Unencodable($"{s}.extract_lane without signedness");
        }
        uint c = s.Lane switch
        {
            LaneType.I32 => 27, LaneType.I64 => 29, LaneType.F32 => 31, LaneType.F64 => 33,
            _ => throw Unencodable($"shape {s}"),
        };
        if (!replace && sx is not null) throw Unencodable($"{s}.extract_lane with signedness");
        return replace ? c + 1 : c;
    }

    /// <summary>Writes a plain instruction, or a block instruction's opening with the rest of it left on <paramref name="pending"/> (pushed last first).</summary>
    void Instr(ByteWriter w, Instr instr, Stack<Pending> pending)
    {
        switch (instr)
        {
            // Binstr/block
            case Block b: w.Byte(0x02); BlockType(w, b.Type); pending.Push(Pending.Delimit(0x0B)); pending.Push(Pending.Of(b.Body)); break;
            case Loop l: w.Byte(0x03); BlockType(w, l.Type); pending.Push(Pending.Delimit(0x0B)); pending.Push(Pending.Of(l.Body)); break;
            case If i:
                w.Byte(0x04); BlockType(w, i.Type);
                pending.Push(Pending.Delimit(0x0B));
                if (!i.Else.IsDefaultOrEmpty) { pending.Push(Pending.Of(i.Else)); pending.Push(Pending.Delimit(0x05)); }
                pending.Push(Pending.Of(i.Then));
                break;
            case TryTable t:
                w.Byte(0x1F); BlockType(w, t.Type);
                w.U32((uint)t.Catches.OrEmpty().Length);
                foreach (var c in t.Catches.OrEmpty()) Catch(w, c);
                pending.Push(Pending.Delimit(0x0B));
                pending.Push(Pending.Of(t.Body));
                break;
            case LegacyTry t:
            {
                w.Byte(0x06); BlockType(w, t.Type);
                pending.Push(Pending.Delimit(0x0B));
                if (t.CatchAll is { } all) { pending.Push(Pending.Of(all)); pending.Push(Pending.Delimit(0x19)); }
                var catches = t.Catches.OrEmpty();
                for (int k = catches.Length - 1; k >= 0; k--) { pending.Push(Pending.Of(catches[k].Body)); pending.Push(Pending.Delimit(0x07, catches[k].Tag)); }
                pending.Push(Pending.Of(t.Body));
                break;
            }
            case LegacyTryDelegate t:
                w.Byte(0x06); BlockType(w, t.Type);
                pending.Push(Pending.Delimit(0x18, t.Label));
                pending.Push(Pending.Of(t.Body));
                break;
            case LegacyRethrow r: Op1(w, 0x09, r.Label); break;

            // Binstr/control
            case Throw t: Op1(w, 0x08, t.Tag); break;
            case Br b: Op1(w, 0x0C, b.Label); break;
            case BrIf b: Op1(w, 0x0D, b.Label); break;
            case BrTable b:
                w.Byte(0x0E);
                w.U32((uint)b.Labels.OrEmpty().Length);
                foreach (var l in b.Labels.OrEmpty()) w.U32(l);
                w.U32(b.Default);
                break;
            case Call c: Op1(w, 0x10, c.Func); break;
            case CallIndirect c: Op2(w, 0x11, c.TypeIdx, c.Table); break;
            case ReturnCall c: Op1(w, 0x12, c.Func); break;
            case ReturnCallIndirect c: Op2(w, 0x13, c.TypeIdx, c.Table); break;
            case CallRef c: Op1(w, 0x14, c.TypeIdx); break;
            case ReturnCallRef c: Op1(w, 0x15, c.TypeIdx); break;
            case BrOnNull b: Op1(w, 0xD5, b.Label); break;
            case BrOnNonNull b: Op1(w, 0xD6, b.Label); break;
            case BrOnCast b: CastBranch(w, 24, b.Label, b.From, b.To); break;
            case BrOnCastFail b: CastBranch(w, 25, b.Label, b.From, b.To); break;
            case BrOnCastDescEq b: CastBranch(w, Opcodes.BrOnCastDescEq, b.Label, b.From, b.To); break;
            case BrOnCastDescEqFail b: CastBranch(w, Opcodes.BrOnCastDescEqFail, b.Label, b.From, b.To); break;

            // Binstr/parametric
            case Select { Types: { } ts }: w.Byte(0x1C); ResultType(w, ts); break;

            // Binstr/local, global, table
            case LocalGet x: Op1(w, 0x20, x.Local); break;
            case LocalSet x: Op1(w, 0x21, x.Local); break;
            case LocalTee x: Op1(w, 0x22, x.Local); break;
            case GlobalGet x: Op1(w, 0x23, x.Global); break;
            case GlobalSet x: Op1(w, 0x24, x.Global); break;
            case TableGet x: Op1(w, 0x25, x.Table); break;
            case TableSet x: Op1(w, 0x26, x.Table); break;
            case TableInit x: Fc(w, 12, x.Elem, x.Table); break;
            case ElemDrop x: Fc(w, 13, x.Elem); break;
            case TableCopy x: Fc(w, 14, x.Dst, x.Src); break;
            case TableGrow x: Fc(w, 15, x.Table); break;
            case TableSize x: Fc(w, 16, x.Table); break;
            case TableFill x: Fc(w, 17, x.Table); break;

            // Binstr/memory
            case Load l: w.Byte((byte)LoadCode(l.Type, l.Op)); MemArg(w, l.Mem, l.Arg); break;
            case Store s: w.Byte((byte)StoreCode(s.Type, s.Size)); MemArg(w, s.Mem, s.Arg); break;
            case MemorySize m: Op1(w, 0x3F, m.Mem); break;
            case MemoryGrow m: Op1(w, 0x40, m.Mem); break;
            case MemoryInit m: _usesDataIndex = true; Fc(w, 8, m.Data, m.Mem); break;
            case DataDrop d: _usesDataIndex = true; Fc(w, 9, d.Data); break;
            case MemoryCopy m: Fc(w, 10, m.Dst, m.Src); break;
            case MemoryFill m: Fc(w, 11, m.Mem); break;

            // Binstr/num-const
            case Const c:
                switch (c.Type)
                {
                    case NumType.I32: w.Byte(0x41); w.S64((int)(uint)c.Bits); break;
                    case NumType.I64: w.Byte(0x42); w.S64((long)c.Bits); break;
                    case NumType.F32: w.Byte(0x43); w.F32((uint)c.Bits); break;
                    default: w.Byte(0x44); w.F64(c.Bits); break;
                }
                break;

            // Binstr/ref, struct, array
            case RefNull r: w.Byte(0xD0); HeapType(w, r.Type); break;
            case RefFunc r: Op1(w, 0xD2, r.Func); break;
            case RefTest r: Op(w, Opcodes.FB, r.Type.Null ? 21u : 20u); HeapType(w, r.Type.Heap); break;
            case RefCast r: Op(w, Opcodes.FB, r.Type.Null ? 23u : 22u); HeapType(w, r.Type.Heap); break;
            case StructNew s: Fb(w, 0, s.TypeIdx); break;
            case StructNewDefault s: Fb(w, 1, s.TypeIdx); break;
            case StructNewDesc s: Fb(w, Opcodes.StructNewDesc, s.TypeIdx); break;
            case StructNewDefaultDesc s: Fb(w, Opcodes.StructNewDefaultDesc, s.TypeIdx); break;
            case RefGetDesc r: Fb(w, Opcodes.RefGetDesc, r.TypeIdx); break;
            case RefCastDescEq r: Op(w, Opcodes.FB, r.Type.Null ? Opcodes.RefCastDescEqNull : Opcodes.RefCastDescEq); HeapType(w, r.Type.Heap); break;
            case StructGet s: Fb(w, s.Sx switch { null => 2u, Sx.S => 3u, _ => 4u }, s.TypeIdx, s.Field); break;
            case StructSet s: Fb(w, 5, s.TypeIdx, s.Field); break;
            case ArrayNew a: Fb(w, 6, a.TypeIdx); break;
            case ArrayNewDefault a: Fb(w, 7, a.TypeIdx); break;
            case ArrayNewFixed a: Fb(w, 8, a.TypeIdx, a.Length); break;
            case ArrayNewData a: _usesDataIndex = true; Fb(w, 9, a.TypeIdx, a.Data); break;
            case ArrayNewElem a: Fb(w, 10, a.TypeIdx, a.Elem); break;
            case ArrayGet a: Fb(w, a.Sx switch { null => 11u, Sx.S => 12u, _ => 13u }, a.TypeIdx); break;
            case ArraySet a: Fb(w, 14, a.TypeIdx); break;
            case ArrayFill a: Fb(w, 16, a.TypeIdx); break;
            case ArrayCopy a: Fb(w, 17, a.Dst, a.Src); break;
            case ArrayInitData a: _usesDataIndex = true; Fb(w, 18, a.TypeIdx, a.Data); break;
            case ArrayInitElem a: Fb(w, 19, a.TypeIdx, a.Elem); break;

            // Binstr/vec-memory, vec-const, vec-shuffle, vec-lane
            // The threads proposal (not Wasm 3.0).
            case MemoryAtomicNotify a: Op(w, Opcodes.FE, 0x00); MemArg(w, a.Mem, a.Arg); break;
            case MemoryAtomicWait a: Op(w, Opcodes.FE, a.Type == NumType.I32 ? 0x01u : 0x02u); MemArg(w, a.Mem, a.Arg); break;
            case AtomicFence: Op(w, Opcodes.FE, 0x03); w.Byte(0); break;
            case Atomic a: Op(w, Opcodes.FE, AtomicCode(a)); MemArg(w, a.Mem, a.Arg); break;
            case VLoad v: Op(w, Opcodes.FD, VLoadCode(v.Op)); MemArg(w, v.Mem, v.Arg); break;
            case VStore v: Op(w, Opcodes.FD, 11); MemArg(w, v.Mem, v.Arg); break;
            case VLoadLane v: Op(w, Opcodes.FD, 84 + SizeIndex(v.Size)); MemArg(w, v.Mem, v.Arg); w.Byte(v.Lane); break;
            case VStoreLane v: Op(w, Opcodes.FD, 88 + SizeIndex(v.Size)); MemArg(w, v.Mem, v.Arg); w.Byte(v.Lane); break;
            case VConst v: Op(w, Opcodes.FD, 12); w.Bytes(v.Value.ToBytes()); break;
            case VShuffle v:
                if (v.Lanes.OrEmpty().Length != 16) throw Unencodable("a shuffle without 16 lanes");
                Op(w, Opcodes.FD, 13); w.Bytes(v.Lanes.AsSpan());
                break;
            case VExtractLane v: Op(w, Opcodes.FD, LaneCode(v.Shape, false, v.Sx)); w.Byte(v.Lane); break;
            case VReplaceLane v: Op(w, Opcodes.FD, LaneCode(v.Shape, true, null)); w.Byte(v.Lane); break;

            default:
                if (!Opcodes.ByInstr.TryGetValue(instr, out var e)) throw Unencodable($"instruction {instr}");
                if (e.Prefix == 0) w.Byte((byte)e.Code);
                else Op(w, e.Prefix, e.Code);
                break;
        }
    }

    // Bcastop: bit 0 and bit 1 say whether the source and target types are nullable.
    static void CastBranch(ByteWriter w, uint code, uint label, RefType from, RefType to)
    {
        Op(w, Opcodes.FB, code);
        w.Byte((byte)((from.Null ? 1 : 0) | (to.Null ? 2 : 0)));
        w.U32(label);
        HeapType(w, from.Heap);
        HeapType(w, to.Heap);
    }

    // Bcatch
    static void Catch(ByteWriter w, Catch c)
    {
        switch (c)
        {
            case CatchTag t: w.Byte(0x00); w.U32(t.Tag); w.U32(t.Label); break;
            case CatchTagRef t: w.Byte(0x01); w.U32(t.Tag); w.U32(t.Label); break;
            case CatchAll t: w.Byte(0x02); w.U32(t.Label); break;
            case CatchAllRef t: w.Byte(0x03); w.U32(t.Label); break;
            default: throw Unencodable($"catch clause {c}");
        }
    }
}

/// <summary>The opcodes of loads and stores, for the disassembler.</summary>
internal static class EncoderCodes
{
    internal static int Load(Load l) => Encoder.LoadCode(l.Type, l.Op);
    internal static int Store(Store s) => Encoder.StoreCode(s.Type, s.Size);
}
