using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class VectorBulkTests
{
    static readonly MemArg A = new(0, 0);

    [Test]
    public void VectorArithmeticLoadsAndLanes()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        b.ActiveData(0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0);
        var v = ValType.V128;
        // (v128.load 0) + splat(10), then lane k
        b.Func(Sig([I32], [I32]), [
            C32(0), new VLoad(VecType.V128, null, 0, A), C32(10), new VSplat(Shape.I32x4), new VBinop(Shape.I32x4, VBinOp.Add),
            Set(1), C32(0), Get(1), new VStore(VecType.V128, 0, new MemArg(0, 16)),
            C32(16), Get(0), C32(4), new Binop(NumType.I32, BinOp.Mul), Add32, new Load(NumType.I32, null, 0, A)], "lane", v);
        b.Func(Sig([], [I32]), [
            new VConst(new V128(0x0000_0002_0000_0001UL, 0)), new VExtractLane(Shape.I32x4, null, 1)], "extract");
        b.Func(Sig([], [I32]), [C32(4), new VLoad(VecType.V128, new VLoadSplat(Sz.S32), 0, A), new VBitmask(Shape.I8x16)], "bitmask");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Enumerable.Range(0, 4).Select(k => Call(s, m, "lane", Value.I32(k))[0].AsI32), Is.EqualTo(new[] { 11, 12, 13, 14 }));
        Assert.That(Call(s, m, "extract")[0].AsI32, Is.EqualTo(2));
        Assert.That(Call(s, m, "bitmask")[0].AsI32, Is.EqualTo(0));
    }

    [Test]
    public void PassiveSegmentsInitAndDrop()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        b.PassiveData(5, 6, 7);
        var t = b.Type(Sig([], [I32]));
        var f1 = b.Func(t, [C32(1)]);
        var f2 = b.Func(t, [C32(2)]);
        b.Table(4);
        b.DeclareElem(f1);
        var passive = new Elem(RefType.FuncRef, [new Expr([new RefFunc(f1)]), new Expr([new RefFunc(f2)])], ElemPassive.I);
        b.Func(Sig([I32], [I32]), [
            C32(10), C32(1), C32(2), new MemoryInit(0, 0),
            C32(10), Get(0), Add32, new Load(NumType.I32, new LoadOp(Sz.S8, Sx.U), 0, A)], "mem");
        b.Func(Sig([], []), [new DataDrop(0)], "drop");
        b.Func(Sig([I32], [I32]), [C32(2), C32(0), C32(2), new TableInit(0, 1), Get(0), new CallIndirect(0, t)], "table");
        b.Func(Sig([], []), [new ElemDrop(1)], "edrop");
        var module = b.Build();
        module = module with { Elems = module.Elems.Add(passive) };
        var s = new Store();
        var m = Instantiation.Instantiate(s, module, [], Features.All);
        Assert.That(Call(s, m, "mem", Value.I32(1))[0].AsI32, Is.EqualTo(7));
        Call(s, m, "drop");
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "mem", Value.I32(0)))!.Reason, Is.EqualTo("out of bounds memory access"));
        Assert.That(Call(s, m, "table", Value.I32(3))[0].AsI32, Is.EqualTo(2));
        Call(s, m, "edrop");
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "table", Value.I32(3)))!.Reason, Is.EqualTo("out of bounds table access"));
    }

    [Test]
    public void ReturnCallRefAndIndirectReuseTheFrame()
    {
        var b = new ModuleBuilder();
        var t = b.Type(Sig([I32], [I32]));
        // down(n) = n == 0 ? 7 : return_call_ref down (n - 1); via(n) likewise through the table
        var down = b.Func(t, [Get(0), Eqz32, If(Res(), [C32(7), Return.I]),
            Get(0), C32(1), Sub32, new RefFunc(0), new ReturnCallRef(t)], "down");
        b.Table(1);
        b.ActiveElem(0, 0, down);
        b.Func(t, [Get(0), Eqz32, If(Res(), [C32(8), Return.I]),
            Get(0), C32(1), Sub32, C32(0), new ReturnCallIndirect(0, t)], "via");
        b.DeclareElem(down);
        var s = new Store(policy: new StorePolicy { MaxCallDepth = 4 });
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "down", Value.I32(100_000))[0].AsI32, Is.EqualTo(7));
        Assert.That(Call(s, m, "via", Value.I32(10))[0].AsI32, Is.EqualTo(7));
    }
}
