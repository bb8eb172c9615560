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

public class LiteralsRobustnessTests
{
    [Test]
    public void VeryLongMantissasRoundCorrectlyAndQuickly()
    {
        // 1 followed by 5000 zeros and a final 1, times 10^-5001: just above 0.1.
        var s = "0." + "1" + new string('0', 5000) + "1";
        Assert.That(Literals.TryParseF64(s, out var v), Is.True);
        Assert.That(v, Is.EqualTo(BitConverter.DoubleToUInt64Bits(0.1)));
        // The f64 halfway point between 1 and its successor, then a sticky digit far away: rounds up.
        var half = "1.00000000000000011102230246251565404236316680908203125" + new string('0', 3000) + "1";
        Assert.That(Literals.TryParseF64(half, out v), Is.True);
        Assert.That(v, Is.EqualTo(0x3FF0000000000001UL));
        // Exactly halfway: ties to even (stays 1).
        Assert.That(Literals.TryParseF64("1.00000000000000011102230246251565404236316680908203125", out v), Is.True);
        Assert.That(v, Is.EqualTo(0x3FF0000000000000UL));
        var hex = "0x1." + new string('0', 200) + "1p0";
        Assert.That(Literals.TryParseF32(hex, out var f), Is.True);
        Assert.That(f, Is.EqualTo(0x3F800000U));
        Assert.That(Literals.TryParseF64("1e1000000000000000000", out _), Is.False);
        Assert.That(Literals.TryParseF64("1e-1000000000000000000", out v), Is.True);
        Assert.That(v, Is.EqualTo(0UL));
    }
}

public class VectorLiteralsTests
{
    [Test]
    public void ShapesLanesAndPacking()
    {
        Assert.That(VectorLiterals.Shape("i16x8"), Is.EqualTo((16, false)));
        Assert.That(VectorLiterals.Shape("f64x2"), Is.EqualTo((64, true)));
        Assert.That(VectorLiterals.Shape("i8x8"), Is.Null);
        Assert.That(VectorLiterals.TryParseLane("-1", 16, false, out var b) && b == 0xFFFF, Is.True);
        Assert.That(VectorLiterals.TryParseLane("65536", 16, false, out _), Is.False);
        Assert.That(VectorLiterals.TryParseLane("-0", 32, true, out b) && b == 0x80000000, Is.True);
        Assert.That(VectorLiterals.Pack(16, [1, 2, 3, 4, 5, 6, 7, 0xFFFF]), Is.EqualTo(new Spec.Syntax.V128(0x0004000300020001, 0xFFFF000700060005)));
    }
}

public class LiteralsAgainstTheRuntimeTests
{
    private static string RandomDecimal(Random rng)
    {
        var digits = new string(Enumerable.Range(0, 1 + rng.Next(30)).Select(_ => (char)('0' + rng.Next(10))).ToArray());
        int point = rng.Next(digits.Length + 1);
        var mant = digits[..point] + "." + digits[point..];
        if (mant.StartsWith('.')) mant = "0" + mant;
        return $"{mant}e{rng.Next(-60, 60) - (rng.Next(2) == 0 ? 0 : 270) * rng.Next(2)}";
    }

    /// <summary>.NET parses decimal strings with correct IEEE rounding; both widths must agree with it bit for bit.</summary>
    [Test]
    public void RandomDecimalStringsRoundLikeTheRuntime()
    {
        var rng = new Random(11);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        for (int i = 0; i < 20000; i++)
        {
            var s = RandomDecimal(rng);
            double d = double.Parse(s, inv);
            float f = float.Parse(s, inv);
            if (!double.IsInfinity(d))
            {
                Assert.That(Literals.TryParseF64(s, out var bits), Is.True, s);
                Assert.That(bits, Is.EqualTo(BitConverter.DoubleToUInt64Bits(d)), s);
            }
            else Assert.That(Literals.TryParseF64(s, out _), Is.False, s);
            if (!float.IsInfinity(f))
            {
                Assert.That(Literals.TryParseF32(s, out var fb), Is.True, s);
                Assert.That(fb, Is.EqualTo(BitConverter.SingleToUInt32Bits(f)), s);
            }
            else Assert.That(Literals.TryParseF32(s, out _), Is.False, s);
        }
    }

    /// <summary>Hex floats m * 2^e with m below 2^53 and a normal result are exact: they must equal the scaled double.</summary>
    [Test]
    public void RandomHexFloatsRoundCorrectly()
    {
        var rng = new Random(5);
        for (int i = 0; i < 20000; i++)
        {
            ulong m = (ulong)rng.NextInt64(1, 1L << 53);
            int e = rng.Next(-1022, 970);
            double expected = Math.ScaleB((double)m, e);
            var s = $"0x{m:x}p{e}";
            Assert.That(Literals.TryParseF64(s, out var bits), Is.True, s);
            Assert.That(bits, Is.EqualTo(BitConverter.DoubleToUInt64Bits(expected)), s);
        }
    }
}
