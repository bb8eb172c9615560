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
        // the context rules reported with every step are implicit: the rules here are the steps themselves
        var s = new Store(policy: new StorePolicy { Trace = r => { if (!r.StartsWith("Step/ctxt-")) seen.Add(r); } });
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
        // load8 is followed by a drop, which TRAP sheds first; table.get-oob by what call_indirect reduced to.
        var unwinding = name == "load8" || rule == "Step_read/table.get-oob" ? new[] { "Step_pure/trap-instrs", "Step_pure/trap-label", "Step_pure/trap-frame" }
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

    sealed class Names : INotation
    {
        public string Value(Value v) => v.Ref is FuncInst ? "f" : v.ToString();
        public string Instr(Instr i) => i.GetType().Name;
        public string Head(Instr i) => i.GetType().Name;
    }

    [Test]
    public void The_configuration_shows_frames_labels_values_and_the_next_instructions()
    {
        var (s, m, _) = Traced();
        var z = new Interpreter(s);
        z.Begin(((ExternVal.Func)m.Export("div")!).Inst, [Value.I32(7)]);
        Assert.That(z.Configuration(new Names(), 100), Is.EqualTo("i32:7 f (CALL_REF)"));
        Assert.That(z.Step(), Is.EqualTo("Step_read/call_ref-func"));
        Assert.That(z.Configuration(new Names(), 100), Is.EqualTo("(FRAME_1{i32:7} (LABEL_1{} Const LocalGet Binop))"));
        z.Step();
        Assert.That(z.Configuration(new Names(), 100), Is.EqualTo("(FRAME_1{i32:7} (LABEL_1{} i32:1 i32:7 Binop))"));
        // elided in the middle, never at the redex
        Assert.That(z.Configuration(new Names(), 4), Is.EqualTo("(FRAME_1{i32:7} … i32:7 Binop) …"));
        z.Step();
        Assert.That(z.Configuration(new Names(), 100), Is.EqualTo("(FRAME_1{i32:7} (LABEL_1{} i32:0))"));
    }

    [Test]
    public void Splitting_steps_changes_no_fuel_count_and_no_result()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        var st = b.Type(new StructType([new FieldType(Mut.Var, new PackedType(PackType.I8)), new FieldType(Mut.Const, I64)]));
        var at = b.Type(new ArrayType(new FieldType(Mut.Var, new PackedType(PackType.I16))));
        b.Func(Sig([I32], [I32]), [Get(0), Tee(0), Tee(0), C32(1), Add32], "tee");
        b.Func(Sig([I32], [I32]), [C32(9), Get(0), new ArrayNew(at), C32(1), new ArrayGet(Sx.U, at)], "array_new");
        b.Func(Sig([I32], [I32]), [Get(0), new ArrayNewDefault(at), new ArrayLen()], "array_new_default");
        b.Func(Sig([I32], [I32]), [
            Get(0), new ArrayNewDefault(at), Set(1),
            Get(1), C32(0), C32(5), Get(0), new ArrayFill(at),
            Get(1), C32(1), Get(1), C32(0), Get(0), C32(1), Sub32, new ArrayCopy(at, at),
            Get(1), Get(0), C32(1), Sub32, new ArrayGet(Sx.U, at)], "array_bulk", new RefType(true, new TypeIdx(at)));
        b.Func(Sig([I32], [I64]), [new StructNewDefault(st), new StructGet(null, st, 1)], "struct_default");
        b.Func(Sig([I32], [I32]), [
            C32(0), C32(7), Get(0), new MemoryFill(0),
            C32(3), C32(0), Get(0), new MemoryCopy(0, 0),
            C32(0), C32(1), Get(0), new MemoryCopy(0, 0),
            C32(4), new Load(NumType.I32, null, 0, new MemArg(0, 0))], "memory_bulk");
        long Cost(bool observed, string name, int arg, out int result)
        {
            var s = new Store(policy: observed ? new StorePolicy { Trace = _ => { }, ExactSteps = true } : null);
            var m = b.Instantiate(s);
            s.Fuel = 1_000_000;
            var r = Call(s, m, name, Value.I32(arg));
            result = (int)r[0].Bits;
            return 1_000_000 - s.Fuel!.Value;
        }
        foreach (var name in new[] { "tee", "array_new", "array_new_default", "array_bulk", "struct_default", "memory_bulk" })
        {
            var unobserved = Cost(false, name, 6, out var r1);
            var exact = Cost(true, name, 6, out var r2);
            Assert.That((exact, r2), Is.EqualTo((unobserved, r1)), name);
        }
    }
}
