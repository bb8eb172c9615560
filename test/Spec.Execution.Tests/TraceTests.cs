using NUnit.Framework;
using Spec.Execution.Reduction;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

public class TraceTests
{
    static (Store, ModuleInstance, List<string>) Traced()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        b.Table(1);
        b.Func(Sig([], []), [Unreachable.I], "unreachable");
        b.Func(Sig([I32], [I32]), [C32(1), Get(0), new Binop(NumType.I32, BinOp.DivS)], "div");
        b.Func(Sig([I32], [I32]), [Get(0), new Load(NumType.I32, null, 0, new MemArg(2, 0))], "load");
        b.Func(Sig([I32], []), [Get(0), new Load(NumType.I32, new LoadOp(Sz.S8, Sx.U), 0, new MemArg(0, 0)), Drop.I], "load8");
        b.Func(Sig([I32], []), [Get(0), new CallIndirect(0, 0)], "call_indirect");
        var seen = new List<string>();
        var s = new Store(policy: new StorePolicy { Trace = seen.Add });
        return (s, b.Instantiate(s), seen);
    }

    [TestCase("unreachable", "Step_pure/unreachable")]
    [TestCase("div", "Step_pure/binop-trap", 0)]
    [TestCase("load", "Step_read/load-num-oob", 65535)]
    [TestCase("load8", "Step_read/load-pack-oob", 65536)]
    [TestCase("call_indirect", "Step_read/table.get-oob", 1)]
    [TestCase("call_indirect", "Step_read/call_ref-null", 0)]
    public void A_trap_reports_the_rule_that_produced_it(string name, string rule, params int[] args)
    {
        var (s, m, seen) = Traced();
        Assert.Throws<TrapException>(() => Call(s, m, name, args.Select(a => Value.I32(a)).ToArray()));
        // The rule that produced TRAP, then TRAP leaving the label and the frame, each a step.
        int at = seen.LastIndexOf(rule);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), string.Join(", ", seen));
        // load8 is followed by a drop, which TRAP sheds first.
        var unwinding = name == "load8" ? new[] { "Step_pure/trap-instrs", "Step_pure/trap-label", "Step_pure/trap-frame" }
            : new[] { "Step_pure/trap-label", "Step_pure/trap-frame" };
        Assert.That(seen.Skip(at + 1), Is.EqualTo(unwinding));
    }

    [Test]
    public void Without_a_trap_no_trap_rule_is_reported()
    {
        var (s, m, seen) = Traced();
        Assert.That(Call(s, m, "div", Value.I32(1))[0].AsI32, Is.EqualTo(1));
        Assert.That(seen, Has.None.EndsWith("-trap").And.None.EndsWith("-oob"));
    }

    [Test]
    public void Current_shows_the_values_and_the_next_instructions()
    {
        var (s, m, _) = Traced();
        var z = new Interpreter(s);
        z.Begin(((ExternVal.Func)m.Export("div")!).Inst, [Value.I32(7)]);
        Assert.That(z.Current(8, i => i.GetType().Name), Is.EqualTo("Const LocalGet Binop end end"));
        z.Step();
        Assert.That(z.Current(8, i => i.GetType().Name), Is.EqualTo("i32:1 i32:7 Binop end end"));
        Assert.That(z.Current(1, i => i.GetType().Name), Is.EqualTo(".. i32:7 Binop .."));
        z.Step();
        Assert.That(z.Current(8, i => i.GetType().Name), Is.EqualTo("i32:0 end end"));
    }
}
