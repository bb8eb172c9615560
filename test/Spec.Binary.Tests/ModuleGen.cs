using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>
/// Generators of modules for the round-trip property. They produce anything the binary format can represent
/// (not only valid modules): index spaces, nesting, GC and SIMD instructions, every segment mode, names, custom sections.
/// </summary>
public static class ModuleGen
{
    static Gen<ImmutableArray<T>> Arr<T>(Gen<T> g, int max) =>
        Gen.Choose(0, max).SelectMany(n => g.ArrayOf(n)).Select(a => a.ToImmutableArray());

    static Gen<(A, B)> Pair<A, B>(Gen<A> a, Gen<B> b) => a.SelectMany(x => b.Select(y => (x, y)));

    public static readonly Gen<uint> Idx = Gen.Frequency(
        (8, Gen.Choose(0, 5).Select(i => (uint)i)),
        (2, Gen.Choose(0, 300).Select(i => (uint)i)),
        (1, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i)));

    public static readonly Gen<ulong> U64 = Gen.Frequency(
        (4, Gen.Choose(0, 70000).Select(i => (ulong)i)),
        (1, Pair(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue)).Select(p => ((ulong)(uint)p.Item1 << 32) | (uint)p.Item2)));

    static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static readonly Gen<string> Name = Gen.Elements("", "a", "f", "memory", "spectest", "é", "中文", "😀x", "a b", "\0")
        .SelectMany(a => Gen.Elements("", "1", "ü", "long_name_").Select(b => a + b));

    // ---- Types ----

    public static readonly Gen<HeapType> Heap = Gen.Frequency(
        (3, Gen.Elements<HeapType>(HeapType.Any, HeapType.Eq, HeapType.I31, HeapType.Struct, HeapType.Array, HeapType.None,
            HeapType.Func, HeapType.NoFunc, HeapType.Exn, HeapType.NoExn, HeapType.Extern, HeapType.NoExtern)),
        (1, Idx.Select(i => (HeapType)new TypeIdx(i))),
        (1, Idx.Select(i => (HeapType)new ExactHeap(new TypeIdx(i)))));

    public static readonly Gen<RefType> Ref = Pair(Gen.Elements(true, false), Heap).Select(p => new RefType(p.Item1, p.Item2));

    public static readonly Gen<ValType> Val = Gen.Frequency(
        (4, Gen.Elements<ValType>(ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128)),
        (2, Ref.Select(r => (ValType)r)));

    static readonly Gen<FieldType> Field = Pair(
        Gen.Frequency((3, Val.Select(v => (StorageType)v)), (1, Gen.Elements<StorageType>(new PackedType(PackType.I8), new PackedType(PackType.I16)))),
        Gen.Elements(Mut.Const, Mut.Var)).Select(p => new FieldType(p.Item2, p.Item1));

    static readonly Gen<CompType> Comp = Gen.OneOf(
        Pair(Arr(Val, 4), Arr(Val, 3)).Select(p => (CompType)new FuncType(p.Item1, p.Item2)),
        Arr(Field, 4).Select(fs => (CompType)new StructType(fs)),
        Field.Select(f => (CompType)new ArrayType(f)));

    // The custom descriptors proposal's describes and descriptor clauses, each present or not.
    static readonly Gen<TypeUse?> Clause = Gen.Frequency((2, Gen.Constant<TypeUse?>(null)), (1, Idx.Select(i => (TypeUse?)new TypeIdx(i))));

    static readonly Gen<SubType> Sub = Gen.Frequency(
        (3, Comp.Select(SubType.Plain)),
        (1, Gen.Elements(true, false).SelectMany(final => Arr(Idx.Select(i => (TypeUse)new TypeIdx(i)), 2)
            .SelectMany(supers => Comp.SelectMany(c => Pair(Clause, Clause).Select(d => new SubType(final, supers, c, d.Item1, d.Item2)))))));

    static readonly Gen<RecType> Rec = Gen.Frequency(
        (3, Sub.Select(s => new RecType([s]))),
        (1, Arr(Sub, 3).Select(ss => new RecType(ss))));

    static readonly Gen<Limits> Lim = Pair(U64, Gen.Elements(true, false)).SelectMany(p =>
        p.Item2 ? U64.Select(m => new Limits(p.Item1, m)) : Gen.Constant(new Limits(p.Item1, null)));

    static readonly Gen<AddrType> Addr = Gen.Elements(AddrType.I32, AddrType.I64);
    static readonly Gen<TableType> TableT = Addr.SelectMany(a => Lim.SelectMany(l => Ref.Select(r => new TableType(a, l, r))));
    static readonly Gen<MemType> MemT = Addr.SelectMany(a => Lim.Select(l => new MemType(a, l)));
    static readonly Gen<GlobalType> GlobalT = Pair(Gen.Elements(Mut.Const, Mut.Var), Val).Select(p => new GlobalType(p.Item1, p.Item2));

    static readonly Gen<ExternType> Extern = Gen.OneOf(
        Pair(Idx, Gen.Elements(false, true)).Select(p => (ExternType)new FuncExtern(new TypeIdx(p.Item1), p.Item2)),
        TableT.Select(t => (ExternType)new TableExtern(t)),
        MemT.Select(t => (ExternType)new MemExtern(t)),
        GlobalT.Select(t => (ExternType)new GlobalExtern(t)),
        Idx.Select(i => (ExternType)new TagExtern(new TypeIdx(i))));

    // ---- Instructions ----

    static readonly Instr[] PlainInstrs = Opcodes.ByInstr.Keys.ToArray();

    static readonly Gen<BlockType> Bt = Gen.Frequency(
        (3, Gen.Constant<BlockType>(ValBlockType.Empty)),
        (2, Val.Select(v => (BlockType)new ValBlockType(v))),
        (1, Idx.Select(i => (BlockType)new IdxBlockType(i))));

    static readonly Gen<MemArg> MArg = Pair(Gen.Choose(0, 63), U64).Select(p => new MemArg((uint)p.Item1, p.Item2));
    static readonly Gen<uint> Mem = Gen.Frequency((4, Gen.Constant(0u)), (1, Idx));
    static readonly Gen<Sx> SxG = Gen.Elements(Sx.S, Sx.U);
    static readonly Gen<Sz> SzG = Gen.Elements(Sz.S8, Sz.S16, Sz.S32, Sz.S64);

    static readonly Gen<Const> ConstG = Gen.OneOf(
        Gen.Choose(int.MinValue, int.MaxValue).Select(Const.I32),
        Pair(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue)).Select(p => Const.I64(((long)p.Item1 << 32) ^ (uint)p.Item2)),
        Gen.Choose(int.MinValue, int.MaxValue).Select(i => new Const(NumType.F32, (uint)i)),
        U64.Select(b => new Const(NumType.F64, b)));

    static readonly Gen<Load> LoadG = Gen.Elements<(NumType, LoadOp?)>(
            (NumType.I32, null), (NumType.I64, null), (NumType.F32, null), (NumType.F64, null),
            (NumType.I32, new LoadOp(Sz.S8, Sx.S)), (NumType.I32, new LoadOp(Sz.S16, Sx.U)),
            (NumType.I64, new LoadOp(Sz.S32, Sx.S)), (NumType.I64, new LoadOp(Sz.S8, Sx.U)))
        .SelectMany(t => Mem.SelectMany(m => MArg.Select(a => new Load(t.Item1, t.Item2, m, a))));

    static readonly Gen<Store> StoreG = Gen.Elements<(NumType, Sz?)>(
            (NumType.I32, null), (NumType.I64, null), (NumType.F32, null), (NumType.F64, null),
            (NumType.I32, Sz.S8), (NumType.I64, Sz.S16), (NumType.I64, Sz.S32))
        .SelectMany(t => Mem.SelectMany(m => MArg.Select(a => new Store(t.Item1, t.Item2, m, a))));

    static readonly Gen<VLoadOp?> VLoadOpG = Gen.Elements<VLoadOp?>(null,
        new VLoadShape(Sz.S8, 8, Sx.S), new VLoadShape(Sz.S16, 4, Sx.U), new VLoadShape(Sz.S32, 2, Sx.S),
        new VLoadSplat(Sz.S8), new VLoadSplat(Sz.S64), new VLoadZero(Sz.S32), new VLoadZero(Sz.S64));

    static readonly Gen<Instr> LaneG = Gen.Elements(Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2)
        .SelectMany(s => Byte.SelectMany(l => Gen.Elements(true, false).SelectMany(replace => SxG.Select(sx =>
            replace ? (Instr)new VReplaceLane(s, l)
                : new VExtractLane(s, s.Lane is LaneType.I8 or LaneType.I16 ? sx : null, l)))));

    static readonly Gen<Catch> CatchG = Gen.OneOf(
        Pair(Idx, Idx).Select(p => (Catch)new CatchTag(p.Item1, p.Item2)),
        Pair(Idx, Idx).Select(p => (Catch)new CatchTagRef(p.Item1, p.Item2)),
        Idx.Select(l => (Catch)new CatchAll(l)),
        Idx.Select(l => (Catch)new CatchAllRef(l)));

    /// <summary>Instructions without nested blocks: the immediate-free table plus every immediate shape.</summary>
    public static readonly Gen<Instr> Simple = Gen.Frequency(
        (10, Gen.Elements(PlainInstrs)),
        (3, ConstG.Select(c => (Instr)c)),
        (3, Gen.OneOf(Idx.Select(x => (Instr)new LocalGet(x)), Idx.Select(x => (Instr)new LocalSet(x)), Idx.Select(x => (Instr)new LocalTee(x)),
            Idx.Select(x => (Instr)new GlobalGet(x)), Idx.Select(x => (Instr)new GlobalSet(x)))),
        (2, Gen.OneOf(Idx.Select(x => (Instr)new Br(x)), Idx.Select(x => (Instr)new BrIf(x)), Idx.Select(x => (Instr)new BrOnNull(x)),
            Idx.Select(x => (Instr)new BrOnNonNull(x)),
            Pair(Arr(Idx, 4), Idx).Select(p => (Instr)new BrTable(p.Item1, p.Item2)),
            Idx.SelectMany(l => Pair(Ref, Ref).Select(p => (Instr)new BrOnCast(l, p.Item1, p.Item2))),
            Idx.SelectMany(l => Pair(Ref, Ref).Select(p => (Instr)new BrOnCastFail(l, p.Item1, p.Item2))),
            Idx.SelectMany(l => Pair(Ref, Ref).Select(p => (Instr)new BrOnCastDescEq(l, p.Item1, p.Item2))),
            Idx.SelectMany(l => Pair(Ref, Ref).Select(p => (Instr)new BrOnCastDescEqFail(l, p.Item1, p.Item2))))),
        (2, Gen.OneOf(Idx.Select(x => (Instr)new Call(x)), Idx.Select(x => (Instr)new ReturnCall(x)), Idx.Select(x => (Instr)new CallRef(x)),
            Idx.Select(x => (Instr)new ReturnCallRef(x)), Pair(Idx, Idx).Select(p => (Instr)new CallIndirect(p.Item1, p.Item2)),
            Pair(Idx, Idx).Select(p => (Instr)new ReturnCallIndirect(p.Item1, p.Item2)),
            Idx.Select(x => (Instr)new Throw(x)), Idx.Select(x => (Instr)new LegacyRethrow(x)))),
        (1, Arr(Val, 2).Select(ts => (Instr)new Select(ts))),
        (2, Gen.OneOf(Idx.Select(x => (Instr)new TableGet(x)), Idx.Select(x => (Instr)new TableSet(x)), Idx.Select(x => (Instr)new TableSize(x)),
            Idx.Select(x => (Instr)new TableGrow(x)), Idx.Select(x => (Instr)new TableFill(x)), Idx.Select(x => (Instr)new ElemDrop(x)),
            Pair(Idx, Idx).Select(p => (Instr)new TableCopy(p.Item1, p.Item2)), Pair(Idx, Idx).Select(p => (Instr)new TableInit(p.Item1, p.Item2)))),
        (3, Gen.OneOf(LoadG.Select(l => (Instr)l), StoreG.Select(s => (Instr)s),
            Idx.Select(x => (Instr)new MemorySize(x)), Idx.Select(x => (Instr)new MemoryGrow(x)), Idx.Select(x => (Instr)new MemoryFill(x)),
            Pair(Idx, Idx).Select(p => (Instr)new MemoryCopy(p.Item1, p.Item2)), Pair(Idx, Idx).Select(p => (Instr)new MemoryInit(p.Item1, p.Item2)),
            Idx.Select(x => (Instr)new DataDrop(x)))),
        (2, Gen.OneOf(Heap.Select(h => (Instr)new RefNull(h)), Idx.Select(x => (Instr)new RefFunc(x)),
            Ref.Select(r => (Instr)new RefTest(r)), Ref.Select(r => (Instr)new RefCast(r)),
            Ref.Select(r => (Instr)new RefCastDescEq(r)), Idx.Select(x => (Instr)new RefGetDesc(x)),
            Idx.Select(x => (Instr)new StructNewDesc(x)), Idx.Select(x => (Instr)new StructNewDefaultDesc(x)))),
        (3, Gen.OneOf(Idx.Select(x => (Instr)new StructNew(x)), Idx.Select(x => (Instr)new StructNewDefault(x)),
            Gen.Elements<Sx?>(null, Sx.S, Sx.U).SelectMany(sx => Pair(Idx, Idx).Select(p => (Instr)new StructGet(sx, p.Item1, p.Item2))),
            Pair(Idx, Idx).Select(p => (Instr)new StructSet(p.Item1, p.Item2)),
            Idx.Select(x => (Instr)new ArrayNew(x)), Idx.Select(x => (Instr)new ArrayNewDefault(x)),
            Pair(Idx, Idx).Select(p => (Instr)new ArrayNewFixed(p.Item1, p.Item2)), Pair(Idx, Idx).Select(p => (Instr)new ArrayNewData(p.Item1, p.Item2)),
            Pair(Idx, Idx).Select(p => (Instr)new ArrayNewElem(p.Item1, p.Item2)),
            Gen.Elements<Sx?>(null, Sx.S, Sx.U).SelectMany(sx => Idx.Select(x => (Instr)new ArrayGet(sx, x))),
            Idx.Select(x => (Instr)new ArraySet(x)), Idx.Select(x => (Instr)new ArrayFill(x)),
            Pair(Idx, Idx).Select(p => (Instr)new ArrayCopy(p.Item1, p.Item2)), Pair(Idx, Idx).Select(p => (Instr)new ArrayInitData(p.Item1, p.Item2)),
            Pair(Idx, Idx).Select(p => (Instr)new ArrayInitElem(p.Item1, p.Item2)))),
        (3, Gen.OneOf(
            Pair(Byte.ArrayOf(8), Byte.ArrayOf(8)).Select(p => (Instr)new VConst(V128.FromBytes([.. p.Item1, .. p.Item2]))),
            Byte.ArrayOf(16).Select(ls => (Instr)new VShuffle(Shape.I8x16, [.. ls])),
            VLoadOpG.SelectMany(op => Mem.SelectMany(m => MArg.Select(a => (Instr)new VLoad(VecType.V128, op, m, a)))),
            Mem.SelectMany(m => MArg.Select(a => (Instr)new VStore(VecType.V128, m, a))),
            SzG.SelectMany(sz => Mem.SelectMany(m => MArg.SelectMany(a => Byte.Select(l => (Instr)new VLoadLane(VecType.V128, sz, m, a, l))))),
            SzG.SelectMany(sz => Mem.SelectMany(m => MArg.SelectMany(a => Byte.Select(l => (Instr)new VStoreLane(VecType.V128, sz, m, a, l))))),
            LaneG)));

    /// <summary>Instruction sequences with blocks nested up to <paramref name="depth"/> deep.</summary>
    public static Gen<ImmutableArray<Instr>> Instrs(int depth, int max)
    {
        if (depth == 0) return Arr(Simple, max);
        var body = Gen.Fresh(() => 0).SelectMany(_ => Instrs(depth - 1, Math.Max(2, max / 2)));
        var nested = Gen.OneOf(
            Pair(Bt, body).Select(p => (Instr)new Block(p.Item1, p.Item2)),
            Pair(Bt, body).Select(p => (Instr)new Loop(p.Item1, p.Item2)),
            Bt.SelectMany(bt => Pair(body, Gen.Frequency((1, Gen.Constant(ImmutableArray<Instr>.Empty)), (2, body)))
                .Select(p => (Instr)new If(bt, p.Item1, p.Item2))),
            Bt.SelectMany(bt => Pair(Arr(CatchG, 3), body).Select(p => (Instr)new TryTable(bt, p.Item1, p.Item2))),
            Bt.SelectMany(bt => Pair(body, Arr(Pair(Idx, body).Select(c => new LegacyCatch(c.Item1, c.Item2)), 2))
                .SelectMany(p => Gen.Frequency((1, Gen.Constant<ImmutableArray<Instr>?>(null)), (1, body.Select(b => (ImmutableArray<Instr>?)b)))
                    .Select(all => (Instr)new LegacyTry(bt, p.Item1, p.Item2, all)))),
            Bt.SelectMany(bt => Pair(body, Idx).Select(p => (Instr)new LegacyTryDelegate(bt, p.Item1, p.Item2))));
        return Arr(Gen.Frequency((5, Simple), (1, nested)), max);
    }

    static readonly Gen<Expr> ConstExpr = Arr(Gen.Frequency((3, ConstG.Select(c => (Instr)c)), (1, Simple)), 3).Select(i => new Expr(i));

    // ---- Module fields ----

    static readonly Gen<Func> FuncG = Idx.SelectMany(t => Arr(Val, 6).SelectMany(ls => Instrs(3, 12)
        .Select(body => new Func(t, [.. ls.Select(v => new Local(v))], new Expr(body)))));

    static readonly Gen<Table> TableG = TableT.SelectMany(tt => Gen.Frequency(
        (2, Gen.Constant(new Expr([new RefNull(tt.ElemType.Heap)]))),
        (1, ConstExpr)).Select(e => new Table(tt, e)));

    static readonly Gen<ElemMode> ElemModeG = Gen.OneOf(
        Pair(Gen.Frequency((3, Gen.Constant(0u)), (1, Idx)), ConstExpr).Select(p => (ElemMode)new ElemActive(p.Item1, p.Item2)),
        Gen.Constant<ElemMode>(ElemPassive.I),
        Gen.Constant<ElemMode>(ElemDeclare.I));

    static readonly Gen<Elem> ElemG = ElemModeG.SelectMany(mode => Gen.OneOf(
        Arr(Idx, 4).Select(ys => new Elem(new RefType(false, HeapType.Func), [.. ys.Select(y => new Expr([new RefFunc(y)]))], mode)),
        Arr(ConstExpr, 3).Select(es => new Elem(RefType.FuncRef, es, mode)),
        Ref.SelectMany(rt => Arr(ConstExpr, 3).Select(es => new Elem(rt, es, mode)))));

    static readonly Gen<Data> DataG = Gen.OneOf(
        Pair(Gen.Frequency((3, Gen.Constant(0u)), (1, Idx)), ConstExpr).Select(p => (DataMode)new DataActive(p.Item1, p.Item2)),
        Gen.Constant<DataMode>(DataPassive.I)).SelectMany(mode => Arr(Byte, 20).Select(b => new Data(b, mode)));

    static readonly Gen<Export> ExportG = Name.SelectMany(n => Gen.Elements(ExternKind.Func, ExternKind.Table, ExternKind.Mem, ExternKind.Global, ExternKind.Tag)
        .SelectMany(k => Idx.Select(i => new Export(n, new ExternIdx(k, i)))));

    static readonly SectionId[] CustomPlaces =
    [
        SectionId.Custom, SectionId.Type, SectionId.Import, SectionId.Function, SectionId.Table, SectionId.Memory, SectionId.Tag,
        SectionId.Global, SectionId.Export, SectionId.Element, SectionId.DataCount, SectionId.Code, SectionId.Data,
    ];

    static readonly Gen<CustomSection> CustomG = Name.Where(n => n != "name").SelectMany(n => Arr(Byte, 10)
        .SelectMany(c => Gen.Elements(CustomPlaces).Select(after => new CustomSection(n, c, after))));

    static Gen<ImmutableArray<NameAssoc>> NameMapG(int max) =>
        Gen.SubListOf(Enumerable.Range(0, 12).ToArray()).SelectMany(ix => Name.ArrayOf(ix.Count)
            .Select(ns => ix.Order().Select((i, k) => new NameAssoc((uint)i, ns[k])).Take(max).ToImmutableArray()));

    static readonly Gen<ImmutableArray<IndirectNameAssoc>> IndirectG =
        Gen.SubListOf(Enumerable.Range(0, 6).ToArray()).SelectMany(ix => NameMapG(3).ArrayOf(ix.Count)
            .Select(ms => ix.Order().Select((i, k) => new IndirectNameAssoc((uint)i, ms[k])).ToImmutableArray()));

    static readonly Gen<Names> NamesG = Gen.Frequency(
        (1, Gen.Constant(Names.Empty)),
        (2, Gen.Elements<string?>(null, "m", "modulé").SelectMany(module => NameMapG(4).SelectMany(funcs => IndirectG.SelectMany(locals =>
            IndirectG.SelectMany(labels => NameMapG(3).SelectMany(types => IndirectG.SelectMany(fields => NameMapG(2).Select(misc =>
                new Names(module, funcs, locals, labels, types, misc, misc, misc, misc, misc, fields, misc))))))))));

    public static readonly Gen<Module> Module =
        from types in Arr(Rec.Select(r => new TypeDef(r)), 4)
        from imports in Arr(Name.SelectMany(m => Name.SelectMany(n => Extern.Select(x => new Import(m, n, x)))), 3)
        from tags in Arr(Idx.Select(i => new Tag(new TypeIdx(i))), 2)
        from globals in Arr(GlobalT.SelectMany(t => ConstExpr.Select(e => new Global(t, e))), 3)
        from mems in Arr(MemT.Select(t => new Mem(t)), 2)
        from tables in Arr(TableG, 2)
        from funcs in Arr(FuncG, 4)
        from datas in Arr(DataG, 3)
        from elems in Arr(ElemG, 3)
        from start in Gen.Frequency((3, Gen.Constant<Start?>(null)), (1, Idx.Select(i => (Start?)new Start(i))))
        from exports in Arr(ExportG, 3)
        from customs in Arr(CustomG, 3)
        from names in NamesG
        select new Module(types, imports, tags, globals, mems, tables, funcs, datas, elems, start, exports)
        {
            Customs = [.. customs.OrderBy(c => Order(c.After))],
            Names = names,
        };

    static int Order(SectionId id) => id == SectionId.Custom ? 0 : Array.IndexOf(CustomPlaces, id);
}
