using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Native.Runtime;

// What compiled code leaves to the runtime: the instructions that allocate, look at objects or touch many bytes
// (references, aggregates, tables, bulk memory, memory.grow, wide arithmetic, wait/notify), and the vector operators'
// values when all operands are constants (the compiler folds them with this code). Each case is the spec's rule over runtime values, built from the runtime's shared parts
// (Aggregates, Types, MemInst, TableInst, Numerics); a trap is a TrapException, as in the interpreter. Fuel for
// bulk operations is charged where the interpreter charges it.

/// <summary>br_on_cast_desc_eq's test, which compiled code branches on: does the reference carry the descriptor (or is
/// it a null the target admits)? Not an instruction of the language: the runtime's half of one.</summary>
internal sealed record DescriptorTest(RefType To) : Instr;

internal static class Operations
{
    static Value Addr(AddrType at, ulong v) => at == AddrType.I32 ? Value.I32((uint)v) : Value.I64(v);

    static ulong AddrOf(AddrType at, Value v) => at == AddrType.I32 ? v.AsU32 : v.Bits;

    static bool InBounds(ulong i, ulong n, ulong size) => n <= size && i <= size - n;

    static Value I32(bool b) => Value.I32(b ? 1 : 0);

    /// <summary>Runs <paramref name="i"/> of instance <paramref name="m"/> on <paramref name="a"/> (its operands, in order); returns its results.</summary>
    public static Value[] Execute(Store store, ModuleInstance m, Instr i, Value[] a) => i switch
    {
        // References (§4.4.4)
        RefEq => [I32(a[0].Ref is null && a[1].Ref is null || Aggregates.SameRef(a[0].Ref, a[1].Ref))],
        RefTest t => [I32(Types.RefMatches(a[0].Ref, Close(m, t.Type)))],
        RefCast t => Types.RefMatches(a[0].Ref, Close(m, t.Type)) ? [a[0]] : throw new TrapException(TrapCode.CastFailure),
        RefFunc f => [Value.Reference(m.Funcs[(int)f.Func])],
        RefI31 => [Value.Reference(new I31Ref(a[0].AsU32))],
        I31Get g => a[0].Ref is I31Ref r
            ? [Value.I32(g.Sx == Sx.S ? (uint)((int)(r.Value << 1) >> 1) : r.Value)]
            : throw new TrapException(TrapCode.NullI31Reference),
        ExternConvertAny => [Value.Reference(a[0].Ref is { } r ? new ExternRef(r) : null)],
        AnyConvertExtern => [Value.Reference(a[0].Ref is ExternRef e ? e.Inner : null)],
        RefGetDesc => a[0].Ref is StructInst s
            ? [Value.Reference(s.Descriptor ?? throw new InvalidOperationException("struct without a descriptor"))]
            : throw new TrapException(TrapCode.NullReference),
        RefCastDescEq t => RefCastDescEq(t, a),
        DescriptorTest t => a[1].Ref is { } desc
            ? [I32(a[0].Ref is { } r ? Aggregates.HasDescriptor(r, desc) : t.To.Null)]
            : throw new TrapException(TrapCode.NullDescriptorReference),
        // Aggregates (§4.4.5)
        StructNew x => [Value.Reference(NewStruct(store, m, x.TypeIdx, a, null))],
        StructNewDefault x => [Value.Reference(NewStruct(store, m, x.TypeIdx, [], null))],
        StructNewDesc x => a[^1].Ref is { } d
            ? [Value.Reference(NewStruct(store, m, x.TypeIdx, a[..^1], d))]
            : throw new TrapException(TrapCode.NullDescriptorReference),
        StructNewDefaultDesc x => a[0].Ref is { } d
            ? [Value.Reference(NewStruct(store, m, x.TypeIdx, [], d))]
            : throw new TrapException(TrapCode.NullDescriptorReference),
        StructGet x => a[0].Ref is StructInst s
            ? [Aggregates.UnpackField(StructOf(m, x.TypeIdx).Fields[(int)x.Field].Type, x.Sx, s.Get(x.Field))]
            : throw new TrapException(TrapCode.NullStructureReference),
        StructSet x => StructSet(x, a),
        ArrayNew x => ArrayNew(store, m, x.TypeIdx, a[1].AsU32, arr => arr.Fill(0, a[1].AsU32, a[0])),
        ArrayNewDefault x => ArrayNew(store, m, x.TypeIdx, a[0].AsU32, _ => { }),
        ArrayNewFixed x => [Value.Reference(NewArray(store, m, x.TypeIdx, x.Length, arr => { for (uint k = 0; k < x.Length; k++) arr.Set(k, a[k]); }))],
        ArrayNewData x => ArrayNewData(store, m, x, a[0].AsU32, a[1].AsU32),
        ArrayNewElem x => ArrayNewElem(store, m, x, a[0].AsU32, a[1].AsU32),
        ArrayGet x => ArrayGet(m, x, a),
        ArraySet x => ArraySet(a),
        ArrayLen => a[0].Ref is ArrayInst arr ? [Value.I32(arr.Length)] : throw new TrapException(TrapCode.NullArrayReference),
        ArrayFill x => ArrayFill(store, a),
        Syntax.ArrayCopy => ArrayCopy(store, a),
        ArrayInitData x => ArrayInitData(store, m, x, a),
        ArrayInitElem x => ArrayInitElem(store, a, m.Elems[(int)x.Elem].Refs),
        // Tables (§4.4.6)
        TableGet x => TableGet(m.Tables[(int)x.Table], a[0]),
        TableSet x => TableSet(m.Tables[(int)x.Table], a),
        TableSize x => [Addr(m.Tables[(int)x.Table].Type.AddrType, m.Tables[(int)x.Table].Size)],
        TableGrow x => TableGrow(store, m.Tables[(int)x.Table], a),
        TableFill x => TableFill(store, m.Tables[(int)x.Table], a),
        TableCopy x => TableCopy(store, m.Tables[(int)x.Dst], m.Tables[(int)x.Src], a),
        TableInit x => TableInit(store, m.Tables[(int)x.Table], m.Elems[(int)x.Elem], a),
        ElemDrop x => Drop(m.Elems[(int)x.Elem]),
        GlobalGet x => [m.Globals[(int)x.Global].Value],
        GlobalSet x => SetGlobal(m.Globals[(int)x.Global], a[0]),
        // Memory (§4.4.7)
        MemoryGrow x => MemoryGrow(m.Mems[(int)x.Mem], a[0]),
        MemoryFill x => MemoryFill(store, m.Mems[(int)x.Mem], a),
        MemoryCopy x => MemoryCopy(store, m.Mems[(int)x.Dst], m.Mems[(int)x.Src], a),
        MemoryInit x => MemoryInit(store, m.Mems[(int)x.Mem], m.Datas[(int)x.Data], a),
        DataDrop x => Drop(m.Datas[(int)x.Data]),
        // Numeric: the wide-arithmetic proposal
        Syntax.WideArith w => WideArith(w.Op, a),
        // Vectors (§4.4.3), by the runtime's numerics
        VVUnop x => [Value.V128(Numerics.vvunop(x.Op, a[0].AsV128))],
        VVBinop x => [Value.V128(Numerics.vvbinop(x.Op, a[0].AsV128, a[1].AsV128))],
        VVTernop x => [Value.V128(Numerics.vvternop(x.Op, a[0].AsV128, a[1].AsV128, a[2].AsV128))],
        VVTestop x => [Value.I32(Numerics.vvtestop(x.Op, a[0].AsV128))],
        VUnop x => [Value.V128(Numerics.vunop(x.Shape, x.Op, a[0].AsV128))],
        VBinop x => [Value.V128(Numerics.vbinop(x.Shape, x.Op, a[0].AsV128, a[1].AsV128))],
        VTernop x => [Value.V128(Numerics.vternop(x.Shape, x.Op, a[0].AsV128, a[1].AsV128, a[2].AsV128))],
        VTestop x => [Value.I32(Numerics.vtestop(x.Shape, x.Op, a[0].AsV128))],
        VRelop x => [Value.V128(Numerics.vrelop(x.Shape, x.Op, a[0].AsV128, a[1].AsV128))],
        VShiftop x => [Value.V128(Numerics.vshiftop(x.Shape, x.Op, a[0].AsV128, a[1].AsU32))],
        VBitmask x => [Value.I32(Numerics.vbitmask(x.Shape, a[0].AsV128))],
        VSwizzlop x => [Value.V128(Numerics.vswizzle(x.Shape, x.Op, a[0].AsV128, a[1].AsV128))],
        VShuffle x => [Value.V128(Numerics.vshuffle(x.Shape, x.Lanes.AsSpan(), a[0].AsV128, a[1].AsV128))],
        VExtunop x => [Value.V128(Numerics.vextunop(x.To, x.From, x.Op, a[0].AsV128))],
        VExtbinop x => [Value.V128(Numerics.vextbinop(x.To, x.From, x.Op, a[0].AsV128, a[1].AsV128))],
        VExtternop x => [Value.V128(Numerics.vextternop(x.To, x.From, x.Op, a[0].AsV128, a[1].AsV128, a[2].AsV128))],
        VNarrow x => [Value.V128(Numerics.vnarrow(x.To, x.From, x.Sx, a[0].AsV128, a[1].AsV128))],
        VCvtop x => [Value.V128(Numerics.vcvtop(x.To, x.From, x.Op, a[0].AsV128))],
        VSplat x => [Value.V128(Numerics.vsplat(x.Shape, a[0].Bits))],
        VExtractLane x => [Value.Num(Unpacked(x.Shape.Lane), Numerics.vextract_lane(x.Shape, x.Sx, x.Lane, a[0].AsV128))],
        VReplaceLane x => [Value.V128(Numerics.vreplace_lane(x.Shape, x.Lane, a[0].AsV128, a[1].Bits))],
        VLoad x => [Value.V128(VLoad(m.Mems[(int)x.Mem], x, a[0]))],
        VLoadLane x => [Value.V128(VLoadLane(m.Mems[(int)x.Mem], x, a[0], a[1].AsV128))],
        VStore x => VStore(m.Mems[(int)x.Mem], x, a[0], a[1].AsV128),
        VStoreLane x => VStoreLane(m.Mems[(int)x.Mem], x, a[0], a[1].AsV128),
        // The threads proposal's wait and notify, over the memory's waiter queues (atomic accesses are compiled inline)
        MemoryAtomicNotify x => Notify(m.Mems[(int)x.Mem], x, a),
        MemoryAtomicWait x => AtomicWait(store, m.Mems[(int)x.Mem], x, a),
        _ => throw new InvalidOperationException($"no runtime operation for {i.GetType().Name}"),
    };

