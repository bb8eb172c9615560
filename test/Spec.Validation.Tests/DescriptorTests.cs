using NUnit.Framework;
using Spec.Syntax;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

/// <summary>The custom descriptors proposal: describes/descriptor clauses, exact heap types and the descriptor instructions.</summary>
public class DescriptorTests
{
    static readonly StructType Empty = new([]);

    /// <summary>A subtype with optional supertype, describes and descriptor clauses (type indices).</summary>
    static SubType S(CompType comp, uint? super = null, uint? describes = null, uint? descriptor = null, bool final = false) =>
        new(final, super is { } s ? [new TypeIdx(s)] : [], comp,
            describes is { } d ? new TypeIdx(d) : null, descriptor is { } e ? new TypeIdx(e) : null);

    static RefType Ex(uint x, bool nullable = true) => new(nullable, new ExactHeap(new TypeIdx(x)));

    static readonly RefType NonNullAny = new(false, HeapType.Any);

    /// <summary>Types 0 ($a, descriptor 1) and 1 ($b, describes 0) in one group, then <paramref name="rest"/>.</summary>
    static Module Pair(params TypeDef[] rest) => Module.Empty with { Types = [Rec(S(Empty, descriptor: 1), S(Empty, describes: 0)), .. rest] };

    /// <summary>$a (0, descriptor $b), $b (1, describes $a), $c (2, sub $a, descriptor $d), $d (3, sub $b, describes $c).</summary>
    static Module Square() => Module.Empty with
    {
        Types = [Rec(S(Empty, descriptor: 1), S(Empty, describes: 0), S(Empty, super: 0, descriptor: 3), S(Empty, super: 1, describes: 2))],
    };

    static Module Types(params TypeDef[] ts) => Module.Empty with { Types = [.. ts] };

    /// <summary>A descriptor pair at type index <paramref name="x0"/>: the described type, then its descriptor.</summary>
    static TypeDef PairAt(uint x0, bool final = false) => Rec(S(Empty, descriptor: x0 + 1, final: final), S(Empty, describes: x0, final: final));

    // ---- Clauses within a rec group ----

