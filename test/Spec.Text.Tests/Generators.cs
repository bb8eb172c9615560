using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Spec.Syntax;

namespace Spec.Text.Tests;

/// <summary>
/// Random modules that the text format can express exactly: every index in range, every operator paired with a
/// shape or type that has a name, names unique per space where only identifiers can carry them. Label names are
/// generated (the printer uses them) though parsing cannot give them back. Modules need not validate.
/// Built from a seed with System.Random inside the generator, so a failing case is reproducible from its seed.
/// </summary>
public static class Generators
{
    public static Gen<Module> Module() =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Build(seed, Math.Clamp(size, 1, 30))));

    public static Module Build(int seed, int size) => new ModuleBuilder(new Random(seed), size).Build();

    sealed class ModuleBuilder(Random r, int size)
    {
        readonly List<SubType> subs = [];
        readonly List<uint> funcTypes = [];
        readonly List<uint> structTypes = [];
        int nFuncs, nTables, nMems, nGlobals, nTags, nElems, nDatas;
        int nLocals;                 // locals (params included) of the function being built
        int depth;                   // labels in scope
        readonly List<NameAssoc> funcNames = [];

        int N(int max) => r.Next(Math.Max(1, max) + 1);
        bool Coin(int inN = 2) => r.Next(inN) == 0;
        T Pick<T>(IReadOnlyList<T> xs) => xs[r.Next(xs.Count)];
        uint Idx(int count) => (uint)r.Next(count);

        public Module Build()
        {
            var types = GenTypes();
            nMems = N(2);
            nTables = N(2);
            nTags = N(2);
            var imports = GenImports();
            nGlobals = imports.Count(i => i.Type is GlobalExtern) + N(3);
            nFuncs = imports.Count(i => i.Type is FuncExtern) + N(4);
            nElems = N(3);
            nDatas = N(3);
            var defTags = nTags - imports.Count(i => i.Type is TagExtern);
            var defMems = nMems - imports.Count(i => i.Type is MemExtern);
            var defTables = nTables - imports.Count(i => i.Type is TableExtern);
            var defFuncs = nFuncs - imports.Count(i => i.Type is FuncExtern);
            var defGlobals = nGlobals - imports.Count(i => i.Type is GlobalExtern);
            var localNames = new List<IndirectNameAssoc>();
            var funcs = Enumerable.Range(0, defFuncs).Select(i => GenFunc((uint)(nFuncs - defFuncs + i), localNames)).ToList();
            var m = new Module(
                types,
                [.. imports],
                [.. Enumerable.Range(0, Math.Max(0, defTags)).Select(_ => new Tag(new TypeIdx(Pick(funcTypes))))],
                [.. Enumerable.Range(0, Math.Max(0, defGlobals)).Select(_ => new Global(GenGlobalType(), GenConstExpr()))],
                [.. Enumerable.Range(0, Math.Max(0, defMems)).Select(_ => new Mem(GenMemType()))],
                [.. Enumerable.Range(0, Math.Max(0, defTables)).Select(_ => new Table(GenTableType(), GenConstExpr()))],
                [.. funcs],
                [.. Enumerable.Range(0, nDatas).Select(_ => GenData())],
                [.. Enumerable.Range(0, nElems).Select(_ => GenElem())],
                Coin() ? new Start(Idx(nFuncs)) : null,
                [.. Enumerable.Range(0, N(4)).Select(_ => new Export(GenName(), GenExtern()))]);
            var sections = Enum.GetValues<SectionId>();
            var customs = Enumerable.Range(0, Coin(3) ? N(3) : 0)
                .Select(_ => new CustomSection(GenName(), [.. Enumerable.Range(0, N(6)).Select(_ => (byte)r.Next(256))], Pick(sections)));
            return m with { Names = GenNames(localNames), Customs = [.. customs] };
        }

        // ---- types ----

        ImmutableArray<TypeDef> GenTypes()
        {
            var defs = new List<TypeDef>();
            // A first group of plain function types, so that functions, tags and block types have some to use.
            defs.Add(new TypeDef(new RecType([.. Enumerable.Range(0, 1 + N(2)).Select(_ => AddSub(SubType.Plain(GenFuncType())))])));
            for (var g = N(3); g > 0; g--)
            {
                var group = new List<SubType>();
                for (var k = Coin(4) ? 0 : 1 + N(2); k > 0; k--) group.Add(AddSub(GenSubType()));
                defs.Add(new TypeDef(new RecType([.. group])));
            }
            return [.. defs];
        }

        SubType AddSub(SubType st)
        {
            if (st.Comp is FuncType) funcTypes.Add((uint)subs.Count);
            if (st.Comp is StructType) structTypes.Add((uint)subs.Count);
            subs.Add(st);
            return st;
        }

        SubType GenSubType()
        {
            var supers = subs.Count > 0 && Coin() ? ImmutableArray.Create<TypeUse>(new TypeIdx(Idx(subs.Count))) : [];
            CompType comp = r.Next(3) switch
            {
                0 => GenFuncType(),
                1 => new StructType([.. Enumerable.Range(0, N(3)).Select(_ => GenFieldType())]),
                _ => new ArrayType(GenFieldType()),
            };
            // The custom descriptors proposal's clauses, on any kind of composite type (validation restricts them to structs).
            TypeUse? describes = Coin(4) ? new TypeIdx(Idx(subs.Count + 1)) : null;
            TypeUse? descriptor = Coin(4) ? new TypeIdx(Idx(subs.Count + 2)) : null;
            return new(Coin(), supers, comp, describes, descriptor);
        }

        FuncType GenFuncType() => new([.. Enumerable.Range(0, N(3)).Select(_ => GenValType())], [.. Enumerable.Range(0, N(2)).Select(_ => GenValType())]);

        FieldType GenFieldType() => new(Coin() ? Mut.Var : Mut.Const, r.Next(5) switch
        {
            0 => new PackedType(PackType.I8),
            1 => new PackedType(PackType.I16),
            _ => GenValType(),
        });

        ValType GenValType() => r.Next(6) switch
        {
            0 => Syntax.ValType.I32, 1 => Syntax.ValType.I64, 2 => Syntax.ValType.F32, 3 => Syntax.ValType.F64,
            4 => Syntax.ValType.V128, _ => GenRefType(),
        };

        RefType GenRefType() => new(Coin(), GenHeapType());

        HeapType GenHeapType() => subs.Count > 0 && Coin(3)
            ? Coin(3) ? new ExactHeap(new TypeIdx(Idx(subs.Count))) : new TypeIdx(Idx(subs.Count))
            : Syntax.HeapType.Abs((AbsHeapType)r.Next((int)AbsHeapType.Bot));

        Limits GenLimits() => new((ulong)r.Next(100), Coin() ? (ulong)(100 + r.Next(1000)) : null);

        MemType GenMemType() => new(Coin() ? AddrType.I32 : AddrType.I64, GenLimits(), Coin(4), Coin(4) ? (byte)0 : (byte)16);

        TableType GenTableType() => new(Coin() ? AddrType.I32 : AddrType.I64, GenLimits(), GenRefType());

        GlobalType GenGlobalType() => new(Coin() ? Mut.Var : Mut.Const, GenValType());

        // ---- module fields ----

        List<Import> GenImports()
        {
            var list = new List<Import>();
            for (var k = N(5); k > 0; k--)
            {
                ExternType t = r.Next(5) switch
                {
                    0 => new FuncExtern(new TypeIdx(Pick(funcTypes)), Exact: Coin(3)),
                    1 => new TableExtern(GenTableType()),
                    2 => new MemExtern(GenMemType()),
                    3 => new GlobalExtern(GenGlobalType()),
                    _ => new TagExtern(new TypeIdx(Pick(funcTypes))),
                };
                list.Add(new Import(GenName(), GenName(), t));
            }
            // Imports of a kind come first in that kind's index space: keep the counts consistent.
            nMems = Math.Max(nMems, list.Count(i => i.Type is MemExtern));
            nTables = Math.Max(nTables, list.Count(i => i.Type is TableExtern));
            nTags = Math.Max(nTags, list.Count(i => i.Type is TagExtern));
            return list;
        }

        ExternIdx GenExtern() => r.Next(5) switch
        {
            0 => new ExternIdx(ExternKind.Func, Idx(nFuncs)),
            1 when nTables > 0 => new ExternIdx(ExternKind.Table, Idx(nTables)),
            2 when nMems > 0 => new ExternIdx(ExternKind.Mem, Idx(nMems)),
            3 => new ExternIdx(ExternKind.Global, Idx(nGlobals)),
            4 when nTags > 0 => new ExternIdx(ExternKind.Tag, Idx(nTags)),
            _ => new ExternIdx(ExternKind.Func, Idx(nFuncs)),
        };

        Func GenFunc(uint index, List<IndirectNameAssoc> localNames)
        {
            var type = Pick(funcTypes);
            var ft = (FuncType)subs[(int)type].Comp;
            var locals = Enumerable.Range(0, N(3)).Select(_ => new Local(GenValType())).ToImmutableArray();
            nLocals = ft.Params.Length + locals.Length;
            if (nLocals > 0 && Coin())
            {
                var names = GenUnique(nLocals, annotatable: true);
                if (names.Length > 0) localNames.Add(new IndirectNameAssoc(index, names));
            }
            depth = 0;
            var body = GenInstrs(size / 3 + 1, 3);
            // Label names from a small pool, so that inner labels often shadow outer ones.
            var blocks = Blocks(body);
            var labels = Enumerable.Range(0, blocks).Where(_ => Coin()).Select(i => new NameAssoc((uint)i, Pick(LabelPool))).ToImmutableArray();
            if (labels.Length > 0) labelNames.Add(new IndirectNameAssoc(index, labels));
            return new Func(type, locals, new Expr(body));
        }

        static readonly string[] LabelPool = ["a", "b", "l", "my label"];
        readonly List<IndirectNameAssoc> labelNames = [];

        // The number of labels a body binds: one per block, loop, if, try_table and legacy try.
        static int Blocks(ImmutableArray<Instr> body) => body.Sum(i => i switch
        {
            Block b => 1 + Blocks(b.Body),
            Loop l => 1 + Blocks(l.Body),
            If f => 1 + Blocks(f.Then) + Blocks(f.Else),
            TryTable t => 1 + Blocks(t.Body),
            LegacyTry t => 1 + Blocks(t.Body) + t.Catches.Sum(c => Blocks(c.Body)) + (t.CatchAll is { } a ? Blocks(a) : 0),
            LegacyTryDelegate t => 1 + Blocks(t.Body),
            _ => 0,
        });

        Data GenData() => new([.. Enumerable.Range(0, N(8)).Select(_ => (byte)r.Next(256))],
            nMems > 0 && Coin() ? new DataActive(Idx(nMems), GenConstExpr()) : DataPassive.I);

        Elem GenElem() => new(GenRefType(), [.. Enumerable.Range(0, N(3)).Select(_ => GenConstExpr())], r.Next(3) switch
        {
            0 when nTables > 0 => new ElemActive(Idx(nTables), GenConstExpr()),
            1 => ElemDeclare.I,
            _ => ElemPassive.I,
        });

        Expr GenConstExpr()
        {
            var saved = (nLocals, depth);
            (nLocals, depth) = (0, 0);
            var e = new Expr([.. Enumerable.Range(0, 1 + N(2)).Select(_ => GenPlain())]);
            (nLocals, depth) = saved;
            return e;
        }

        // ---- names ----

        static readonly string[] Words = ["f", "x", "$y", "a.b", "my name", "é", "q\"", "0", "tab\t", "-"];

        string GenName() => r.Next(4) switch
        {
            0 => "",
            1 => Pick(Words),
            _ => Pick(Words) + r.Next(100),
        };

        // A name map over [0, count): distinct non-empty names, as identifiers produce, or for the spaces that
        // (@name) annotations reach (module, types, fields, funcs, locals, tags) any names, duplicates and "" included.
        ImmutableArray<NameAssoc> GenUnique(int count, bool annotatable = false)
        {
            var used = new HashSet<string>();
            var list = new List<NameAssoc>();
            for (var i = 0; i < count; i++)
            {
                if (!Coin(3)) continue;
                var n = annotatable && Coin(4) && list.Count > 0 ? Pick(list).Name : GenName();
                if (annotatable || (n.Length > 0 && used.Add(n))) list.Add(new NameAssoc((uint)i, n));
            }
            return [.. list];
        }

        Names GenNames(List<IndirectNameAssoc> locals)
        {
            var fields = new List<IndirectNameAssoc>();
            foreach (var t in structTypes)
            {
                var names = GenUnique(((StructType)subs[(int)t].Comp).Fields.Length, annotatable: true);
                if (names.Length > 0 && Coin()) fields.Add(new IndirectNameAssoc(t, names));
            }
            return new Names(
                Coin() ? GenName() : null,
                GenUnique(nFuncs, annotatable: true), [.. locals], [.. labelNames], GenUnique(subs.Count, annotatable: true), GenUnique(nTables), GenUnique(nMems),
                GenUnique(nGlobals), GenUnique(nElems), GenUnique(nDatas), [.. fields], GenUnique(nTags, annotatable: true));
        }

        // ---- instructions ----

        ImmutableArray<Instr> GenInstrs(int count, int maxDepth)
        {
            var list = new List<Instr>();
            for (var k = N(count); k > 0; k--) list.Add(maxDepth > 0 && Coin(4) ? GenBlockInstr(maxDepth - 1) : GenPlain());
            return [.. list];
        }

        BlockType GenBlockType() => r.Next(3) switch
        {
            0 => ValBlockType.Empty,
            1 => new ValBlockType(GenValType()),
            _ => new IdxBlockType(Pick(funcTypes)),
        };

        ImmutableArray<Instr> GenInner(int maxDepth)
        {
            depth++;
            var body = GenInstrs(4, maxDepth);
            depth--;
            return body;
        }

        Instr GenBlockInstr(int maxDepth)
        {
            switch (r.Next(6))
            {
                case 0: return new Block(GenBlockType(), GenInner(maxDepth));
                case 1: return new Loop(GenBlockType(), GenInner(maxDepth));
                case 2: return new If(GenBlockType(), GenInner(maxDepth), Coin() ? GenInner(maxDepth) : []);
                case 3:
                    var bt = GenBlockType();
                    var catches = Enumerable.Range(0, N(3)).Select(_ => GenCatch()).ToImmutableArray();
                    return new TryTable(bt, catches, GenInner(maxDepth));
                case 4:
                    var t = GenBlockType();
                    var body = GenInner(maxDepth);
                    var handlers = Enumerable.Range(0, N(2)).Select(_ => new LegacyCatch(Idx(nTags), GenInner(maxDepth))).ToImmutableArray();
                    return new LegacyTry(t, body, handlers, Coin() ? GenInner(maxDepth) : null);
                default:
                    var dt = GenBlockType();
                    var db = GenInner(maxDepth);
                    return new LegacyTryDelegate(dt, db, GenLabel());
            }
        }

        Catch GenCatch() => r.Next(4) switch
        {
            0 => new CatchTag(Idx(nTags), GenLabel()),
            1 => new CatchTagRef(Idx(nTags), GenLabel()),
            2 => new CatchAll(GenLabel()),
            _ => new CatchAllRef(GenLabel()),
        };

        // A label in scope, or 0 (the function's implicit label) when no block is open.
        uint GenLabel() => (uint)r.Next(depth + 1);

        uint GenType() => Idx(subs.Count);
        uint GenStruct() => structTypes.Count > 0 ? Pick(structTypes) : 0;
        MemArg GenArg() => new((uint)r.Next(5), Coin() ? 0 : (ulong)r.NextInt64());
        uint GenMem() => Idx(nMems);
        byte GenLane(int n) => (byte)r.Next(n);
        Sx GenSx() => Coin() ? Syntax.Sx.S : Syntax.Sx.U;
        Sx? GenOptSx() => r.Next(3) switch { 0 => null, 1 => Syntax.Sx.S, _ => Syntax.Sx.U };
        Sz GenSz() => Pick(new[] { Syntax.Sz.S8, Syntax.Sz.S16, Syntax.Sz.S32, Syntax.Sz.S64 });
        ulong GenBits() => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 63);

        Instr GenPlain()
        {
            var n = (NumType)r.Next(4);
            return r.Next(24) switch
            {
                0 => Pick<Instr>([Nop.I, Unreachable.I, Drop.I, Return.I, new Select(null), new Select([GenValType()]), ThrowRef.I]),
                1 => Pick<Instr>([new Br(GenLabel()), new BrIf(GenLabel()), new BrTable([.. Enumerable.Range(0, N(3)).Select(_ => GenLabel())], GenLabel()),
                    new BrOnNull(GenLabel()), new BrOnNonNull(GenLabel()), new BrOnCast(GenLabel(), GenRefType(), GenRefType()), new BrOnCastFail(GenLabel(), GenRefType(), GenRefType()),
                    new BrOnCastDescEq(GenLabel(), GenRefType(), GenRefType()), new BrOnCastDescEqFail(GenLabel(), GenRefType(), GenRefType())]),
                2 => Pick<Instr>([new Call(Idx(nFuncs)), new ReturnCall(Idx(nFuncs)), new CallRef(GenType()), new ReturnCallRef(GenType()),
                    new CallIndirect(Idx(nTables), Pick(funcTypes)), new ReturnCallIndirect(Idx(nTables), Pick(funcTypes)), new Throw(Idx(nTags)), new LegacyRethrow(GenLabel())]),
                3 when nLocals > 0 => Pick<Instr>([new LocalGet(Idx(nLocals)), new LocalSet(Idx(nLocals)), new LocalTee(Idx(nLocals))]),
                4 => Pick<Instr>([new GlobalGet(Idx(nGlobals)), new GlobalSet(Idx(nGlobals))]),
                5 when nTables > 0 => Pick<Instr>([new TableGet(Idx(nTables)), new TableSet(Idx(nTables)), new TableSize(Idx(nTables)), new TableGrow(Idx(nTables)),
                    new TableFill(Idx(nTables)), new TableCopy(Idx(nTables), Idx(nTables)), new TableInit(Idx(nTables), Idx(nElems)), new ElemDrop(Idx(nElems))]),
                6 when nMems > 0 => Pick<Instr>([
                    new Load(n, null, GenMem(), GenArg()),
                    new Load(n is NumType.I32 or NumType.F32 ? NumType.I32 : NumType.I64, new LoadOp(Pick(new[] { Syntax.Sz.S8, Syntax.Sz.S16 }), GenSx()), GenMem(), GenArg()),
                    new Load(NumType.I64, new LoadOp(Syntax.Sz.S32, GenSx()), GenMem(), GenArg()),
                    new Store(n, null, GenMem(), GenArg()), new Store(NumType.I32, Pick(new[] { Syntax.Sz.S8, Syntax.Sz.S16 }), GenMem(), GenArg()),
                    new Store(NumType.I64, Pick(new[] { Syntax.Sz.S8, Syntax.Sz.S16, Syntax.Sz.S32 }), GenMem(), GenArg()),
                    new MemorySize(GenMem()), new MemoryGrow(GenMem()), new MemoryFill(GenMem()), new MemoryCopy(GenMem(), GenMem()),
                    new MemoryInit(GenMem(), Idx(nDatas)), new DataDrop(Idx(nDatas))]),
                7 when nMems > 0 => Pick<Instr>([
                    new VLoad(VecType.V128, null, GenMem(), GenArg()),
                    new VLoad(VecType.V128, Pick<VLoadOp>([new VLoadShape(Syntax.Sz.S8, 8, GenSx()), new VLoadShape(Syntax.Sz.S16, 4, GenSx()), new VLoadShape(Syntax.Sz.S32, 2, GenSx())]), GenMem(), GenArg()),
                    new VLoad(VecType.V128, new VLoadSplat(GenSz()), GenMem(), GenArg()),
                    new VLoad(VecType.V128, new VLoadZero(Coin() ? Syntax.Sz.S32 : Syntax.Sz.S64), GenMem(), GenArg()),
                    new VLoadLane(VecType.V128, GenSz(), GenMem(), GenArg(), GenLane(2)), new VStore(VecType.V128, GenMem(), GenArg()),
                    new VStoreLane(VecType.V128, GenSz(), GenMem(), GenArg(), GenLane(2))]),
                8 => Pick<Instr>([new RefNull(GenHeapType()), new RefFunc(Idx(nFuncs)), RefIsNull.I, RefAsNonNull.I, RefEq.I, new RefTest(GenRefType()), new RefCast(GenRefType()),
                    RefI31.I, new I31Get(GenSx()), AnyConvertExtern.I, ExternConvertAny.I, new RefCastDescEq(GenRefType()), new RefGetDesc(GenType())]),
                9 => Pick<Instr>([new StructNew(GenType()), new StructNewDefault(GenType()), new StructNewDesc(GenType()), new StructNewDefaultDesc(GenType()), new StructGet(GenOptSx(), GenStruct(), 0), new StructSet(GenStruct(), 0),
                    new ArrayNew(GenType()), new ArrayNewDefault(GenType()), new ArrayNewFixed(GenType(), (uint)r.Next(10)), new ArrayNewData(GenType(), Idx(nDatas)),
                    new ArrayNewElem(GenType(), Idx(nElems)), new ArrayGet(GenOptSx(), GenType()), new ArraySet(GenType()), ArrayLen.I, new ArrayFill(GenType()),
                    new ArrayCopy(GenType(), GenType()), new ArrayInitData(GenType(), Idx(nDatas)), new ArrayInitElem(GenType(), Idx(nElems))]),
                10 or 11 => new Const(n, n is NumType.I32 or NumType.F32 ? (uint)GenBits() : GenBits()),
                12 => GenNumInstr(n),
                13 => new VConst(new V128(GenBits(), GenBits())),
                14 or 15 => Pick(VectorInstrs),
                16 => new VShuffle(Shape.I8x16, [.. Enumerable.Range(0, 16).Select(_ => (byte)r.Next(32))]),
                17 => Pick<Instr>([new VExtractLane(Shape.I8x16, GenSx(), GenLane(16)), new VExtractLane(Shape.I16x8, GenSx(), GenLane(8)),
                    new VExtractLane(Shape.I32x4, null, GenLane(4)), new VExtractLane(Shape.F64x2, null, GenLane(2)),
                    new VReplaceLane(Pick(Shapes), GenLane(2))]),
                _ => GenNumInstr(n),
            };
        }

        Instr GenNumInstr(NumType n)
        {
            var isInt = n is NumType.I32 or NumType.I64;
            return r.Next(6) switch
            {
                5 => new WideArith((WideOp)r.Next(4)), // the wide-arithmetic proposal
                0 => isInt ? new Testop(n, TestOp.Eqz) : new Relop(n, Pick(new[] { RelOp.Eq, RelOp.Ne, RelOp.Lt, RelOp.Gt, RelOp.Le, RelOp.Ge })),
                1 => new Relop(n, isInt ? (RelOp)r.Next((int)RelOp.GeU + 1) : Pick(new[] { RelOp.Eq, RelOp.Ne, RelOp.Lt, RelOp.Gt, RelOp.Le, RelOp.Ge })),
                2 => new Unop(n, isInt ? (UnOp)r.Next(n == NumType.I64 ? 6 : 5) : (UnOp)(6 + r.Next(7))),
                3 => new Binop(n, isInt ? (BinOp)r.Next((int)BinOp.Rotr + 1) : Pick(new[] { BinOp.Add, BinOp.Sub, BinOp.Mul, BinOp.Div, BinOp.Min, BinOp.Max, BinOp.Copysign })),
                _ => Pick(Conversions),
            };
        }

        static readonly Shape[] Shapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2, Shape.F32x4, Shape.F64x2];

        static readonly Instr[] Conversions = [.. ConversionList()];

        static IEnumerable<Instr> ConversionList()
        {
            NumType[] ints = [NumType.I32, NumType.I64], floats = [NumType.F32, NumType.F64];
            yield return new Cvtop(NumType.I32, NumType.I64, CvtOp.Wrap);
            yield return new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendS);
            yield return new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendU);
            foreach (var i in ints)
                foreach (var f in floats)
                    foreach (var op in new[] { CvtOp.TruncS, CvtOp.TruncU, CvtOp.TruncSatS, CvtOp.TruncSatU })
                        yield return new Cvtop(i, f, op);
            foreach (var f in floats)
                foreach (var i in ints)
                    foreach (var op in new[] { CvtOp.ConvertS, CvtOp.ConvertU })
                        yield return new Cvtop(f, i, op);
            yield return new Cvtop(NumType.F32, NumType.F64, CvtOp.Demote);
            yield return new Cvtop(NumType.F64, NumType.F32, CvtOp.Promote);
            yield return new Cvtop(NumType.I32, NumType.F32, CvtOp.Reinterpret);
            yield return new Cvtop(NumType.I64, NumType.F64, CvtOp.Reinterpret);
            yield return new Cvtop(NumType.F32, NumType.I32, CvtOp.Reinterpret);
            yield return new Cvtop(NumType.F64, NumType.I64, CvtOp.Reinterpret);
        }

        // Every named vector instruction without immediates (SIMD and relaxed SIMD), by the spec's table.
        static readonly Instr[] VectorInstrs = [.. VectorList()];

        static IEnumerable<Instr> VectorList()
        {
            Shape[] ints = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2], floats = [Shape.F32x4, Shape.F64x2];
            yield return new VVUnop(VVUnOp.Not);
            foreach (var op in Enum.GetValues<VVBinOp>()) yield return new VVBinop(op);
            yield return new VVTernop(VVTernOp.Bitselect);
            yield return new VVTestop(VVTestOp.AnyTrue);
            yield return new VUnop(Shape.I8x16, VUnOp.Popcnt);
            foreach (var s in ints)
            {
                yield return new VUnop(s, VUnOp.Abs);
                yield return new VUnop(s, VUnOp.Neg);
                yield return new VTestop(s, VTestOp.AllTrue);
                yield return new VBitmask(s);
                yield return new VTernop(s, VTernOp.RelaxedLaneselect);
                foreach (var op in Enum.GetValues<VShiftOp>()) yield return new VShiftop(s, op);
                foreach (var op in new[] { VBinOp.Add, VBinOp.Sub }) yield return new VBinop(s, op);
                var rels = s == Shape.I64x2
                    ? new[] { VRelOp.Eq, VRelOp.Ne, VRelOp.LtS, VRelOp.GtS, VRelOp.LeS, VRelOp.GeS }
                    : Enumerable.Range(0, (int)VRelOp.GeU + 1).Select(i => (VRelOp)i).ToArray();
                foreach (var op in rels) yield return new VRelop(s, op);
            }
            foreach (var s in Shapes) yield return new VSplat(s);
            foreach (var s in new[] { Shape.I8x16, Shape.I16x8 })
                foreach (var op in new[] { VBinOp.AddSatS, VBinOp.AddSatU, VBinOp.SubSatS, VBinOp.SubSatU, VBinOp.AvgrU })
                    yield return new VBinop(s, op);
            foreach (var s in new[] { Shape.I8x16, Shape.I16x8, Shape.I32x4 })
                foreach (var op in new[] { VBinOp.MinS, VBinOp.MinU, VBinOp.MaxS, VBinOp.MaxU })
                    yield return new VBinop(s, op);
            foreach (var s in new[] { Shape.I16x8, Shape.I32x4, Shape.I64x2 }) yield return new VBinop(s, VBinOp.Mul);
            yield return new VBinop(Shape.I16x8, VBinOp.Q15MulrSatS);
            yield return new VBinop(Shape.I16x8, VBinOp.RelaxedQ15MulrS);
            foreach (var s in floats)
            {
                foreach (var op in new[] { VUnOp.Abs, VUnOp.Neg, VUnOp.Sqrt, VUnOp.Ceil, VUnOp.Floor, VUnOp.Trunc, VUnOp.Nearest }) yield return new VUnop(s, op);
                foreach (var op in new[] { VBinOp.Add, VBinOp.Sub, VBinOp.Mul, VBinOp.Div, VBinOp.Min, VBinOp.Max, VBinOp.Pmin, VBinOp.Pmax, VBinOp.RelaxedMin, VBinOp.RelaxedMax })
                    yield return new VBinop(s, op);
                foreach (var op in new[] { VRelOp.Eq, VRelOp.Ne, VRelOp.Lt, VRelOp.Gt, VRelOp.Le, VRelOp.Ge }) yield return new VRelop(s, op);
                yield return new VTernop(s, VTernOp.RelaxedMadd);
                yield return new VTernop(s, VTernOp.RelaxedNmadd);
            }
            yield return new VSwizzlop(Shape.I8x16, VSwizzlOp.Swizzle);
            yield return new VSwizzlop(Shape.I8x16, VSwizzlOp.RelaxedSwizzle);
            foreach (var sx in new[] { Syntax.Sx.S, Syntax.Sx.U })
            {
                yield return new VNarrow(Shape.I8x16, Shape.I16x8, sx);
                yield return new VNarrow(Shape.I16x8, Shape.I32x4, sx);
            }
            foreach (var (to, from) in new[] { (Shape.I16x8, Shape.I8x16), (Shape.I32x4, Shape.I16x8), (Shape.I64x2, Shape.I32x4) })
            {
                foreach (var op in new[] { VCvtOp.ExtendLowS, VCvtOp.ExtendLowU, VCvtOp.ExtendHighS, VCvtOp.ExtendHighU }) yield return new VCvtop(to, from, op);
                foreach (var op in Enum.GetValues<VExtBinOp>().Take(4)) yield return new VExtbinop(to, from, op);
            }
            foreach (var op in new[] { VCvtOp.TruncSatS, VCvtOp.TruncSatU, VCvtOp.RelaxedTruncS, VCvtOp.RelaxedTruncU }) yield return new VCvtop(Shape.I32x4, Shape.F32x4, op);
            foreach (var op in new[] { VCvtOp.TruncSatZeroS, VCvtOp.TruncSatZeroU, VCvtOp.RelaxedTruncZeroS, VCvtOp.RelaxedTruncZeroU }) yield return new VCvtop(Shape.I32x4, Shape.F64x2, op);
            yield return new VCvtop(Shape.F32x4, Shape.I32x4, VCvtOp.ConvertS);
            yield return new VCvtop(Shape.F32x4, Shape.I32x4, VCvtOp.ConvertU);
            yield return new VCvtop(Shape.F32x4, Shape.F64x2, VCvtOp.DemoteZero);
            yield return new VCvtop(Shape.F64x2, Shape.I32x4, VCvtOp.ConvertLowS);
            yield return new VCvtop(Shape.F64x2, Shape.I32x4, VCvtOp.ConvertLowU);
            yield return new VCvtop(Shape.F64x2, Shape.F32x4, VCvtOp.PromoteLow);
            yield return new VExtunop(Shape.I16x8, Shape.I8x16, VExtUnOp.ExtaddPairwiseS);
            yield return new VExtunop(Shape.I16x8, Shape.I8x16, VExtUnOp.ExtaddPairwiseU);
            yield return new VExtunop(Shape.I32x4, Shape.I16x8, VExtUnOp.ExtaddPairwiseS);
            yield return new VExtunop(Shape.I32x4, Shape.I16x8, VExtUnOp.ExtaddPairwiseU);
            yield return new VExtbinop(Shape.I32x4, Shape.I16x8, VExtBinOp.DotS);
            yield return new VExtbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.RelaxedDotS);
            yield return new VExtternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS); // operand lanes are i8, as the syntax's side condition requires
        }
    }
}
