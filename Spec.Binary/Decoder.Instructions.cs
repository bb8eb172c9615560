// Performance-critical: the decoder reads a span with an explicit cursor, imperatively. Nested blocks use an
// explicit stack of frames instead of recursion, so no input can exhaust the call stack.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.BinaryFormat;

/// <summary>What the disassembler sees of one opcode: where it starts and ends and what it decoded to.</summary>
internal enum CodeEventKind : byte { Instr, Begin, Else, Catch, CatchAll, Delegate, End }

internal readonly record struct CodeEvent(int Offset, int EndOffset, CodeEventKind Kind, byte Opcode, Instr? Instr, BlockType? Type, uint Index);

/// <summary>One open block while decoding an expression (the explicit stack of Binstr/block).</summary>
internal sealed class Frame
{
    internal byte Opcode;              // 0x02 block, 0x03 loop, 0x04 if, 0x06 try, 0x1F try_table, 0 for the expression itself
    internal BlockType Type = ValBlockType.Empty;
    internal readonly List<Instr> Instrs = new();
    internal ImmutableArray<Instr> Then;            // if: the then-branch once else was seen
    internal bool InElse;
    internal ImmutableArray<Catch> Catches;         // try_table
    internal readonly List<LegacyCatch> LegacyCatches = new();
    internal ImmutableArray<Instr> TryBody;         // try: the body once the first catch was seen
    internal int Handler;                           // try: 0 in body, 1 in catch, 2 in catch_all
    internal uint CatchTag;

    internal void Reset(byte opcode, BlockType type)
    {
        Opcode = opcode; Type = type; Instrs.Clear(); InElse = false; Handler = 0;
        LegacyCatches.Clear(); Then = default; TryBody = default; Catches = default;
    }
}

/// <summary>State shared by all expressions of one decode: the reusable frames, the data-index flag, the trace.</summary>
internal sealed class DecodeState
{
    internal readonly List<Frame> Frames = new();
    internal bool UsesDataIndex;
    // The proposals whose encodings are read; those of the others are malformed, as unknown encodings are.
    internal Features Features = Features.Default;
    internal List<CodeEvent>? Trace;
}