    static RefType Close(ModuleInstance m, RefType t) => Types.Inst(t, m.Types);

    static StructType StructOf(ModuleInstance m, uint x) => (StructType)Validation.Types.Expand(m.Types[x]);
    static ArrayType ArrayOf(ModuleInstance m, uint x) => (ArrayType)Validation.Types.Expand(m.Types[x]);

    static NumType Unpacked(LaneType t) => t switch
    {
        LaneType.I64 => NumType.I64, LaneType.F32 => NumType.F32, LaneType.F64 => NumType.F64, _ => NumType.I32,
    };

    static Value[] RefCastDescEq(RefCastDescEq t, Value[] a)
    {
        var desc = a[1].Ref ?? throw new TrapException(TrapCode.NullDescriptorReference);
        var r = a[0].Ref;
        if (r is null ? !t.Type.Null : !Aggregates.HasDescriptor(r, desc)) throw new TrapException(TrapCode.DescriptorCastFailure);
        return [a[0]];
    }

    // ---- Structures and arrays ----

    /// <summary>A struct of type x with <paramref name="fields"/> (none: the defaults), its bytes claimed from the store's GC heap.</summary>
    static StructInst NewStruct(Store store, ModuleInstance m, uint x, ReadOnlySpan<Value> fields, Ref? descriptor)
    {
        var s = new StructInst(store.Claims.Heap, m.Types[x], StructOf(m, x), descriptor);
        for (int k = 0; k < fields.Length; k++) s.Set((uint)k, fields[k]);
        return s;
    }

