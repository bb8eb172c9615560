using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class ParserTests
{
    private static Module P(string s) => Spec.TextFormat.Text.Parse(s);

    private static ImmutableArray<Instr> Body(string s, int func = 0) => P(s).Funcs[func].Body.Instrs;

    private static string Fails(string s) => Assert.Throws<ParseException>(() => P(s))!.Reason;

    private static FuncType FuncTypeAt(Module m, int i) => (FuncType)m.Types[i].Rec.Subs[0].Comp;

    [Test]
    public void ModuleFormAndBareFieldsAreTheSame()
    {
        var a = P("(module (func (result i32) (i32.const 1)))");
        var b = P("(func (result i32) (i32.const 1))");
        Assert.That(a, Is.EqualTo(b));
        Assert.That(P("(module $m)").Names.Module, Is.EqualTo("m"));
        Assert.That(P("").Funcs, Is.Empty);
    }

    [Test]
    public void ForwardReferencesResolve()
    {
        var m = P("(global $h (import \"m\" \"h\") i32) (func $a (call $b) (ref.func $b) drop) (func $b) (global $g i32 (global.get $h))");
        Assert.That(m.Funcs[0].Body.Instrs, Is.EqualTo(new Instr[] { new Call(1), new RefFunc(1), Drop.I }));
    }

    [Test]
    public void ImplicitTypesAreAppendedAfterExplicitOnesAndReused()
    {
        var m = P("(func (param i32)) (type $t (func)) (func (type $t)) (func (param i32)) (func (result f64))" +
                  "(type (func (param i64))) (func (param i64))");
        Assert.That(m.Types.Length, Is.EqualTo(4));
        Assert.That(FuncTypeAt(m, 2).Params, Is.EqualTo(new ValType[] { ValType.I32 }));
        Assert.That(FuncTypeAt(m, 3).Results, Is.EqualTo(new ValType[] { ValType.F64 }));
        Assert.That(m.Funcs.Select(f => f.TypeIdx), Is.EqualTo(new uint[] { 2, 0, 2, 3, 1 }));
    }

    [Test]
    public void TypesInRecGroupsAreNotReusedByInlineTypes()
    {
        var m = P("(rec (type (func (param i32))) (type (struct))) (func (param i32))");
        Assert.That(m.Types.Length, Is.EqualTo(2));
        Assert.That(m.Funcs[0].TypeIdx, Is.EqualTo(2));
    }

    [Test]
    public void TypeUseWithParamsMustAgree()
    {
        Assert.That(Fails("(type $t (func (param i32))) (func (type $t) (param i64))"), Is.EqualTo("inline function type"));
        var m = P("(type $t (func (param i32) (result i32))) (func (type $t) (param $x i32) (result i32) (local.get $x))");
        Assert.That(m.Funcs[0].TypeIdx, Is.EqualTo(0));
        Assert.That(m.Funcs[0].Body.Instrs[0], Is.EqualTo(new LocalGet(0)));
        Assert.That(Fails("(func (type 3) (param i32))"), Is.EqualTo("unknown type"));
    }

    [Test]
    public void InlineImportsAndExports()
    {
        var m = P("(func $f (export \"a\") (export \"b\") (import \"m\" \"n\") (param i32)) (table (import \"m\" \"t\") 1 funcref)" +
                  "(memory (export \"mem\") 1 2) (global $g (export \"g\") (mut i32) (i32.const 7)) (tag (export \"e\") (param i32))");
        Assert.That(m.Imports[0], Is.EqualTo(new Import("m", "n", new FuncExtern(new TypeIdx(0)))));
        Assert.That(m.Imports[1].Type, Is.EqualTo(new TableExtern(new TableType(AddrType.I32, new Limits(1, null), RefType.FuncRef))));
        Assert.That(m.Exports.Select(e => (e.Name, e.Index)), Is.EqualTo(new[]
        {
            ("a", new ExternIdx(ExternKind.Func, 0)), ("b", new ExternIdx(ExternKind.Func, 0)), ("mem", new ExternIdx(ExternKind.Mem, 0)),
            ("g", new ExternIdx(ExternKind.Global, 0)), ("e", new ExternIdx(ExternKind.Tag, 0)),
        }));
        Assert.That(m.Globals[0], Is.EqualTo(new Global(new GlobalType(Mut.Var, ValType.I32), new Expr([Const.I32(7)]))));
        Assert.That(m.Tags[0].Type, Is.EqualTo(new TypeIdx(0))); // the same function type as $f's
    }

    [TestCase("(func) (import \"m\" \"f\" (func))", "import after function")]
    [TestCase("(global i32 (i32.const 0)) (global (import \"m\" \"g\") i32)", "import after global")]
    [TestCase("(memory 0) (import \"m\" \"m\" (memory 1))", "import after memory")]
    [TestCase("(table 0 funcref) (table (import \"m\" \"t\") 0 funcref)", "import after table")]
    public void ImportsMustComeFirst(string s, string reason) => Assert.That(Fails(s), Is.EqualTo(reason));

    [Test]
    public void LabelsAreDepthsAndShadow()
    {
        var b = Body("(func block $a block $b br $a br $b br 0 end end (block $a (block $a (br $a))))");
        var outer = (Block)b[0];
        Assert.That(((Block)outer.Body[0]).Body, Is.EqualTo(new Instr[] { new Br(1), new Br(0), new Br(0) }));
        var shadow = (Block)((Block)b[1]).Body[0];
        Assert.That(shadow.Body[0], Is.EqualTo(new Br(0)));
        Assert.That(Fails("(func block $a end $b)"), Is.EqualTo("mismatching label"));
        Assert.That(Fails("(func block end $l)"), Is.EqualTo("mismatching label"));
        Assert.That(Fails("(func br $x)"), Is.EqualTo("unknown label"));
    }

    [Test]
    public void FoldedInstructionsUnfold()
    {
        var b = Body("(func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))");
        Assert.That(b, Is.EqualTo(new Instr[]
        {
            Const.I32(1), Const.I32(2), Const.I32(3), new Binop(NumType.I32, BinOp.Mul), new Binop(NumType.I32, BinOp.Add),
        }));
    }

    [Test]
    public void FoldedIfPutsTheConditionFirst()
    {
        var b = Body("(func (result i32) (if $l (result i32) (i32.const 0) (then (i32.const 1)) (else (br $l (i32.const 2)))))");
        Assert.That(b[0], Is.EqualTo(Const.I32(0)));
        Assert.That(b[1], Is.EqualTo(new If(new ValBlockType(ValType.I32), [Const.I32(1)], [Const.I32(2), new Br(0)])));
        Assert.That(Fails("(func (if i32.const 0 (then) (else)))"), Is.EqualTo("unexpected token"));
    }

    [Test]
    public void BlockTypesWithParamsOrSeveralResultsUseTypeIndices()
    {
        var m = P("(func (block (param i32) (result i32 i32) (unreachable)) (loop (result i64)) (block (result)))");
        var b = m.Funcs[0].Body.Instrs;
        Assert.That(b[0], Is.EqualTo(new Block(new IdxBlockType(1), [Unreachable.I])));
        Assert.That(FuncTypeAt(m, 1), Is.EqualTo(new FuncType([ValType.I32], [ValType.I32, ValType.I32])));
        Assert.That(b[1], Is.EqualTo(new Loop(new ValBlockType(ValType.I64), [])));
        Assert.That(b[2], Is.EqualTo(new Block(ValBlockType.Empty, [])));
        Assert.That(Fails("(func (block (param $x i32)))"), Is.EqualTo("unexpected token"));
    }

    [Test]
    public void MemArgs()
    {
        var m = P("(memory $a 1) (memory $b i64 1) (func i32.load i64.load offset=8 align=2 i32.load $b offset=0x10" +
                  " i64.store8 1 align=1 v128.load8_lane 1 v128.load8_lane $b 1 v128.load16_lane 0 offset=2 3)");
        Assert.That(m.Funcs[0].Body.Instrs, Is.EqualTo(new Instr[]
        {
            new Load(NumType.I32, null, 0, new MemArg(2, 0)), new Load(NumType.I64, null, 0, new MemArg(1, 8)),
            new Load(NumType.I32, null, 1, new MemArg(2, 16)), new Store(NumType.I64, Sz.S8, 1, new MemArg(0, 0)),
            new VLoadLane(VecType.V128, Sz.S8, 0, new MemArg(0, 0), 1), new VLoadLane(VecType.V128, Sz.S8, 1, new MemArg(0, 0), 1),
            new VLoadLane(VecType.V128, Sz.S16, 0, new MemArg(1, 2), 3),
        }));
        Assert.That(m.Mems[1].Type.AddrType, Is.EqualTo(AddrType.I64));
        Assert.That(Fails("(memory 1) (func i32.load align=3)"), Is.EqualTo("alignment must be a power of two"));
        Assert.That(Fails("(memory 1) (func i32.load offset=18446744073709551616)"), Is.EqualTo("constant out of range"));
    }

    [Test]
    public void InlineDataAndElem()
    {
        var m = P("(memory $m (data \"ab\" \"c\")) (table $t funcref (elem $f $f)) (table i64 externref (elem (ref.null extern))) (func $f)");
        Assert.That(m.Mems[0].Type.Limits, Is.EqualTo(new Limits(1, 1)));
        Assert.That(m.Datas[0], Is.EqualTo(new Data([0x61, 0x62, 0x63], new DataActive(0, new Expr([Const.I32(0)])))));
        Assert.That(m.Tables[0].Type.Limits, Is.EqualTo(new Limits(2, 2)));
        // A bare index list takes the table's reference type (here funcref).
        Assert.That(m.Elems[0], Is.EqualTo(new Elem(RefType.FuncRef, [new Expr([new RefFunc(0)]), new Expr([new RefFunc(0)])],
            new ElemActive(0, new Expr([Const.I32(0)])))));
        Assert.That(m.Tables[1].Type, Is.EqualTo(new TableType(AddrType.I64, new Limits(1, 1), RefType.ExternRef)));
        Assert.That(m.Elems[1].Mode, Is.EqualTo(new ElemActive(1, new Expr([Const.I64(0)]))));
        Assert.That(m.Tables[0].Init, Is.EqualTo(new Expr([new RefNull(HeapType.Func)])));
        var typed = P("(type $t (func)) (table (ref null $t) (elem $f)) (table funcref (elem func $f)) (func $f (type $t))");
        Assert.That(typed.Elems[0].Type, Is.EqualTo(new RefType(true, new TypeIdx(0))));
        Assert.That(typed.Elems[1].Type, Is.EqualTo(new RefType(false, HeapType.Func)));
    }

    [Test]
    public void ElemAndDataSegments()
    {
        var m = P("(table $t 2 funcref) (memory 1) (func $f)" +
                  "(elem (i32.const 0) $f) (elem $p funcref (ref.func $f) (item ref.null func)) (elem declare func $f)" +
                  "(elem (table $t) (offset (i32.const 1)) func 0) (data (i32.const 8) \"x\") (data $d \"y\") (data (memory 0) (offset (i32.const 0)))" +
                  "(func (elem.drop $p) (data.drop $d) (table.init $t $p) (memory.init $d) (table.init 1))");
        Assert.That(m.Elems[0].Mode, Is.EqualTo(new ElemActive(0, new Expr([Const.I32(0)]))));
        Assert.That(m.Elems[1], Is.EqualTo(new Elem(RefType.FuncRef, [new Expr([new RefFunc(0)]), new Expr([new RefNull(HeapType.Func)])], ElemPassive.I)));
        Assert.That(m.Elems[2].Mode, Is.EqualTo(ElemDeclare.I));
        Assert.That(m.Elems[3].Mode, Is.EqualTo(new ElemActive(0, new Expr([Const.I32(1)]))));
        Assert.That(m.Datas[1].Mode, Is.EqualTo(DataPassive.I));
        Assert.That(m.Funcs[1].Body.Instrs, Is.EqualTo(new Instr[] { new ElemDrop(1), new DataDrop(1), new TableInit(0, 1), new MemoryInit(0, 1), new TableInit(0, 1) }));
    }

    [Test]
    public void NamesAreRecorded()
    {
        var m = P("(module $mod (type $t (struct (field $x i32) (field $y i64))) (func $f (param $a i32) (param i64) (local $l f32))" +
                  "(table $tab 1 funcref) (memory $mem 1) (global $g i32 (i32.const 0)) (elem $e func) (data $d \"\") (tag $ex)" +
                  "(func (struct.get $t $y (ref.null $t)) drop))");
        var n = m.Names;
        Assert.That(n.Module, Is.EqualTo("mod"));
        Assert.That(n.Funcs, Is.EqualTo(new[] { new NameAssoc(0, "f") }));
        Assert.That(n.Locals.Single().Names, Is.EqualTo(new[] { new NameAssoc(0, "a"), new NameAssoc(2, "l") }));
        Assert.That(n.Types, Is.EqualTo(new[] { new NameAssoc(0, "t") }));
        Assert.That(n.Fields.Single(), Is.EqualTo(new IndirectNameAssoc(0, [new NameAssoc(0, "x"), new NameAssoc(1, "y")])));
        Assert.That((n.Tables.Single().Name, n.Mems.Single().Name, n.Globals.Single().Name, n.Elems.Single().Name, n.Datas.Single().Name, n.Tags.Single().Name),
            Is.EqualTo(("tab", "mem", "g", "e", "d", "ex")));
        Assert.That(n.Labels, Is.Empty);
        Assert.That(m.Funcs[1].Body.Instrs[1], Is.EqualTo(new StructGet(null, 0, 1)));
    }

    [TestCase("(func $f) (func $f)", "duplicate func")]
    [TestCase("(func (param $x i32) (local $x i32))", "duplicate local")]
    [TestCase("(memory $m 1) (memory $m 1)", "duplicate memory")]
    [TestCase("(global $g i32 (i32.const 0)) (import \"a\" \"b\" (global $g i32))", "duplicate global")]
    [TestCase("(type (struct (field $x i32) (field $x i32)))", "duplicate field")]
    [TestCase("(func (call $nope))", "unknown func")]
    [TestCase("(func (local.get $nope))", "unknown local")]
    [TestCase("(func (i32.const 4294967296) drop)", "constant out of range")]
    [TestCase("(func (i32.const -2147483649) drop)", "constant out of range")]
    [TestCase("(func (f32.const 1e39) drop)", "constant out of range")]
    [TestCase("(func (f64.const nan:0x0) drop)", "constant out of range")]
    [TestCase("(func (i32.const0))", "unknown operator i32.const0")]
    [TestCase("(func br 0drop)", "unknown operator 0drop")]
    [TestCase("(func (get_local 0))", "unknown operator get_local")]
    [TestCase("(func (nop) (local i32))", "unexpected token")]
    [TestCase("(func) (start 0) (start 0)", "multiple start sections")]
    [TestCase("(func (v128.const i32x4 1 2 3) drop)", "wrong number of lane literals")]
    [TestCase("(func (i8x16.shuffle 0 1 2 (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)) drop)", "invalid lane length")]
    [TestCase("(func (i8x16.extract_lane_s 256 (v128.const i32x4 0 0 0 0)) drop)", "i8 constant out of range")]
    [TestCase("(import \"\\ff\" \"x\" (func))", "malformed UTF-8 encoding")]
    [TestCase("(func (nop)", "unexpected end of input")]
    public void Errors(string source, string reason) => Assert.That(Fails(source), Is.EqualTo(reason));

    [Test]
    public void ErrorsCarryLineAndColumn()
    {
        var e = Assert.Throws<ParseException>(() => P("(module\n  (func\n    (call $nope)))"))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((3, 11)));
        Assert.That(e.Phase, Is.EqualTo(Phase.Parse));
        Assert.That(e.Position, Is.EqualTo("3:11"));
    }

    [Test]
    public void Constants()
    {
        var b = Body("(func i32.const -1 i64.const 0xffff_ffff_ffff_ffff f32.const -nan:0x1 f64.const 0x1p-1074 f32.const 1 f64.const -inf)");
        Assert.That(b, Is.EqualTo(new Instr[]
        {
            new Const(NumType.I32, 0xFFFFFFFF), new Const(NumType.I64, ulong.MaxValue), new Const(NumType.F32, 0xFF800001),
            new Const(NumType.F64, 1), new Const(NumType.F32, 0x3F800000), new Const(NumType.F64, 0xFFF0000000000000),
        }));
    }

    [Test]
    public void VectorConstantsAndShuffles()
    {
        var b = Body("(func v128.const i32x4 1 2 3 -1 v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255 v128.const f64x2 1 -0" +
                     " i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 i16x8.extract_lane_u 7 f32x4.replace_lane 3" +
                     " i32x4.relaxed_dot_i8x16_i7x16_add_s f64x2.promote_low_f32x4 i8x16.popcnt)");
        Assert.That(b[0], Is.EqualTo(new VConst(new V128(0x0000000200000001, 0xFFFFFFFF00000003))));
        Assert.That(b[1], Is.EqualTo(new VConst(new V128(0x0706050403020100, 0xFF0E0D0C0B0A0908))));
        Assert.That(b[2], Is.EqualTo(new VConst(new V128(0x3FF0000000000000, 0x8000000000000000))));
        Assert.That(b[3], Is.EqualTo(new VShuffle(Shape.I8x16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31])));
        Assert.That(b[4], Is.EqualTo(new VExtractLane(Shape.I16x8, Sx.U, 7)));
        Assert.That(b[5], Is.EqualTo(new VReplaceLane(Shape.F32x4, 3)));
        Assert.That(b[6], Is.EqualTo(new VExtternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS)));
        Assert.That(b[7], Is.EqualTo(new VCvtop(Shape.F64x2, Shape.F32x4, VCvtOp.PromoteLow)));
        Assert.That(b[8], Is.EqualTo(new VUnop(Shape.I8x16, VUnOp.Popcnt)));
        Assert.That(Fails("(func i64x2.avgr_u)"), Does.StartWith("unknown operator"));
    }

    [Test]
    public void CallsAndTablesAndReferences()
    {
        var m = P("(type $t (func (param i32))) (table $a 1 funcref) (table $b 1 funcref) (func $f" +
                  " (call_indirect (type $t) (i32.const 0) (i32.const 0)) (call_indirect $b (param i64) (i64.const 0) (i32.const 0))" +
                  " (return_call_indirect 0 (type 0) (i32.const 0) (i32.const 0)) (call_ref $t (i32.const 0) (ref.func $f))" +
                  " table.copy $a $b table.copy table.size $b (select (result i32) (i32.const 0) (i32.const 0) (i32.const 0)) select" +
                  " (br_on_cast 0 anyref (ref null $t) (ref.null any)) (ref.test (ref func) (ref.null func)) (br_table 0 0 0 (i32.const 0)))");
        var b = m.Funcs[0].Body.Instrs;
        Assert.That(b.OfType<CallIndirect>(), Is.EqualTo(new[] { new CallIndirect(0, 0), new CallIndirect(1, 2) }));
        Assert.That(b.OfType<ReturnCallIndirect>().Single(), Is.EqualTo(new ReturnCallIndirect(0, 0)));
        Assert.That(b.OfType<CallRef>().Single(), Is.EqualTo(new CallRef(0)));
        Assert.That(b.OfType<TableCopy>(), Is.EqualTo(new[] { new TableCopy(0, 1), new TableCopy(0, 0) }));
        Assert.That(b.OfType<TableSize>().Single(), Is.EqualTo(new TableSize(1)));
        Assert.That(b.OfType<Select>(), Is.EqualTo(new[] { new Select([ValType.I32]), new Select(null) }));
        Assert.That(b.OfType<BrOnCast>().Single(), Is.EqualTo(new BrOnCast(0, RefType.AnyRef, new RefType(true, new TypeIdx(0)))));
        Assert.That(b.OfType<RefTest>().Single(), Is.EqualTo(new RefTest(new RefType(false, HeapType.Func))));
        Assert.That(b.OfType<BrTable>().Single(), Is.EqualTo(new BrTable([0, 0], 0)));
    }

    [Test]
    public void GcTypes()
    {
        var m = P("(rec (type $a (sub (struct (field (mut i8)) (field i16 (ref $b))))) (type $b (sub final $a (struct))))" +
                  "(type $arr (array (mut (ref null $a))))");
        var a = m.Types[0].Rec.Subs[0];
        Assert.That(a.Final, Is.False);
        Assert.That(a.Comp, Is.EqualTo(new StructType([
            new FieldType(Mut.Var, new PackedType(PackType.I8)), new FieldType(Mut.Const, new PackedType(PackType.I16)),
            new FieldType(Mut.Const, new RefType(false, new TypeIdx(1)))])));
        Assert.That(m.Types[0].Rec.Subs[1], Is.EqualTo(new SubType(true, [new TypeIdx(0)], new StructType([]))));
        Assert.That(m.Types[1].Rec.Subs[0].Comp, Is.EqualTo(new ArrayType(new FieldType(Mut.Var, new RefType(true, new TypeIdx(0))))));
    }

    [Test]
    public void ExceptionsAndLegacyTry()
    {
        var m = P("(tag $e (param i32)) (func (result i32)" +
                  " (block $h (result exnref) (try_table $l (catch $e 1) (catch_all_ref $h) (throw $e (i32.const 1)))) drop" +
                  " try $t (result i32) (i32.const 1) catch $e rethrow $t catch_all i32.const 2 end drop" +
                  " (try (do (nop)) (delegate 0)) (try (result i32) (do (i32.const 0)) (catch $e) (catch_all (i32.const 3))))");
        var b = m.Funcs[0].Body.Instrs;
        var tt = (TryTable)((Block)b[0]).Body[0];
        Assert.That(tt.Catches, Is.EqualTo(new Catch[] { new CatchTag(0, 1), new CatchAllRef(0) }));
        Assert.That(tt.Body, Is.EqualTo(new Instr[] { Const.I32(1), new Throw(0) }));
        Assert.That(b[2], Is.EqualTo(new LegacyTry(new ValBlockType(ValType.I32), [Const.I32(1)],
            [new LegacyCatch(0, [new LegacyRethrow(0)])], [Const.I32(2)])));
        Assert.That(b[4], Is.EqualTo(new LegacyTryDelegate(ValBlockType.Empty, [Nop.I], 0)));
        Assert.That(b[5], Is.EqualTo(new LegacyTry(new ValBlockType(ValType.I32), [Const.I32(0)], [new LegacyCatch(0, [])], [Const.I32(3)])));
    }

    [Test]
    public void AnnotationsAreIgnored()
    {
        Assert.That(P("(module (@foo \"m\") (func (@a x (y)) nop (@metadata.code.other \"\\01\")))"), Is.EqualTo(P("(func nop)")));
    }

    [Test]
    public void ScriptModulesMayBeDefinitions()
    {
        var m = Spec.TextFormat.Text.ParseScriptModule("(module definition $d (func))");
        Assert.That(m.Names.Module, Is.EqualTo("d"));
        Assert.That(Fails("(module definition (func))"), Is.EqualTo("unexpected token"));
    }

    [Test]
    public void NestingHasNoLimitAndNoRecursion()
    {
        // Every block form, folded and unfolded, and blocks as operands of folded plain instructions, on a thread with
        // a small stack: the parser keeps its open constructs on a stack of its own, as the binary decoder does.
        const int depth = 200_000;
        string[] opens = ["(block $l ", "block $l ", "(if (i32.const 1) (then ", "if nop else ", "(try_table (catch_all 0) ",
            "(try (do ", "try ", "(loop (i32.const 0) (br_if 0 "];
        string[] closes = [")", " end $l ", "))", " end ", ")", ") (catch_all))", " delegate 0 ", "))"];
        int[] instrs = [1, 1, 2, 2, 1, 1, 1, 3];
        var text = new System.Text.StringBuilder("(func ");
        for (int d = 0; d < depth; d++) text.Append(opens[d % 8]);
        text.Append("br $l");
        for (int d = depth - 1; d >= 0; d--) text.Append(closes[d % 8]);
        text.Append(')');
        Module? m = null;
        var t = new Thread(() => m = P(text.ToString()), 1 << 20);
        t.Start();
        t.Join();
        var all = InstrPositions.PreOrder(m!.Funcs[0].Body.Instrs).ToList();
        Assert.That(all, Has.Count.EqualTo(Enumerable.Range(0, depth).Sum(d => instrs[d % 8]) + 1));
        Assert.That(all.OfType<Br>().Single(), Is.EqualTo(new Br(6)), "$l names the innermost block so named, six labels out");
    }

    [Test]
    public void InternalEntryParsesFromATokenPosition()
    {
        var toks = Lexer.Tokenize("(script (module $a (func)) (module $b))");
        int i = 2;
        var a = Spec.TextFormat.Text.ParseModule(toks, ref i);
        Assert.That(a.Names.Module, Is.EqualTo("a"));
        Assert.That(toks[i].Kind, Is.EqualTo(TokenKind.LParen));
        var b = Spec.TextFormat.Text.ParseModule(toks, ref i);
        Assert.That(b.Names.Module, Is.EqualTo("b"));
        Assert.That(toks[i].Kind, Is.EqualTo(TokenKind.RParen));
    }
}

