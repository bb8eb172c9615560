using NUnit.Framework;
using Spec.Execution.Reduction;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class ControlTests
{
    [Test]
    public void Add()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([I32, I32], [I32]), [Get(0), Get(1), Add32], "add");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "add", Value.I32(40), Value.I32(2))[0].AsI32, Is.EqualTo(42));
        Assert.That(Call(s, m, "add", Value.I32(-1), Value.I32(1))[0].AsI32, Is.EqualTo(0));
    }

    static (Store, ModuleInstance) Factorials(Action<string>? trace = null)
    {
        var b = new ModuleBuilder();
        var sig = Sig([I64], [I64]);
        // fac-rec: if n == 0 then 1 else n * fac(n - 1)
        b.Func(sig, [Get(0), Eqz64, If(Res(I64), [C64(1)], [Get(0), Get(0), C64(1), Sub64, new Call(0), Mul64])], "fac-rec");
        // fac-iter: acc = 1; loop { if n == 0 break; acc *= n; n-- }
        b.Func(sig, [
            C64(1), Set(1),
            Block(Res(), Loop(Res(),
                Get(0), Eqz64, new BrIf(1),
                Get(1), Get(0), Mul64, Set(1),
                Get(0), C64(1), Sub64, Set(0),
                new Br(0))),
            Get(1)], "fac-iter", I64);
        var s = new Store(policy: new StorePolicy { Trace = trace });
        return (s, b.Instantiate(s));
    }

    [TestCase(0, 1L)]
    [TestCase(5, 120L)]
    [TestCase(20, 2432902008176640000L)]
    public void Factorial(long n, long expected)
    {
        var (s, m) = Factorials();
        Assert.That(Call(s, m, "fac-rec", Value.I64(n))[0].AsI64, Is.EqualTo(expected));
        Assert.That(Call(s, m, "fac-iter", Value.I64(n))[0].AsI64, Is.EqualTo(expected));
    }

    [TestCase(0, 100)]
    [TestCase(1, 101)]
    [TestCase(2, 102)]
    [TestCase(3, 103)]
    [TestCase(-1, 103)]
    [TestCase(99, 103)]
    public void BrTable(int k, int expected)
    {
        var b = new ModuleBuilder();
        b.Func(Sig([I32], [I32]), [
            Block(Res(), Block(Res(), Block(Res(), Block(Res(), Get(0), new BrTable([0, 1, 2], 3)),
                C32(100), new Return()), C32(101), new Return()), C32(102), new Return()),
            C32(103)], "f");
        var s = new Store();
        Assert.That(Call(s, b.Instantiate(s), "f", Value.I32(k))[0].AsI32, Is.EqualTo(expected));
    }

    [Test]
    public void BlockWithParametersAndLoopBranchCarryValues()
    {
        var b = new ModuleBuilder();
        var pair = b.Type(Sig([I32], [I32]));
        // sum 1..n with the running sum as the loop's parameter
        b.Func(Sig([I32], [I32]), [
            C32(0),
            Loop(new IdxBlockType(pair),
                Get(0), Add32,
                Get(0), C32(1), Sub32, Tee(0),
                new BrIf(0))], "sum");
        var s = new Store();
        Assert.That(Call(s, b.Instantiate(s), "sum", Value.I32(100))[0].AsI32, Is.EqualTo(5050));
    }

    [Test]
    public void SelectPicksByCondition()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([I32], [I32]), [C32(10), C32(20), Get(0), new Select(null)], "sel");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "sel", Value.I32(1))[0].AsI32, Is.EqualTo(10));
        Assert.That(Call(s, m, "sel", Value.I32(0))[0].AsI32, Is.EqualTo(20));
    }

    [Test]
    public void RunawayRecursionIsExhaustionNotACrash()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [new Call(0)], "runaway");
        b.Func(Sig([I32], [I32]), [Get(0), Eqz32, If(Res(I32), [C32(0)], [Get(0), C32(1), Sub32, new Call(1), C32(1), Add32])], "depth");
        var s = new Store();
        var m = b.Instantiate(s);
        var e = Assert.Throws<ExhaustionException>(() => Call(s, m, "runaway"))!;
        Assert.That(e.Reason, Is.EqualTo("call stack exhausted"));
        Assert.That(e.Phase, Is.EqualTo(Phase.Execute));
        var deep = Assert.Throws<ExhaustionException>(() => Call(s, m, "depth", Value.I32(1_000_000)))!;
        Assert.That(deep.Reason, Is.EqualTo("call stack exhausted"));
        // Recursion within the budget still works, and the store is usable after the exhaustion.
        Assert.That(Call(s, m, "depth", Value.I32(50_000))[0].AsI32, Is.EqualTo(50_000));
    }

    [Test]
    public void CallDepthBudgetIsConfigurable()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([I32], [I32]), [Get(0), Eqz32, If(Res(I32), [C32(0)], [Get(0), C32(1), Sub32, new Call(0), C32(1), Add32])], "depth");
        var s = new Store(policy: new StorePolicy { MaxCallDepth = 100 });
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "depth", Value.I32(98))[0].AsI32, Is.EqualTo(98));
        Assert.Throws<ExhaustionException>(() => Call(s, m, "depth", Value.I32(100)));
    }

    [Test]
    public void TailCallsRunInConstantFrameSpace()
    {
        var b = new ModuleBuilder();
        // count(n, acc) = n == 0 ? acc : return_call count(n - 1, acc + 1)
        b.Func(Sig([I32, I32], [I32]), [
            Get(0), Eqz32, If(Res(), [Get(1), new Return()]),
            Get(0), C32(1), Sub32, Get(1), C32(1), Add32, new ReturnCall(0)], "count");
        b.Func(Sig([I32], [I32]), [Get(0), C32(0), new Call(0)], "via-call");
        var s = new Store(policy: new StorePolicy { MaxCallDepth = 10 });
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "count", Value.I32(1_000_000), Value.I32(0))[0].AsI32, Is.EqualTo(1_000_000));
        Assert.That(Call(s, m, "via-call", Value.I32(100_000))[0].AsI32, Is.EqualTo(100_000));
    }

    [Test]
    public void FuelStopsAnInfiniteLoop()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [Loop(Res(), new Br(0))], "spin");
        var s = new Store { Fuel = 10_000 };
        var e = Assert.Throws<ExhaustionException>(() => Call(s, b.Instantiate(s), "spin"))!;
        Assert.That(e.Reason, Is.EqualTo("fuel exhausted"));
    }

    [TestCase("unreachable")]
    [TestCase("integer divide by zero")]
    [TestCase("integer overflow")]
    [TestCase("invalid conversion to integer")]
    public void TrapsCarryTheTestsuiteMessage(string reason)
    {
        var b = new ModuleBuilder();
        Instr[] body = reason switch
        {
            "unreachable" => [Unreachable.I],
            "integer divide by zero" => [C32(1), C32(0), new Binop(NumType.I32, BinOp.DivU), Drop.I],
            "integer overflow" => [C32(int.MinValue), C32(-1), new Binop(NumType.I32, BinOp.DivS), Drop.I],
            _ => [Const.F32(float.NaN), new Cvtop(NumType.I32, NumType.F32, CvtOp.TruncS), Drop.I],
        };
        b.Func(Sig([], []), body, "f");
        var s = new Store();
        var e = Assert.Throws<TrapException>(() => Call(s, b.Instantiate(s), "f"))!;
        Assert.That(e.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void StepReportsTheRuleItApplies()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], [I32]), [Block(Res(I32), C32(7), C32(1), new BrIf(0), Drop.I, C32(8))], "f");
        var s = new Store();
        var m = b.Instantiate(s);
        var z = new Interpreter(s);
        z.Begin(((ExternVal.Func)m.Export("f")!).Inst, []);
        var rules = new List<string>();
        var shown = new List<string>();
        while (!z.Done) { shown.Add(z.ToString()); rules.Add(z.Step()); }
        Assert.That(shown[2], Does.StartWith("(FRAME_1{} (LABEL_1{} (LABEL_1{} Const"));
        // br-label-zero's left-hand side: LABEL_n{instr'*} val'* val^n (BR l) instr*, the block's rest after BR
        Assert.That(shown[3], Is.EqualTo("(FRAME_1{} (LABEL_1{} (LABEL_1{} i32:7 (BR 0) Drop Const 8)))"));
        Assert.Throws<InvalidOperationException>(() => z.Step());
        Assert.That(rules, Is.EqualTo(new[]
        {
            "Step_read/call_ref-func", "Step_read/block", "Step_pure/br_if-true", "Step_pure/br-label-zero", "Step_pure/label-vals", "Step_pure/frame-vals",
        }));
        Assert.That(z.Results.Single().AsI32, Is.EqualTo(7));
        Assert.That(z.Steps, Is.EqualTo(6));
    }

    [Test]
    public void CallIndirectChecksTypesAndElements()
    {
        var b = new ModuleBuilder();
        var unary = b.Type(Sig([I32], [I32]));
        var nullary = b.Type(Sig([], [I32]));
        var inc = b.Func(unary, [Get(0), C32(1), Add32]);
        var seven = b.Func(nullary, [C32(7)]);
        b.Table(4);
        b.ActiveElem(0, 0, inc, seven);
        b.Func(Sig([I32, I32], [I32]), [Get(0), Get(1), new CallIndirect(0, unary)], "call");
        var s = new Store();
        var m = b.Instantiate(s);
        Assert.That(Call(s, m, "call", Value.I32(41), Value.I32(0))[0].AsI32, Is.EqualTo(42));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "call", Value.I32(0), Value.I32(1)))!.Reason, Is.EqualTo("indirect call type mismatch"));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "call", Value.I32(0), Value.I32(2)))!.Reason, Is.EqualTo("uninitialized element 2"));
        Assert.That(Assert.Throws<TrapException>(() => Call(s, m, "call", Value.I32(0), Value.I32(4)))!.Reason, Is.EqualTo("undefined element"));
    }

    [Test]
    public void CallRefOfNullTraps()
    {
        var b = new ModuleBuilder();
        var t = b.Type(Sig([], []));
        b.Func(Sig([], []), [new RefNull(new TypeIdx(t)), new CallRef(t)], "f");
        var s = new Store();
        Assert.That(Assert.Throws<TrapException>(() => Call(s, b.Instantiate(s), "f"))!.Reason, Is.EqualTo("null function reference"));
    }

    [Test]
    public void DeeplyNestedBlocksNeedNoHostStack()
    {
        Instr body = new Br(99_999);
        for (int k = 0; k < 100_000; k++) body = Block(Res(), body);
        var b = new ModuleBuilder();
        b.Func(Sig([], [I32]), [body, C32(5)], "f");
        var s = new Store();
        var z = new Interpreter(s);
        z.Begin(((ExternVal.Func)b.Instantiate(s).Export("f")!).Inst, []);
        var rules = new Dictionary<string, int>();
        while (!z.Done) { var r = z.Step(); rules[r] = rules.GetValueOrDefault(r) + 1; }
        Assert.That(z.Results.Single().AsI32, Is.EqualTo(5));
        Assert.That(rules["Step_read/block"], Is.EqualTo(100_000));
        Assert.That(rules["Step_pure/br-label-succ"], Is.EqualTo(99_999));
        Assert.That(rules["Step_pure/br-label-zero"], Is.EqualTo(1));
    }

    [Test]
    public void ManyLocalsInDeepRecursionExhaustRatherThanExhaustMemory()
    {
        var b = new ModuleBuilder();
        b.Func(Sig([], []), [new Call(0)], "f", Enumerable.Repeat<ValType>(I64, 5000).ToArray());
        var s = new Store(policy: new StorePolicy { MaxCallDepth = 1_000_000 });
        var e = Assert.Throws<ExhaustionException>(() => Call(s, b.Instantiate(s), "f"))!;
        Assert.That(e.Reason, Is.EqualTo("call stack exhausted"));
    }

    [Test]
    public void TraceSeesEveryRuleOfARun()
    {
        var seen = new List<string>();
        var (s, m) = Factorials(seen.Add);
        Assert.That(Call(s, m, "fac-rec", Value.I64(3))[0].AsI64, Is.EqualTo(6));
        Assert.That(seen.Count(r => r == "Step_read/call"), Is.EqualTo(3));
        Assert.That(seen.Count(r => r == "Step_pure/frame-vals"), Is.EqualTo(4));
        Assert.That(seen, Does.Contain("Step_pure/if-true").And.Contain("Step_pure/if-false").And.Contain("Step_pure/binop-val"));
    }
}