    [Test]
    public void Describes_and_descriptor_clauses_that_agree_are_valid()
    {
        Valid(Pair());
        Valid(Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0, descriptor: 2), S(Empty, describes: 1))));
        Valid(Types(Rec(S(Empty, final: true, descriptor: 1), S(Empty, final: true, describes: 0))));
    }

    [Test]
    public void Clauses_name_types_of_their_own_rec_group()
    {
        Invalid(Types(Sub(S(Empty, descriptor: 1))), "descriptor type is outside rec group", "Rectype_ok");
        Invalid(Types(Sub(S(Empty, describes: 1))), "described type is outside rec group", "Rectype_ok");
        Invalid(Types(Sub(S(Empty, descriptor: 1)), Sub(S(Empty, describes: 0))), "descriptor type is outside rec group");
        Invalid(Types(PairAt(0), PairAt(0)), "descriptor type is outside rec group");
        Invalid(Types(Sub(Struct()), Sub(S(Empty, describes: 0))), "described type is outside rec group");
    }

    [Test]
    public void Clauses_agree_and_describes_refers_backwards()
    {
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(Empty))), "type is not described by its descriptor");
        Invalid(Types(Rec(S(Empty), S(Empty, describes: 0))), "described type is not described by descriptor");
        Invalid(Types(Rec(S(Empty, describes: 1), S(Empty, descriptor: 0))), "forward use of described type");
        Invalid(Types(Sub(S(Empty, describes: 0, descriptor: 0))), "forward use of described type");
    }

    [Test]
    public void Only_structs_have_clauses()
    {
        var func = new FuncType([], []);
        var array = new ArrayType(Imm(new PackedType(PackType.I8)));
        Invalid(Types(Rec(S(func, descriptor: 1), S(Empty, describes: 0))), "descriptor type must be a struct", "Desctype_ok");
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(func, describes: 0))), "described type must be a struct", "Desctype_ok");
        Invalid(Types(Rec(S(array, descriptor: 1), S(array, describes: 0))), "descriptor type must be a struct");
    }

    // ---- Declared supertypes (Desctype_sub) ----

    [Test]
    public void Subtypes_keep_matching_clauses()
    {
        Valid(Square());
        // A subtype may add a descriptor its supertype lacks.
        Valid(Types(Rec(S(Empty), S(Empty, super: 0, descriptor: 2), S(Empty, describes: 1))));
        // The supertype's descriptor demands one of the subtype, and a describes clause demands one of the other.
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0), S(Empty, super: 0))), "sub type 2 does not match super type 0", "Desctype_sub");
        Invalid(Types(Rec(S(Empty), S(Empty, descriptor: 2), S(Empty, super: 0, describes: 1))), "sub type 2 does not match super type 0");
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0), S(Empty, super: 1))), "sub type 2 does not match super type 1");
    }

    [Test]
    public void Clause_types_of_a_subtype_match_those_of_its_supertype()
    {
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0), S(Empty, super: 0, descriptor: 3), S(Empty, describes: 2))),
            "descriptor type 3 does not match", "Desctype_sub");
        Invalid(Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0), S(Empty, descriptor: 3), S(Empty, super: 1, describes: 2))),
            "described type 2 does not match");
        // Across groups too.
        Invalid(Types(PairAt(0), Rec(S(Empty, super: 0, descriptor: 3), S(Empty, describes: 2))), "descriptor type 3 does not match");
        Valid(Types(PairAt(0), Rec(S(Empty, super: 0, descriptor: 3), S(Empty, super: 1, describes: 2))));
    }

    [Test]
    public void Composite_types_still_match_under_clauses()
    {
        var i32 = new StructType([Imm(I32)]);
        var i64 = new StructType([Imm(I64)]);
        Invalid(Types(Rec(S(i32, descriptor: 1), S(Empty, describes: 0), S(i64, super: 0, descriptor: 3), S(Empty, super: 1, describes: 2))),
            "sub type 2 does not match super type 0", "Subtype_ok");
    }

    [Test]
    public void A_descriptor_with_a_cyclic_forward_supertype_chain_is_rejected_not_looped_on()
    {
        // Type 0 matches its supertype's descriptor against type 2, whose (forward) supertype chain would cycle 2 -> 3 -> 2.
        Invalid(Types(PairAt(0), Rec(S(Empty, super: 0, descriptor: 3), S(Empty, super: 4, describes: 2), S(Empty, super: 3))),
            "sub type: forward use of type 4");
    }

    // ---- Rec group equivalence ----

    [Test]
    public void Clauses_are_part_of_a_types_identity()
    {
        // (ref (exact 0)) -> (ref (exact 2)): the same type only if the groups are equal, clauses included.
        Valid(Types(PairAt(0), PairAt(2)).With([Ex(0, false)], [Ex(2, false)], new LocalGet(0)));
        Valid(Types(PairAt(0), PairAt(2)).With([Ex(1, false)], [Ex(3, false)], new LocalGet(0)));
        Invalid(Types(PairAt(0), Rec(S(Empty), S(Empty))).With([Ex(0, false)], [Ex(2, false)], new LocalGet(0)), "type mismatch");
        Invalid(Types(PairAt(0), PairAt(2, final: true)).With([Ex(0, false)], [Ex(2, false)], new LocalGet(0)), "type mismatch");
        // A descriptor of its own: (descriptor 1) on the first type only differs from a group with clauses elsewhere.
        var chain = Rec(S(Empty, descriptor: 3), S(Empty, describes: 2, descriptor: 4), S(Empty, describes: 3));
        Invalid(Types(PairAt(0), chain).With([Ex(1, false)], [Ex(3, false)], new LocalGet(0)), "type mismatch");
    }

    // ---- Exact heap types ----

    [Test]
    public void Exact_types_lie_below_their_type_and_above_its_bottom_only()
    {
        var m = Types(Sub(S(Empty)), Sub(S(Empty, super: 0)), Sub(S(new FuncType([], []))));
        Valid(m.With([Ex(1, false)], [Ref(1, false)], new LocalGet(0)));
        Valid(m.With([Ex(1, false)], [Ref(0, false)], new LocalGet(0)));
        Valid(m.With([Ex(1, false)], [NonNullAny], new LocalGet(0)));
        Valid(m.With([Ex(1, false)], [Ex(1)], new LocalGet(0)));
        Valid(m.With([new RefType(false, HeapType.None)], [Ex(0, false)], new LocalGet(0)));
        Valid(m.With([new RefType(false, HeapType.NoFunc)], [Ex(2, false)], new LocalGet(0)));
        Invalid(m.With([new RefType(false, HeapType.NoFunc)], [Ex(0, false)], new LocalGet(0)), "type mismatch");
        Invalid(m.With([Ref(1, false)], [Ex(0, false)], new LocalGet(0)), "type mismatch");
        Invalid(m.With([Ex(1, false)], [Ex(0, false)], new LocalGet(0)), "type mismatch");
        Invalid(m.With([Ex(0, false)], [Ex(1, false)], new LocalGet(0)), "type mismatch");
        Invalid(m.With([Ex(1)], [Ex(1, false)], new LocalGet(0)), "type mismatch");
    }

    [Test]
    public void Exact_types_name_known_types()
    {
        Invalid(Func([Ex(5)], []), "unknown type 5");
        Valid(Types(Sub(Struct())) with { Globals = [new Global(new GlobalType(Mut.Const, Ex(0)), new Expr([new RefNull(new ExactHeap(new TypeIdx(0)))]))] });
    }

    [Test]
    public void Allocations_and_defined_functions_give_exact_references()
    {
        var arr = Array(Var(I32));
        var m = Types(Sub(Struct(Imm(I32))), Sub(arr));
        Valid(m.With([], [Ex(0, false)], I(1), new StructNew(0)));
        Valid(m.With([], [Ex(1, false)], I(1), I(2), new ArrayNew(1)));
        Valid(m.With([], [Ex(1, false)], I(2), new ArrayNewDefault(1)));
        Valid(m.With([], [Ex(1, false)], I(1), new ArrayNewFixed(1, 1)));
        // ref.func of a defined function is exact; of an inexact import it is not; of an exact import it is.
        var f = FuncT([], []);
        var declare = new Elem(RefType.FuncRef, [new Expr([new RefFunc(0)])], ElemDeclare.I);
        Valid(Types(f) with { Funcs = [new Func(0, [], new Expr([]))], Globals = [new Global(new GlobalType(Mut.Const, Ex(0, false)), new Expr([new RefFunc(0)]))] });
        var import = Types(f) with { Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0)))], Elems = [declare] };
        Invalid(import.With([], [Ex(0, false)], new RefFunc(0)), "type mismatch", "Expr_ok");
        Valid(import.With([], [Ref(0, false)], new RefFunc(0)));
        var exactImport = import with { Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0), Exact: true))] };
        Valid(exactImport.With([], [Ex(0, false)], new RefFunc(0)));
    }

    [Test]
    public void Exports_of_defined_functions_are_exact_and_exact_imports_match_only_their_type()
    {
        var m = Types(Sub(S(new FuncType([], []))), Sub(S(new FuncType([], []), super: 0))) with
        {
            Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0)))],
            Funcs = [new Func(1, [], new Expr([]))],
            Exports = [new Export("i", new ExternIdx(ExternKind.Func, 0)), new Export("d", new ExternIdx(ExternKind.Func, 1))],
        };
        var mt = Valid(m);
        Assert.That(mt.Exports[0], Is.EqualTo(new FuncExtern(mt.Types[0], false)));
        Assert.That(mt.Exports[1], Is.EqualTo(new FuncExtern(mt.Types[1], true)));
        var exactSub = new FuncExtern(mt.Types[1], true);
        var exactSuper = new FuncExtern(mt.Types[0], true);
        Assert.That(Validation.Types.Matches(exactSub, new FuncExtern(mt.Types[0])), Is.True);
        Assert.That(Validation.Types.Matches(exactSub, exactSub), Is.True);
        Assert.That(Validation.Types.Matches(exactSub, exactSuper), Is.False);
        Assert.That(Validation.Types.Matches(new FuncExtern(mt.Types[1]), exactSub), Is.False);
    }

    [Test]
    public void The_type_facade_closes_and_matches_exact_types()
    {
        var mt = Valid(Types(Sub(S(Empty)), Sub(S(Empty, super: 0))));
        var exact1 = Validation.Types.Close(new ExactHeap(new TypeIdx(1)), mt.Types);
        Assert.That(exact1, Is.TypeOf<ExactHeap>());
        Assert.That(((ExactHeap)exact1).Type, Is.SameAs(mt.Types[1]));
        Assert.That(Validation.Types.Matches(exact1, mt.Types[0]), Is.True);
        Assert.That(Validation.Types.Matches(exact1, exact1), Is.True);
        Assert.That(Validation.Types.Matches(mt.Types[1], exact1), Is.False);
        Assert.That(Validation.Types.Matches(exact1, new ExactHeap(mt.Types[0])), Is.False);
        Assert.That(Validation.Types.Matches(HeapType.None, exact1), Is.True);
        Assert.That(Validation.Types.Matches(HeapType.NoFunc, exact1), Is.False);
        Assert.That(Validation.Types.Top(exact1), Is.EqualTo(AbsHeapType.Any));
    }

    // ---- Allocation with descriptors ----

    [Test]
    public void Struct_new_and_struct_new_desc_follow_the_descriptor_clause()
    {
        var m = Types(Rec(S(new StructType([Imm(I32)]), descriptor: 1), S(Empty, describes: 0)), Sub(Struct(Imm(I32))));
        Valid(m.With([Ex(1)], [Ex(0, false)], I(1), new LocalGet(0), new StructNewDesc(0)));
        Valid(m.With([], [Ex(0, false)], I(1), new RefNull(HeapType.None), new StructNewDesc(0)));
        Valid(m.With([Ex(1, false)], [Ex(0, false)], new LocalGet(0), new StructNewDefaultDesc(0)));
        Valid(m.With([], [Ex(0, false)], I(1), Unreachable.I, new StructNewDesc(0)));
        Invalid(m.With([], [RefType.AnyRef], I(1), new StructNew(0)), "type with descriptor requires descriptor allocation", "Instr_ok/struct.new");
        Invalid(m.With([], [RefType.AnyRef], new StructNewDefault(0)), "type with descriptor requires descriptor allocation", "Instr_ok/struct.new_default");
        Invalid(m.With([], [RefType.AnyRef], I(1), new StructNew(1), new StructNewDesc(2)), "type without descriptor requires non-descriptor allocation", "Instr_ok/struct.new_desc");
        Invalid(m.With([], [RefType.AnyRef], new StructNewDefaultDesc(2)), "type without descriptor requires non-descriptor allocation", "Instr_ok/struct.new_default_desc");
        // The descriptor operand must be exact and of the descriptor type.
        Invalid(m.With([Ref(1)], [RefType.AnyRef], I(1), new LocalGet(0), new StructNewDesc(0)), "type mismatch", "Instr_ok/struct.new_desc");
        Invalid(m.With([Ex(0)], [RefType.AnyRef], I(1), new LocalGet(0), new StructNewDesc(0)), "type mismatch");
        Invalid(m.With([], [RefType.AnyRef], I(1), new StructNewDesc(0)), "type mismatch");
        // An exact subtype descriptor does not do either.
        Invalid(Square().With([Ex(3)], [RefType.AnyRef], new LocalGet(0), new StructNewDesc(0)), "type mismatch");
    }

    [Test]
    public void Struct_new_desc_is_constant()
    {
        var chain = Types(Rec(S(Empty, descriptor: 1), S(Empty, describes: 0)));
        Valid(chain with
        {
            Globals =
            [
                new Global(new GlobalType(Mut.Const, Ex(1, false)), new Expr([new StructNew(1)])),
                new Global(new GlobalType(Mut.Const, Ex(0, false)), new Expr([new GlobalGet(0), new StructNewDesc(0)])),
                new Global(new GlobalType(Mut.Const, Ex(0, false)), new Expr([new RefNull(HeapType.None), new StructNewDefaultDesc(0)])),
            ],
        });
        Invalid(chain with { Globals = [new Global(new GlobalType(Mut.Const, Ref(1, false)), new Expr([new RefNull(HeapType.None), new RefGetDesc(0)]))] },
            "constant expression required");
        Invalid(chain with { Globals = [new Global(new GlobalType(Mut.Const, Ref(0)), new Expr([new RefNull(HeapType.None), new RefNull(HeapType.None), new RefCastDescEq(Ref(0))]))] },
            "constant expression required");
    }

    // ---- ref.get_desc ----

    [Test]
    public void Ref_get_desc_is_exact_exactly_for_exact_operands()
    {
        var m = Pair();
        Valid(m.With([Ref(0, false)], [Ref(1, false)], new LocalGet(0), new RefGetDesc(0)));
        Valid(m.With([Ref(0)], [Ref(1, false)], new LocalGet(0), new RefGetDesc(0)));
        Valid(m.With([Ex(0)], [Ex(1, false)], new LocalGet(0), new RefGetDesc(0)));
        Valid(m.With([], [Ex(1, false)], new RefNull(HeapType.None), new RefGetDesc(0)));
        Valid(m.With([], [Ex(1, false)], Unreachable.I, new RefGetDesc(0)));
        Invalid(m.With([Ref(0, false)], [Ex(1, false)], new LocalGet(0), new RefGetDesc(0)), "type mismatch");
        Invalid(m.With([], [Ex(1, false)], new RefNull(new TypeIdx(0)), new RefGetDesc(0)), "type mismatch");
        Invalid(m.With([NonNullAny], [Ref(1, false)], new LocalGet(0), new RefGetDesc(0)), "type mismatch", "Instr_ok/ref.get_desc");
    }

    [Test]
    public void Ref_get_desc_gives_the_descriptor_of_the_named_type()
    {
        var m = Square();
        Valid(m.With([Ex(2, false)], [Ref(1, false)], new LocalGet(0), new RefGetDesc(0)));
        Invalid(m.With([Ex(2, false)], [Ex(1, false)], new LocalGet(0), new RefGetDesc(0)), "type mismatch");
        Invalid(m.With([Ex(2, false)], [Ref(3, false)], new LocalGet(0), new RefGetDesc(0)), "type mismatch");
        Invalid(m.With([Ref(1, false)], [RefType.AnyRef], new LocalGet(0), new RefGetDesc(1)), "type without descriptor", "Instr_ok/ref.get_desc");
        Invalid(Types(FuncT([], [])).With([], [RefType.AnyRef], Unreachable.I, new RefGetDesc(0)), "type without descriptor");
        Invalid(Func([], [RefType.AnyRef], Unreachable.I, new RefGetDesc(7)), "unknown type 7");
    }

    // ---- ref.cast_desc_eq ----

    [Test]
    public void Ref_cast_desc_eq_takes_the_descriptor_exact_iff_the_cast_is()
    {
        var m = Square();
        Valid(m.With([RefType.AnyRef, Ref(1)], [Ref(0, false)], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ref(0, false))));
        Valid(m.With([RefType.AnyRef, Ex(3)], [Ref(0)], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ref(0))));
        Valid(m.With([RefType.I31Ref, Ex(1)], [Ex(0, false)], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ex(0, false))));
        Valid(m.With([RefType.AnyRef], [Ex(0)], new LocalGet(0), new RefNull(HeapType.None), new RefCastDescEq(Ex(0))));
        Invalid(m.With([RefType.AnyRef, Ref(1)], [RefType.AnyRef], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ex(0))), "type mismatch", "Instr_ok/ref.cast_desc_eq");
        Invalid(m.With([RefType.AnyRef, Ex(3)], [RefType.AnyRef], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ex(0))), "type mismatch");
        Invalid(m.With([RefType.AnyRef, RefType.StructRef], [RefType.AnyRef], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ref(0))), "type mismatch");
        Invalid(m.With([RefType.FuncRef, Ref(1)], [RefType.AnyRef], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ref(0))), "type mismatch");
        // The output is the immediate's type, not the operand's.
        Invalid(m.With([Ref(2), Ref(3)], [Ref(2)], new LocalGet(0), new LocalGet(1), new RefCastDescEq(Ref(0))), "type mismatch");
    }

    [Test]
    public void Descriptor_casts_need_a_type_with_a_descriptor()
    {
        var m = Pair(Sub(Struct()));
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new RefCastDescEq(new RefType(false, HeapType.Any))), "type any does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new RefCastDescEq(RefType.NullRef)), "type none does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new RefCastDescEq(Ref(2))), "type 2 does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new RefCastDescEq(Ref(1))), "type 1 does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new BrOnCastDescEq(0, RefType.AnyRef, Ref(2))), "type 2 does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new BrOnCastDescEqFail(0, RefType.AnyRef, RefType.AnyRef)), "type any does not have a descriptor");
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new RefCastDescEq(Ref(9))), "unknown type 9");
    }

    // ---- br_on_cast_desc_eq, br_on_cast_desc_eq_fail ----

    [Test]
    public void Br_on_cast_desc_eq_sends_the_cast_type_and_keeps_the_rest()
    {
        var m = Square();
        // Label gets (ref null $a); fall-through is anyref minus null.
        Valid(m.With([RefType.AnyRef, Ref(1)], [Ref(0)],
            new Block(new ValBlockType(NonNullAny), [new LocalGet(0), new LocalGet(1), new BrOnCastDescEq(1, RefType.AnyRef, Ref(0))]), Drop.I, Unreachable.I));
        Valid(m.With([RefType.AnyRef, Ex(1)], [Ex(0, false)],
            new Block(new ValBlockType(RefType.AnyRef), [new LocalGet(0), new LocalGet(1), new BrOnCastDescEq(1, RefType.AnyRef, Ex(0, false))]), Drop.I, Unreachable.I));
        // The fall-through of a non-null cast stays nullable.
        Invalid(m.With([RefType.AnyRef, Ref(1)], [Ref(0, false)],
            new Block(new ValBlockType(NonNullAny), [new LocalGet(0), new LocalGet(1), new BrOnCastDescEq(1, RefType.AnyRef, Ref(0, false))]), Drop.I, Unreachable.I),
            "type mismatch", "Instr_ok/block");
        // The descriptor must be exact for an exact cast, and the label must take the cast type.
        Invalid(m.With([RefType.AnyRef, Ref(1)], [RefType.AnyRef], new LocalGet(0), new LocalGet(1), new BrOnCastDescEq(0, RefType.AnyRef, Ex(0))),
            "type mismatch", "Instr_ok/br_on_cast_desc_eq");
        Invalid(m.With([Ref(2), Ref(3)], [Ref(2)], new LocalGet(0), new LocalGet(1), new BrOnCastDescEq(0, Ref(2), Ref(0))), "type mismatch");
        // One hierarchy, even when unreachable, but no subtyping between the two types is needed.
        Invalid(m.With([], [RefType.AnyRef], Unreachable.I, new BrOnCastDescEq(0, RefType.FuncRef, Ref(0))), "type mismatch");
        Valid(m.With([], [Ref(0)], Unreachable.I, new BrOnCastDescEq(0, RefType.I31Ref, Ref(0)), Drop.I, Unreachable.I));
    }

    [Test]
    public void Br_on_cast_desc_eq_fail_sends_the_rest_and_keeps_the_cast_type()
    {
        var m = Square();
        Valid(m.With([RefType.AnyRef, Ref(1)], [Ref(0, false)],
            new Block(new ValBlockType(RefType.AnyRef), [new LocalGet(0), new LocalGet(1), new BrOnCastDescEqFail(0, RefType.AnyRef, Ref(0, false)), Return.I]), Unreachable.I));
        Valid(m.With([RefType.AnyRef, Ex(1)], [Ex(0, false)],
            new Block(new ValBlockType(RefType.AnyRef), [new LocalGet(0), new LocalGet(1), new BrOnCastDescEqFail(0, RefType.AnyRef, Ex(0, false)), Return.I]), Unreachable.I));
        Invalid(m.With([RefType.AnyRef, Ref(1)], [Ref(0, false)],
            new LocalGet(0), new LocalGet(1), new BrOnCastDescEqFail(0, RefType.AnyRef, Ref(0, false))), "type mismatch", "Instr_ok/br_on_cast_desc_eq_fail");
        Invalid(m.With([RefType.AnyRef, Ref(1)], [RefType.AnyRef],
            new LocalGet(0), new LocalGet(1), new BrOnCastDescEqFail(0, RefType.AnyRef, Ex(0))), "type mismatch");
    }

    // ---- br_on_cast and br_on_cast_fail under the proposal ----

    [Test]
    public void Br_on_cast_needs_one_hierarchy_only_when_the_proposal_is_enabled()
    {
        var castUp = Func([], [RefType.AnyRef], Unreachable.I, new BrOnCast(0, RefType.EqRef, RefType.AnyRef));
        var castAcross = Func([], [RefType.AnyRef], Unreachable.I, new BrOnCastFail(0, RefType.StructRef, RefType.ArrayRef));
        var castOut = Func([], [RefType.FuncRef], Unreachable.I, new BrOnCast(0, RefType.AnyRef, RefType.FuncRef));
        Invalid(castUp, "type mismatch", "Instr_ok/br_on_cast", Features.Default);
        Invalid(castAcross, "type mismatch", "Instr_ok/br_on_cast_fail", Features.Default);
        var proposal = Features.Default with { CustomDescriptors = true };
        Valid(castUp, proposal);
        Valid(castAcross, proposal);
        Invalid(castOut, "type mismatch", "Instr_ok/br_on_cast", proposal);
    }

    [Test]
    public void Casts_and_tests_to_exact_types_are_valid()
    {
        var m = Types(FuncT([], []));
        Valid(m.With([RefType.FuncRef], [I32], new LocalGet(0), new RefTest(Ex(0, false))));
        Valid(m.With([RefType.FuncRef], [Ex(0, false)], new LocalGet(0), new RefCast(Ex(0, false))));
        Valid(m.With([RefType.FuncRef], [RefType.FuncRef], new LocalGet(0), new BrOnCast(0, RefType.FuncRef, Ex(0, false)), Drop.I, Unreachable.I));
        Invalid(m.With([RefType.AnyRef], [I32], new LocalGet(0), new RefTest(Ex(0, false))), "type mismatch");
    }
}

static class DescriptorBuild
{
    /// <summary>Adds a function of a new type to <paramref name="m"/>, the type's index counted over all rec groups' members.</summary>
    public static Module With(this Module m, ValType[] ps, ValType[] rs, params Instr[] body)
    {
        var x = (uint)m.Types.Sum(t => t.Rec.Subs.Length);
        return m with { Types = m.Types.Add(FuncT(ps, rs)), Funcs = m.Funcs.Add(new Func(x, [], new Expr([.. body]))) };
    }
}
