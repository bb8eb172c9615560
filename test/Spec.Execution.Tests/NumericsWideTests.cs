using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Spec.Execution.Numerics;

namespace Spec.Execution.Tests;

// The wide-arithmetic proposal's operators, against exact big-integer arithmetic modulo 2^128.
public class NumericsWideTests
{
    static readonly Config Many = NumericsIntegerTests.Many;
    static readonly BigInteger Two64 = BigInteger.One << 64, Two128 = BigInteger.One << 128;

    static BigInteger Wide(ulong lo, ulong hi) => new BigInteger(hi) * Two64 + lo;

    static (ulong, ulong) Halves(BigInteger v)
    {
        v = ((v % Two128) + Two128) % Two128;
        return ((ulong)(v % Two64), (ulong)(v / Two64));
    }

    [Test]
    public void Add128_carries_from_the_low_half_into_the_high_half()
    {
        Assert.That(i64_add128(ulong.MaxValue, 0, 1, 0), Is.EqualTo((0UL, 1UL)));
        Assert.That(i64_add128(ulong.MaxValue, 5, ulong.MaxValue, 7), Is.EqualTo((ulong.MaxValue - 1, 13UL)));
        Assert.That(i64_add128(ulong.MaxValue, ulong.MaxValue, 1, 0), Is.EqualTo((0UL, 0UL)), "wraps modulo 2^128");
        Assert.That(i64_add128(1, 2, 3, 4), Is.EqualTo((4UL, 6UL)));
    }

    [Test]
    public void Sub128_borrows_from_the_high_half()
    {
        Assert.That(i64_sub128(0, 1, 1, 0), Is.EqualTo((ulong.MaxValue, 0UL)));
        Assert.That(i64_sub128(0, 0, 1, 0), Is.EqualTo((ulong.MaxValue, ulong.MaxValue)), "wraps below zero");
        Assert.That(i64_sub128(0, 0, 1, 1), Is.EqualTo((ulong.MaxValue, ulong.MaxValue - 1)));
        Assert.That(i64_sub128(2, 5, 1, 2), Is.EqualTo((1UL, 3UL)));
    }

    [Test]
    public void Mul_wide_is_exact_at_the_extremes()
    {
        const ulong max = ulong.MaxValue, min = 1UL << 63;
        Assert.That(i64_mul_wide_u(max, max), Is.EqualTo((1UL, max - 1)), "(2^64-1)^2 = 2^128 - 2^65 + 1");
        Assert.That(i64_mul_wide_s(max, max), Is.EqualTo((1UL, 0UL)), "(-1)(-1) = 1");
        Assert.That(i64_mul_wide_s(max, 1), Is.EqualTo((max, max)), "-1 sign-extends into the high half");
        Assert.That(i64_mul_wide_u(max, 1), Is.EqualTo((max, 0UL)));
        Assert.That(i64_mul_wide_s(min, min), Is.EqualTo((0UL, 1UL << 62)), "(-2^63)^2 = 2^126");
        Assert.That(i64_mul_wide_s(min, max), Is.EqualTo((min, 0UL)), "(-2^63)(-1) = 2^63 needs the high half");
        Assert.That(i64_mul_wide_u(min, min), Is.EqualTo((0UL, 1UL << 62)));
        Assert.That(i64_mul_wide_s(min, 1UL << 62 | (1UL << 62) - 1), Is.EqualTo(Halves(-(BigInteger.One << 63) * long.MaxValue)));
    }

    [Test]
    public void All_four_agree_with_exact_arithmetic()
    {
        Check.One(Many, Prop.ForAll<(ulong, ulong), (ulong, ulong)>((x, y) =>
        {
            var ((a, b), (c, d)) = (x, y);
            return i64_add128(a, b, c, d) == Halves(Wide(a, b) + Wide(c, d))
            && i64_sub128(a, b, c, d) == Halves(Wide(a, b) - Wide(c, d))
            && i64_mul_wide_u(a, c) == Halves(new BigInteger(a) * c)
            && i64_mul_wide_s(a, c) == Halves(new BigInteger((long)a) * (long)c);
        }));
    }
}