    static Value[] StructSet(StructSet x, Value[] a)
    {
        if (a[0].Ref is not StructInst s) throw new TrapException(TrapCode.NullStructureReference);
        s.Set(x.Field, a[1]);
        return [];
    }

    /// <summary>An array of type x of n elements, default until <paramref name="init"/> sets them, its bytes claimed from the store's GC heap.</summary>
    static ArrayInst NewArray(Store store, ModuleInstance m, uint x, ulong n, Action<ArrayInst> init)
    {
        var arr = new ArrayInst(store.Claims.Heap, m.Types[x], ArrayOf(m, x), n);
        init(arr);
        return arr;
    }

    static Value[] ArrayNew(Store store, ModuleInstance m, uint x, uint n, Action<ArrayInst> init)
    {
        store.Charge(n);
        return [Value.Reference(NewArray(store, m, x, n, init))];
    }

    static Value[] ArrayNewData(Store store, ModuleInstance m, ArrayNewData x, uint s, uint n)
    {
        int z = Aggregates.ZSize(ArrayOf(m, x.TypeIdx).Field.Type);
        var bytes = m.Datas[(int)x.Data].Bytes;
        if ((ulong)s + (ulong)n * (ulong)z > (ulong)bytes.Length) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        return ArrayNew(store, m, x.TypeIdx, n, arr => arr.InitData(0, bytes.AsSpan((int)s, (int)n * z)));
    }