public class AnnotationTests
{
    private static Module P(string s) => Spec.TextFormat.Text.Parse(s);

    [Test]
    public void CustomAnnotationsBecomeCustomSections()
    {
        var m = P("(module (type $t (func)) (@custom \"a\" \"x\" \"y\") (@custom \"b\" (before global) \"\\01\") (func) (@custom \"c\" (after func))" +
                  " (@custom \"d\" (before first)))");
        Assert.That(m.Customs, Is.EqualTo(new[]
        {
            new CustomSection("a", [0x78, 0x79], SectionId.Data), new CustomSection("b", [1], SectionId.Tag),
            new CustomSection("c", [], SectionId.Function), new CustomSection("d", [], SectionId.Custom),
        }));
    }

    [Test]
    public void NameAnnotationsGiveDebugNames()
    {
        var m = P("(module $m (@name \"Modül\") (type $t (@name \"T\") (struct (field $x (@name \"X\") i32)))" +
                  " (func $f (@name \"λ\") (param $p (@name \"P\") i32) (local (@name \"L\") i64) (local.get $p) drop) (tag (@name \"θ\")))");
        var n = m.Names;
        Assert.That(n.Module, Is.EqualTo("Modül"));
        Assert.That(n.Types.Single().Name, Is.EqualTo("T"));
        Assert.That(n.Fields.Single().Names.Single().Name, Is.EqualTo("X"));
        Assert.That(n.Funcs.Single().Name, Is.EqualTo("λ"));
        Assert.That(n.Locals.Single().Names, Is.EqualTo(new[] { new NameAssoc(0, "P"), new NameAssoc(1, "L") }));
        Assert.That(n.Tags.Single().Name, Is.EqualTo("θ"));
        Assert.That(m.Funcs[0].Body.Instrs[0], Is.EqualTo(new LocalGet(0))); // the id still binds
    }

