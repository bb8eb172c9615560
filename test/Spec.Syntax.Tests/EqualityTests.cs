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
}