    static Value[] ArrayNewElem(Store store, ModuleInstance m, ArrayNewElem x, uint s, uint n)
    {
        var refs = m.Elems[(int)x.Elem].Refs;
        if ((ulong)s + n > (ulong)refs.Length) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        return ArrayNew(store, m, x.TypeIdx, n, arr => arr.InitRefs(0, refs, s, n));
    }

    static ArrayInst ArrayAt(Value r) => r.Ref as ArrayInst ?? throw new TrapException(TrapCode.NullArrayReference);

    static Value[] ArrayGet(ModuleInstance m, ArrayGet x, Value[] a)
    {
        var arr = ArrayAt(a[0]);
        var i = a[1].AsU32;
        if (i >= arr.Length) throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        return [Aggregates.UnpackField(ArrayOf(m, x.TypeIdx).Field.Type, x.Sx, arr.Get(i))];
    }

    static Value[] ArraySet(Value[] a)
    {
        var arr = ArrayAt(a[0]);
        var i = a[1].AsU32;
        if (i >= arr.Length) throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        arr.Set(i, a[2]);
        return [];
    }

    static Value[] ArrayFill(Store store, Value[] a)
    {
        var arr = ArrayAt(a[0]);
        uint d = a[1].AsU32, n = a[3].AsU32;
        if (!InBounds(d, n, (ulong)arr.Length)) throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        if (n == 0) return [];
        store.Charge(n);
        arr.Fill(d, n, a[2]);
        return [];
    }

    static Value[] ArrayCopy(Store store, Value[] a)
    {
        var a1 = ArrayAt(a[0]);
        var a2 = ArrayAt(a[2]);
        uint d = a[1].AsU32, s = a[3].AsU32, n = a[4].AsU32;
        if (!InBounds(d, n, (ulong)a1.Length) || !InBounds(s, n, (ulong)a2.Length))
            throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        if (n == 0) return [];
        store.Charge(n);
        a1.Copy(d, a2, s, n);
        return [];
    }

    static Value[] ArrayInitData(Store store, ModuleInstance m, ArrayInitData x, Value[] a)
    {
        var arr = ArrayAt(a[0]);
        uint d = a[1].AsU32, s = a[2].AsU32, n = a[3].AsU32;
        if (!InBounds(d, n, (ulong)arr.Length)) throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        int z = Aggregates.ZSize(ArrayOf(m, x.TypeIdx).Field.Type);
        var bytes = m.Datas[(int)x.Data].Bytes;
        if ((ulong)s + (ulong)n * (ulong)z > (ulong)bytes.Length) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        if (n == 0) return [];
        store.Charge(n);
        arr.InitData(d, bytes.AsSpan((int)s, (int)n * z));
        return [];
    }

    static Value[] ArrayInitElem(Store store, Value[] a, Ref?[] refs)
    {
        var arr = ArrayAt(a[0]);
        uint d = a[1].AsU32, s = a[2].AsU32, n = a[3].AsU32;
        if (!InBounds(d, n, (ulong)arr.Length)) throw new TrapException(TrapCode.OutOfBoundsArrayAccess);
        if (!InBounds(s, n, (ulong)refs.Length)) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        if (n == 0) return [];
        store.Charge(n);
        arr.InitRefs(d, refs, s, n);
        return [];
    }

    // ---- Tables ----

    static Value[] TableGet(TableInst t, Value i)
    {
        var k = AddrOf(t.Type.AddrType, i);
        if (k >= t.Size) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        return [Value.Reference(t.Get(k))];
    }

    static Value[] TableSet(TableInst t, Value[] a)
    {
        var k = AddrOf(t.Type.AddrType, a[0]);
        if (k >= t.Size) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        t.Set(k, a[1].Ref);
        return [];
    }

