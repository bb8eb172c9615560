using NUnit.Framework;
using Spec.Syntax;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

public class ModuleTests
{
    static Global G(Mut mut, ValType t, params Instr[] init) => new(new GlobalType(mut, t), new Expr([.. init]));

    [Test]
    public void Global_initialisers_are_constant_expressions_of_their_type()
    {
        Valid(Module.Empty with { Globals = [G(Mut.Const, I32, I(1), I(2), new Binop(NumType.I32, BinOp.Mul))] });
        Invalid(Module.Empty with { Globals = [G(Mut.Const, I32, I(1), I(2), new Binop(NumType.I32, BinOp.DivS))] }, "constant expression required");
        Invalid(Module.Empty with { Globals = [G(Mut.Const, I32, L(1))] }, "type mismatch", "Expr_ok");
        Invalid(Module.Empty with { Globals = [G(Mut.Const, I32)] }, "type mismatch");
    }

    [Test]
    public void Global_get_in_constants_sees_earlier_immutable_globals_only()
    {
        Valid(Module.Empty with { Globals = [G(Mut.Const, I32, I(1)), G(Mut.Const, I32, new GlobalGet(0))] });
        Invalid(Module.Empty with { Globals = [G(Mut.Const, I32, new GlobalGet(1)), G(Mut.Const, I32, I(1))] }, "unknown global 1");
        Invalid(Module.Empty with
        {
            Imports = [new Import("m", "g", new GlobalExtern(new GlobalType(Mut.Var, I32)))],
            Globals = [G(Mut.Const, I32, new GlobalGet(0))],
        }, "constant expression required");
    }

    [Test]
    public void Errors_say_which_function_and_instruction_or_which_field()
    {
        // Pre-order: block is instruction 0, its body 1 and 2, then the failing binop is instruction 3.
        var e = Invalid(Func([], []).WithFunc([], [], new Block(ValBlockType.Empty, [I(1), Drop.I]), new Binop(NumType.I32, BinOp.Add)), "type mismatch", "Instr_ok/binop");
        Assert.That((e.FuncIndex, e.InstrIndex), Is.EqualTo(((int?)1, (int?)3)));
        Assert.That(e.Position, Is.EqualTo("func 1, instr 3"));
        var g = Invalid(Module.Empty with { Globals = [G(Mut.Const, I32, I(0)), G(Mut.Const, I64, I(0))] }, "type mismatch", "Expr_ok");
        Assert.That(g.Position, Is.EqualTo("global 1, instr 0"));
        Assert.That(g.FuncIndex, Is.Null);
        var t = Invalid(Module.Empty with { Types = [Build.Sub(Build.Struct()), Build.Sub(Build.Struct(Build.Imm(Build.Ref(5))))] }, "unknown type 5");
        Assert.That(t.Position, Is.EqualTo("type 1"));
    }

    [Test]
    public void Table_initialisers_see_imported_globals_only()
    {
        var table = new Table(new TableType(AddrType.I32, new Limits(1, null), RefType.FuncRef), new Expr([new GlobalGet(0)]));
        Invalid(Module.Empty with { Globals = [G(Mut.Const, RefType.FuncRef, new RefNull(HeapType.Func))], Tables = [table] }, "unknown global 0", "Instr_const/global.get");
        Valid(Module.Empty with { Imports = [new Import("m", "g", new GlobalExtern(new GlobalType(Mut.Const, RefType.FuncRef)))], Tables = [table] });
    }

