using NUnit.Framework;
using Spec.Execution.Reduction;
using Spec.Syntax;
using static Spec.Execution.Tests.I;
using static Spec.Execution.Tests.ModuleBuilder;

namespace Spec.Execution.Tests;

/// <summary>Instructions that reduce to other instructions take one step per rule, as the spec writes them.</summary>
public class ReductionStepsTests
{
    static (List<string> Rules, List<string> Shown, Value[] Results) Steps(ModuleBuilder b, string name, params Value[] args)
    {
        var s = new Store();
        var m = b.Instantiate(s);
        var z = new Interpreter(s);
        z.Begin(((ExternVal.Func)m.Export(name)!).Inst, args);
        // the invocation's configuration val* (REF.FUNC_ADDR a) (CALL_REF yy) first enters the frame
        Assert.That(z.Step(), Is.EqualTo("Step_read/call_ref-func"));
        var rules = new List<string>();
        var shown = new List<string>();
        while (!z.Done) { rules.Add(z.Step()); shown.Add(z.ToString()); }
        return (rules, shown, z.Results.ToArray());
    }

    [TestCase(1, "Step_pure/if-true", 10)]
    [TestCase(0, "Step_pure/if-false", 20)]
    public void If_becomes_a_block_which_is_then_entered(int c, string rule, int result)
    {
        var b = new ModuleBuilder();
        b.Func(Sig([I32], [I32]), [Get(0), If(Res(I32), [C32(10)], [C32(20)])], "f");
        var (rules, shown, results) = Steps(b, "f", Value.I32(c));
        Assert.That(rules.Take(3), Is.EqualTo(new[] { "Step_read/local.get", rule, "Step_read/block" }));
        // the chosen branch only, as BLOCK bt instr*
        Assert.That(shown[1], Does.EndWith($"(LABEL_1{{}} BLOCK(Const {(c != 0 ? 10 : 20)})))"));
        Assert.That(results.Single().AsI32, Is.EqualTo(result));
    }

    [Test]
    public void Call_becomes_call_ref_of_the_function_which_then_enters_its_frame()
    {
        var b = new ModuleBuilder();
        var callee = b.Func(Sig([I32], [I32]), [Get(0)]);
        b.Func(Sig([], [I32]), [C32(5), new Call((uint)callee)], "f");
        var (rules, shown, results) = Steps(b, "f");
        Assert.That(rules, Is.EqualTo(new[]
        {
            "Step_read/call", "Step_read/call_ref-func", "Step_read/local.get",
            "Step_pure/label-vals", "Step_pure/frame-vals", "Step_pure/label-vals", "Step_pure/frame-vals",
        }));
        Assert.That(shown[0], Does.Match(@"i32:5 ref\S* \(CALL_REF\)\)\)$"));
        Assert.That(results.Single().AsI32, Is.EqualTo(5));
    }

    [Test]
    public void Call_indirect_becomes_table_get_ref_cast_and_call_ref()
    {
        var b = new ModuleBuilder();
        var t = b.Type(Sig([], [I32]));
        var seven = b.Func(t, [C32(7)]);
        b.Table(2);
        b.ActiveElem(0, 0, seven);
        b.Func(Sig([I32], [I32]), [Get(0), new CallIndirect(0, (uint)t)], "f");
        var (rules, shown, _) = Steps(b, "f", Value.I32(0));
        Assert.That(rules.Take(5), Is.EqualTo(new[]
        {
            "Step_read/local.get", "Step_pure/call_indirect", "Step_read/table.get-val", "Step_read/ref.cast-succeed",
            "Step_read/call_ref-func",
        }));
        Assert.That(shown[1], Does.EndWith($"i32:0 (TABLE.GET 0) (REF.CAST (REF NULL {t})) (CALL_REF {t})))"));
        Assert.That(shown[2], Does.EndWith($"ref.func (REF.CAST (REF NULL {t})) (CALL_REF {t})))"));
        Assert.That(shown[3], Does.EndWith("ref.func (CALL_REF)))"));

        var s = new Store();
        var m = b.Instantiate(s);
        var e = Assert.Throws<TrapException>(() => Embedding.Invoke(s, ((ExternVal.Func)m.Export("f")!).Inst, [Value.I32(1)]))!;
        Assert.That(e.Reason, Is.EqualTo("uninitialized element 1"));
    }

    [Test]
    public void A_tail_call_leaves_each_label_then_the_frame_then_calls()
    {
        var b = new ModuleBuilder();
        var callee = b.Func(Sig([I32], [I32]), [Get(0)]);
        b.Func(Sig([], [I32]), [Block(Res(I32), C32(3), new ReturnCall((uint)callee))], "f");
        var (rules, _, results) = Steps(b, "f");
        Assert.That(rules.Take(5), Is.EqualTo(new[]
        {
            "Step_read/block", "Step_read/return_call", "Step_read/return_call_ref-label", "Step_read/return_call_ref-label",
            "Step_read/return_call_ref-frame-addr",
        }));
        Assert.That(rules[5], Is.EqualTo("Step_read/call_ref-func"));
        Assert.That(results.Single().AsI32, Is.EqualTo(3));
    }

