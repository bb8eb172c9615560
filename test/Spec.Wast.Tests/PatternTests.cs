using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Wast.Tests;

public class PatternTests
{
    [TestCase(0x7fc0_0000u, true, true)]
    [TestCase(0xffc0_0000u, true, true)]
    [TestCase(0x7fc0_0001u, false, true)]
    [TestCase(0x7fe0_0000u, false, true)]
    [TestCase(0x7fa0_0000u, false, false)] // signalling
    [TestCase(0x7f80_0000u, false, false)] // infinity
    [TestCase(0x3f80_0000u, false, false)]
    public void F32_nan_classes(uint bits, bool canonical, bool arithmetic)
    {
        Assert.That(Patterns.IsNan(NumType.F32, bits, NanKind.Canonical), Is.EqualTo(canonical));
        Assert.That(Patterns.IsNan(NumType.F32, bits, NanKind.Arithmetic), Is.EqualTo(arithmetic));
    }

    [TestCase(0x7ff8_0000_0000_0000ul, true, true)]
    [TestCase(0xfff8_0000_0000_0000ul, true, true)]
    [TestCase(0x7ff8_0000_0000_0001ul, false, true)]
    [TestCase(0x7ff0_0000_0000_0001ul, false, false)]
    [TestCase(0x7ff0_0000_0000_0000ul, false, false)]
    public void F64_nan_classes(ulong bits, bool canonical, bool arithmetic)
    {
        Assert.That(Patterns.IsNan(NumType.F64, bits, NanKind.Canonical), Is.EqualTo(canonical));
        Assert.That(Patterns.IsNan(NumType.F64, bits, NanKind.Arithmetic), Is.EqualTo(arithmetic));
    }

    [Test]
    public void Numbers_match_bit_for_bit_and_by_type()
    {
        Assert.That(Patterns.Matches(new NumPattern(NumType.F32, 0x8000_0000), new NumArg(NumType.F32, 0x8000_0000)), Is.True);
        Assert.That(Patterns.Matches(new NumPattern(NumType.F32, 0x8000_0000), new NumArg(NumType.F32, 0)), Is.False);
        Assert.That(Patterns.Matches(new NumPattern(NumType.I32, 1), new NumArg(NumType.I64, 1)), Is.False);
        Assert.That(Patterns.Matches(new NanPattern(NumType.F64, NanKind.Canonical), new NumArg(NumType.F32, 0x7fc0_0000)), Is.False);
    }

    [Test]
    public void Vector_lanes_match_per_lane_with_nan_patterns()
    {
        var p = WastParser.Parse("t", "(assert_return (invoke \"f\") (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -1))").Commands[0];
        var pattern = ((AssertReturn)p).Results[0];
        var good = new V128(0x3f80_0000_7fc0_0000, 0xbf80_0000_7fc0_0001);
        Assert.That(Patterns.Matches(pattern, new VecArg(good)), Is.True);
        Assert.That(Patterns.Matches(pattern, new VecArg(good with { Lo = 0x3f80_0000_7fc0_0001 })), Is.False);
        Assert.That(Patterns.Matches(pattern, new VecArg(good with { Hi = 0xbf80_0000_7f80_0000 })), Is.False);
        var ints = ((AssertReturn)WastParser.Parse("t", "(assert_return (invoke \"f\") (v128.const i16x8 -1 1 2 3 4 5 6 0x8000))").Commands[0]).Results[0];
        Assert.That(Patterns.Matches(ints, new VecArg(new V128(0x0003_0002_0001_ffff, 0x8000_0006_0005_0004))), Is.True);
    }

    [Test]
    public void Lanes_are_read_little_endian()
    {
        var v = new V128(0x0807_0605_0403_0201, 0x100f_0e0d_0c0b_0a09);
        Assert.That(Patterns.Lane(v, 0, 8), Is.EqualTo(1));
        Assert.That(Patterns.Lane(v, 15, 8), Is.EqualTo(0x10));
        Assert.That(Patterns.Lane(v, 3, 32), Is.EqualTo(0x100f_0e0d));
        Assert.That(Patterns.Lane(v, 1, 64), Is.EqualTo(0x100f_0e0d_0c0b_0a09));
    }

    [Test]
    public void References_match_by_kind_and_subtyping()
    {
        Assert.That(Patterns.Matches(new RefNullPattern(null), new RefNullArg(HeapType.Func)), Is.True);
        Assert.That(Patterns.Matches(new RefNullPattern(null), new RefArg(AbsHeapType.Func)), Is.False);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Eq), new RefArg(AbsHeapType.I31)), Is.True);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Any), new RefArg(AbsHeapType.Struct)), Is.True);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Any), new RefHostArg(1)), Is.True);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Eq), new RefHostArg(1)), Is.False);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Struct), new RefArg(AbsHeapType.Array)), Is.False);
        Assert.That(Patterns.Matches(new RefKindPattern(AbsHeapType.Func), new RefNullArg(HeapType.Func)), Is.False);
        Assert.That(Patterns.Matches(new RefExternPattern(2), new RefExternArg(2)), Is.True);
        Assert.That(Patterns.Matches(new RefExternPattern(2), new RefExternArg(3)), Is.False);
        Assert.That(Patterns.Matches(new RefExternPattern(null), new RefArg(AbsHeapType.Extern)), Is.True);
        Assert.That(Patterns.Matches(new RefHostPattern(1), new RefExternArg(1)), Is.False);
    }

    [Test]
    public void Either_matches_any_alternative()
    {
        var p = new EitherPattern([new NumPattern(NumType.I32, 1), new NumPattern(NumType.I32, 2)]);
        Assert.That(Patterns.Matches(p, new NumArg(NumType.I32, 2)), Is.True);
        Assert.That(Patterns.Matches(p, new NumArg(NumType.I32, 3)), Is.False);
    }

    /// <summary>(either ... (either <paramref name="innermost"/> (i32.const 2)) ... (i32.const 2)), <paramref name="depth"/> deep.</summary>
    static ResultPattern Either(int depth, ResultPattern innermost)
    {
        for (int d = 0; d < depth; d++) innermost = new EitherPattern([new NumPattern(NumType.I32, 2), innermost]);
        return innermost;
    }

    [Test]
    public void Either_patterns_nested_a_million_deep_match_without_recursion()
    {
        var p = Either(1_000_000, new NumPattern(NumType.I32, 1));
        Assert.That(Patterns.Matches(p, new NumArg(NumType.I32, 1)), Is.True);
        Assert.That(Patterns.Matches(p, new NumArg(NumType.I32, 2)), Is.True);
        Assert.That(Patterns.Matches(p, new NumArg(NumType.I32, 3)), Is.False);
    }

    [Test]
    public void A_pattern_is_shown_whole_up_to_a_bound_and_cut_short_beyond()
    {
        Assert.That(Patterns.Show(Either(2, new NumPattern(NumType.I32, 1))),
            Is.EqualTo("(either (i32.const 2) (either (i32.const 2) (i32.const 1)))"));
        var shown = Patterns.Show(Either(1_000_000, new NumPattern(NumType.I32, 1)));
        Assert.That(shown, Does.StartWith("(either (i32.const 2) (either (i32.const 2) ").And.EndWith("..."));
        Assert.That(shown.Length, Is.InRange(Patterns.ShownLength, Patterns.ShownLength + 50));
    }
}
