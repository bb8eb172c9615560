using NUnit.Framework;
using Spec.Syntax;
using Spec.Validation;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

public class ReferenceTests
{
    [Test]
    public void Ref_func_needs_a_declaration_outside_code()
    {
        var m = Func([], [], new RefFunc(0), Drop.I);
        Invalid(m, "undeclared function reference", "Instr_ok/ref.func");
        Valid(m with { Exports = [new Export("f", new ExternIdx(ExternKind.Func, 0))] });
        Valid(m with { Elems = [new Elem(RefType.FuncRef, [new Expr([new RefFunc(0)])], ElemDeclare.I)] });
    }

    [Test]
    public void Ref_func_has_the_exact_function_type()
    {
        var m = Func([], [Ref(0, false)], new RefFunc(0)) with { Exports = [new Export("f", new ExternIdx(ExternKind.Func, 0))] };
        Valid(m);
    }

    [Test]
    public void Ref_is_null_and_as_non_null_need_references()
    {
        Valid(Func([], [I32], new RefNull(HeapType.Extern), RefIsNull.I));
        Invalid(Func([], [I32], I(0), RefIsNull.I), "type mismatch", "Instr_ok/ref.is_null");
        Valid(Func([], [new RefType(false, HeapType.Extern)], new RefNull(HeapType.Extern), RefAsNonNull.I));
    }

    [Test]
    public void Ref_eq_needs_eq_references()
    {
        Valid(Func([], [I32], new RefNull(HeapType.I31), new RefNull(HeapType.None), RefEq.I));
        Invalid(Func([], [I32], new RefNull(HeapType.Func), new RefNull(HeapType.None), RefEq.I), "type mismatch");
    }

    [Test]
    public void Casts_stay_within_one_hierarchy()
    {
        Valid(Func([], [RefType.I31Ref], new RefNull(HeapType.Any), new RefCast(RefType.I31Ref)));
        Invalid(Func([], [RefType.I31Ref], new RefNull(HeapType.Func), new RefCast(RefType.I31Ref)), "type mismatch", "Instr_ok/ref.cast");
        Valid(Func([], [I32], new RefNull(HeapType.Extern), new RefTest(RefType.NullExternRef)));
    }

    [Test]
    public void Br_on_cast_output_types()
    {
        // br_on_cast 0 anyref (ref i31): the label gets (ref i31), fall-through keeps anyref.
        var nonNullI31 = new RefType(false, HeapType.I31);
        Valid(Func([RefType.AnyRef], [nonNullI31],
            new LocalGet(0), new BrOnCast(0, RefType.AnyRef, nonNullI31), Drop.I, Unreachable.I));
        Invalid(Func([RefType.AnyRef], [nonNullI31],
            new LocalGet(0), new BrOnCast(0, RefType.AnyRef, RefType.I31Ref), Drop.I, Unreachable.I), "type mismatch", "Instr_ok/br_on_cast");
        // br_on_cast_fail 0 anyref (ref i31): the label gets anyref.
        Valid(Func([RefType.AnyRef], [RefType.AnyRef],
            new LocalGet(0), new BrOnCastFail(0, RefType.AnyRef, nonNullI31), Drop.I, Unreachable.I));
        Invalid(Func([RefType.AnyRef], [RefType.AnyRef],
            new LocalGet(0), new BrOnCastFail(0, RefType.AnyRef, RefType.FuncRef), Drop.I, Unreachable.I), "type mismatch");
    }

    [Test]
    public void Extern_and_any_convert_keep_nullness()
    {
        Valid(Func([], [new RefType(false, HeapType.Extern)], I(1), RefI31.I, ExternConvertAny.I));
        Invalid(Func([], [new RefType(false, HeapType.Extern)], new RefNull(HeapType.Any), ExternConvertAny.I), "type mismatch");
        Valid(Func([], [RefType.AnyRef], new RefNull(HeapType.NoExtern), AnyConvertExtern.I));
    }
}

public class GcTests
{
    static Module WithTypes(Module m, params TypeDef[] types) => m with { Types = m.Types.AddRange(types) };

    [Test]
    public void Struct_new_and_get()
    {
        var m = WithTypes(Func([], [I32], I(7), L(8), new StructNew(1), new StructGet(null, 1, 0)), Sub(Struct(Imm(I32), Var(I64))));
        Valid(m);
        Invalid(WithTypes(Func([], [I32], I(7), new StructNew(1), new StructGet(null, 1, 0)), Sub(Struct(Imm(I32), Var(I64)))), "type mismatch");
        Invalid(WithTypes(Func([], [I32], new StructNewDefault(1), new StructGet(null, 1, 2)), Sub(Struct(Imm(I32), Var(I64)))), "unknown field");
    }

    [Test]
    public void Packed_fields_need_a_sign()
    {
        Valid(WithTypes(Func([], [I32], new StructNewDefault(1), new StructGet(Sx.S, 1, 0)), Sub(Struct(Imm(new PackedType(PackType.I8))))));
        Invalid(WithTypes(Func([], [I32], new StructNewDefault(1), new StructGet(null, 1, 0)), Sub(Struct(Imm(new PackedType(PackType.I8))))), "type mismatch");
    }

    [Test]
    public void Struct_set_needs_a_mutable_field()
    {
        Invalid(WithTypes(Func([], [], new StructNewDefault(1), I(1), new StructSet(1, 0)), Sub(Struct(Imm(I32)))), "immutable field", "Instr_ok/struct.set");
        Valid(WithTypes(Func([], [], new StructNewDefault(1), I(1), new StructSet(1, 0)), Sub(Struct(Var(I32)))));
    }

