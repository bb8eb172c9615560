using NUnit.Framework;
using Spec.Syntax;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

public class NumericTests
{
    [Test]
    public void Binop_takes_two_operands_of_its_type() =>
        Valid(Func([], [I32], I(1), I(2), new Binop(NumType.I32, BinOp.Add)));

    [Test]
    public void Binop_rejects_an_operand_of_another_type() =>
        Invalid(Func([], [I32], I(1), L(2), new Binop(NumType.I32, BinOp.Add)), "type mismatch", "Instr_ok/binop");

    [Test]
    public void Binop_rejects_a_missing_operand() =>
        Invalid(Func([], [I32], I(1), new Binop(NumType.I32, BinOp.Add)), "type mismatch");

    [Test]
    public void Relop_and_testop_produce_i32() =>
        Valid(Func([], [I32], L(1), L(2), new Relop(NumType.I64, RelOp.LtS), new Testop(NumType.I32, TestOp.Eqz)));

    [Test]
    public void Cvtop_pops_the_source_type()
    {
        Valid(Func([], [F64], I(1), new Cvtop(NumType.F64, NumType.I32, CvtOp.ConvertS)));
        Invalid(Func([], [F64], L(1), new Cvtop(NumType.F64, NumType.I32, CvtOp.ConvertS)), "type mismatch", "Instr_ok/cvtop");
    }

    [Test]
    public void A_function_must_leave_exactly_its_results()
    {
        Invalid(Func([], [], I(1)), "type mismatch");
        Invalid(Func([], [I32]), "type mismatch");
    }
}

public class VectorTests
{
    [Test]
    public void Lane_indices_must_be_within_the_shape()
    {
        Valid(Func([], [I32], new VConst(default), new VExtractLane(Shape.I32x4, null, 3)));
        Invalid(Func([], [I32], new VConst(default), new VExtractLane(Shape.I32x4, null, 4)), "invalid lane index");
        Invalid(Func([], [Vec], new VConst(default), new VConst(default), new VShuffle(Shape.I8x16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32])), "invalid lane index");
    }

    [Test]
    public void Operators_exist_at_their_shapes_only()
    {
        Valid(Func([], [Vec], new VConst(default), new VConst(default), new VBinop(Shape.I16x8, VBinOp.Q15MulrSatS)));
        Invalid(Func([], [Vec], new VConst(default), new VConst(default), new VBinop(Shape.I32x4, VBinOp.Q15MulrSatS)), "invalid vector operator");
        Invalid(Func([], [Vec], new VConst(default), new VUnop(Shape.I32x4, VUnOp.Sqrt)), "invalid vector operator");
        Valid(Func([], [Vec], new VConst(default), new VExtunop(Shape.I32x4, Shape.I16x8, VExtUnOp.ExtaddPairwiseS)));
        Invalid(Func([], [Vec], new VConst(default), new VExtunop(Shape.I64x2, Shape.I32x4, VExtUnOp.ExtaddPairwiseS)), "invalid vector operator");
        Invalid(Func([], [I32], new VConst(default), new VExtractLane(Shape.I8x16, null, 0)), "invalid vector operator");
    }

    [Test]
    public void Splat_takes_the_unpacked_lane_type()
    {
        Valid(Func([], [Vec], I(1), new VSplat(Shape.I8x16)));
        Invalid(Func([], [Vec], L(1), new VSplat(Shape.I8x16)), "type mismatch");
        Valid(Func([], [Vec], L(1), new VSplat(Shape.I64x2)));
    }
}

public class ParametricTests
{
    [Test]
    public void Select_needs_equal_numeric_operands()
    {
        Valid(Func([], [I64], L(1), L(2), I(0), new Select(null)));
        Invalid(Func([], [I64], L(1), I(2), I(0), new Select(null)), "type mismatch", "Instr_ok/select-impl");
    }

    [Test]
    public void Untyped_select_rejects_references() =>
        Invalid(Func([], [RefType.FuncRef], new RefNull(HeapType.Func), new RefNull(HeapType.Func), I(0), new Select(null)), "type mismatch");

    [Test]
    public void Typed_select_takes_references_and_exactly_one_type()
    {
        Valid(Func([], [RefType.FuncRef], new RefNull(HeapType.Func), new RefNull(HeapType.NoFunc), I(0), new Select([RefType.FuncRef])));
        Invalid(Func([], [I32], I(1), I(1), I(0), new Select([I32, I32])), "invalid result arity");
    }