    [Test]
    public void Limits_are_checked()
    {
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(2, 1)))] }, "size minimum must not be greater than maximum");
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(65537, null)))] }, "memory size");
        Valid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I64, new Limits(65537, null)))] });
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I64, new Limits((1UL << 48) + 1, null)))] }, "memory size");
        Invalid(Module.Empty with { Tables = [new Table(new TableType(AddrType.I32, new Limits(1UL << 32, null), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]))] }, "table size");
    }

    [Test]
    public void Custom_page_sizes_and_shared_memories()
    {
        Valid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(uint.MaxValue, null), PageSizeLog2: 0))] });
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(1UL << 32, null), PageSizeLog2: 0))] }, "memory size must be at most");
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(1, null), PageSizeLog2: 12))] }, "invalid custom page size");
        Invalid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(1, null), Shared: true))] }, "shared memory must have maximum");
        Valid(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(1, 2), Shared: true))] });
    }

    [Test]
    public void Export_names_are_unique()
    {
        var m = Func([], []) with { Exports = [new Export("a", new ExternIdx(ExternKind.Func, 0)), new Export("a", new ExternIdx(ExternKind.Func, 0))] };
        Invalid(m, "duplicate export name", "Module_ok");
        Invalid(m with { Exports = [new Export("a", new ExternIdx(ExternKind.Global, 0))] }, "unknown global 0");
    }

    [Test]
    public void Start_function_has_an_empty_type()
    {
        Valid(Func([], []) with { Start = new Start(0) });
        Invalid(Func([], [I32], I(0)) with { Start = new Start(0) }, "start function", "Start_ok");
        Invalid(Func([], []) with { Start = new Start(1) }, "unknown function 1");
    }

    [Test]
    public void Element_segments_match_their_table()
    {
        var table = new Table(new TableType(AddrType.I32, new Limits(1, null), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]));
        Valid(Module.Empty with { Tables = [table], Elems = [new Elem(RefType.FuncRef, [new Expr([new RefNull(HeapType.Func)])], new ElemActive(0, new Expr([I(0)])))] });
        Invalid(Module.Empty with { Tables = [table], Elems = [new Elem(RefType.ExternRef, [], new ElemActive(0, new Expr([I(0)])))] }, "type mismatch");
        Invalid(Module.Empty with { Tables = [table], Elems = [new Elem(RefType.FuncRef, [new Expr([new RefNull(HeapType.Extern)])], ElemPassive.I)] }, "type mismatch");
        Invalid(Module.Empty with { Elems = [new Elem(RefType.FuncRef, [], new ElemActive(0, new Expr([I(0)])))] }, "unknown table 0");
    }

    [Test]
    public void Active_data_needs_a_memory_and_an_address_offset()
    {
        Invalid(Module.Empty with { Datas = [new Data([], new DataActive(0, new Expr([I(0)])))] }, "unknown memory 0");
        var m64 = Module.Empty with { Mems = [new Mem(new MemType(AddrType.I64, new Limits(1, null)))] };
        Valid(m64 with { Datas = [new Data([], new DataActive(0, new Expr([L(0)])))] });
        Invalid(m64 with { Datas = [new Data([], new DataActive(0, new Expr([I(0)])))] }, "type mismatch");
    }

    [Test]
    public void Module_type_lists_closed_imports_and_exports()
    {
        var m = Func([], []) with
        {
            Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0)))],
            Exports = [new Export("g", new ExternIdx(ExternKind.Func, 1))],
        };
        var mt = Valid(m);
        Assert.That(mt.Imports, Has.Length.EqualTo(1));
        Assert.That(mt.Exports[0], Is.TypeOf<FuncExtern>());
        Assert.That(((FuncExtern)mt.Exports[0]).Type, Is.SameAs(mt.Types[0]));
        // A defined function is exported exactly (custom descriptors proposal): it satisfies the inexact import, not vice versa.
        Assert.That(((FuncExtern)mt.Exports[0]).Exact, Is.True);
        Assert.That(Types.Matches(mt.Exports[0], mt.Imports[0]), Is.True);
        Assert.That(Types.Matches(mt.Imports[0], mt.Exports[0]), Is.False);
        Assert.That(mt.Funcs, Has.Length.EqualTo(2));
        Assert.That(mt.Funcs[0], Is.SameAs(mt.Types[0]));
    }
}

public class TypeTests
{
    [Test]
    public void Equal_rec_groups_canonicalise_to_the_same_deftype()
    {
        // Two modules each defining (rec (struct (ref null 0))): their types are the same object.
        var m = Module.Empty with { Types = [Build.Rec(Build.Struct(Build.Imm(Build.Ref(0))))] };
        var a = Valid(m).Types[0];
        var b = Valid(m).Types[0];
        Assert.That(a, Is.SameAs(b));
        // A group of the same shape but a different field type is a different type.
        var c = Valid(Module.Empty with { Types = [Build.Rec(Build.Struct(Build.Var(Build.Ref(0))))] }).Types[0];
        Assert.That(Types.Equal(a, c), Is.False);
    }

    [Test]
    public void Iso_recursive_equivalence_respects_group_position()
    {
        // (rec (struct) (struct)) — the two members are different types, though structurally alike.
        var mt = Valid(Module.Empty with { Types = [Build.Rec(Build.Struct(), Build.Struct())] });
        Assert.That(Types.Equal(mt.Types[0], mt.Types[1]), Is.False);
        // A standalone (struct) is again different from a member of a two-element group.
        var single = Valid(Module.Empty with { Types = [Build.Sub(Build.Struct())] }).Types[0];
        Assert.That(Types.Equal(single, mt.Types[0]), Is.False);
    }

