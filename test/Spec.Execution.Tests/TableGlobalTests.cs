using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class TableGlobalTests
{
    [Test]
    public void TableGrowGetSetAndBounds()
    {
        var b = new ModuleBuilder();
        b.Table(2, 5, RefType.ExternRef, "t");
        b.Func(Sig([I32], [I32]), [new RefNull(HeapType.Extern), Get(0), new TableGrow(0)], "grow");
        b.Func(Sig([I32], [RefType.ExternRef]), [Get(0), new TableGet(0)], "get");
        b.Func(Sig([I32, RefType.ExternRef], []), [Get(0), Get(1), new TableSet(0)], "set");
        b.Func(Sig([], [I32]), [new TableSize(0)], "size");
        var s = new Store();
        var m = b.Instantiate(s);
        var r = Embedding.ExternRef(7);
        Call(s, m, "set", Value.I32(1), Value.Reference(r));
        Assert.That(Call(s, m, "get", Value.I32(1))[0].Ref, Is.EqualTo(Embedding.ExternRef(7)));
        Assert.That(Call(s, m, "get", Value.I32(0))[0].IsNull, Is.True);
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "get", Value.I32(2)))!.Reason, Is.EqualTo("out of bounds table access"));
        Assert.That(Call(s, m, "grow", Value.I32(3))[0].AsI32, Is.EqualTo(2));
        Assert.That(Call(s, m, "grow", Value.I32(1))[0].AsI32, Is.EqualTo(-1));
        Assert.That(Call(s, m, "size")[0].AsI32, Is.EqualTo(5));
        Assert.That(Call(s, m, "get", Value.I32(4))[0].IsNull, Is.True);
    }

    [Test]
    public void GlobalsInitialiseFromEarlierGlobalsAndCanBeSet()
    {
        var b = new ModuleBuilder();
        b.Import("env", "g", new GlobalExtern(new GlobalType(Mut.Const, I32)));
        b.Global(new GlobalType(Mut.Var, I32), [new GlobalGet(0), C32(10), Add32], "h");
        b.Func(Sig([], [I32]), [new GlobalGet(1), C32(1), Add32, new GlobalSet(1), new GlobalGet(1)], "inc");
        var s = new Store();
        var g = Embedding.AllocGlobal(s, new GlobalType(Mut.Const, I32), Value.I32(5));
        var m = b.Instantiate(s, new ExternVal.Global(g));
        var h = ((ExternVal.Global)m.Export("h")!).Inst;
        Assert.That(Embedding.GetGlobal(h).AsI32, Is.EqualTo(15));
        Assert.That(Call(s, m, "inc")[0].AsI32, Is.EqualTo(16));
        Embedding.SetGlobal(h, Value.I32(100));
        Assert.That(Call(s, m, "inc")[0].AsI32, Is.EqualTo(101));
        Assert.Throws<ArgumentException>(() => Embedding.SetGlobal(g, Value.I32(1)));
        Assert.Throws<ArgumentException>(() => Embedding.SetGlobal(h, Value.I64(1)));
    }

    [Test]
    public void ImportsAreMatchedByType()
    {
        var b = new ModuleBuilder();
        b.ImportFunc("env", "f", Sig([I32], [I32]));
        var s = new Store();
        var good = Embedding.AllocFunc(s, Sig([I32], [I32]), a => [a[0]]);
        var bad = Embedding.AllocFunc(s, Sig([I64], [I32]), a => [Value.I32(0)]);
        Assert.DoesNotThrow(() => b.Instantiate(s, new ExternVal.Func(good)));
        var e = Assert.Throws<LinkException>(() => b.Instantiate(s, new ExternVal.Func(bad)))!;
        Assert.That(e.Reason, Is.EqualTo("incompatible import type"));
        Assert.That(e.Phase, Is.EqualTo(Phase.Link));
        Assert.That(Assert.Throws<LinkException>(() => b.Instantiate(s, new ExternVal.Global(Embedding.AllocGlobal(s, new GlobalType(Mut.Const, I32), Value.I32(0)))))!.Reason,
            Is.EqualTo("incompatible import type"));
        Assert.That(Assert.Throws<LinkException>(() => Instantiation.Instantiate(s, b.Build(), (_, _) => null, Features.All))!.Reason, Is.EqualTo("unknown import"));
    }

    [Test]
    public void ImportedMemoryLimitsMustFit()
    {
        var b = new ModuleBuilder();
        b.Import("env", "m", new MemExtern(new MemType(AddrType.I32, new Limits(2, 4))));
        var s = new Store();
        Assert.Throws<LinkException>(() => b.Instantiate(s, new ExternVal.Mem(Embedding.AllocMem(s, new MemType(AddrType.I32, new Limits(1, 4))))));
        Assert.Throws<LinkException>(() => b.Instantiate(s, new ExternVal.Mem(Embedding.AllocMem(s, new MemType(AddrType.I32, new Limits(2, null))))));
        Assert.DoesNotThrow(() => b.Instantiate(s, new ExternVal.Mem(Embedding.AllocMem(s, new MemType(AddrType.I32, new Limits(3, 3))))));
    }

    [Test]
    public void HostFunctionsAreCalledAndTheirFailuresAreTyped()
    {
        var b = new ModuleBuilder();
        var f = b.ImportFunc("env", "twice", Sig([I32], [I32]));
        b.Func(Sig([I32], [I32]), [Get(0), new Call(f), C32(1), Add32], "g");
        var s = new Store();
        var twice = Embedding.AllocFunc(s, Sig([I32], [I32]), a => a[0].AsI32 < 0 ? throw new InvalidOperationException("negative") : [Value.I32(a[0].AsI32 * 2)]);
        var m = b.Instantiate(s, new ExternVal.Func(twice));
        Assert.That(Call(s, m, "g", Value.I32(20))[0].AsI32, Is.EqualTo(41));
        var e = Assert.Throws<HostException>(() => Call(s, m, "g", Value.I32(-1)))!;
        Assert.That(e.InnerException, Is.InstanceOf<InvalidOperationException>());
        Assert.That(Embedding.Invoke(s, twice, [Value.I32(4)])[0].AsI32, Is.EqualTo(8));
    }

    [Test]
    public void StartFunctionRunsAtInstantiationAndElemSegmentsPrecedeData()
    {
        var b = new ModuleBuilder();
        b.Global(new GlobalType(Mut.Var, I32), [C32(1)], "g");
        var st = b.Func(Sig([], []), [new GlobalGet(0), C32(10), new Binop(NumType.I32, BinOp.Mul), new GlobalSet(0)]);
        b.SetStart(st);
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(((ExternVal.Global)m.Export("g")!).Inst.Value.AsI32, Is.EqualTo(10));
    }

    [Test]
    public void ElemSegmentOutOfBoundsTrapsAtInstantiation()
    {
        var b = new ModuleBuilder();
        var f = b.Func(Sig([], []), []);
        b.Table(2);
        b.ActiveElem(0, 1, f, f);
        var s = new Store();
        var e = Assert.Throws<TrapException>(() => b.Instantiate(s))!;
        Assert.That(e.Reason, Is.EqualTo("out of bounds table access"));
    }
}