    [Test]
    public void Unreachable_makes_the_stack_polymorphic()
    {
        Valid(Func([], [I32], Unreachable.I, new Binop(NumType.I32, BinOp.Add)));
        Valid(Func([], [I32], Unreachable.I, L(1), I(0), new Select(null), Drop.I, I(0)));
        Invalid(Func([], [I32], Unreachable.I, L(1), new Select(null), Drop.I, I(0)), "type mismatch");
        Invalid(Func([], [I32], Unreachable.I, L(1), new Binop(NumType.I32, BinOp.Add)), "type mismatch");
    }
}

public class VariableTests
{
    [Test]
    public void Locals_are_params_then_declared_locals()
    {
        Valid(Func([I32], [I64], [I64], new LocalGet(1)));
        Invalid(Func([I32], [I64], [I64], new LocalGet(0)), "type mismatch");
        var e = Invalid(Func([I32], [], [I64], new LocalGet(2), Drop.I), "unknown local", "Instr_ok/local.get");
        Assert.That(e.FuncIndex, Is.EqualTo(0));
        Assert.That(e.InstrIndex, Is.EqualTo(0));
    }

    [Test]
    public void Non_defaultable_locals_must_be_set_before_use()
    {
        var nonNull = new RefType(false, HeapType.Func);
        Invalid(Func([], [], [nonNull], new LocalGet(0), Drop.I), "uninitialized local");
        Valid(Func([nonNull], [], [nonNull], new LocalGet(0), new LocalSet(1), new LocalGet(1), Drop.I));
    }

    [Test]
    public void Initialisation_is_forgotten_at_the_end_of_the_block()
    {
        var nonNull = new RefType(false, HeapType.Func);
        Valid(Func([nonNull], [], [nonNull], new Block(ValBlockType.Empty, [new LocalGet(0), new LocalSet(1), new LocalGet(1), Drop.I])));
        Invalid(Func([nonNull], [], [nonNull], new Block(ValBlockType.Empty, [new LocalGet(0), new LocalSet(1)]), new LocalGet(1), Drop.I), "uninitialized local");
    }

    [Test]
    public void Globals_must_be_mutable_to_be_set()
    {
        var m = Func([], [], I(1), new GlobalSet(0)) with { Globals = [new Global(new GlobalType(Mut.Const, I32), new Expr([I(0)]))] };
        Invalid(m, "immutable global", "Instr_ok/global.set");
        Valid(m with { Globals = [new Global(new GlobalType(Mut.Var, I32), new Expr([I(0)]))] });
        Invalid(Func([], [], I(1), new GlobalSet(0)), "unknown global");
    }
}

public class TableTests
{
    static Module WithTable(Module m, AddrType at, RefType rt) =>
        m with { Tables = m.Tables.Add(new Table(new TableType(at, new Limits(1, null), rt), new Expr([new RefNull(rt.Heap)]))) };

    [Test]
    public void Table_get_uses_the_address_type()
    {
        Valid(WithTable(Func([], [RefType.FuncRef], I(0), new TableGet(0)), AddrType.I32, RefType.FuncRef));
        Invalid(WithTable(Func([], [RefType.FuncRef], I(0), new TableGet(0)), AddrType.I64, RefType.FuncRef), "type mismatch");
        Valid(WithTable(Func([], [RefType.FuncRef], L(0), new TableGet(0)), AddrType.I64, RefType.FuncRef));
        Invalid(Func([], [RefType.FuncRef], I(0), new TableGet(0)), "unknown table");
    }

    [Test]
    public void Table_copy_takes_the_smaller_address_type_for_the_length()
    {
        var body = new Instr[] { L(0), I(0), I(0), new TableCopy(0, 1) };
        var m = WithTable(WithTable(Func([], [], body), AddrType.I64, RefType.FuncRef), AddrType.I32, RefType.FuncRef);
        Valid(m);
        Invalid(WithTable(WithTable(Func([], [], L(0), I(0), L(0), new TableCopy(0, 1)), AddrType.I64, RefType.FuncRef), AddrType.I32, RefType.FuncRef), "type mismatch");
    }

    [Test]
    public void Table_copy_needs_matching_element_types() =>
        Invalid(WithTable(WithTable(Func([], [], I(0), I(0), I(0), new TableCopy(0, 1)), AddrType.I32, RefType.FuncRef), AddrType.I32, RefType.ExternRef),
            "type mismatch", "Instr_ok/table.copy");

    [Test]
    public void Table_init_and_elem_drop_need_the_segment()
    {
        var m = WithTable(Func([], [], I(0), I(0), I(0), new TableInit(0, 0), new ElemDrop(0)), AddrType.I32, RefType.FuncRef);
        Invalid(m, "unknown elem segment 0");
        Valid(m with { Elems = [new Elem(RefType.FuncRef, [], ElemPassive.I)] });
        Invalid(m with { Elems = [new Elem(RefType.ExternRef, [], ElemPassive.I)] }, "type mismatch");
    }
}