    static Value[] TableGrow(Store store, TableInst t, Value[] a)
    {
        var n = AddrOf(t.Type.AddrType, a[1]);
        var old = t.Size;
        if (!t.CanGrow(n)) return [Addr(t.Type.AddrType, ulong.MaxValue)];
        store.Charge(n);
        t.Grow(n, a[0].Ref);
        return [Addr(t.Type.AddrType, old)];
    }

    static Value[] TableFill(Store store, TableInst t, Value[] a)
    {
        var i = AddrOf(t.Type.AddrType, a[0]);
        var n = AddrOf(t.Type.AddrType, a[2]);
        if (!InBounds(i, n, t.Size)) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        if (n == 0) return [];
        store.Charge(n);
        t.Fill(i, a[1].Ref, n);
        return [];
    }

    static Value[] TableCopy(Store store, TableInst td, TableInst ts, Value[] a)
    {
        var d = AddrOf(td.Type.AddrType, a[0]);
        var s = AddrOf(ts.Type.AddrType, a[1]);
        // The length has the smaller of the two address types.
        var n = td.Type.AddrType == AddrType.I64 && ts.Type.AddrType == AddrType.I64 ? a[2].Bits : a[2].AsU32;
        if (!InBounds(s, n, ts.Size) || !InBounds(d, n, td.Size)) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        if (n == 0) return [];
        store.Charge(n);
        td.Copy(d, ts, s, n);
        return [];
    }

    static Value[] TableInit(Store store, TableInst t, ElemInst e, Value[] a)
    {
        var d = AddrOf(t.Type.AddrType, a[0]);
        uint s = a[1].AsU32, n = a[2].AsU32;
        if (!InBounds(s, n, (ulong)e.Refs.Length) || !InBounds(d, n, t.Size)) throw new TrapException(TrapCode.OutOfBoundsTableAccess);
        if (n == 0) return [];
        store.Charge(n);
        t.Init(d, e.Refs, s, n);
        return [];
    }

    static Value[] Drop(ElemInst e) { e.Refs = []; return []; }
    static Value[] Drop(DataInst d) { d.Bytes = []; return []; }

    static Value[] SetGlobal(GlobalInst g, Value v) { g.Value = v; return []; }

    // ---- Memory ----

    static Value[] MemoryGrow(MemInst mem, Value n) => [Addr(mem.Type.AddrType, mem.Grow(AddrOf(mem.Type.AddrType, n)) ?? ulong.MaxValue)];

    static Value[] MemoryFill(Store store, MemInst mem, Value[] a)
    {
        var d = AddrOf(mem.Type.AddrType, a[0]);
        var n = AddrOf(mem.Type.AddrType, a[2]);
        if (!mem.InBounds(d, n)) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        if (n == 0) return [];
        store.Charge(n);
        mem.Fill(d, (byte)a[1].AsU32, n);
        return [];
    }

    static Value[] MemoryCopy(Store store, MemInst dm, MemInst sm, Value[] a)
    {
        var d = AddrOf(dm.Type.AddrType, a[0]);
        var s = AddrOf(sm.Type.AddrType, a[1]);
        var n = dm.Type.AddrType == AddrType.I64 && sm.Type.AddrType == AddrType.I64 ? a[2].Bits : a[2].AsU32;
        if (!sm.InBounds(s, n) || !dm.InBounds(d, n)) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        if (n == 0) return [];
        store.Charge(n);
        dm.Copy(d, sm, s, n);
        return [];
    }

    static Value[] MemoryInit(Store store, MemInst mem, DataInst data, Value[] a)
    {
        var d = AddrOf(mem.Type.AddrType, a[0]);
        uint s = a[1].AsU32, n = a[2].AsU32;
        if ((ulong)s + n > (ulong)data.Bytes.Length || !mem.InBounds(d, n)) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        if (n == 0) return [];
        store.Charge(n);
        mem.Init(d, data.Bytes, s, n);
        return [];
    }

    /// <summary>The effective address of a vector access of <paramref name="n"/> bytes, or the trap.</summary>
    static ulong Effective(MemInst mem, Value i, ulong offset, ulong n)
    {
        var a = AddrOf(mem.Type.AddrType, i);
        var ea = a + offset;
        if (ea < a || !mem.InBounds(ea, n)) throw new TrapException(TrapCode.OutOfBoundsMemoryAccess);
        return ea;
    }

    static ulong ReadN(MemInst mem, ulong ea, int bits) => bits switch
    {
        8 => mem.Read<byte>(ea), 16 => mem.Read<ushort>(ea), 32 => mem.Read<uint>(ea), _ => mem.Read<ulong>(ea),
    };

