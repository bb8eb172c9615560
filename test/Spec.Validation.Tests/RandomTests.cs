using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Validation.Tests;

/// <summary>
/// Random modules, mostly invalid: whatever the input, validation either succeeds or throws a ValidationException,
/// never anything else; and the heap type lattice, checked exhaustively.
/// </summary>
public class RandomTests
{
    static readonly ValType[] ValTypes =
    [
        ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, RefType.FuncRef, RefType.AnyRef, RefType.ExternRef,
        RefType.ExnRef, RefType.I31Ref, new RefType(false, HeapType.Func), new RefType(true, new TypeIdx(0)),
        new RefType(false, new TypeIdx(1)), new RefType(true, new TypeIdx(2)), new RefType(true, new TypeIdx(9)),
    ];

    static T Pick<T>(Random r, IReadOnlyList<T> xs) => xs[r.Next(xs.Count)];

    static uint Idx(Random r) => (uint)r.Next(4);

    static Instr RandomInstr(Random r, int depth)
    {
        ImmutableArray<Instr> Body() => [.. Enumerable.Range(0, r.Next(4)).Select(_ => RandomInstr(r, depth + 1))];
        BlockType Bt() => r.Next(3) switch { 0 => ValBlockType.Empty, 1 => new ValBlockType(Pick(r, ValTypes)), _ => new IdxBlockType(Idx(r)) };
        RefType Rt() => (RefType)Pick(r, ValTypes.OfType<RefType>().ToArray());
        var n = depth > 3 ? r.Next(60) : r.Next(75);
        return n switch
        {
            0 => Const.I32(r.Next()), 1 => Const.I64(r.Next()), 2 => Const.F32(1), 3 => Const.F64(2),
            4 => new Binop(NumType.I32, BinOp.Add), 5 => new Binop(NumType.F64, BinOp.Mul), 6 => new Testop(NumType.I64, TestOp.Eqz),
            7 => new Relop(NumType.F32, RelOp.Lt), 8 => new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendS), 9 => new Unop(NumType.I32, UnOp.Clz),
            10 => Drop.I, 11 => new Select(null), 12 => new Select([Pick(r, ValTypes)]), 13 => Unreachable.I, 14 => Nop.I,
            15 => new LocalGet(Idx(r)), 16 => new LocalSet(Idx(r)), 17 => new LocalTee(Idx(r)), 18 => new GlobalGet(Idx(r)), 19 => new GlobalSet(Idx(r)),
            20 => new Br(Idx(r)), 21 => new BrIf(Idx(r)), 22 => new BrTable([Idx(r), Idx(r)], Idx(r)), 23 => new BrOnNull(Idx(r)),
            24 => new BrOnNonNull(Idx(r)), 25 => new BrOnCast(Idx(r), Rt(), Rt()), 26 => new BrOnCastFail(Idx(r), Rt(), Rt()),
            27 => new Call(Idx(r)), 28 => new CallRef(Idx(r)), 29 => new CallIndirect(Idx(r), Idx(r)), 30 => Return.I,
            31 => new ReturnCall(Idx(r)), 32 => new ReturnCallRef(Idx(r)), 33 => new ReturnCallIndirect(Idx(r), Idx(r)),
            34 => new Throw(Idx(r)), 35 => ThrowRef.I, 36 => new LegacyRethrow(Idx(r)),
            37 => new TableGet(Idx(r)), 38 => new TableSet(Idx(r)), 39 => new TableGrow(Idx(r)), 40 => new TableCopy(Idx(r), Idx(r)),
            41 => new TableInit(Idx(r), Idx(r)), 42 => new Load(NumType.I32, null, Idx(r), new MemArg((uint)r.Next(5), 0)),
            43 => new Store(NumType.I64, Sz.S8, Idx(r), default), 44 => new MemoryCopy(Idx(r), Idx(r)), 45 => new MemoryInit(Idx(r), Idx(r)),
            46 => new RefNull(Rt().Heap), 47 => RefIsNull.I, 48 => RefAsNonNull.I, 49 => RefEq.I, 50 => new RefTest(Rt()), 51 => new RefCast(Rt()),
            52 => new RefFunc(Idx(r)), 53 => RefI31.I, 54 => new StructNew(Idx(r)), 55 => new StructGet(null, Idx(r), Idx(r)),
            56 => new ArrayNewFixed(Idx(r), (uint)r.Next(3)), 57 => new ArrayCopy(Idx(r), Idx(r)), 58 => new VConst(default),
            59 => new VExtractLane(Shape.I32x4, null, (byte)r.Next(6)),
            60 => new Block(Bt(), Body()), 61 => new Loop(Bt(), Body()), 62 => new If(Bt(), Body(), Body()),
            63 => new TryTable(Bt(), [new CatchTag(Idx(r), Idx(r)), new CatchAllRef(Idx(r))], Body()),
            64 => new LegacyTry(Bt(), Body(), [new LegacyCatch(Idx(r), Body())], r.Next(2) == 0 ? null : Body()),
            65 => new LegacyTryDelegate(Bt(), Body(), Idx(r)),
            _ => new Block(Bt(), Body()),
        };
    }

    static Module RandomModule(Random r)
    {
        SubType Sub() => r.Next(3) switch
        {
            0 => SubType.Plain(new FuncType([.. Enumerable.Range(0, r.Next(3)).Select(_ => Pick(r, ValTypes))], [.. Enumerable.Range(0, r.Next(2)).Select(_ => Pick(r, ValTypes))])),
            1 => new SubType(r.Next(2) == 0, r.Next(8) == 0 ? [new TypeIdx(Idx(r))] : [], new StructType([new FieldType(Mut.Var, Pick(r, ValTypes)), new FieldType(Mut.Const, new PackedType(PackType.I8))])),
            _ => SubType.Plain(new ArrayType(new FieldType((Mut)r.Next(2), Pick(r, ValTypes)))),
        };
        Expr Const() => new([r.Next(4) == 0 ? new GlobalGet(Idx(r)) : r.Next(2) == 0 ? Spec.Syntax.Const.I32(0) : new RefNull(HeapType.Func)]);
        return Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))])), .. Enumerable.Range(0, r.Next(8) == 0 ? 3 : r.Next(2)).Select(_ => new TypeDef(new RecType([.. Enumerable.Range(0, 1 + r.Next(2)).Select(_ => Sub())])))],
            Tags = r.Next(2) == 0 ? [new Tag(new TypeIdx(r.Next(8) == 0 ? Idx(r) : 0))] : [],
            Globals = [.. Enumerable.Range(0, r.Next(3)).Select(_ => new Global(new GlobalType((Mut)r.Next(2), Pick(r, ValTypes)), Const()))],
            Mems = r.Next(2) == 0 ? [new Mem(new MemType((AddrType)r.Next(2), new Limits(1, null)))] : [],
            Tables = r.Next(2) == 0 ? [new Table(new TableType((AddrType)r.Next(2), new Limits(1, null), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]))] : [],
            Funcs = [.. Enumerable.Range(0, 1 + r.Next(3)).Select(_ => new Func(r.Next(8) == 0 ? Idx(r) : 0, [.. Enumerable.Range(0, r.Next(3)).Select(_ => new Local(Pick(r, ValTypes)))],
                new Expr([.. Enumerable.Range(0, r.Next(8)).Select(_ => RandomInstr(r, 0))])))],
            Elems = r.Next(2) == 0 ? [new Elem(RefType.FuncRef, [new Expr([new RefFunc(Idx(r))])], r.Next(2) == 0 ? ElemDeclare.I : new ElemActive(Idx(r), Const()))] : [],
            Datas = r.Next(2) == 0 ? [new Data([1], r.Next(2) == 0 ? DataPassive.I : new DataActive(Idx(r), Const()))] : [],
            Start = r.Next(4) == 0 ? new Start(Idx(r)) : null,
            Exports = r.Next(2) == 0 ? [new Export("e", new ExternIdx((ExternKind)r.Next(5), Idx(r)))] : [],
        };
    }

    [Test]
    public void Only_validation_errors_escape()
    {
        var r = new Random(20261122);
        int valid = 0, invalid = 0;
        var rules = new Dictionary<string, int>();
        for (var k = 0; k < 20_000; k++)
        {
            var m = RandomModule(r);
            try { Validator.Validate(m); valid++; }
            catch (ValidationException e)
            {
                invalid++;
                rules[e.Rule] = rules.GetValueOrDefault(e.Rule) + 1;
                Assert.That(e.Reason, Is.Not.Empty);
                Assert.That(e.Rule, Is.Not.Empty);
            }
        }
        TestContext.Out.WriteLine($"random modules: {valid} valid, {invalid} invalid; rejected by {rules.Count} rules");
        TestContext.Out.WriteLine(string.Join(", ", rules.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.That(invalid, Is.GreaterThan(10_000));
    }

    /// <summary>A body well-typed by construction: i32 values on a tracked stack, nested blocks, ifs and branches.</summary>
    static List<Instr> WellTyped(Random r, int depth, int labels)
    {
        var body = new List<Instr>();
        var height = 0;
        for (var k = r.Next(12); k > 0; k--)
        {
            switch (r.Next(depth > 4 ? 6 : 9))
            {
                case 0: body.Add(Const.I32(r.Next())); height++; break;
                case 1: body.Add(new LocalGet(0)); height++; break;
                case 2 when height >= 2: body.Add(new Binop(NumType.I32, BinOp.Sub)); height--; break;
                case 3 when height >= 1: body.Add(new LocalTee(0)); break;
                case 4 when height >= 1: body.Add(new LocalSet(0)); height--; break;
                case 5 when height >= 1 && labels > 0: body.Add(new BrIf((uint)r.Next(labels))); height--; break;
                case 6: body.Add(new Block(ValBlockType.Empty, [.. WellTyped(r, depth + 1, labels + 1)])); break;
                case 7: body.Add(new Loop(ValBlockType.Empty, [.. WellTyped(r, depth + 1, labels + 1)])); break;
                case 8 when height >= 1: body.Add(new If(ValBlockType.Empty, [.. WellTyped(r, depth + 1, labels + 1)], [.. WellTyped(r, depth + 1, labels + 1)])); height--; break;
            }
        }
        for (; height > 0; height--) body.Add(Drop.I);
        if (r.Next(5) == 0 && labels > 0) { body.Add(new Br((uint)r.Next(labels))); body.Add(new Binop(NumType.I32, BinOp.Add)); body.Add(Drop.I); }
        return body;
    }

    [Test]
    public void Well_typed_programs_validate()
    {
        var r = new Random(7);
        for (var k = 0; k < 5_000; k++)
        {
            var m = Module.Empty with
            {
                Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]))],
                Funcs = [new Func(0, [new Local(ValType.I32)], new Expr([.. WellTyped(r, 0, 1)]))],
            };
            Build.Valid(m);
        }
    }

    static readonly AbsHeapType[] Abs = [.. Enum.GetValues<AbsHeapType>().Where(t => t != AbsHeapType.Bot)];

    [Test]
    public void Abstract_heap_subtyping_is_a_partial_order_within_four_hierarchies()
    {
        foreach (var a in Abs)
        {
            var ha = HeapType.Abs(a);
            Assert.That(Types.Matches(ha, ha), Is.True, $"{a} reflexive");
            Assert.That(Types.Matches(HeapType.Bot, ha), Is.True, $"bot <: {a}");
            foreach (var b in Abs)
            {
                var hb = HeapType.Abs(b);
                if (Types.Matches(ha, hb))
                {
                    Assert.That(Types.Top(ha), Is.EqualTo(Types.Top(hb)), $"{a} <: {b} within one hierarchy");
                    if (a != b) Assert.That(Types.Matches(hb, ha), Is.False, $"{a} <: {b} antisymmetric");
                    foreach (var c in Abs)
                        if (Types.Matches(hb, HeapType.Abs(c)))
                            Assert.That(Types.Matches(ha, HeapType.Abs(c)), Is.True, $"{a} <: {b} <: {c} transitive");
                }
            }
        }
        Assert.That(Abs.Count(a => Types.Matches(HeapType.Abs(a), HeapType.Any)), Is.EqualTo(6)); // any eq i31 struct array none
    }
}