    [Test]
    public void Types_from_separately_declared_equal_groups_are_interchangeable()
    {
        // Types 0 and 1 are both (func), declared separately: a (ref null 1) serves where a (ref null 0) is expected.
        var m = Module.Empty with
        {
            Types = [Build.FuncT([], []), Build.FuncT([], []), Build.FuncT([], [Build.Ref(0)])],
            Funcs = [new Func(2, [], new Expr([new RefNull(new TypeIdx(1))]))],
        };
        Valid(m);
        // Whereas a struct type is no function type.
        Invalid(m with { Types = [Build.FuncT([], []), Build.Sub(Build.Struct()), Build.FuncT([], [Build.Ref(0)])] }, "type mismatch");
    }

    [Test]
    public void Subtypes_must_match_and_not_extend_final_types()
    {
        Invalid(Module.Empty with { Types = [Build.Sub(Build.Struct()), Build.Sub(Build.Open(Build.Struct(), 0))] }, "sub type", "Subtype_ok");
        Valid(Module.Empty with { Types = [Build.Sub(Build.Open(Build.Struct())), Build.Sub(Build.Open(Build.Struct(Build.Imm(Build.I32)), 0))] });
        Invalid(Module.Empty with { Types = [Build.Sub(Build.Open(Build.Struct(Build.Imm(Build.I32)))), Build.Sub(Build.Open(Build.Struct(Build.Imm(Build.I64)), 0))] }, "sub type");
        Invalid(Module.Empty with { Types = [Build.Sub(Build.Open(Build.Array(Build.Var(Build.I32)))), Build.Sub(Build.Open(Build.Struct(), 0))] }, "sub type");
    }

    [Test]
    public void Type_indices_must_be_defined()
    {
        Invalid(Module.Empty with { Types = [Build.Sub(Build.Struct(Build.Imm(Build.Ref(1))))] }, "unknown type 1");
        // Inside one rec group, later members may be referenced.
        Valid(Module.Empty with { Types = [Build.Rec(Build.Struct(Build.Imm(Build.Ref(1))), Build.Struct(Build.Imm(Build.Ref(0))))] });
    }

    [Test]
    public void Heap_type_lattice()
    {
        Assert.That(Types.Matches(HeapType.None, HeapType.Any), Is.True);
        Assert.That(Types.Matches(HeapType.I31, HeapType.Eq), Is.True);
        Assert.That(Types.Matches(HeapType.NoFunc, HeapType.Any), Is.False);
        Assert.That(Types.Matches(HeapType.Any, HeapType.Eq), Is.False);
        Assert.That(Types.Matches(HeapType.NoExtern, HeapType.Extern), Is.True);
        Assert.That(Types.Matches(HeapType.NoExn, HeapType.Exn), Is.True);
        Assert.That(Types.Matches(new RefType(false, HeapType.Func), RefType.FuncRef), Is.True);
        Assert.That(Types.Matches(RefType.FuncRef, new RefType(false, HeapType.Func)), Is.False);
    }
}

public class FacadeTests
{
    [Test]
    public void Deftypes_built_outside_validation_are_canonicalised_deeply()
    {
        // (struct) and (struct (ref null <that struct>)), built twice by hand: equal, though different objects.
        static DefType Make()
        {
            var inner = new DefType(new RecType([Build.Struct()]), 0);
            return new DefType(new RecType([Build.Struct(Build.Imm(new RefType(true, inner)))]), 0);
        }
        var a = Make();
        var b = Make();
        Assert.That(a, Is.Not.SameAs(b));
        Assert.That(Types.Equal(a, b), Is.True);
        Assert.That(Types.Matches(new RefType(false, a), new RefType(true, b)), Is.True);
        // And equal to the same type coming out of validation.
        var mt = Build.Valid(Module.Empty with { Types = [Build.Sub(Build.Struct()), Build.Sub(Build.Struct(Build.Imm(Build.Ref(0))))] });
        Assert.That(Types.Equal(mt.Types[1], a), Is.True);
        Assert.That(Types.Expand(mt.Types[1]), Is.TypeOf<StructType>());
    }

    [Test]
    public void Import_matching_follows_externtype_subtyping()
    {
        var small = new MemExtern(new MemType(AddrType.I32, new Limits(1, 2)));
        var large = new MemExtern(new MemType(AddrType.I32, new Limits(0, null)));
        Assert.That(Types.Matches(small, large), Is.True);
        Assert.That(Types.Matches(large, small), Is.False);
        Assert.That(Types.Matches(new GlobalExtern(new GlobalType(Mut.Var, RefType.FuncRef)), new GlobalExtern(new GlobalType(Mut.Var, RefType.AnyRef))), Is.False);
        Assert.That(Types.Matches(new GlobalExtern(new GlobalType(Mut.Const, RefType.NullFuncRef)), new GlobalExtern(new GlobalType(Mut.Const, RefType.FuncRef))), Is.True);
    }
}