public class MemoryTests
{
    static Module WithMem(Module m, AddrType at = AddrType.I32) => m with { Mems = m.Mems.Add(new Mem(new MemType(at, new Limits(1, null)))) };

    [Test]
    public void Load_needs_a_memory_and_natural_alignment()
    {
        Valid(WithMem(Func([], [I32], I(0), new Load(NumType.I32, null, 0, new MemArg(2, 0)))));
        Invalid(WithMem(Func([], [I32], I(0), new Load(NumType.I32, null, 0, new MemArg(3, 0)))), "alignment must not be larger than natural");
        Invalid(WithMem(Func([], [I32], I(0), new Load(NumType.I32, new LoadOp(Sz.S8, Sx.S), 0, new MemArg(1, 0)))), "alignment must not be larger than natural");
        Invalid(Func([], [I32], I(0), new Load(NumType.I32, null, 0, new MemArg(2, 0))), "unknown memory 0");
    }

    [Test]
    public void Atomic_accesses_need_exactly_natural_alignment()
    {
        Valid(WithMem(Func([], [I32], I(0), I(1), new Atomic(NumType.I32, null, AtomicOp.Add, 0, new MemArg(2, 0)))));
        Valid(WithMem(Func([], [I64], I(0), new Atomic(NumType.I64, Sz.S16, AtomicOp.Load, 0, new MemArg(1, 0)))));
        Invalid(WithMem(Func([], [I32], I(0), I(1), new Atomic(NumType.I32, null, AtomicOp.Add, 0, new MemArg(1, 0)))), "atomic alignment must be natural");
        Invalid(WithMem(Func([], [I32], I(0), I(1), new Atomic(NumType.I32, null, AtomicOp.Add, 0, new MemArg(3, 0)))), "atomic alignment must be natural");
        Invalid(WithMem(Func([], [I32], I(0), I(1), new MemoryAtomicNotify(0, new MemArg(0, 0)))), "atomic alignment must be natural");
        Invalid(WithMem(Func([], [I32], I(0), I(1), L(2), new Atomic(NumType.I32, null, AtomicOp.Cmpxchg, 0, new MemArg(2, 0)))), "type mismatch");
        Invalid(Func([], [I32], I(0), new Atomic(NumType.I32, null, AtomicOp.Load, 0, new MemArg(2, 0))), "unknown memory 0");
    }

    [Test]
    public void Offsets_must_fit_the_address_type()
    {
        Invalid(WithMem(Func([], [I32], I(0), new Load(NumType.I32, null, 0, new MemArg(0, 1UL << 32)))), "offset out of range");
        Valid(WithMem(Func([], [I32], L(0), new Load(NumType.I32, null, 0, new MemArg(0, 1UL << 32))), AddrType.I64));
    }

    [Test]
    public void Memory64_addresses_are_i64()
    {
        Valid(WithMem(Func([], [I64], new MemorySize(0)), AddrType.I64));
        Invalid(WithMem(Func([], [I32], new MemorySize(0)), AddrType.I64), "type mismatch");
        Invalid(WithMem(Func([], [], I(0), I(0), new Store(NumType.I32, null, 0, default)), AddrType.I64), "type mismatch");
    }

    [Test]
    public void Memory_copy_between_mixed_address_types()
    {
        var m = WithMem(WithMem(Func([], [], I(0), L(0), I(0), new MemoryCopy(0, 1))), AddrType.I64);
        Valid(m);
        Invalid(WithMem(WithMem(Func([], [], I(0), L(0), L(0), new MemoryCopy(0, 1))), AddrType.I64), "type mismatch");
    }

    [Test]
    public void Memory_init_and_data_drop_need_the_data_segment()
    {
        var m = WithMem(Func([], [], I(0), I(0), I(0), new MemoryInit(0, 0), new DataDrop(0)));
        Invalid(m, "unknown data segment 0");
        Valid(m with { Datas = [new Data([1, 2], DataPassive.I)] });
    }

    [Test]
    public void Vector_lane_loads_check_the_lane()
    {
        Valid(WithMem(Func([], [Vec], I(0), new VConst(default), new VLoadLane(VecType.V128, Sz.S16, 0, new MemArg(1, 0), 7))));
        Invalid(WithMem(Func([], [Vec], I(0), new VConst(default), new VLoadLane(VecType.V128, Sz.S16, 0, new MemArg(1, 0), 8))), "invalid lane index");
    }
}
