using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

/// <summary>The custom descriptors proposal: allocation with a descriptor, ref.get_desc, the descriptor casts, exact types.</summary>
public class DescriptorTests
{
    static RefType Ref(uint t, bool nullable = true) => new(nullable, new TypeIdx(t));
    static RefType Exact(uint t, bool nullable = true) => new(nullable, new ExactHeap(new TypeIdx(t)));

    /// <summary>As the module's first types, rec { $a = (descriptor $b) struct (field i32); $b = (describes $a) struct (field i32) }: returns $a = 0; $b is 1.</summary>
    static uint DescribedPair(ModuleBuilder b)
    {
        var a = b.AddRec(
            new SubType(true, [], new StructType([new FieldType(Mut.Const, I32)]), Descriptor: new TypeIdx(1)),
            new SubType(true, [], new StructType([new FieldType(Mut.Const, I32)]), Describes: new TypeIdx(0)));
        Assert.That(a, Is.Zero);
        return a;
    }

    /// <summary>ref.null (exact $t): a null that a descriptor operand accepts.</summary>
    static Instr NullOf(uint t) => new RefNull(new ExactHeap(new TypeIdx(t)));

    static string TrapOf(Store s, ModuleInstance m, string name, params Value[] args) =>
        Assert.Throws<TrapException>(() => Call(s, m, name, args))!.Reason;

