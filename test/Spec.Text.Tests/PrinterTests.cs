using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>The printed text of modules built in code: module fields, instruction names, names and labels.</summary>
public class PrinterTests
{
    static readonly TypeDef VoidType = new(new RecType([SubType.Plain(new FuncType([], []))]));
    static readonly TypeDef I32ToI32 = new(new RecType([SubType.Plain(new FuncType([ValType.I32], [ValType.I32]))]));

    static Module WithBody(params Instr[] body) => Module.Empty with
    {
        Types = [VoidType],
        Mems = [new Mem(new MemType(AddrType.I32, new Limits(1, null))), new Mem(new MemType(AddrType.I64, new Limits(0, 5)))],
        Funcs = [new Func(0, [], new Expr([.. body]))],
    };

    static string Print(Module m) => Spec.TextFormat.Text.Print(m);

    static string[] Lines(string text) => [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    [Test]
    public void Empty_module()
    {
        Assert.That(Print(Module.Empty), Is.EqualTo("(module\n)\n"));
    }

    [Test]
    public void Numeric_instructions_have_their_exact_names()
    {
        var text = Print(WithBody(
            new Cvtop(NumType.I32, NumType.F32, CvtOp.TruncSatS), new Cvtop(NumType.F32, NumType.F64, CvtOp.Demote),
            new Cvtop(NumType.I64, NumType.I32, CvtOp.ExtendU), new Unop(NumType.I32, UnOp.Extend8S),
            new Cvtop(NumType.I32, NumType.I64, CvtOp.Wrap), new Cvtop(NumType.F64, NumType.I64, CvtOp.ConvertU),
            new Cvtop(NumType.F32, NumType.I32, CvtOp.Reinterpret), new Cvtop(NumType.F64, NumType.F32, CvtOp.Promote),
            new Cvtop(NumType.I64, NumType.F64, CvtOp.TruncU), new Binop(NumType.I64, BinOp.ShrU),
            new Binop(NumType.F64, BinOp.Copysign), new Relop(NumType.I32, RelOp.GeU), new Relop(NumType.F32, RelOp.Le),
            new Testop(NumType.I64, TestOp.Eqz), Const.I32(-1), Const.I64(long.MinValue), Const.F32(1.5f)));
        Assert.That(Lines(text), Is.SupersetOf(new[]
        {
            "i32.trunc_sat_f32_s", "f32.demote_f64", "i64.extend_i32_u", "i32.extend8_s", "i32.wrap_i64",
            "f64.convert_i64_u", "f32.reinterpret_i32", "f64.promote_f32", "i64.trunc_f64_u", "i64.shr_u",
            "f64.copysign", "i32.ge_u", "f32.le", "i64.eqz", "i32.const -1", "i64.const -9223372036854775808",
            "f32.const 0x1.8p+0",
        }));
    }

    [Test]
    public void Wide_arithmetic_prints_its_names_and_parses_back()
    {
        var m = WithBody(new WideArith(WideOp.Add128), new WideArith(WideOp.Sub128), new WideArith(WideOp.MulWideS), new WideArith(WideOp.MulWideU));
        var text = Print(m);
        Assert.That(Lines(text), Is.SupersetOf(new[] { "i64.add128", "i64.sub128", "i64.mul_wide_s", "i64.mul_wide_u" }));
        Assert.That(Spec.TextFormat.Text.Parse(text).Funcs[0].Body, Is.EqualTo(m.Funcs[0].Body));
    }

    [Test]
    public void Atomics_print_their_names_and_parse_back()
    {
        var m = WithBody(
            new Atomic(NumType.I32, Sz.S8, AtomicOp.Load, 0, new MemArg(0, 0)),
            new Atomic(NumType.I64, Sz.S16, AtomicOp.Store, 0, new MemArg(1, 4)),
            new Atomic(NumType.I32, null, AtomicOp.Xchg, 0, new MemArg(2, 0)),
            new Atomic(NumType.I64, Sz.S32, AtomicOp.Cmpxchg, 0, new MemArg(2, 0)),
            new MemoryAtomicNotify(0, new MemArg(2, 0)),
            new MemoryAtomicWait(NumType.I32, 0, new MemArg(2, 0)),
            AtomicFence.I);
        var text = Print(m);
        Assert.That(Lines(text), Is.SupersetOf(new[] { "i32.atomic.load8_u", "i64.atomic.store16 offset=4", "i32.atomic.rmw.xchg", "i64.atomic.rmw32.cmpxchg_u", "memory.atomic.notify", "memory.atomic.wait32", "atomic.fence" }));
        Assert.That(Spec.TextFormat.Text.Parse(text).Funcs[0].Body, Is.EqualTo(m.Funcs[0].Body));
    }

    [Test]
    public void Memory_arguments_are_written_only_when_not_default()
    {
        var text = Print(WithBody(
            new Load(NumType.I32, null, 0, new MemArg(2, 0)),
            new Load(NumType.I64, new LoadOp(Sz.S16, Sx.U), 0, new MemArg(1, 8)),
            new Load(NumType.F64, null, 1, new MemArg(0, 0)),
            new Store(NumType.I64, Sz.S32, 1, new MemArg(2, 0x1_0000_0000)),
            new VLoad(VecType.V128, new VLoadShape(Sz.S8, 8, Sx.S), 0, new MemArg(3, 0)),
            new VLoad(VecType.V128, new VLoadSplat(Sz.S32), 0, new MemArg(4, 0)),
            new VLoad(VecType.V128, null, 0, new MemArg(4, 16)),
            new VLoadLane(VecType.V128, Sz.S16, 1, new MemArg(1, 0), 7),
            new VStoreLane(VecType.V128, Sz.S64, 0, new MemArg(0, 3), 1),
            new MemorySize(1), new MemoryGrow(0), new MemoryCopy(1, 0), new MemoryInit(0, 0)));
        Assert.That(Lines(text), Is.SupersetOf(new[]
        {
            "i32.load", "i64.load16_u offset=8", "f64.load 1 align=1", "i64.store32 1 offset=4294967296",
            "v128.load8x8_s", "v128.load32_splat align=16", "v128.load offset=16", "v128.load16_lane 1 7",
            "v128.store64_lane offset=3 align=1 1", "memory.size 1", "memory.grow", "memory.copy 1 0", "memory.init 0",
        }));
    }

    [Test]
    public void Vector_instructions_and_exact_v128_constants()
    {
        var text = Print(WithBody(
            new VConst(new V128(0x0706050403020100, 0xffeeddccbbaa9988)),
            new VShuffle(Shape.I8x16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31]),
            new VExtractLane(Shape.I8x16, Sx.U, 15), new VExtractLane(Shape.F64x2, null, 1), new VReplaceLane(Shape.I32x4, 3),
            new VBinop(Shape.I16x8, VBinOp.Q15MulrSatS), new VBinop(Shape.I16x8, VBinOp.RelaxedQ15MulrS),
            new VBinop(Shape.F32x4, VBinOp.Pmin), new VCvtop(Shape.I32x4, Shape.F64x2, VCvtOp.TruncSatZeroU),
            new VCvtop(Shape.F64x2, Shape.F32x4, VCvtOp.PromoteLow), new VCvtop(Shape.I16x8, Shape.I8x16, VCvtOp.ExtendHighS),
            new VCvtop(Shape.I32x4, Shape.F64x2, VCvtOp.RelaxedTruncZeroS), new VCvtop(Shape.F32x4, Shape.F64x2, VCvtOp.DemoteZero),
            new VExtbinop(Shape.I32x4, Shape.I16x8, VExtBinOp.DotS), new VExtbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.RelaxedDotS),
            new VExtternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS),
            new VExtunop(Shape.I32x4, Shape.I16x8, VExtUnOp.ExtaddPairwiseU), new VNarrow(Shape.I8x16, Shape.I16x8, Sx.S),
            new VTernop(Shape.F64x2, VTernOp.RelaxedNmadd), new VTernop(Shape.I8x16, VTernOp.RelaxedLaneselect),
            new VSwizzlop(Shape.I8x16, VSwizzlOp.RelaxedSwizzle), new VVBinop(VVBinOp.AndNot), new VVTernop(VVTernOp.Bitselect),
            new VVTestop(VVTestOp.AnyTrue), new VTestop(Shape.I64x2, VTestOp.AllTrue), new VBitmask(Shape.I16x8),
            new VShiftop(Shape.I64x2, VShiftOp.ShrS), new VRelop(Shape.I8x16, VRelOp.GeU), new VSplat(Shape.F32x4)));
        Assert.That(Lines(text), Is.SupersetOf(new[]
        {
            "v128.const i32x4 0x03020100 0x07060504 0xbbaa9988 0xffeeddcc",
            "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31",
            "i8x16.extract_lane_u 15", "f64x2.extract_lane 1", "i32x4.replace_lane 3",
            "i16x8.q15mulr_sat_s", "i16x8.relaxed_q15mulr_s", "f32x4.pmin", "i32x4.trunc_sat_f64x2_u_zero",
            "f64x2.promote_low_f32x4", "i16x8.extend_high_i8x16_s", "i32x4.relaxed_trunc_f64x2_s_zero",
            "f32x4.demote_f64x2_zero", "i32x4.dot_i16x8_s", "i16x8.relaxed_dot_i8x16_i7x16_s",
            "i32x4.relaxed_dot_i8x16_i7x16_add_s", "i32x4.extadd_pairwise_i16x8_u", "i8x16.narrow_i16x8_s",
            "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect", "i8x16.relaxed_swizzle", "v128.andnot", "v128.bitselect",
            "v128.any_true", "i64x2.all_true", "i16x8.bitmask", "i64x2.shr_s", "i8x16.ge_u", "f32x4.splat",
        }));
    }

    [Test]
    public void Rec_groups_subtypes_and_field_names()
    {
        var s = new SubType(false, [], new StructType([new FieldType(Mut.Var, new PackedType(PackType.I8)), new FieldType(Mut.Const, RefType.AnyRef)]));
        var t = new SubType(true, [new TypeIdx(0)], new StructType([new FieldType(Mut.Var, new PackedType(PackType.I8)), new FieldType(Mut.Const, RefType.EqRef), new FieldType(Mut.Const, new RefType(false, new TypeIdx(1)))]));
        var a = SubType.Plain(new ArrayType(new FieldType(Mut.Var, new RefType(true, new TypeIdx(0)))));
        var m = Module.Empty with
        {
            Types = [new TypeDef(new RecType([s, t])), new TypeDef(new RecType([])), new TypeDef(new RecType([a]))],
            Names = Names.Empty with
            {
                Types = [new NameAssoc(0, "s"), new NameAssoc(1, "t")],
                Fields = [new IndirectNameAssoc(0, [new NameAssoc(0, "x")]), new IndirectNameAssoc(1, [new NameAssoc(0, "x"), new NameAssoc(1, "x")])],
            },
        };
        Assert.That(Lines(Print(m)), Is.EqualTo(new[]
        {
            "(module", "(rec",
            "(type $s (sub (struct (field $x (mut i8)) (field anyref))))",
            "(type $t (sub final $s (struct (field $x (mut i8)) (field (@name \"x\") eqref) (field (ref $t)))))",
            ")", "(rec)",
            "(type (array (mut (ref null $s))))",
            ")",
        }));
    }

    [Test]
    public void Functions_use_explicit_types_with_named_params_and_locals()
    {
        var m = Module.Empty with
        {
            Types = [I32ToI32],
            Imports = [new Import("env", "f\u00e9", new FuncExtern(new TypeIdx(0)))],
            Funcs = [new Func(0, [new Local(ValType.I64), new Local(RefType.FuncRef)], new Expr([new LocalGet(0), new LocalGet(1), new LocalGet(2), new Call(0), new Call(1)]))],
            Exports = [new Export("run", new ExternIdx(ExternKind.Func, 1))],
            Names = Names.Empty with
            {
                Module = "my mod",
                Funcs = [new NameAssoc(0, "imp"), new NameAssoc(1, "run")],
                Locals = [new IndirectNameAssoc(1, [new NameAssoc(0, "p"), new NameAssoc(2, "l")])],
            },
        };
        Assert.That(Lines(Print(m)), Is.EqualTo(new[]
        {
            "(module $\"my mod\"",
            "(type (func (param i32) (result i32)))",
            "(import \"env\" \"f\\c3\\a9\" (func $imp (type 0) (param i32) (result i32)))",
            "(func $run (type 0) (param $p i32) (result i32)",
            "(local i64)", "(local $l funcref)",
            "local.get $p", "local.get 1", "local.get $l", "call $imp", "call $run",
            ")",
            "(export \"run\" (func $run))",
            ")",
        }));
    }

    [Test]
    public void Duplicate_and_unwritable_names_fall_back_to_indices()
    {
        var m = Module.Empty with
        {
            Globals = [.. Enumerable.Range(0, 4).Select(i => new Global(new GlobalType(Mut.Var, ValType.I32), new Expr([Const.I32(i)])))],
            Funcs = [new Func(0, [], new Expr([new GlobalGet(0), new GlobalGet(1), new GlobalGet(2), new GlobalGet(3)]))],
            Types = [VoidType],
            Names = Names.Empty with { Globals = [new NameAssoc(0, "g"), new NameAssoc(1, "g"), new NameAssoc(2, ""), new NameAssoc(3, "h"), new NameAssoc(9, "out")] },
        };
        var lines = Lines(Print(m));
        Assert.That(lines, Is.SupersetOf(new[]
        {
            "(global $g (mut i32) (i32.const 0))", "(global (mut i32) (i32.const 1))", "(global (mut i32) (i32.const 2))",
            "(global $h (mut i32) (i32.const 3))", "global.get $g", "global.get 1", "global.get 2", "global.get $h",
        }));
        Assert.That(string.Join("\n", lines), Does.Not.Contain("out"));
    }

    [Test]
    public void Labels_are_named_where_the_name_resolves_to_the_same_block()
    {
        // block $a (block $a (br 0; br 1)) — the inner $a shadows the outer, so br 1 stays an index.
        var body = new Instr[]
        {
            new Block(ValBlockType.Empty, [new Loop(new ValBlockType(ValType.I32), [new Br(0), new Br(1), new BrTable([0, 1], 1)])]),
            new If(ValBlockType.Empty, [new BrIf(0)], [Nop.I]),
            new If(new IdxBlockType(1), [], []),
        };
        var m = WithBody(body) with
        {
            Types = [VoidType, I32ToI32],
            Names = Names.Empty with { Labels = [new IndirectNameAssoc(0, [new NameAssoc(0, "a"), new NameAssoc(1, "a"), new NameAssoc(2, "c")])] },
        };
        var lines = Lines(Print(m));
        var start = Array.IndexOf(lines, "block $a");
        Assert.That(lines[start..(start + 15)], Is.EqualTo(new[]
        {
            "block $a", "loop $a (result i32)", "br $a", "br 1", "br_table $a 1 1", "end", "end",
            "if $c", "br_if $c", "else", "nop", "end",
            "if (type 1) (param i32) (result i32)", "end", ")",
        }));
    }

    [Test]
    public void Exceptions_gc_and_references()
    {
        var m = WithBody(
            new Block(ValBlockType.Empty, [new TryTable(ValBlockType.Empty, [new CatchTag(0, 0), new CatchTagRef(0, 1), new CatchAll(0), new CatchAllRef(1)], [new Throw(0)])]),
            new LegacyTry(ValBlockType.Empty, [ThrowRef.I], [new LegacyCatch(0, [new LegacyRethrow(0)])], [Nop.I]),
            new LegacyTry(ValBlockType.Empty, [new LegacyTryDelegate(ValBlockType.Empty, [Unreachable.I], 0)], [], null),
            new BrOnCast(0, RefType.AnyRef, new RefType(false, HeapType.I31)),
            new BrOnCastFail(0, new RefType(false, HeapType.Eq), RefType.StructRef),
            new RefNull(HeapType.NoExtern), new RefTest(new RefType(false, new TypeIdx(0))), new RefCast(RefType.NullFuncRef),
            new StructGet(Sx.S, 1, 0), new ArrayNewFixed(2, 3), new ArrayGet(null, 2), new I31Get(Sx.U),
            new CallIndirect(0, 0), new ReturnCallRef(0), new Select(null), new Select([ValType.I32]),
            new TableCopy(0, 0), new TableInit(0, 0), AnyConvertExtern.I, ExternConvertAny.I) with
        {
            Tags = [new Tag(new TypeIdx(0))],
            Names = Names.Empty with { Tags = [new NameAssoc(0, "e")], Labels = [new IndirectNameAssoc(0, [new NameAssoc(0, "out"), new NameAssoc(1, "t")])] },
        };
        var lines = Lines(Print(m));
        Assert.That(lines, Is.SupersetOf(new[]
        {
            "(tag $e (type 0))",
            "try_table $t (catch $e $out) (catch_ref $e 1) (catch_all $out) (catch_all_ref 1)",
            "throw $e", "try", "throw_ref", "catch $e", "rethrow 0", "catch_all", "delegate 0",
            "br_on_cast 0 anyref (ref i31)", "br_on_cast_fail 0 (ref eq) structref",
            "ref.null noextern", "ref.test (ref 0)", "ref.cast nullfuncref", "struct.get_s 1 0", "array.new_fixed 2 3",
            "array.get 2", "i31.get_u", "call_indirect 0 (type 0)", "return_call_ref 0", "select", "select (result i32)",
            "table.copy 0 0", "table.init 0 0", "any.convert_extern", "extern.convert_any",
        }));
    }

    [Test]
    public void Segments_tables_memories_and_imports_are_explicit()
    {
        var m = Module.Empty with
        {
            Types = [VoidType],
            Imports =
            [
                new Import("m", "t", new TableExtern(new TableType(AddrType.I64, new Limits(1, 2), RefType.ExternRef))),
                new Import("m", "mem", new MemExtern(new MemType(AddrType.I32, new Limits(1, 1), Shared: true))),
                new Import("m", "g", new GlobalExtern(new GlobalType(Mut.Const, ValType.F64))),
                new Import("m", "e", new TagExtern(new TypeIdx(0))),
            ],
            Mems = [new Mem(new MemType(AddrType.I64, new Limits(0, null), PageSizeLog2: 0))],
            Tables = [new Table(new TableType(AddrType.I32, new Limits(3, null), new RefType(false, HeapType.Func)), new Expr([new RefFunc(0)]))],
            Funcs = [new Func(0, [], Expr.Empty)],
            Datas = [new Data([0x61, 0x00], DataPassive.I), new Data([], new DataActive(1, new Expr([Const.I64(4)])))],
            Elems =
            [
                new Elem(RefType.FuncRef, [new Expr([new RefFunc(0)]), new Expr([new RefNull(HeapType.Func)])], new ElemActive(1, new Expr([Const.I32(0)]))),
                new Elem(new RefType(false, HeapType.Func), [], ElemDeclare.I),
                new Elem(RefType.ExternRef, [new Expr([new GlobalGet(0), AnyConvertExtern.I, ExternConvertAny.I])], ElemPassive.I),
            ],
            Start = new Start(0),
            Exports = [new Export("\"", new ExternIdx(ExternKind.Mem, 1)), new Export("", new ExternIdx(ExternKind.Tag, 0))],
            Customs = [new CustomSection("c", [1, 2], SectionId.Code), new CustomSection("d", [], SectionId.Custom)],
        };
        Assert.That(Lines(Print(m)), Is.EqualTo(new[]
        {
            "(module",
            "(type (func))",
            "(import \"m\" \"t\" (table i64 1 2 externref))",
            "(import \"m\" \"mem\" (memory 1 1 shared))",
            "(import \"m\" \"g\" (global f64))",
            "(import \"m\" \"e\" (tag (type 0)))",
            "(memory i64 0 (pagesize 1))",
            "(table 3 (ref func) (ref.func 0))",
            "(func (type 0)",
            ")",
            "(data \"a\\00\")",
            "(data (memory 1) (offset (i64.const 4)) \"\")",
            "(elem (table 1) (offset (i32.const 0)) funcref (item (ref.func 0)) (item (ref.null func)))",
            "(elem declare (ref func))",
            "(elem externref (item (global.get 0) (any.convert_extern) (extern.convert_any)))",
            "(start 0)",
            "(export \"\\22\" (memory 1))",
            "(export \"\" (tag 0))",
            "(@custom \"c\" (after code) \"\\01\\02\")",
            "(@custom \"d\" (before first) \"\")",
            ")",
        }));
    }

    [Test]
    public void Deep_nesting_prints_without_recursion_and_with_bounded_indentation()
    {
        const int depth = 100_000;
        Instr inner = new Br(depth - 1);
        for (var i = 0; i < depth; i++) inner = new Block(ValBlockType.Empty, [new Br(0), inner]);
        var m = WithBody(inner) with
        {
            Names = Names.Empty with { Labels = [new IndirectNameAssoc(0, [.. Enumerable.Range(0, depth).Select(i => new NameAssoc((uint)i, "l"))])] },
        };
        var lines = Print(m).Split('\n');
        Assert.That(lines.Count(l => l.Trim() == "block $l"), Is.EqualTo(depth));
        Assert.That(lines.Count(l => l.Trim() == "end"), Is.EqualTo(depth));
        Assert.That(lines.Count(l => l.Trim() == "br $l"), Is.EqualTo(depth), "br 0 names the innermost label");
        Assert.That(lines, Does.Contain(new string(' ', 64) + $"br {depth - 1}"), "the outermost $l is shadowed, so its index is printed");
        Assert.That(lines.Max(l => l.Length - l.TrimStart().Length), Is.LessThanOrEqualTo(64));
    }
}