    [Test]
    public void Defaults_exist_only_for_defaultable_fields() =>
        Invalid(WithTypes(Func([], [], new StructNewDefault(1), Drop.I), Sub(Struct(Imm(new RefType(false, HeapType.Any))))), "type mismatch");

    [Test]
    public void Array_instructions()
    {
        var arr = Sub(Array(Var(I32)));
        Valid(WithTypes(Func([], [I32], I(0), I(3), new ArrayNew(1), I(1), new ArrayGet(null, 1)), arr));
        Valid(WithTypes(Func([], [I32], I(1), I(2), new ArrayNewFixed(1, 2), ArrayLen.I), arr));
        Invalid(WithTypes(Func([], [], I(1), new ArrayNewFixed(1, 2), Drop.I), arr), "type mismatch");
        Invalid(WithTypes(Func([], [], new RefNull(new TypeIdx(1)), I(0), I(0), new ArraySet(1)), Sub(Array(Imm(I32)))), "immutable array");
    }

    [Test]
    public void Array_copy_needs_matching_element_types()
    {
        var m = WithTypes(Func([], [], new RefNull(new TypeIdx(1)), I(0), new RefNull(new TypeIdx(2)), I(0), I(0), new ArrayCopy(1, 2)),
            Sub(Array(Var(I32))), Sub(Array(Imm(I64))));
        Invalid(m, "array types do not match");
    }

    [Test]
    public void Array_data_instructions_need_numeric_elements()
    {
        var m = WithTypes(Func([], [], I(0), I(0), new ArrayNewData(1, 0), Drop.I), Sub(Array(Var(RefType.AnyRef)))) with { Datas = [new Data([], DataPassive.I)] };
        Invalid(m, "array type is not numeric or vector");
    }

    [Test]
    public void Subtypes_flow_into_supertypes()
    {
                // type 0 = sub (struct i32), type 1 = sub 0 (struct i32 i64), type 2 = the function's type.
        static Module M(uint result, uint made) => Module.Empty with
        {
            Types = [Sub(Open(Struct(Imm(I32)))), Sub(Open(Struct(Imm(I32), Imm(I64)), 0)), FuncT([], [Ref(result)])],
            Funcs = [new Func(2, [], new Expr([new StructNewDefault(made)]))],
        };
        Valid(M(0, 1));
        Invalid(M(1, 0), "type mismatch");
    }
}

public class RobustnessTests
{
    [Test]
    public void A_huge_array_new_fixed_count_is_bounded_by_the_stack()
    {
        var types = new[] { Build.Sub(Build.Array(Build.Var(Build.I32))), Build.FuncT([], []) };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Build.Invalid(Module.Empty with { Types = [.. types], Funcs = [new Func(1, [], new Expr([Build.I(1), new ArrayNewFixed(0, uint.MaxValue), Drop.I]))] }, "type mismatch");
        Build.Valid(Module.Empty with { Types = [.. types], Funcs = [new Func(1, [], new Expr([Unreachable.I, Build.I(1), new ArrayNewFixed(0, uint.MaxValue), Drop.I]))] });
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }
}

public class SubtypeChainTests
{
    [Test]
    public void A_type_matches_exactly_the_types_above_it_on_a_long_chain()
    {
        // type k = sub (k-1) (struct i32); type `length` is the function's, returning (ref null result).
        const int length = 3000;
        var chain = Enumerable.Range(0, length).Select(k => k == 0 ? Sub(Open(Struct(Imm(I32)))) : Sub(Open(Struct(Imm(I32)), (uint)(k - 1)))).ToArray();
        var random = new Random(9);
        var pairs = Enumerable.Range(0, 100).Select(_ => (made: random.Next(length), result: random.Next(length)))
            .Concat([(length - 1, 0), (0, length - 1), (length - 1, length - 1), (1024, 0), (2047, 1023), (1023, 2047), (2047, 2048)]);
        foreach (var (made, result) in pairs)
        {
            var m = Module.Empty with
            {
                Types = [.. chain, FuncT([], [Ref((uint)result)])],
                Funcs = [new Func(length, [], new Expr([new StructNewDefault((uint)made)]))],
            };
            if (result <= made) Valid(m);
            else Invalid(m, "type mismatch");
        }
    }

    [Test]
    public void A_subtype_check_looks_at_most_32_ancestors_however_deep_the_chain()
    {
        // The constant that bounds the time of a cast per unit of fuel: one jump per set bit of the depth difference.
        const int length = 100_000;
        var m = Module.Empty with
        {
            Types = [.. Enumerable.Range(0, length).Select(k => k == 0 ? Sub(Open(Struct())) : Sub(Open(Struct(), (uint)(k - 1))))],
        };
        var types = Validator.Validate(m).Types.Select(TypeRules.Canonical).ToArray();
        var random = new Random(5);
        int most = 0;
        for (int n = 0; n < 2000; n++)
        {
            int a = random.Next(length), b = random.Next(length);
            bool above = TypeRules.IsAncestor(types[b], types[a], out int jumps);
            Assert.That(above, Is.EqualTo(b <= a), $"is {b} above {a}");
            most = Math.Max(most, jumps);
        }
        Assert.That(TypeRules.IsAncestor(types[0], types[length - 1], out int deepest), Is.True);
        Assert.That(Math.Max(most, deepest), Is.LessThanOrEqualTo(32));
        Assert.That(deepest, Is.EqualTo(int.PopCount(length - 1)));
    }
}