    static V128 VLoad(MemInst mem, VLoad l, Value i) => l.Op switch
    {
        null => Effective(mem, i, l.Arg.Offset, 16) is var ea ? new V128(mem.Read<ulong>(ea), mem.Read<ulong>(ea + 8)) : default,
        VLoadShape s => Numerics.vload_extend((int)s.Size, s.Sx, mem.Read<ulong>(Effective(mem, i, l.Arg.Offset, 8))),
        VLoadSplat s => Numerics.vload_splat((int)s.Size, ReadN(mem, Effective(mem, i, l.Arg.Offset, (ulong)s.Size / 8), (int)s.Size)),
        VLoadZero z => Numerics.vload_zero((int)z.Size, ReadN(mem, Effective(mem, i, l.Arg.Offset, (ulong)z.Size / 8), (int)z.Size)),
        _ => throw new InvalidOperationException("unknown vector load"),
    };

    static V128 VLoadLane(MemInst mem, VLoadLane l, Value i, V128 v) =>
        Numerics.vload_lane((int)l.Size, l.Lane, v, ReadN(mem, Effective(mem, i, l.Arg.Offset, (ulong)l.Size / 8), (int)l.Size));

    static Value[] VStore(MemInst mem, VStore s, Value i, V128 v)
    {
        var ea = Effective(mem, i, s.Arg.Offset, 16);
        mem.Write(ea, v.Lo);
        mem.Write(ea + 8, v.Hi);
        return [];
    }

    static Value[] VStoreLane(MemInst mem, VStoreLane s, Value i, V128 v)
    {
        int n = (int)s.Size;
        var ea = Effective(mem, i, s.Arg.Offset, (ulong)n / 8);
        var lane = Numerics.vextract_lane(new Shape(n switch { 8 => LaneType.I8, 16 => LaneType.I16, 32 => LaneType.I32, _ => LaneType.I64 }, 128 / n), null, s.Lane, v);
        switch (n)
        {
            case 8: mem.Write(ea, (byte)lane); break;
            case 16: mem.Write(ea, (ushort)lane); break;
            case 32: mem.Write(ea, (uint)lane); break;
            default: mem.Write(ea, lane); break;
        }
        return [];
    }

    // ---- Atomics ----

    /// <summary>The effective address of an atomic access: in bounds, then aligned ("unaligned atomic").</summary>
    static ulong AtomicAddress(MemInst mem, Value i, ulong offset, ulong n)
    {
        var ea = Effective(mem, i, offset, n);
        if (ea % n != 0) throw new TrapException(TrapCode.UnalignedAtomic);
        return ea;
    }

    /// <summary>memory.atomic.notify: wakes up to count waiters at the address (the address is checked first).</summary>
    static Value[] Notify(MemInst mem, MemoryAtomicNotify n, Value[] a) =>
        [Value.I32(mem.Notify(AtomicAddress(mem, a[0], n.Arg.Offset, 4), a[1].AsU32))];

    /// <summary>memory.atomic.wait: blocks this thread until notified or timed out; the store's stop ends it.</summary>
    static Value[] AtomicWait(Store store, MemInst mem, MemoryAtomicWait w, Value[] a)
    {
        int bits = w.Type == NumType.I32 ? 32 : 64;
        var ea = AtomicAddress(mem, a[0], w.Arg.Offset, (ulong)bits / 8);
        if (!mem.Type.Shared) throw new TrapException(TrapCode.ExpectedSharedMemory);
        return [Value.I32(mem.Wait(store, ea, bits, bits == 32 ? a[1].AsU32 : a[1].Bits, (long)a[2].Bits))];
    }

    // ---- Wide arithmetic ----

    static Value[] WideArith(WideOp op, Value[] a)
    {
        var (lo, hi) = op switch
        {
            WideOp.Add128 => Numerics.i64_add128(a[0].Bits, a[1].Bits, a[2].Bits, a[3].Bits),
            WideOp.Sub128 => Numerics.i64_sub128(a[0].Bits, a[1].Bits, a[2].Bits, a[3].Bits),
            WideOp.MulWideS => Numerics.i64_mul_wide_s(a[0].Bits, a[1].Bits),
            _ => Numerics.i64_mul_wide_u(a[0].Bits, a[1].Bits),
        };
        return [Value.I64(lo), Value.I64(hi)];
    }
}