// §5.4 Instructions (spectec 5.3-binary.instructions).
internal ref partial struct Decoder
{
    static readonly (NumType, LoadOp?)[] Loads =
    [
        (NumType.I32, null), (NumType.I64, null), (NumType.F32, null), (NumType.F64, null),
        (NumType.I32, new LoadOp(Sz.S8, Sx.S)), (NumType.I32, new LoadOp(Sz.S8, Sx.U)),
        (NumType.I32, new LoadOp(Sz.S16, Sx.S)), (NumType.I32, new LoadOp(Sz.S16, Sx.U)),
        (NumType.I64, new LoadOp(Sz.S8, Sx.S)), (NumType.I64, new LoadOp(Sz.S8, Sx.U)),
        (NumType.I64, new LoadOp(Sz.S16, Sx.S)), (NumType.I64, new LoadOp(Sz.S16, Sx.U)),
        (NumType.I64, new LoadOp(Sz.S32, Sx.S)), (NumType.I64, new LoadOp(Sz.S32, Sx.U)),
    ];

    static readonly (NumType, Sz?)[] Stores =
    [
        (NumType.I32, null), (NumType.I64, null), (NumType.F32, null), (NumType.F64, null),
        (NumType.I32, Sz.S8), (NumType.I32, Sz.S16), (NumType.I64, Sz.S8), (NumType.I64, Sz.S16), (NumType.I64, Sz.S32),
    ];

    // Small indices are shared: most local and global accesses and branches use them.
    const int Cached = 64;
    static readonly LocalGet[] LocalGets = Cache(i => new LocalGet(i));
    static readonly LocalSet[] LocalSets = Cache(i => new LocalSet(i));
    static readonly LocalTee[] LocalTees = Cache(i => new LocalTee(i));
    static readonly GlobalGet[] GlobalGets = Cache(i => new GlobalGet(i));
    static readonly Br[] Brs = Cache(i => new Br(i));
    static readonly BrIf[] BrIfs = Cache(i => new BrIf(i));
    const int MinSharedI32 = -128;
    static readonly Const[] SmallI32 = [.. Enumerable.Range(MinSharedI32, 1152).Select(Const.I32)];

    // Loads and stores of memory 0 with small offsets and natural-ish alignment recur throughout compiled code:
    // they are shared too, created on first use (a racing second creation only makes an equal record).
    const int SharedOffsets = 64;
    static readonly Instr?[] SharedMem = new Instr?[(0x3E - 0x28 + 1) * 4 * SharedOffsets];

    static Instr SharedMemInstr(byte op, MemArg ma)
    {
        int slot = ((op - 0x28) * 4 + (int)ma.Align) * SharedOffsets + (int)ma.Offset;
        return SharedMem[slot] ??= MemInstr(op, 0, ma);
    }

    // Binstr/memory: LOAD and STORE
    static Instr MemInstr(byte op, uint x, MemArg ma)
    {
        if (op <= 0x35)
        {
            var (t, lop) = Loads[op - 0x28];
            return new Load(t, lop, x, ma);
        }
        var (ts, sz) = Stores[op - 0x36];
        return new Store(ts, sz, x, ma);
    }

    static T[] Cache<T>(Func<uint, T> make)
    {
        var a = new T[Cached];
        for (uint i = 0; i < Cached; i++) a[i] = make(i);
        return a;
    }

    static readonly Shape[] LaneShapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2];

    // Bexpr: instr* 0x0B, decoded with an explicit frame stack.
    internal Expr Expr()
    {
        var frames = _st.Frames;
        int depth = 0;
        Frame f = FrameAt(0);
        f.Reset(0, ValBlockType.Empty);
        var trace = _st.Trace;
        var instrs = f.Instrs;

        while (true)
        {
            int at = _p;
            byte op = Byte();
            Instr? instr;
            switch (op)
            {
                // Binstr/block
                case 0x02 or 0x03 or 0x04:
                {
                    var bt = BlockType();
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Begin, op, null, bt, 0));
                    f = FrameAt(++depth);
                    f.Reset(op, bt);
                    instrs = f.Instrs;
                    continue;
                }
                // Binstr/control: TRY_TABLE
                case 0x1F:
                {
                    var bt = BlockType();
                    uint n = Count();
                    var cs = Alloc<Catch>(n);
                    for (uint i = 0; i < n; i++) cs[i] = Catch();
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Begin, op, null, bt, 0));
                    f = FrameAt(++depth);
                    f.Reset(op, bt);
                    f.Catches = ImmutableCollectionsMarshal.AsImmutableArray(cs);
                    instrs = f.Instrs;
                    continue;
                }
                // Legacy exception handling: try
                case 0x06:
                {
                    Proposal(_st.Features.LegacyExceptions, op, at);
                    var bt = BlockType();
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Begin, op, null, bt, 0));
                    f = FrameAt(++depth);
                    f.Reset(op, bt);
                    instrs = f.Instrs;
                    continue;
                }
                case 0x05:
                    if (f.Opcode != 0x04 || f.InElse) throw Error("END opcode expected", at);
                    f.Then = Take(f.Instrs);
                    f.InElse = true;
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Else, op, null, null, 0));
                    continue;
                case 0x07:
                {
                    Proposal(_st.Features.LegacyExceptions, op, at);
                    if (f.Opcode != 0x06 || f.Handler == 2) throw Error("END opcode expected", at);
                    uint tag = U32();
                    EndHandler(f);
                    f.Handler = 1;
                    f.CatchTag = tag;
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Catch, op, null, null, tag));
                    continue;
                }
                case 0x19:
                    Proposal(_st.Features.LegacyExceptions, op, at);
                    if (f.Opcode != 0x06 || f.Handler == 2) throw Error("END opcode expected", at);
                    EndHandler(f);
                    f.Handler = 2;
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.CatchAll, op, null, null, 0));
                    continue;
                case 0x18:
                {
                    Proposal(_st.Features.LegacyExceptions, op, at);
                    if (f.Opcode != 0x06 || f.Handler != 0) throw Error("END opcode expected", at);
                    uint l = U32();
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.Delegate, op, null, null, l));
                    instr = new LegacyTryDelegate(f.Type, Take(f.Instrs), l);
                    f = frames[--depth];
                    instrs = f.Instrs;
                    instrs.Add(instr);
                    continue;
                }
                case 0x0B:
                    trace?.Add(new CodeEvent(at, _p, CodeEventKind.End, op, null, null, 0));
                    if (depth == 0) return new Expr(Take(f.Instrs));
                    instr = Close(f);
                    f = frames[--depth];
                    instrs = f.Instrs;
                    instrs.Add(instr);
                    continue;
                default:
                    instr = Instr(op, at);
                    break;
            }
            instrs.Add(instr);
            trace?.Add(new CodeEvent(at, _p, CodeEventKind.Instr, op, instr, null, 0));
        }
    }

    Frame FrameAt(int depth)
    {
        var frames = _st.Frames;
        while (frames.Count <= depth) frames.Add(new Frame());
        return frames[depth];
    }

    static ImmutableArray<Instr> Take(List<Instr> list)
    {
        if (list.Count == 0) return [];
        var a = ImmutableArray.Create<Instr>(CollectionsMarshal.AsSpan(list));
        list.Clear();
        return a;
    }

    // Ends the body of a legacy try or of its current catch.
    static void EndHandler(Frame f)
    {
        if (f.Handler == 0) f.TryBody = Take(f.Instrs);
        else f.LegacyCatches.Add(new LegacyCatch(f.CatchTag, Take(f.Instrs)));
    }

    // The instruction a frame becomes at its 0x0B.
    static Instr Close(Frame f)
    {
        switch (f.Opcode)
        {
            case 0x02: return new Block(f.Type, Take(f.Instrs));
            case 0x03: return new Loop(f.Type, Take(f.Instrs));
            case 0x04: return f.InElse ? new If(f.Type, f.Then, Take(f.Instrs)) : new If(f.Type, Take(f.Instrs), []);
            case 0x1F: return new TryTable(f.Type, f.Catches, Take(f.Instrs));
            default:
                if (f.Handler == 2)
                {
                    var all = Take(f.Instrs);
                    return new LegacyTry(f.Type, f.TryBody, [.. f.LegacyCatches], all);
                }
                EndHandler(f);
                return new LegacyTry(f.Type, f.TryBody, [.. f.LegacyCatches], null);
        }
    }

    // Bblocktype: 0x40, a valtype (a one-byte negative s33), or a non-negative s33 type index.
    BlockType BlockType()
    {
        int at = _p;
        int b = Peek();
        if (b == 0x40) { _p++; return ValBlockType.Empty; }
        if (b is >= 0x40 and < 0x80) return new ValBlockType(ValType());
        long x = S33();
        if (x < 0) throw Error("malformed block type", at);
        return new IdxBlockType((uint)x);
    }

    // Bcatch
    Catch Catch()
    {
        int at = _p;
        return Byte() switch
        {
            0x00 => new CatchTag(U32(), U32()),
            0x01 => new CatchTagRef(U32(), U32()),
            0x02 => new CatchAll(U32()),
            0x03 => new CatchAllRef(U32()),
            _ => throw Error("malformed catch clause", at),
        };
    }

    // Bmemarg: bit 6 of the flags says a memory index follows.
    (uint, MemArg) MemArg()
    {
        int at = _p;
        uint flags = U32();
        if (flags >= 0x80) throw Error("malformed memop flags", at);
        uint mem = 0;
        if (flags >= 0x40) { mem = U32(); flags -= 0x40; }
        return (mem, new MemArg(flags, U64()));
    }

    // Blaneidx
    byte Lane() => Byte();

    // Binstr: the instructions that are not block structure.
    Instr Instr(byte op, int at)
    {
        switch (op)
        {
            // Binstr/control
            case 0x08: return new Throw(U32());
            case 0x09: Proposal(_st.Features.LegacyExceptions, op, at); return new LegacyRethrow(U32());                              // legacy exception handling
            case 0x0C: { uint l = U32(); return l < Cached ? Brs[l] : new Br(l); }
            case 0x0D: { uint l = U32(); return l < Cached ? BrIfs[l] : new BrIf(l); }
            case 0x0E:
            {
                uint n = Count();
                var ls = Alloc<uint>(n);
                for (uint i = 0; i < n; i++) ls[i] = U32();
                return new BrTable(ImmutableCollectionsMarshal.AsImmutableArray(ls), U32());
            }
            case 0x10: return new Call(U32());
            case 0x11: { uint y = U32(); return new CallIndirect(U32(), y); }
            case 0x12: return new ReturnCall(U32());
            case 0x13: { uint y = U32(); return new ReturnCallIndirect(U32(), y); }
            case 0x14: return new CallRef(U32());
            case 0x15: return new ReturnCallRef(U32());
            // Binstr/parametric (the immediate-free ones are in the opcode table)
            case 0x1C: return new Select(ResultType());
            // Binstr/local, global, table
            case 0x20: { uint x = U32(); return x < Cached ? LocalGets[x] : new LocalGet(x); }
            case 0x21: { uint x = U32(); return x < Cached ? LocalSets[x] : new LocalSet(x); }
            case 0x22: { uint x = U32(); return x < Cached ? LocalTees[x] : new LocalTee(x); }
            case 0x23: { uint x = U32(); return x < Cached ? GlobalGets[x] : new GlobalGet(x); }
            case 0x24: return new GlobalSet(U32());
            case 0x25: return new TableGet(U32());
            case 0x26: return new TableSet(U32());
            // Binstr/memory
            case >= 0x28 and <= 0x3E:
            {
                var (x, ma) = MemArg();
                return x == 0 && ma.Align < 4 && ma.Offset < SharedOffsets ? SharedMemInstr(op, ma) : MemInstr(op, x, ma);
            }
            case 0x3F: return new MemorySize(U32());
            case 0x40: return new MemoryGrow(U32());
            // Binstr/num-const
            case 0x41: { int i = S32(); return (uint)(i - MinSharedI32) < (uint)SmallI32.Length ? SmallI32[i - MinSharedI32] : Const.I32(i); }
            case 0x42: return Const.I64(S64());
            case 0x43: return new Const(NumType.F32, F32());
            case 0x44: return new Const(NumType.F64, F64());
            // Binstr/ref, and the null branches of Binstr/control
            case 0xD0: return new RefNull(HeapType());
            case 0xD2: return new RefFunc(U32());
            case 0xD5: return new BrOnNull(U32());
            case 0xD6: return new BrOnNonNull(U32());
            case Opcodes.FB: return InstrFB(at);
            case Opcodes.FC: return InstrFC(at);
            case Opcodes.FD: return InstrFD(at);
            case Opcodes.FE: return InstrFE(at);
            // Binstr/parametric, control, num-*: immediate-free, from the opcode table
            default: return Opcodes.Plain[op] ?? throw Error($"illegal opcode {op:x2}", at);
        }
    }

    // 0xFB: Binstr/struct, array, ref, i31, extern, and the casting branches.
    Instr InstrFB(int at)
    {
        uint sub = U32();
        switch (sub)
        {
            case 0: return new StructNew(U32());
            case 1: return new StructNewDefault(U32());
            case 2: { uint x = U32(); return new StructGet(null, x, U32()); }
            case 3: { uint x = U32(); return new StructGet(Sx.S, x, U32()); }
            case 4: { uint x = U32(); return new StructGet(Sx.U, x, U32()); }
            case 5: { uint x = U32(); return new StructSet(x, U32()); }
            case 6: return new ArrayNew(U32());
            case 7: return new ArrayNewDefault(U32());
            case 8: { uint x = U32(); return new ArrayNewFixed(x, U32()); }
            case 9: { uint x = U32(); _st.UsesDataIndex = true; return new ArrayNewData(x, U32()); }
            case 10: { uint x = U32(); return new ArrayNewElem(x, U32()); }
            case 11: return new ArrayGet(null, U32());
            case 12: return new ArrayGet(Sx.S, U32());
            case 13: return new ArrayGet(Sx.U, U32());
            case 14: return new ArraySet(U32());
            case 16: return new ArrayFill(U32());
            case 17: { uint x = U32(); return new ArrayCopy(x, U32()); }
            case 18: { uint x = U32(); _st.UsesDataIndex = true; return new ArrayInitData(x, U32()); }
            case 19: { uint x = U32(); return new ArrayInitElem(x, U32()); }
            case 20: return new RefTest(new RefType(false, HeapType()));
            case 21: return new RefTest(new RefType(true, HeapType()));
            case 22: return new RefCast(new RefType(false, HeapType()));
            case 23: return new RefCast(new RefType(true, HeapType()));
            // BR_ON_CAST, BR_ON_CAST_FAIL, and the custom descriptors proposal's BR_ON_CAST_DESC_EQ(_FAIL): Bcastop l ht ht
            case 24 or 25 or Opcodes.BrOnCastDescEq or Opcodes.BrOnCastDescEqFail:
            {
                if (sub > 25 && !_st.Features.CustomDescriptors) throw Error($"illegal opcode fb {sub}", at);
                int fat = _p;
                byte flags = Byte();
                if (flags > 3) throw Error("malformed cast flags", fat);
                uint l = U32();
                var t1 = new RefType((flags & 1) != 0, HeapType());
                var t2 = new RefType((flags & 2) != 0, HeapType());
                return sub switch
                {
                    24 => new BrOnCast(l, t1, t2),
                    25 => new BrOnCastFail(l, t1, t2),
                    Opcodes.BrOnCastDescEq => new BrOnCastDescEq(l, t1, t2),
                    _ => new BrOnCastDescEqFail(l, t1, t2),
                };
            }
            // The custom descriptors proposal (not Wasm 3.0).
            case >= Opcodes.StructNewDesc and <= Opcodes.RefCastDescEqNull when !_st.Features.CustomDescriptors:
                throw Error($"illegal opcode fb {sub}", at);
            case Opcodes.StructNewDesc: return new StructNewDesc(U32());
            case Opcodes.StructNewDefaultDesc: return new StructNewDefaultDesc(U32());
            case Opcodes.RefGetDesc: return new RefGetDesc(U32());
            case Opcodes.RefCastDescEq: return new RefCastDescEq(new RefType(false, HeapType()));
            case Opcodes.RefCastDescEqNull: return new RefCastDescEq(new RefType(true, HeapType()));
            default:
                return (sub < (uint)Opcodes.PlainFB.Length ? Opcodes.PlainFB[sub] : null)
                    ?? throw Error($"illegal opcode fb {sub}", at);
        }
    }

    // 0xFC: Binstr/num-cvt-sat, the bulk memory and table instructions, and wide arithmetic (19-22, from the table).
    Instr InstrFC(int at)
    {
        uint sub = U32();
        switch (sub)
        {
            case 8: { uint y = U32(); _st.UsesDataIndex = true; return new MemoryInit(U32(), y); }
            case 9: _st.UsesDataIndex = true; return new DataDrop(U32());
            case 10: { uint x1 = U32(); return new MemoryCopy(x1, U32()); }
            case 11: return new MemoryFill(U32());
            case 12: { uint y = U32(); return new TableInit(U32(), y); }
            case 13: return new ElemDrop(U32());
            case 14: { uint x1 = U32(); return new TableCopy(x1, U32()); }
            case 15: return new TableGrow(U32());
            case 16: return new TableSize(U32());
            case 17: return new TableFill(U32());
            case >= 19 and <= 22 when !_st.Features.WideArithmetic: throw Error($"illegal opcode fc {sub}", at);
            default:
                return (sub < (uint)Opcodes.PlainFC.Length ? Opcodes.PlainFC[sub] : null)
                    ?? throw Error($"illegal opcode fc {sub}", at);
        }
    }

    // 0xFE: the threads proposal's atomics (not Wasm 3.0); 0x10 + 7 * AtomicOp + variant for the accesses.
    Instr InstrFE(int at)
    {
        Proposal(_st.Features.Threads, Opcodes.FE, at);
        uint sub = U32();
        switch (sub)
        {
            case 0x00: { var (x, ma) = MemArg(); return new MemoryAtomicNotify(x, ma); }
            case 0x01: { var (x, ma) = MemArg(); return new MemoryAtomicWait(NumType.I32, x, ma); }
            case 0x02: { var (x, ma) = MemArg(); return new MemoryAtomicWait(NumType.I64, x, ma); }
            case 0x03: if (Byte() != 0) throw Error("malformed fence flags", at); return AtomicFence.I;
            case >= 0x10 and <= 0x4E:
                {
                    var (t, sz) = Opcodes.AtomicVariants[(sub - 0x10) % 7];
                    var (x, ma) = MemArg();
                    return new Atomic(t, sz, (AtomicOp)((sub - 0x10) / 7), x, ma);
                }
            default: throw Error($"illegal opcode fe {sub}", at);
        }
    }

    // 0xFD: Binstr/vec-*
    Instr InstrFD(int at)
    {
        uint sub = U32();
        switch (sub)
        {
            case 0: { var (x, ma) = MemArg(); return new VLoad(VecType.V128, null, x, ma); }
            case >= 1 and <= 6:
            {
                var (x, ma) = MemArg();
                Sz sz = sub <= 2 ? Sz.S8 : sub <= 4 ? Sz.S16 : Sz.S32;
                int lanes = 64 / (int)sz;
                return new VLoad(VecType.V128, new VLoadShape(sz, lanes, (sub & 1) == 1 ? Sx.S : Sx.U), x, ma);
            }
            case >= 7 and <= 10:
            {
                var (x, ma) = MemArg();
                return new VLoad(VecType.V128, new VLoadSplat(SizeOf(sub - 7)), x, ma);
            }
            case 11: { var (x, ma) = MemArg(); return new VStore(VecType.V128, x, ma); }
            case 12: return new VConst(V128.FromBytes(Bytes(16)));
            case 13: return new VShuffle(Shape.I8x16, ImmutableArray.Create(Bytes(16)));
            case >= 21 and <= 34: return LaneInstr(sub);
            case >= 84 and <= 91:
            {
                var (x, ma) = MemArg();
                byte lane = Lane();
                var sz = SizeOf((sub - 84) & 3);
                return sub < 88 ? new VLoadLane(VecType.V128, sz, x, ma, lane) : new VStoreLane(VecType.V128, sz, x, ma, lane);
            }
            case 92 or 93:
            {
                var (x, ma) = MemArg();
                return new VLoad(VecType.V128, new VLoadZero(sub == 92 ? Sz.S32 : Sz.S64), x, ma);
            }
            default:
                return (sub < (uint)Opcodes.PlainFD.Length ? Opcodes.PlainFD[sub] : null)
                    ?? throw Error($"illegal opcode fd {sub}", at);
        }
    }

    static Sz SizeOf(uint i) => i switch { 0 => Sz.S8, 1 => Sz.S16, 2 => Sz.S32, _ => Sz.S64 };

    // Binstr/vec-lane: 21..26 are the packed shapes (extract_s, extract_u, replace), 27..34 pairs (extract, replace).
    Instr LaneInstr(uint sub)
    {
        byte lane = Lane();
        if (sub <= 26)
        {
            var s = sub <= 23 ? Shape.I8x16 : Shape.I16x8;
            return ((sub - 21) % 3) switch
            {
                0 => new VExtractLane(s, Sx.S, lane),
                1 => new VExtractLane(s, Sx.U, lane),
                _ => new VReplaceLane(s, lane),
            };
        }
        var shape = LaneShapes[2 + (int)(sub - 27) / 2];
        return (sub - 27) % 2 == 0 ? new VExtractLane(shape, null, lane) : new VReplaceLane(shape, lane);
    }

    // An opcode of a proposal that is switched off is read as no opcode at all.
    static void Proposal(bool enabled, byte op, int at)
    {
        if (!enabled) throw Error($"illegal opcode {op:x2}", at);
    }
}
