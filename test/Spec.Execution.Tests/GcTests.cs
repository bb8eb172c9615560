using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class GcTests
{
    static RefType Ref(uint t, bool nullable = true) => new(nullable, new TypeIdx(t));

    [Test]
    public void StructFieldsArePackedAndUnpacked()
    {
        var b = new ModuleBuilder();
        var st = b.Type(new StructType([new FieldType(Mut.Var, new PackedType(PackType.I8)), new FieldType(Mut.Const, I64)]));
        b.Func(Sig([I32], [I32]), [Get(0), C64(5), new StructNew(st), new StructGet(Sx.S, st, 0)], "get_s");
        b.Func(Sig([I32], [I32]), [Get(0), C64(5), new StructNew(st), new StructGet(Sx.U, st, 0)], "get_u");
        b.Func(Sig([I32], [I32]), [
            C32(0), C64(0), new StructNew(st), Set(1),
            Get(1), Get(0), new StructSet(st, 0),
            Get(1), new StructGet(Sx.U, st, 0)], "set_get", Ref(st));
        b.Func(Sig([], [I64]), [new StructNewDefault(st), new StructGet(null, st, 1)], "default");
        b.Func(Sig([], [I32]), [new RefNull(new TypeIdx(st)), new StructGet(Sx.U, st, 0)], "null");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "get_s", Value.I32(0x1ff))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Call(s, m, "get_u", Value.I32(0x1ff))[0].AsI32, Is.EqualTo(255));
        Assert.That(Call(s, m, "set_get", Value.I32(0x180))[0].AsI32, Is.EqualTo(0x80));
        Assert.That(Call(s, m, "default")[0].AsI64, Is.EqualTo(0));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "null"))!.Reason, Is.EqualTo("null structure reference"));
    }

    [Test]
    public void ArraysBoundsAndCopy()
    {
        var b = new ModuleBuilder();
        var at = b.Type(new ArrayType(new FieldType(Mut.Var, new PackedType(PackType.I16))));
        b.Func(Sig([I32], [I32]), [C32(0xffff), C32(3), new ArrayNew(at), Get(0), new ArrayGet(Sx.S, at)], "get_s");
        b.Func(Sig([], [I32]), [C32(1), C32(2), C32(3), new ArrayNewFixed(at, 3), new ArrayLen()], "len");
        // copy [1,2,3,4] onto itself shifted by one: [1,1,2,3]
        b.Func(Sig([I32], [I32]), [
            C32(1), C32(2), C32(3), C32(4), new ArrayNewFixed(at, 4), Set(1),
            Get(1), C32(1), Get(1), C32(0), C32(3), new ArrayCopy(at, at),
            Get(1), Get(0), new ArrayGet(Sx.U, at)], "copy", Ref(at));
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "get_s", Value.I32(2))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "get_s", Value.I32(3)))!.Reason, Is.EqualTo("out of bounds array access"));
        Assert.That(Call(s, m, "len")[0].AsI32, Is.EqualTo(3));
        Assert.That(Enumerable.Range(0, 4).Select(k => Call(s, m, "copy", Value.I32(k))[0].AsI32), Is.EqualTo(new[] { 1, 1, 2, 3 }));
    }

    [Test]
    public void CastsFollowDeclaredSubtyping()
    {
        var b = new ModuleBuilder();
        var a = b.Type(new StructType([new FieldType(Mut.Const, I32)]), final: false);
        var bb = b.Type(new StructType([new FieldType(Mut.Const, I32), new FieldType(Mut.Const, I32)]), false, a);
        b.Func(Sig([], [I32]), [C32(1), C32(2), new StructNew(bb), new RefTest(Ref(a, false))], "b_is_a");
        b.Func(Sig([], [I32]), [C32(1), new StructNew(a), new RefTest(Ref(bb, false))], "a_is_b");
        b.Func(Sig([], [I32]), [C32(1), new StructNew(a), new RefCast(Ref(bb, false)), Drop.I, C32(1)], "cast_a_to_b");
        b.Func(Sig([], [I32]), [C32(7), new RefI31(), new RefTest(RefType.EqRef)], "i31_is_eq");
        b.Func(Sig([], [I32]), [C32(7), new RefI31(), new RefTest(new RefType(false, HeapType.Struct))], "i31_is_struct");
        b.Func(Sig([], [I32]), [new RefNull(HeapType.Any), new RefTest(RefType.StructRef)], "null_is_nullable");
        b.Func(Sig([], [I32]), [
            Block(Res(RefType.AnyRef), C32(1), C32(2), new StructNew(bb), new BrOnCast(0, RefType.AnyRef, Ref(a)), Drop.I, C32(0), Return.I),
            Drop.I, C32(1)], "br_on_cast");
        b.Func(Sig([I32], [I32]), [Get(0), new RefI31(), new I31Get(Sx.S)], "i31_s");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "b_is_a")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "a_is_b")[0].AsI32, Is.EqualTo(0));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "cast_a_to_b"))!.Reason, Is.EqualTo("cast failure"));
        Assert.That(Call(s, m, "i31_is_eq")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "i31_is_struct")[0].AsI32, Is.EqualTo(0));
        Assert.That(Call(s, m, "null_is_nullable")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "br_on_cast")[0].AsI32, Is.EqualTo(1));
        Assert.That(Call(s, m, "i31_s", Value.I32(0x7fffffff))[0].AsI32, Is.EqualTo(-1));
    }

    [Test]
    public void StructurallyEqualTypesOfDifferentModulesAreTheSame()
    {
        ModuleBuilder Make()
        {
            var b = new ModuleBuilder();
            var pad = b.Type(Sig([], [])); // shifts the indices so that equality cannot be by index
            var st = b.Type(new StructType([new FieldType(Mut.Var, I32)]));
            b.Func(Sig([], [RefType.AnyRef]), [C32(3), new StructNew(st)], "make");
            b.Func(Sig([RefType.AnyRef], [I32]), [Get(0), new RefTest(Ref(st, false))], "test");
            return b;
        }
        var one = new ModuleBuilder();
        var st1 = one.Type(new StructType([new FieldType(Mut.Var, I32)]));
        one.Func(Sig([], [RefType.AnyRef]), [C32(3), new StructNew(st1)], "make");
        var s = new Store();
        var m1 = one.Instantiate(s);
        var m2 = Make().Instantiate(s);
        var v = Call(s, m1, "make")[0];
        Assert.That(Call(s, m2, "test", v)[0].AsI32, Is.EqualTo(1));
        var other = new ModuleBuilder();
        var st3 = other.Type(new StructType([new FieldType(Mut.Const, I32)]));
        other.Func(Sig([], [RefType.AnyRef]), [C32(3), new StructNew(st3)], "make");
        var m3 = other.Instantiate(s);
        Assert.That(Call(s, m2, "test", Call(s, m3, "make")[0])[0].AsI32, Is.EqualTo(0), "a const field is a different type");
    }

    [Test]
    public void ExternConversionsRoundTrip()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([RefType.ExternRef], [RefType.ExternRef]), [Get(0), new AnyConvertExtern(), new ExternConvertAny()], "roundtrip");
        b.Func(Sig([I32], [I32]), [Get(0), new RefI31(), new ExternConvertAny(), new AnyConvertExtern(), new RefCast(RefType.I31Ref), new I31Get(Sx.U)], "i31");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "roundtrip", Value.Reference(Embedding.ExternRef(9)))[0].Ref, Is.EqualTo(Embedding.ExternRef(9)));
        Assert.That(Call(s, m, "roundtrip", Value.Null)[0].IsNull, Is.True);
        Assert.That(Call(s, m, "i31", Value.I32(12345))[0].AsI32, Is.EqualTo(12345));
    }

    [Test]
    public void RecursiveTypesAreClosedForArgumentsAndFields()
    {
        var b = new ModuleBuilder();
        // rec { $list = struct (field i32) (field (ref null $list)) ; $f = func (ref null $list) -> i32 }
        var list = b.AddRec(
            SubType.Plain(new StructType([new FieldType(Mut.Const, I32), new FieldType(Mut.Const, new RefType(true, new TypeIdx(0)))])),
            SubType.Plain(Sig([new RefType(true, new TypeIdx(0))], [I32])));
        var sum = b.Func(list + 1, [
            Get(0), new RefIsNull(), If(Res(I32), [C32(0)], [
                Get(0), new StructGet(null, list, 0),
                Get(0), new StructGet(null, list, 1), new Call(0), Add32])], "sum");
        b.Func(Sig([], [new RefType(true, new TypeIdx(list))]), [
            C32(1), C32(2), new RefNull(new TypeIdx(list)), new StructNew(list), new StructNew(list)], "make");
        var s = new Store();
        var m = b.Instantiate(s);
        var l = Call(s, m, "make")[0];
        Assert.That(Call(s, m, "sum", l)[0].AsI32, Is.EqualTo(3));
        Assert.Throws<ArgumentException>(() => Call(s, m, "sum", Value.Reference(new I31Ref(1))));
    }

    [Test]
    public void HostReentryIsBounded()
    {
        var s = new Store();
        FuncInst? self = null;
        self = Embedding.AllocFunc(s, Sig([], []), _ => Embedding.Invoke(s, self!, []));
        var e = Assert.Throws<ExhaustionException>(() => Embedding.Invoke(s, self, []))!;
        Assert.That(e.Reason, Is.EqualTo("call stack exhausted"));
    }
}