    [Test]
    public void A_tail_call_of_null_traps_at_the_frame()
    {
        var b = new ModuleBuilder();
        var t = b.Type(Sig([], []));
        b.Func(Sig([], []), [new RefNull(new TypeIdx((uint)t)), new ReturnCallRef((uint)t)], "f");
        var seen = new List<string>();
        var s = new Store(policy: new StorePolicy { Trace = r => { if (!r.StartsWith("Step/ctxt-")) seen.Add(r); } });
        var m = b.Instantiate(s);
        var e = Assert.Throws<TrapException>(() => Embedding.Invoke(s, ((ExternVal.Func)m.Export("f")!).Inst, []))!;
        Assert.That(e.Reason, Is.EqualTo("null function reference"));
        Assert.That(seen, Is.EqualTo(new[] { "Step_read/call_ref-func", "Step_read/ref.null", "Step_read/return_call_ref-label", "Step_read/return_call_ref-frame-null" }));
    }

    [Test]
    public void A_thrown_exception_sheds_its_company_then_leaves_each_context_by_its_own_rule()
    {
        var b = new ModuleBuilder();
        var e = b.Tag(Sig([I32], []));
        var other = b.Tag(Sig([I32], []));
        b.Func(Sig([], [I32]),
        [
            Block(Res(I32),
                new TryTable(Res(), [new CatchTag(other, 0), new CatchTag(e, 0)],
                    [C32(7), C32(5), new Throw(e), Nop.I]),
                C32(0)),
        ], "f");
        var (rules, _, results) = Steps(b, "f");
        Assert.That(rules, Is.EqualTo(new[]
        {
            "Step_read/block", "Step_read/try_table", "Step/throw", "Step_read/throw_ref-instrs", "Step_read/throw_ref-label",
            "Step_read/throw_ref-handler-next", "Step_read/throw_ref-handler-catch", "Step_pure/br-label-zero",
            "Step_pure/label-vals", "Step_pure/frame-vals",
        }));
        Assert.That(results.Single().AsI32, Is.EqualTo(5));
    }

    [Test]
    public void A_bare_throw_needs_no_shedding_and_an_uncaught_one_leaves_the_frame()
    {
        var b = new ModuleBuilder();
        var e = b.Tag(Sig([], []));
        var thrower = b.Func(Sig([], []), [new Throw(e)]);
        b.Func(Sig([], []), [new TryTable(Res(), [new CatchAll(0)], [new Call((uint)thrower)])], "f");
        var (rules, _, _) = Steps(b, "f");
        Assert.That(rules, Is.EqualTo(new[]
        {
            "Step_read/try_table", "Step_read/call", "Step_read/call_ref-func", "Step/throw", "Step_read/throw_ref-label",
            "Step_read/throw_ref-frame", "Step_read/throw_ref-label", "Step_read/throw_ref-handler-catch_all",
            "Step_pure/br-label-zero", "Step_pure/frame-vals",
        }));
    }

    [Test]
    public void A_trap_leaves_each_context_by_its_own_rule_and_keeps_its_backtrace()
    {
        var b = new ModuleBuilder();
        var div = b.Func(Sig([I32, I32], [I32]), [Get(0), Get(1), new Binop(NumType.I32, BinOp.DivS)]);
        b.Func(Sig([I32], [I32]), [C32(1), Block(Res(I32), C32(7), Get(0), new Call((uint)div)), new Binop(NumType.I32, BinOp.Add)], "f");
        var seen = new List<string>();
        var s = new Store(policy: new StorePolicy { Trace = r => { if (!r.StartsWith("Step/ctxt-")) seen.Add(r); } });
        var m = b.Instantiate(s);
        var f = ((ExternVal.Func)m.Export("f")!).Inst;
        var e = Assert.Throws<TrapException>(() => Embedding.Invoke(s, f, [Value.I32(0)]))!;
        Assert.That(e.Reason, Is.EqualTo("integer divide by zero"));
        Assert.That(e.Frames, Has.Count.EqualTo(2));
        Assert.That(seen.SkipWhile(r => r != "Step_pure/binop-trap"), Is.EqualTo(new[]
        {
            "Step_pure/binop-trap", "Step_pure/trap-label", "Step_pure/trap-frame",
            "Step_pure/trap-label", "Step_pure/trap-instrs", "Step_pure/trap-label", "Step_pure/trap-frame",
        }));
    }
}
