using NUnit.Framework;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class LiteralsTests
{
    [TestCase("0", 32, 0UL)]
    [TestCase("4294967295", 32, 0xFFFFFFFFUL)]
    [TestCase("0xffff_ffff", 32, 0xFFFFFFFFUL)]
    [TestCase("-1", 32, 0xFFFFFFFFUL)]
    [TestCase("-0x80000000", 32, 0x80000000UL)]
    [TestCase("+0x7fffffff", 32, 0x7FFFFFFFUL)]
    [TestCase("-128", 8, 0x80UL)]
    [TestCase("255", 8, 0xFFUL)]
    [TestCase("18446744073709551615", 64, ulong.MaxValue)]
    [TestCase("-9223372036854775808", 64, 0x8000000000000000UL)]
    public void IntegersInRange(string s, int bits, ulong expected)
    {
        Assert.That(Literals.TryParseI(s, bits, out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected));
    }

    [TestCase("4294967296", 32)]
    [TestCase("-2147483649", 32)]
    [TestCase("+0x80000000", 32)]
    [TestCase("256", 8)]
    [TestCase("-129", 8)]
    [TestCase("18446744073709551616", 64)]
    [TestCase("1__0", 32)]
    public void IntegersOutOfRangeOrMalformed(string s, int bits) =>
        Assert.That(Literals.TryParseI(s, bits, out _), Is.False);

    [Test]
    public void UnsignedRejectsSign() => Assert.That(Literals.TryParseU("+1", 32, out _), Is.False);

    [TestCase("0", 0x00000000U)]
    [TestCase("-0", 0x80000000U)]
    [TestCase("1", 0x3F800000U)]
    [TestCase("0.1", 0x3DCCCCCDU)]
    [TestCase("1e10", 0x501502F9U)]
    [TestCase("0x1p-149", 0x00000001U)]
    [TestCase("0x1p-150", 0x00000000U)]      // tie to even: zero
    [TestCase("0x1.8p-149", 0x00000002U)]    // tie to even: 2
    [TestCase("0x1.fffffep127", 0x7F7FFFFFU)]
    [TestCase("0x1.fffffefffffffffffp127", 0x7F7FFFFFU)]
    [TestCase("inf", 0x7F800000U)]
    [TestCase("-inf", 0xFF800000U)]
    [TestCase("nan", 0x7FC00000U)]
    [TestCase("-nan:0x1", 0xFF800001U)]
    [TestCase("nan:0x7f_ffff", 0x7FFFFFFFU)]
    [TestCase("1.e1", 0x41200000U)]
    [TestCase("+1125899973951489", 0x58800001U)] // 2^50 + 2^27 + 1 rounds up, no double rounding
    public void F32Bits(string s, uint expected)
    {
        Assert.That(Literals.TryParseF32(s, out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected), $"0x{v:x8}");
    }

    [TestCase("0x1p128")]
    [TestCase("0x1.ffffffp127")]
    [TestCase("1e39")]
    [TestCase("nan:0x0")]
    [TestCase("nan:0x800000")]
    public void F32OutOfRange(string s) => Assert.That(Literals.TryParseF32(s, out _), Is.False);

    [TestCase("0.1", 0x3FB999999999999AUL)]
    [TestCase("0x1p-1074", 1UL)]
    [TestCase("4.9406564584124654e-324", 1UL)]
    [TestCase("2.2250738585072011e-308", 0x000FFFFFFFFFFFFFUL)]
    [TestCase("1.7976931348623157e308", 0x7FEFFFFFFFFFFFFFUL)]
    [TestCase("nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFFUL)]
    [TestCase("-nan", 0xFFF8000000000000UL)]
    [TestCase("1e-400", 0UL)]
    [TestCase("0x0.0000000000001p-1022", 1UL)]
    public void F64Bits(string s, ulong expected)
    {
        Assert.That(Literals.TryParseF64(s, out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected), $"0x{v:x16}");
    }

    [TestCase("1.7976931348623159e308")]
    [TestCase("1e400")]
    [TestCase("nan:0x10000000000000")]
    public void F64OutOfRange(string s) => Assert.That(Literals.TryParseF64(s, out _), Is.False);

    [Test]
    public void F64AgreesWithTheRuntimeOnRandomDecimals()
    {
        var rng = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            double d = BitConverter.Int64BitsToDouble(rng.NextInt64() & 0x7FEFFFFFFFFFFFFF);
            string s = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");
            Assert.That(Literals.TryParseF64(s, out var v), Is.True, s);
            Assert.That(v, Is.EqualTo(BitConverter.DoubleToUInt64Bits(d)), s);
        }
    }

    [TestCase("1.5", true)]
    [TestCase("1.", true)]
    [TestCase(".5", false)]
    [TestCase("1e", false)]
    [TestCase("0x1.p2", true)]
    [TestCase("1_.0", false)]
    [TestCase("0x", false)]
    public void FloatSyntax(string s, bool ok) => Assert.That(Literals.IsFloat(s), Is.EqualTo(ok));
}
