using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Syntax.Tests;

public class EqualityTests
{
    static Func F(params Instr[] body) => new(0, [new Local(ValType.I32)], new Expr([.. body]));

    [Test]
    public void Records_holding_sequences_compare_by_elements()
    {
        var a = F(new Block(ValBlockType.Empty, [new Br(0), Const.I32(1)]));
        var b = F(new Block(ValBlockType.Empty, [new Br(0), Const.I32(1)]));
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
    }

    [Test]
    public void A_differing_element_deep_inside_makes_modules_differ()
    {
        var m1 = Module.Empty with { Funcs = [F(new Block(ValBlockType.Empty, [Const.I32(1)]))] };
        var m2 = Module.Empty with { Funcs = [F(new Block(ValBlockType.Empty, [Const.I32(2)]))] };
        Assert.That(m1, Is.Not.EqualTo(m2));
    }

    [Test]
    public void Float_constants_compare_by_bits_so_nan_payloads_count()
    {
        Assert.That(new Const(NumType.F32, 0x7fc00000), Is.Not.EqualTo(new Const(NumType.F32, 0x7fc00001)));
        Assert.That(Const.F64(-0.0), Is.Not.EqualTo(Const.F64(0.0)));
    }

    [Test]
    public void Default_and_empty_sequences_are_equal()
    {
        Assert.That(new FuncType(default, []), Is.EqualTo(new FuncType([], ImmutableArray<ValType>.Empty)));
    }

    [Test]
    public void Typed_and_untyped_select_differ()
    {
        Assert.That(new Select(null), Is.Not.EqualTo(new Select(ImmutableArray<ValType>.Empty)));
        Assert.That(new Select([ValType.I32]), Is.EqualTo(new Select([ValType.I32])));
    }

    /// <summary>Blocks nested <paramref name="depth"/> deep, alternating the nesting forms, around <paramref name="innermost"/>.</summary>
    static Instr Nested(int depth, Instr innermost)
    {
        Instr i = innermost;
        for (int d = 0; d < depth; d++)
            i = (d % 4) switch
            {
                0 => new Block(ValBlockType.Empty, [i]),
                1 => new If(ValBlockType.Empty, [Nop.I], [i]),
                2 => new TryTable(ValBlockType.Empty, [new CatchAll(0)], [i]),
                _ => new LegacyTry(ValBlockType.Empty, [Nop.I], [new LegacyCatch(0, [i])], null),
            };
        return i;
    }

    [Test]
    public void Instructions_nested_a_million_deep_compare_and_hash_without_recursion()
    {
        var a = Nested(1_000_000, Const.I32(1));
        var b = Nested(1_000_000, Const.I32(1));
        Assert.That(a.Equals(b), Is.True);
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a.Equals(Nested(1_000_000, Const.I32(2))), Is.False);
        Assert.That(a.Equals(Nested(999_999, Const.I32(1))), Is.False);
    }
}
