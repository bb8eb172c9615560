using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class ExceptionTests
{
    static (Store, ModuleInstance) Module()
    {
        var b = new ModuleBuilder();
        var e = b.Tag(Sig([I32], []), "e");
        var other = b.Tag(Sig([], []));
        var thrower = b.Func(Sig([I32], []), [Get(0), new Throw(e)], "throw");
        var deep = b.Func(Sig([I32], []), [Get(0), new Call(thrower)]);
        // catch: block (result i32) try_table (catch e 0) call deep end unreachable end
        b.Func(Sig([I32], [I32]), [
            Block(Res(I32), new TryTable(Res(), [new CatchTag(e, 0)], [Get(0), new Call(deep)]), Unreachable.I)], "catch");
        // a handler for another tag lets it pass; catch_all_ref then throw_ref rethrows outwards
        b.Func(Sig([I32], [I32]), [
            Block(Res(I32),
                new TryTable(Res(), [new CatchTag(e, 0)], [
                    Block(Res(RefType.ExnRef),
                        new TryTable(Res(), [new CatchTag(other, 1), new CatchAllRef(0)], [Get(0), new Call(thrower)]),
                        Unreachable.I),
                    ThrowRef.I]),
                Unreachable.I)], "rethrow");
        b.Func(Sig([I32], []), [Get(0), new Call(thrower)], "uncaught");
        // legacy: try (result i32) call throw catch e (+1) end; with rethrow from the catch into an outer try
        b.Func(Sig([I32], [I32]), [
            new LegacyTry(Res(I32), [Get(0), new Call(thrower), C32(0)], [new LegacyCatch(e, [C32(1), Add32])], null)], "legacy");
        b.Func(Sig([I32], [I32]), [
            new LegacyTry(Res(I32), [
                new LegacyTry(Res(I32), [Get(0), new Call(thrower), C32(0)], [new LegacyCatch(e, [Drop.I, new LegacyRethrow(0)])], null)],
                [new LegacyCatch(e, [C32(2), Add32])], null)], "legacy_rethrow");
        b.Func(Sig([I32], [I32]), [
            new LegacyTry(Res(I32), [
                new LegacyTryDelegate(Res(I32), [Get(0), new Call(thrower), C32(0)], 0)],
                [], [C32(77)])], "legacy_delegate");
        b.Func(Sig([], [I32]), [
            new LegacyTry(Res(I32), [C32(5)], [], [C32(6)])], "legacy_no_throw");
        var s = new Store();
        return (s, b.Instantiate(s));
    }

    [Test]
    public void TryTableCatchesAcrossFrames()
    {
        var (s, m) = Module();
        Assert.That(Call(s, m, "catch", Value.I32(42))[0].AsI32, Is.EqualTo(42));
    }

    [Test]
    public void CatchAllRefAndThrowRefRethrow()
    {
        var (s, m) = Module();
        Assert.That(Call(s, m, "rethrow", Value.I32(9))[0].AsI32, Is.EqualTo(9));
    }

    [Test]
    public void UncaughtExceptionReachesTheHostTyped()
    {
        var (s, m) = Module();
        var e = Assert.Throws<UncaughtWasmException>(() => Call(s, m, "uncaught", Value.I32(5)))!;
        Assert.That(e.Exception.Tag, Is.SameAs(((ExternVal.Tag)m.Export("e")!).Inst));
        Assert.That(e.Exception.Fields.Single().AsI32, Is.EqualTo(5));
    }

    [Test]
    public void LegacyTryCatchRethrowDelegate()
    {
        var (s, m) = Module();
        Assert.That(Call(s, m, "legacy", Value.I32(10))[0].AsI32, Is.EqualTo(11));
        Assert.That(Call(s, m, "legacy_rethrow", Value.I32(10))[0].AsI32, Is.EqualTo(12));
        Assert.That(Call(s, m, "legacy_delegate", Value.I32(10))[0].AsI32, Is.EqualTo(77));
        Assert.That(Call(s, m, "legacy_no_throw")[0].AsI32, Is.EqualTo(5));
    }

    [Test]
    public void HostCanThrowIntoWasmByReinvoking()
    {
        var (s, m) = Module();
        var thrower = ((ExternVal.Func)m.Export("throw")!).Inst;
        var b = new ModuleBuilder();
        var t = b.Type(Sig([I32], []));
        b.Import("m", "e", new TagExtern(new TypeIdx(t)));
        var host = b.ImportFunc("host", "f", Sig([I32], []));
        b.Func(Sig([I32], [I32]), [Block(Res(I32), new TryTable(Res(), [new CatchTag(0, 0)], [Get(0), new Call(host)]), C32(-1))], "run");
        var f = Embedding.AllocFunc(s, Sig([I32], []), a => Embedding.Invoke(s, thrower, a));
        var m2 = b.Instantiate(s, m.Export("e")!, new ExternVal.Func(f));
        Assert.That(Call(s, m2, "run", Value.I32(3))[0].AsI32, Is.EqualTo(3));
    }

    [Test]
    public void HostFunctionInvokedDirectlyMayLetAnExceptionEscape()
    {
        var (s, m) = Module();
        var thrower = ((ExternVal.Func)m.Export("throw")!).Inst;
        var host = Embedding.AllocFunc(s, Sig([I32], []), a => Embedding.Invoke(s, thrower, a));
        var e = Assert.Throws<UncaughtWasmException>(() => Embedding.Invoke(s, host, [Value.I32(8)]))!;
        Assert.That(e.Exception.Fields.Single().AsI32, Is.EqualTo(8));
    }
}