    [Test]
    public void AllocationKeepsTheDescriptorForRefGetDesc()
    {
        var b = new ModuleBuilder();
        var a = DescribedPair(b);
        var d = a + 1;
        // (struct.new_desc $a (i32 5) desc) then ref.get_desc: the very descriptor, read back by its field.
        b.Func(Sig([], [I32]), [C32(5), C32(42), new StructNew(d), new StructNewDesc(a), new RefGetDesc(a), new StructGet(null, d, 0)], "field");
        b.Func(Sig([], [I32]), [
            C32(42), new StructNew(d), Tee(0),
            new StructNewDefaultDesc(a), new RefGetDesc(a), Get(0), new RefEq()], "same", Exact(d));
        b.Func(Sig([], [I32]), [C32(7), C32(1), new StructNew(d), new StructNewDesc(a), new StructGet(null, a, 0)], "own_field");
        b.Func(Sig([], [I32]), [C32(7), NullOf(d), new StructNewDesc(a), Drop.I, C32(0)], "new_null");
        b.Func(Sig([], [I32]), [NullOf(d), new StructNewDefaultDesc(a), Drop.I, C32(0)], "default_null");
        b.Func(Sig([], [I32]), [new RefNull(new TypeIdx(a)), new RefGetDesc(a), Drop.I, C32(0)], "get_null");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "field")[0].AsI32, Is.EqualTo(42));
        Assert.That(Call(s, m, "same")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "own_field")[0].AsI32, Is.EqualTo(7));
        Assert.That(TrapOf(s, m, "new_null"), Is.EqualTo("null descriptor reference"));
        Assert.That(TrapOf(s, m, "default_null"), Is.EqualTo("null descriptor reference"));
        Assert.That(TrapOf(s, m, "get_null"), Is.EqualTo("null reference"));
    }

    [Test]
    public void RefCastDescEqComparesDescriptorIdentity()
    {
        var b = new ModuleBuilder();
        var a = DescribedPair(b);
        var d = a + 1;
        var desc = b.Global(new GlobalType(Mut.Const, Exact(d, false)), [C32(1), new StructNew(d)]);
        var other = b.Global(new GlobalType(Mut.Const, Exact(d, false)), [C32(1), new StructNew(d)]);
        // param 0: which descriptor to allocate with (0 = desc, 1 = other); cast against desc.
        Instr[] Make(uint g) => [C32(0), new GlobalGet(g), new StructNewDesc(a)];
        b.Func(Sig([], [I32]), [.. Make(desc), new ExternConvertAny(), new AnyConvertExtern(),
            new GlobalGet(desc), new RefCastDescEq(Ref(a, false)), new RefGetDesc(a), new GlobalGet(desc), new RefEq()], "same");
        b.Func(Sig([], [I32]), [.. Make(other), new GlobalGet(desc), new RefCastDescEq(Ref(a, false)), Drop.I, C32(1)], "other");
        b.Func(Sig([], [I32]), [.. Make(desc), NullOf(d), new RefCastDescEq(Ref(a, false)), Drop.I, C32(1)], "null_desc");
        b.Func(Sig([], [I32]), [new RefNull(HeapType.None), new GlobalGet(desc), new RefCastDescEq(Ref(a, true)), new RefIsNull()], "null_nullable");
        b.Func(Sig([], [I32]), [new RefNull(HeapType.None), new GlobalGet(desc), new RefCastDescEq(Ref(a, false)), Drop.I, C32(1)], "null_nonnullable");
        b.Func(Sig([], [I32]), [C32(3), new RefI31(), new GlobalGet(desc), new RefCastDescEq(Ref(a, false)), Drop.I, C32(1)], "i31");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "same")[0].AsI32, Is.EqualTo(1));
        Assert.That(TrapOf(s, m, "other"), Is.EqualTo("descriptor cast failure"), "an equal-looking descriptor is another one");
        Assert.That(TrapOf(s, m, "null_desc"), Is.EqualTo("null descriptor reference"));
        Assert.That(Call(s, m, "null_nullable")[0].AsI32, Is.EqualTo(1));
        Assert.That(TrapOf(s, m, "null_nonnullable"), Is.EqualTo("descriptor cast failure"));
        Assert.That(TrapOf(s, m, "i31"), Is.EqualTo("descriptor cast failure"));
    }

    [Test]
    public void BrOnCastDescEqBranchesOnAMatchAndItsFailFormOnAMismatch()
    {
        var b = new ModuleBuilder();
        var a = DescribedPair(b);
        var d = a + 1;
        var desc = b.Global(new GlobalType(Mut.Const, Exact(d, false)), [C32(1), new StructNew(d)]);
        var other = b.Global(new GlobalType(Mut.Const, Exact(d, false)), [C32(1), new StructNew(d)]);
        // Returns 1 when the branch is taken, 0 when execution falls through.
        Instr[] Probe(Instr operand, Instr cast) => [
            Block(Res(RefType.AnyRef), operand, new GlobalGet(desc), cast, Drop.I, C32(0), Return.I), Drop.I, C32(1)];
        Instr Alloc(uint g) => Block(Res(Ref(a, false)), C32(0), new GlobalGet(g), new StructNewDesc(a));
        var on = new BrOnCastDescEq(0, RefType.AnyRef, Ref(a, false));
        var onNull = new BrOnCastDescEq(0, RefType.AnyRef, Ref(a, true));
        var fail = new BrOnCastDescEqFail(0, RefType.AnyRef, Ref(a, false));
        var failNull = new BrOnCastDescEqFail(0, RefType.AnyRef, Ref(a, true));
        var nul = new RefNull(HeapType.None);
        b.Func(Sig([], [I32]), Probe(Alloc(desc), on), "on_same");
        b.Func(Sig([], [I32]), Probe(Alloc(other), on), "on_other");
        b.Func(Sig([], [I32]), Probe(nul, on), "on_null");
        b.Func(Sig([], [I32]), Probe(nul, onNull), "on_null_nullable");
        b.Func(Sig([], [I32]), Probe(Alloc(desc), fail), "fail_same");
        b.Func(Sig([], [I32]), Probe(Alloc(other), fail), "fail_other");
        b.Func(Sig([], [I32]), Probe(nul, fail), "fail_null");
        b.Func(Sig([], [I32]), Probe(nul, failNull), "fail_null_nullable");
        b.Func(Sig([], [I32]), [Block(Res(RefType.AnyRef), Alloc(desc), NullOf(d), on, Drop.I, C32(0), Return.I), Drop.I, C32(1)], "on_null_desc");
        b.Func(Sig([], [I32]), [Block(Res(RefType.AnyRef), Alloc(desc), NullOf(d), fail, Drop.I, C32(0), Return.I), Drop.I, C32(1)], "fail_null_desc");
        var s = new Store();
        var m = b.Instantiate(s);
        int R(string f) => Call(s, m, f)[0].AsI32;
        Assert.That(new[] { R("on_same"), R("on_other"), R("on_null"), R("on_null_nullable") }, Is.EqualTo(new[] { 1, 0, 0, 1 }));
        Assert.That(new[] { R("fail_same"), R("fail_other"), R("fail_null"), R("fail_null_nullable") }, Is.EqualTo(new[] { 0, 1, 1, 0 }));
        Assert.That(TrapOf(s, m, "on_null_desc"), Is.EqualTo("null descriptor reference"));
        Assert.That(TrapOf(s, m, "fail_null_desc"), Is.EqualTo("null descriptor reference"));
    }

    [Test]
    public void ExactCastsRejectStrictSubtypes()
    {
        var b = new ModuleBuilder();
        var sup = b.Type(new StructType([]), final: false);
        var sub = b.Type(new StructType([]), false, sup);
        var arr = b.Type(new ArrayType(new FieldType(Mut.Var, I32)));
        b.Func(Sig([], [I32]), [new StructNew(sup), new RefTest(Exact(sup, false))], "sup_exact_sup");
        b.Func(Sig([], [I32]), [new StructNew(sub), new RefTest(Exact(sup, false))], "sub_exact_sup");
        b.Func(Sig([], [I32]), [new StructNew(sub), new RefTest(Ref(sup, false))], "sub_sup");
        b.Func(Sig([], [I32]), [new StructNew(sub), new RefTest(Exact(sub, false))], "sub_exact_sub");
        b.Func(Sig([], [I32]), [new RefNull(HeapType.None), new RefTest(Exact(sup, true))], "null_exact_nullable");
        b.Func(Sig([], [I32]), [new RefNull(HeapType.None), new RefTest(Exact(sup, false))], "null_exact");
        b.Func(Sig([], [I32]), [C32(0), new ArrayNewDefault(arr), new RefTest(Exact(arr, false))], "array_exact");
        b.Func(Sig([], [I32]), [new StructNew(sub), new RefCast(Exact(sup, false)), Drop.I, C32(1)], "cast_sub_exact_sup");
        b.Func(Sig([], [I32]), [
            Block(Res(RefType.AnyRef), new StructNew(sub), new BrOnCast(0, RefType.AnyRef, Exact(sup, false)), Drop.I, C32(0), Return.I),
            Drop.I, C32(1)], "br_on_cast_sub_exact_sup");
        b.Func(Sig([], [I32]), [
            Block(Res(RefType.AnyRef), new StructNew(sub), new BrOnCastFail(0, RefType.AnyRef, Exact(sup, false)), Drop.I, C32(0), Return.I),
            Drop.I, C32(1)], "br_on_cast_fail_sub_exact_sup");
        var s = new Store();
        var m = b.Instantiate(s);
        int R(string f) => Call(s, m, f)[0].AsI32;
        Assert.That(R("sup_exact_sup"), Is.EqualTo(1));
        Assert.That(R("sub_exact_sup"), Is.EqualTo(0));
        Assert.That(R("sub_sup"), Is.EqualTo(1));
        Assert.That(R("sub_exact_sub"), Is.EqualTo(1));
        Assert.That(R("null_exact_nullable"), Is.EqualTo(1));
        Assert.That(R("null_exact"), Is.EqualTo(0));
        Assert.That(R("array_exact"), Is.EqualTo(1));
        Assert.That(TrapOf(s, m, "cast_sub_exact_sup"), Is.EqualTo("cast failure"));
        Assert.That(R("br_on_cast_sub_exact_sup"), Is.EqualTo(0));
        Assert.That(R("br_on_cast_fail_sub_exact_sup"), Is.EqualTo(1));
    }

    [Test]
    public void GlobalImportsMatchExactTypesByTheirDeclaredTypes()
    {
        // The exporter: an immutable global of type (ref null exact $t), one of (ref null $t), and a mutable exact one.
        var e = new ModuleBuilder();
        var et = e.Type(new StructType([]), final: false);
        e.Global(new GlobalType(Mut.Const, Exact(et)), [new StructNew(et)], "exact");
        e.Global(new GlobalType(Mut.Const, Ref(et)), [new StructNew(et)], "inexact");
        e.Global(new GlobalType(Mut.Var, Exact(et)), [new StructNew(et)], "var_exact");
        var s = new Store();
        var me = e.Instantiate(s);

        ModuleInstance Import(string name, GlobalType type)
        {
            var b = new ModuleBuilder();
            var t = b.Type(new StructType([]), final: false);
            Assert.That(t, Is.Zero);
            b.Import("E", name, new GlobalExtern(type));
            return b.Instantiate(s, me.Export(name)!);
        }
        Assert.DoesNotThrow(() => Import("exact", new GlobalType(Mut.Const, Exact(0))));
        Assert.DoesNotThrow(() => Import("exact", new GlobalType(Mut.Const, Ref(0))), "an immutable global's type is covariant");
        Assert.DoesNotThrow(() => Import("var_exact", new GlobalType(Mut.Var, Exact(0))));
        // A global's type is its declared one, not that of its current value: an inexact global is not exact.
        Assert.That(Assert.Throws<LinkException>(() => Import("inexact", new GlobalType(Mut.Const, Exact(0))))!.Reason,
            Is.EqualTo("incompatible import type"));
        Assert.Throws<LinkException>(() => Import("var_exact", new GlobalType(Mut.Var, Ref(0))), "a mutable global's type is invariant");
    }

    [Test]
    public void ExactFunctionImportsNeedTheVeryType()
    {
        // The exporter: f of type $sub (a subtype of $super), g of type $super.
        var c = new ModuleBuilder();
        var sup = c.Type(Sig([], []), final: false);
        var sub = c.Type(Sig([], []), false, sup);
        c.Func(sub, [], "f");
        c.Func(sup, [], "g");
        var s = new Store();
        var mc = c.Instantiate(s);
        ExternVal F(string n) => mc.Export(n)!;

        ModuleBuilder Importer(bool exact, bool wantSub)
        {
            var b = new ModuleBuilder();
            var bsup = b.Type(Sig([], []), final: false);
            var bsub = b.Type(Sig([], []), false, bsup);
            b.ImportFunc("C", "f", wantSub ? bsub : bsup, exact);
            return b;
        }
        Assert.DoesNotThrow(() => Importer(exact: false, wantSub: false).Instantiate(s, F("f")), "inexact import of a supertype");
        Assert.DoesNotThrow(() => Importer(exact: true, wantSub: true).Instantiate(s, F("f")), "exact import of the very type");
        Assert.DoesNotThrow(() => Importer(exact: true, wantSub: false).Instantiate(s, F("g")));
        var e = Assert.Throws<LinkException>(() => Importer(exact: true, wantSub: false).Instantiate(s, F("f")))!;
        Assert.That(e.Reason, Is.EqualTo("incompatible import type"));
        Assert.Throws<LinkException>(() => Importer(exact: true, wantSub: true).Instantiate(s, F("g")));

        // A function imported inexactly still has its own type exactly: casts see the dynamic type.
        var t = new ModuleBuilder();
        var tsup = t.Type(Sig([], []), final: false);
        var tsub = t.Type(Sig([], []), false, tsup);
        var f = t.ImportFunc("C", "f", tsup, exact: false);
        t.DeclareElem(f);
        t.Func(Sig([], [I32]), [new RefFunc(f), new RefTest(Exact(tsub, false))], "exact_sub");
        t.Func(Sig([], [I32]), [new RefFunc(f), new RefTest(Exact(tsup, false))], "exact_sup");
        var mt = t.Instantiate(s, F("f"));
        Assert.That(Call(s, mt, "exact_sub")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, mt, "exact_sup")[0].AsI32, Is.EqualTo(0));
    }

    [Test]
    public void A_trapping_descriptor_instruction_consumes_its_operands()
    {
        // Each body is the trapping instruction and its operands only: had they stayed, trap-instrs would shed them.
        var b = new ModuleBuilder();
        var a = DescribedPair(b);
        var d = a + 1;
        b.Func(Sig([], [Ref(a)]), [C32(7), NullOf(d), new StructNewDesc(a)], "new_null");
        b.Func(Sig([], [Ref(a, nullable: false)]), [new RefNull(new TypeIdx(a)), NullOf(d), new RefCastDescEq(Ref(a, nullable: false))], "cast_null");
        b.Func(Sig([], [Ref(a, nullable: false)]), [new RefNull(new TypeIdx(a)), C32(1), new StructNew(d), new RefCastDescEq(Ref(a, nullable: false))], "cast_fail");
        foreach (var (name, rule) in new[] { ("new_null", "Step/struct.new_desc-null"), ("cast_null", "Step_read/ref.cast_desc_eq-null"), ("cast_fail", "Step_read/ref.cast_desc_eq-fail") })
        {
            var seen = new List<string>();
            var s = new Store(policy: new StorePolicy { Trace = r => { if (!r.StartsWith("Step/ctxt-")) seen.Add(r); } });
            var m = b.Instantiate(s);
            Assert.Throws<TrapException>(() => Call(s, m, name));
            Assert.That(seen.SkipWhile(r => r != rule), Is.EqualTo(new[] { rule, "Step_pure/trap-label", "Step_pure/trap-frame" }), name);
        }
    }
}
