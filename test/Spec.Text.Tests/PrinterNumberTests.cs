using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>Numbers and strings as the printer writes them read back to the same bits and bytes.</summary>
public class PrinterNumberTests
{
    static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(5000);

    // Bit patterns weighted towards the classes printed differently: zeros, subnormals, infinities, NaNs.
    static Gen<ulong> FloatBits(int expBits, int sigBits)
    {
        var sigMask = (1UL << sigBits) - 1;
        var expMax = (1UL << expBits) - 1;
        var any = Gen.Choose(0, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 33) ^ ((ulong)(uint)t.Item2 << 2) ^ (uint)t.Item1);
        Gen<ulong> WithExp(ulong exp) => any.Select(b => (b & (1UL << (expBits + sigBits)) | b & sigMask) | exp << sigBits);
        return Gen.OneOf(
            any.Select(b => b & ((1UL << (expBits + sigBits + 1)) - 1)),
            WithExp(0),
            WithExp(expMax),
            any.Select(b => (b & (1UL << (expBits + sigBits))) | expMax << sigBits),
            any.Select(b => b & (1UL << (expBits + sigBits))));
    }

    /// <summary>An independent reader for what the printer writes: [-](inf | nan | nan:0xH | 0xH(.H)?p±D).</summary>
    static ulong ReadFloat(string s, int expBits, int sigBits)
    {
        var neg = s.StartsWith('-');
        var m = neg ? s[1..] : s;
        var signBit = neg ? 1UL << (expBits + sigBits) : 0;
        var expMax = (1UL << expBits) - 1;
        if (m == "inf") return signBit | expMax << sigBits;
        if (m == "nan") return signBit | expMax << sigBits | 1UL << (sigBits - 1);
        if (m.StartsWith("nan:0x")) return signBit | expMax << sigBits | ulong.Parse(m[6..], NumberStyles.HexNumber);
        Assert.That(m, Does.Match("^0x[01](\\.[0-9a-f]*[1-9a-f])?p[+-][0-9]+$"));
        var p = m.IndexOf('p');
        var mantissa = m[2..p].Replace(".", "");
        var fracDigits = m[2..p].Contains('.') ? m.Length - m.IndexOf('.') - 1 - (m.Length - p) : 0;
        var value = BigInteger.Parse("0" + mantissa, NumberStyles.HexNumber);
        var exp = int.Parse(m[(p + 1)..], CultureInfo.InvariantCulture) - 4 * fracDigits;
        // value * 2^exp is exact in double for both formats; convert and narrow without rounding.
        var d = Math.ScaleB((double)value, exp);
        if (expBits == 8)
        {
            var f = (float)d;
            Assert.That((double)f, Is.EqualTo(d), "an f32 literal must be exactly representable");
            return signBit | (BitConverter.SingleToUInt32Bits(f) & 0x7fffffffu);
        }
        return signBit | (BitConverter.DoubleToUInt64Bits(d) & 0x7fffffffffffffffUL);
    }

    [Test]
    public void F32_literals_read_back_to_the_same_bits()
    {
        Check.One(Many, Prop.ForAll(FloatBits(8, 23).Select(b => (uint)b).ToArbitrary(), bits =>
        {
            var s = Printer.F32(bits);
            Assert.That(ReadFloat(s, 8, 23), Is.EqualTo((ulong)bits), s);
            Assert.That(Literals.TryParseF32(s, out var parsed), Is.True, s);
            Assert.That(parsed, Is.EqualTo(bits), s);
        }));
    }

    [Test]
    public void F64_literals_read_back_to_the_same_bits()
    {
        Check.One(Many, Prop.ForAll(FloatBits(11, 52).ToArbitrary(), bits =>
        {
            var s = Printer.F64(bits);
            Assert.That(ReadFloat(s, 11, 52), Is.EqualTo(bits), s);
            Assert.That(Literals.TryParseF64(s, out var parsed), Is.True, s);
            Assert.That(parsed, Is.EqualTo(bits), s);
        }));
    }

    [TestCase(0x3f800000u, "0x1p+0")]
    [TestCase(0x80000000u, "-0x0p+0")]
    [TestCase(0x00000000u, "0x0p+0")]
    [TestCase(0x7f800000u, "inf")]
    [TestCase(0xff800000u, "-inf")]
    [TestCase(0x7fc00000u, "nan")]
    [TestCase(0xffc00000u, "-nan")]
    [TestCase(0x7f800001u, "nan:0x1")]
    [TestCase(0xff9abcdeu, "-nan:0x1abcde")]
    [TestCase(0x00000001u, "0x0.000002p-126")]
    [TestCase(0x7f7fffffu, "0x1.fffffep+127")]
    [TestCase(0xc0490fdbu, "-0x1.921fb6p+1")]
    public void F32_literal_forms(uint bits, string expected) => Assert.That(Printer.F32(bits), Is.EqualTo(expected));

    [TestCase(0x3ff0000000000000UL, "0x1p+0")]
    [TestCase(0x0000000000000001UL, "0x0.0000000000001p-1022")]
    [TestCase(0x7ff8000000000000UL, "nan")]
    [TestCase(0x7ff0000000000001UL, "nan:0x1")]
    [TestCase(0xfff4000000000000UL, "-nan:0x4000000000000")]
    [TestCase(0x400921fb54442d18UL, "0x1.921fb54442d18p+1")]
    public void F64_literal_forms(ulong bits, string expected) => Assert.That(Printer.F64(bits), Is.EqualTo(expected));

    [Test]
    public void Integers_read_back_to_the_same_bits()
    {
        Check.One(Many, Prop.ForAll(FloatBits(11, 52).ToArbitrary(), bits =>
        {
            Assert.That(Literals.TryParseI(Printer.I64(bits), 64, out var v64), Is.True);
            Assert.That(v64, Is.EqualTo(bits));
            Assert.That(Literals.TryParseI(Printer.I32((uint)bits), 32, out var v32), Is.True);
            Assert.That(v32, Is.EqualTo((ulong)(uint)bits));
        }));
    }

    [Test]
    public void Strings_escape_exactly_the_bytes_that_need_it()
    {
        Assert.That(Printer.String("a\"b\\c\n"u8), Is.EqualTo("\"a\\22b\\5cc\\0a\""));
        Assert.That(Printer.String([0x00, 0x7f, 0x80, 0xff, 0x20, 0x7e]), Is.EqualTo("\"\\00\\7f\\80\\ff ~\""));
    }

    [Test]
    public void Every_byte_sequence_survives_a_string()
    {
        Check.One(Many, Prop.ForAll<byte[]>(bytes =>
        {
            var s = Printer.String(bytes);
            var back = new List<byte>();
            for (var i = 1; i < s.Length - 1; i++)
                if (s[i] == '\\') { back.Add(byte.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber)); i += 2; }
                else back.Add((byte)s[i]);
            Assert.That(s[0], Is.EqualTo('"'));
            Assert.That(s[^1], Is.EqualTo('"'));
            Assert.That(back, Is.EqualTo(bytes));
        }));
    }

    [TestCase("f", "$f")]
    [TestCase("a.b/c:d", "$a.b/c:d")]
    [TestCase("with space", "$\"with space\"")]
    [TestCase("é", "$\"\\c3\\a9\"")]
    [TestCase("q\"", "$\"q\\22\"")]
    public void Identifiers_are_plain_or_quoted(string name, string expected) => Assert.That(Printer.Id(name), Is.EqualTo(expected));
}