    [TestCase("(func (@custom \"bla\"))", "misplaced @custom annotation")]
    [TestCase("(module (func) (@name \"M\"))", "misplaced @name annotation")]
    [TestCase("(module (@name \"M1\") (@name \"M2\"))", "@name annotation: multiple module")]
    [TestCase("(@custom 4)", "@custom annotation: missing section name")]
    [TestCase("(@custom \"bla\" (aft type))", "@custom annotation: malformed placement")]
    [TestCase("(@custom \"bla\" (before types))", "@custom annotation: malformed section kind")]
    [TestCase("(@custom \"bla\" here)", "@custom annotation: unexpected token")]
    public void MalformedAnnotations(string source, string reason) =>
        Assert.That(Assert.Throws<ParseException>(() => P(source))!.Reason, Is.EqualTo(reason));
}

public class ExtensionSyntaxTests
{
    private static Module P(string s) => Spec.TextFormat.Text.Parse(s);

    [Test]
    public void CustomPageSizes()
    {
        var m = P("(memory 0 (pagesize 1)) (memory (pagesize 1) (data \"xyz\")) (memory 1 (pagesize 0x20000))");
        Assert.That(m.Mems[0].Type, Is.EqualTo(new MemType(AddrType.I32, new Limits(0, null), PageSizeLog2: 0)));
        Assert.That(m.Mems[1].Type, Is.EqualTo(new MemType(AddrType.I32, new Limits(3, 3), PageSizeLog2: 0)));
        Assert.That(m.Mems[2].Type.PageSizeLog2, Is.EqualTo(17));
        Assert.That(Assert.Throws<ParseException>(() => P("(memory 0 (pagesize 3))"))!.Reason, Is.EqualTo("invalid custom page size"));
    }

    [Test]
    public void MvpSegmentIndices()
    {
        var m = P("(table $t 1 funcref) (table $u 2 funcref) (memory 1) (func $f) (elem $u (i32.const 1) $f) (elem 1 (i32.const 0) $f) (data 0 (i32.const 0) \"a\")");
        Assert.That(m.Elems[0].Mode, Is.EqualTo(new ElemActive(0, new Expr([Const.I32(1)]))));  // $u is the segment's own id here
        Assert.That(m.Elems[1].Mode, Is.EqualTo(new ElemActive(1, new Expr([Const.I32(0)]))));
        Assert.That(m.Elems[1].Inits, Is.EqualTo(new[] { new Expr([new RefFunc(0)]) }));
        Assert.That(m.Datas[0].Mode, Is.EqualTo(new DataActive(0, new Expr([Const.I32(0)]))));
    }
}
