using NUnit.Framework;
using Spec.Syntax;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

public class ControlTests
{
    static readonly BlockType ToI32 = new ValBlockType(ValType.I32);

    [Test]
    public void Block_results_must_be_produced()
    {
        Valid(Func([], [I32], new Block(ToI32, [I(1)])));
        Invalid(Func([], [I32], new Block(ToI32, [])), "type mismatch", "Instr_ok/block");
        // the stack as it was, not what is left once the results are popped
        Invalid(Func([], [I32], new Block(ToI32, [I(1), I(2)])), "type mismatch: block requires [i32] but stack has [i32 i32]");
    }

    [Test]
    public void Block_types_by_index_take_parameters()
    {
        var m = Func([], [I32], I(1), new Block(new IdxBlockType(1), [I(2), new Binop(NumType.I32, BinOp.Add)])) with
        {
            Types = [FuncT([], [I32]), FuncT([I32], [I32])],
        };
        Valid(m);
        Invalid(m with { Types = [FuncT([], [I32])] }, "unknown type 1");
    }

    [Test]
    public void Branches_to_a_loop_carry_its_parameters()
    {
        var m = Func([], [I32], I(1), new Loop(new IdxBlockType(1), [new Br(0)])) with { Types = [FuncT([], [I32]), FuncT([I32], [I32])] };
        Valid(m);
        Invalid(Func([], [], new Loop(ValBlockType.Empty, [new Br(1), new Br(2)])), "unknown label 2", "Instr_ok/br");
    }

    [Test]
    public void If_without_else_needs_equal_in_and_out_types()
    {
        Valid(Func([], [], I(1), new If(ValBlockType.Empty, [Nop.I], [])));
        Invalid(Func([], [I32], I(1), new If(ToI32, [I(1)], [])), "type mismatch: if without else needs one: its type [] -> [i32]");
        Valid(Func([], [I32], I(1), new If(ToI32, [I(1)], [I(2)])));
        Invalid(Func([], [I32], L(1), new If(ToI32, [I(1)], [I(2)])), "type mismatch");
    }

    [Test]
    public void Br_table_labels_must_agree()
    {
        Valid(Func([], [I32], new Block(ToI32, [I(1), I(0), new BrTable([0, 1], 0)])));
        Invalid(Func([], [I32], new Block(ValBlockType.Empty, [I(1), I(0), new BrTable([0], 1)]), I(0)), "type mismatch", "Instr_ok/br_table");
    }

    [Test]
    public void Br_table_after_unreachable_keeps_the_labels_consistent() =>
        Valid(Func([], [], new Block(new ValBlockType(RefType.FuncRef), [Unreachable.I, new BrTable([0], 0)]), Drop.I));

    [Test]
    public void Br_if_passes_its_values_through() =>
        Valid(Func([], [I32], new Block(ToI32, [I(1), I(0), new BrIf(0)])));

    [Test]
    public void Return_and_calls_use_function_types()
    {
        Valid(Func([], [I32], I(1), Return.I, L(0), Drop.I));
        Invalid(Func([], [I32], I(1), Return.I, L(0)), "type mismatch");
        Valid(Func([I32], [I32], new LocalGet(0), new Call(0)));
        Invalid(Func([I32], [I32], L(1), new Call(0)), "type mismatch", "Instr_ok/call");
        Invalid(Func([], [], new Call(3)), "unknown function 3");
    }

    [Test]
    public void Tail_calls_need_matching_results()
    {
        var m = Func([], [I32], new ReturnCall(1)).WithFunc([], [I32], I(0));
        Valid(m);
        Invalid(Func([], [I64], new ReturnCall(1)).WithFunc([], [I32], I(0)), "type mismatch", "Instr_ok/return_call");
    }

    [Test]
    public void Call_indirect_needs_a_function_table()
    {
        var m = Func([], [], I(0), new CallIndirect(0, 0));
        Invalid(m, "unknown table 0");
        Valid(m with { Tables = [new Table(new TableType(AddrType.I32, new Limits(0, null), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]))] });
        Invalid(m with { Tables = [new Table(new TableType(AddrType.I32, new Limits(0, null), RefType.ExternRef), new Expr([new RefNull(HeapType.Extern)]))] }, "type mismatch");
    }

    [Test]
    public void Call_ref_takes_a_typed_function_reference()
    {
        Valid(Func([], [], new RefNull(new TypeIdx(0)), new CallRef(0)));
        Invalid(Func([], [], new RefNull(HeapType.Func), new CallRef(0)), "type mismatch", "Instr_ok/call_ref");
    }

    [Test]
    public void Br_on_null_and_non_null()
    {
        var nullable = RefType.FuncRef;
        var nonNull = new RefType(false, HeapType.Func);
        Valid(Func([nullable], [nonNull], new Block(ValBlockType.Empty, [new LocalGet(0), new BrOnNull(0), Return.I]), Unreachable.I));
        Valid(Func([nullable], [nonNull], new Block(new ValBlockType(nonNull), [new LocalGet(0), new BrOnNonNull(0), Unreachable.I])));
        Invalid(Func([nullable], [], new Block(ValBlockType.Empty, [new LocalGet(0), new BrOnNonNull(0)])), "type mismatch");
        Invalid(Func([I32], [], new Block(ValBlockType.Empty, [new LocalGet(0), new BrOnNull(0), Drop.I])), "type mismatch");
    }

    [Test]
    public void Deep_nesting_does_not_overflow_the_stack()
    {
        Instr body = Nop.I;
        for (var i = 0; i < 200_000; i++) body = new Block(ValBlockType.Empty, [body]);
        Valid(Func([], [], body));
    }
}
