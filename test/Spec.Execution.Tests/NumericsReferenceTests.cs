using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Spec.Execution.Tests.NumericsReference;

namespace Spec.Execution.Tests;

/// <summary>The test oracle's own rounding and literal reading, checked against the host's correctly rounded parser.</summary>
public class NumericsReferenceTests
{
    [Test]
    public void Decimal_literals_round_like_the_host_parser()
    {
        Prop.ForAll<ulong, int>((bits, digits) =>
        {
            double d = BitConverter.UInt64BitsToDouble(bits);
            if (!double.IsFinite(d)) return true;
            // A decimal string with 1..20 significant digits, usually not exactly representable.
            string s = d.ToString("E" + (Math.Abs(digits) % 20), CultureInfo.InvariantCulture);
            return ParseFloatBits(s, F64) == BitConverter.DoubleToUInt64Bits(double.Parse(s, CultureInfo.InvariantCulture))
                && ParseFloatBits(s, F32) == BitConverter.SingleToUInt32Bits(float.Parse(s, CultureInfo.InvariantCulture));
        }).Check(NumericsIntegerTests.Many);
    }

    [Test]
    public void Hex_literals_and_specials()
    {
        Assert.That(ParseFloatBits("0x1.fffffep+127", F32), Is.EqualTo(0x7F7F_FFFFUL));
        Assert.That(ParseFloatBits("0x1.ffffffp+127", F32), Is.EqualTo(0x7F80_0000UL)); // rounds to the limit
        Assert.That(ParseFloatBits("-0x1p-149", F32), Is.EqualTo(0x8000_0001UL));
        Assert.That(ParseFloatBits("0x1p-150", F32), Is.EqualTo(0UL));                // tie to even: zero
        Assert.That(ParseFloatBits("0x1.8p-149", F32), Is.EqualTo(2UL));              // tie to even: up
        Assert.That(ParseFloatBits("-nan:0x200000", F32), Is.EqualTo(0xFFA0_0000UL));
        Assert.That(ParseFloatBits("nan", F64), Is.EqualTo(0x7FF8_0000_0000_0000UL));
        Assert.That(ParseFloatBits("-inf", F64), Is.EqualTo(0xFFF0_0000_0000_0000UL));
        Assert.That(ParseFloatBits("1_000.5", F64), Is.EqualTo(BitConverter.DoubleToUInt64Bits(1000.5)));
        Assert.That(ParseIntBits("-0x8000_0000", 32), Is.EqualTo(0x8000_0000UL));
        Assert.That(ParseIntBits("18446744073709551615", 64), Is.EqualTo(ulong.MaxValue));
    }
}
