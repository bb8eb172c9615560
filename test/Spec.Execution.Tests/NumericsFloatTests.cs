using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Spec.Execution.Numerics;
using static Spec.Execution.Tests.NumericsReference;

namespace Spec.Execution.Tests;

public class NumericsFloatTests
{
    static readonly Config Many = NumericsIntegerTests.Many;

    static float F(uint b) => BitConverter.UInt32BitsToSingle(b);
    static double D(ulong b) => BitConverter.UInt64BitsToDouble(b);
    static uint B(float z) => BitConverter.SingleToUInt32Bits(z);
    static ulong B(double z) => BitConverter.DoubleToUInt64Bits(z);

    // Random bit patterns hit every class of float; every few draws is replaced by a special value.
    static readonly uint[] Specials32 =
    [
        0x0000_0000, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0x7F80_0001,
        0xFFFF_FFFF, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x3F80_0000, 0xBF80_0000, 0x3F00_0000,
        0xBF00_0000, 0x3FC0_0000, 0x4B00_0000, 0x4AFF_FFFF, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x3EFF_FFFF, 0x4B7F_FFFF,
    ];
    static readonly ulong[] Specials64 =
    [
        0, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000,
        0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0x7FF0_0000_0000_0001, 1, 0x000F_FFFF_FFFF_FFFF,
        0x0010_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFE0_0000_0000_0000, 0x3FE0_0000_0000_0000,
        0x4330_0000_0000_0000, 0x432F_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF, 0x3FDF_FFFF_FFFF_FFFF,
        0x3FF8_0000_0000_0000, 0xC004_0000_0000_0000,
    ];
    static float F32Of(uint r) => F(r % 5 == 0 ? Specials32[(r / 5) % (uint)Specials32.Length] : r);
    static double F64Of(ulong r) => D(r % 5 == 0 ? Specials64[(r / 5) % (ulong)Specials64.Length] : r);

    // The spec's NaN rule: a NaN result is canonical if every NaN input is (or there is none), else arithmetic.
    static bool NaNAllowed(float r, params float[] inputs) =>
        !float.IsNaN(r) || (inputs.All(z => !float.IsNaN(z) || IsCanonicalNaN(z)) ? IsCanonicalNaN(r) : IsArithmeticNaN(r));
    static bool NaNAllowed(double r, params double[] inputs) =>
        !double.IsNaN(r) || (inputs.All(z => !double.IsNaN(z) || IsCanonicalNaN(z)) ? IsCanonicalNaN(r) : IsArithmeticNaN(r));

    // ---- Exact references ----

    static (bool Neg, BigInteger Num, BigInteger Den) X(float z) => Exact(F32, B(z));
    static (bool Neg, BigInteger Num, BigInteger Den) X(double z) => Exact(F64, B(z));

    static BigInteger Signed((bool Neg, BigInteger Num, BigInteger Den) x, BigInteger den) => (x.Neg ? -x.Num : x.Num) * (den / x.Den);

    // ieee_N(op(a, b)) for finite a, b with op on exact rationals over a common denominator.
    static ulong RoundedSum(Format f, (bool, BigInteger, BigInteger) a, (bool, BigInteger, BigInteger) b, bool subtract)
    {
        BigInteger den = BigInteger.Max(a.Item3, b.Item3);
        BigInteger n = Signed(a, den) + (subtract ? -Signed(b, den) : Signed(b, den));
        return Round(f, n.Sign < 0, BigInteger.Abs(n), den);
    }

    static bool Finite(float z) => float.IsFinite(z);
    static bool Finite(double z) => double.IsFinite(z);

    [Test]
    public void Add_sub_mul_div_round_the_exact_result_once()
    {
        Prop.ForAll<uint, uint>((r1, r2) =>
        {
            float a = F32Of(r1), b = F32Of(r2);
            if (!Finite(a) || !Finite(b)) return true;
            var (xa, xb) = (X(a), X(b));
            bool ok = true;
            // A zero exact sum has the sign IEEE gives it (-0 only for -0 + -0), the one case the ieee_N rounding of 0 cannot see.
            if (!(a == -b)) ok &= B(fadd(a, b)) == (uint)RoundedSum(F32, xa, xb, false);
            if (!(a == b)) ok &= B(fsub(a, b)) == (uint)RoundedSum(F32, xa, xb, true);
            if (a != 0 && b != 0)
            {
                ok &= B(fmul(a, b)) == (uint)Round(F32, xa.Neg != xb.Neg, xa.Num * xb.Num, xa.Den * xb.Den);
                ok &= B(fdiv(a, b)) == (uint)Round(F32, xa.Neg != xb.Neg, xa.Num * xb.Den, xa.Den * xb.Num);
            }
            return ok;
        }).Check(Many);
        Prop.ForAll<ulong, ulong>((r1, r2) =>
        {
            double a = F64Of(r1), b = F64Of(r2);
            if (!Finite(a) || !Finite(b)) return true;
            var (xa, xb) = (X(a), X(b));
            bool ok = true;
            if (!(a == -b)) ok &= B(fadd(a, b)) == RoundedSum(F64, xa, xb, false);
            if (!(a == b)) ok &= B(fsub(a, b)) == RoundedSum(F64, xa, xb, true);
            if (a != 0 && b != 0)
            {
                ok &= B(fmul(a, b)) == Round(F64, xa.Neg != xb.Neg, xa.Num * xb.Num, xa.Den * xb.Den);
                ok &= B(fdiv(a, b)) == Round(F64, xa.Neg != xb.Neg, xa.Num * xb.Den, xa.Den * xb.Num);
            }
            return ok;
        }).Check(Many);
    }

    [Test]
    public void Fma_rounds_once()
    {
        Prop.ForAll<uint, uint, uint>((r1, r2, r3) =>
        {
            float a = F32Of(r1), b = F32Of(r2), c = F32Of(r3);
            if (!Finite(a) || !Finite(b) || !Finite(c)) return true;
            var (xa, xb, xc) = (X(a), X(b), X(c));
            BigInteger den = xa.Den * xb.Den * xc.Den;
            BigInteger n = (xa.Neg != xb.Neg ? -1 : 1) * xa.Num * xb.Num * xc.Den + (xc.Neg ? -1 : 1) * xc.Num * xa.Den * xb.Den;
            if (n.IsZero) return true; // sign of an exact zero: covered by the unit cases
            return B(fma(a, b, c)) == (uint)Round(F32, n.Sign < 0, BigInteger.Abs(n), den);
        }).Check(Many);
        Prop.ForAll<ulong, ulong, ulong>((r1, r2, r3) =>
        {
            double a = F64Of(r1), b = F64Of(r2), c = F64Of(r3);
            if (!Finite(a) || !Finite(b) || !Finite(c)) return true;
            var (xa, xb, xc) = (X(a), X(b), X(c));
            BigInteger den = xa.Den * xb.Den * xc.Den;
            BigInteger n = (xa.Neg != xb.Neg ? -1 : 1) * xa.Num * xb.Num * xc.Den + (xc.Neg ? -1 : 1) * xc.Num * xa.Den * xb.Den;
            if (n.IsZero) return true;
            return B(fma(a, b, c)) == Round(F64, n.Sign < 0, BigInteger.Abs(n), den);
        }).Check(Many);
        // Distinguishes fused from unfused: (1 + 2^-12)^2 - (1 + 2^-11) is 2^-24 exactly, 0 after rounding the product.
        float x = 1f + MathF.ScaleB(1f, -12), y = -(1f + MathF.ScaleB(1f, -11));
        Assert.That(fma(x, x, y), Is.EqualTo(MathF.ScaleB(1f, -24)));
        Assert.That(fadd(fmul(x, x), y), Is.EqualTo(0f));
        Assert.That(B(fma(0f, -1f, 0f)), Is.EqualTo(0u));
        Assert.That(B(fma(-0f, 1f, -0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(float.IsNaN(fma(float.PositiveInfinity, 0f, 1f)), Is.True);
    }

    [Test]
    public void Every_nan_result_is_in_the_allowed_set_and_is_the_positive_canonical_nan()
    {
        Prop.ForAll<uint, uint>((r1, r2) =>
        {
            float a = F32Of(r1), b = F32Of(r2);
            float[] results =
            [
                fadd(a, b), fsub(a, b), fmul(a, b), fdiv(a, b), fmin(a, b), fmax(a, b), fsqrt(a), fceil(a), ffloor(a),
                ftrunc(a), fnearest(a), fma(a, b, a), frelaxed_madd(a, b, b), frelaxed_min(a, b), frelaxed_max(a, b),
                demote(promote(a)),
            ];
            return results.All(r => NaNAllowed(r, a, b) && (!float.IsNaN(r) || B(r) == CanonicalNaN32Bits));
        }).Check(Many);
        Prop.ForAll<ulong, ulong>((r1, r2) =>
        {
            double a = F64Of(r1), b = F64Of(r2);
            double[] results =
            [
                fadd(a, b), fsub(a, b), fmul(a, b), fdiv(a, b), fmin(a, b), fmax(a, b), fsqrt(a), fceil(a), ffloor(a),
                ftrunc(a), fnearest(a), fma(a, b, a), frelaxed_madd(a, b, b), frelaxed_min(a, b), frelaxed_max(a, b),
                promote(demote(a)),
            ];
            return results.All(r => NaNAllowed(r, a, b) && (!double.IsNaN(r) || B(r) == CanonicalNaN64Bits));
        }).Check(Many);
    }

    [Test]
    public void Nan_classification()
    {
        Assert.That(IsCanonicalNaN(F(0xFFC0_0000)), Is.True);
        Assert.That(IsCanonicalNaN(F(0x7FC0_0001)), Is.False);
        Assert.That(IsArithmeticNaN(F(0x7FC0_0001)), Is.True);
        Assert.That(IsArithmeticNaN(F(0x7FA0_0000)), Is.False);
        Assert.That(IsArithmeticNaN(F(0x7F80_0000)), Is.False); // infinity
        Assert.That(IsCanonicalNaN(D(0xFFF8_0000_0000_0000)), Is.True);
        Assert.That(B(CanonicalNaN32), Is.EqualTo(0x7FC0_0000u));
        Assert.That(B(CanonicalNaN64), Is.EqualTo(0x7FF8_0000_0000_0000UL));
    }

    [Test]
    public void Sign_operators_keep_nan_payloads_bit_for_bit()
    {
        Prop.ForAll<uint, uint>((a, b) =>
            B(fneg(F(a))) == (a ^ 0x8000_0000) && B(fabs(F(a))) == (a & 0x7FFF_FFFF)
            && B(fcopysign(F(a), F(b))) == ((a & 0x7FFF_FFFF) | (b & 0x8000_0000))).Check(Many);
        Prop.ForAll<ulong, ulong>((a, b) =>
            B(fneg(D(a))) == (a ^ 0x8000_0000_0000_0000) && B(fabs(D(a))) == (a & 0x7FFF_FFFF_FFFF_FFFF)
            && B(fcopysign(D(a), D(b))) == ((a & 0x7FFF_FFFF_FFFF_FFFF) | (b & 0x8000_0000_0000_0000))).Check(Many);
        Assert.That(B(fneg(F(0x7FA0_0001))), Is.EqualTo(0xFFA0_0001u)); // a signalling NaN stays signalling
    }

    [Test]
    public void Min_and_max_order_zeros_and_let_nan_win()
    {
        Assert.That(B(fmin(0f, -0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(B(fmin(-0f, 0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(B(fmax(-0f, 0f)), Is.EqualTo(0u));
        Assert.That(B(fmax(0.0, -0.0)), Is.EqualTo(0UL));
        Assert.That(B(fmin(-0.0, 0.0)), Is.EqualTo(0x8000_0000_0000_0000UL));
        Assert.That(B(fmin(F(0x7FA0_0000), 1f)), Is.EqualTo(CanonicalNaN32Bits));
        Assert.That(B(fmax(1.0, D(0xFFF0_0000_0000_0001))), Is.EqualTo(CanonicalNaN64Bits));
        Assert.That(fmin(float.PositiveInfinity, 3f), Is.EqualTo(3f));
        Assert.That(fmax(double.NegativeInfinity, -3.0), Is.EqualTo(-3.0));
        Prop.ForAll<uint, uint>((r1, r2) =>
        {
            float a = F32Of(r1), b = F32Of(r2);
            if (float.IsNaN(a) || float.IsNaN(b)) return float.IsNaN(fmin(a, b)) && float.IsNaN(fmax(a, b));
            float lo = fmin(a, b), hi = fmax(a, b);
            return (B(lo) == B(a) || B(lo) == B(b)) && (B(hi) == B(a) || B(hi) == B(b))
                && lo <= a && lo <= b && hi >= a && hi >= b
                && B(fmin(a, b)) == B(fmin(b, a)) && B(fmax(a, b)) == B(fmax(b, a));
        }).Check(Many);
    }

    [Test]
    public void Pmin_and_pmax_select_an_operand_bit_for_bit()
    {
        float nan = F(0x7FA0_0001);
        Assert.That(B(fpmin(nan, 1f)), Is.EqualTo(0x7FA0_0001u));
        Assert.That(B(fpmin(1f, nan)), Is.EqualTo(0x3F80_0000u));
        Assert.That(B(fpmax(-0f, 0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(B(fpmin(0f, -0f)), Is.EqualTo(0u));
        Assert.That(fpmax(1.0, 2.0), Is.EqualTo(2.0));
        Assert.That(fpmin(1.0, 2.0), Is.EqualTo(1.0));
    }

    // ---- Rounding to integral: against floor/ceiling of the exact value ----

    static BigInteger FloorDiv(BigInteger n, BigInteger d) => BigInteger.DivRem(n, d, out var r) - (r.Sign < 0 ? 1 : 0);

    // The integral result of each rounding, with the sign of zero taken from the operand.
    static ulong Integral(Format f, (bool Neg, BigInteger Num, BigInteger Den) x, string mode)
    {
        BigInteger n = x.Neg ? -x.Num : x.Num, d = x.Den;
        BigInteger fl = FloorDiv(n, d), r = n - fl * d;
        BigInteger i = mode switch
        {
            "floor" => fl,
            "ceil" => r.IsZero ? fl : fl + 1,
            "trunc" => x.Neg ? (r.IsZero ? fl : fl + 1) : fl,
            _ => (2 * r).CompareTo(d) switch { < 0 => fl, > 0 => fl + 1, _ => fl.IsEven ? fl : fl + 1 },
        };
        return Round(f, x.Neg, BigInteger.Abs(i), 1); // zero results keep the operand's sign
    }

    [Test]
    public void Ceil_floor_trunc_nearest_match_the_exact_integral_value()
    {
        Prop.ForAll<uint>(r =>
        {
            float z = F32Of(r);
            if (!Finite(z)) return true;
            var x = X(z);
            return B(ffloor(z)) == (uint)Integral(F32, x, "floor") && B(fceil(z)) == (uint)Integral(F32, x, "ceil")
                && B(ftrunc(z)) == (uint)Integral(F32, x, "trunc") && B(fnearest(z)) == (uint)Integral(F32, x, "nearest");
        }).Check(Many);
        Prop.ForAll<ulong>(r =>
        {
            double z = F64Of(r);
            if (!Finite(z)) return true;
            var x = X(z);
            return B(ffloor(z)) == Integral(F64, x, "floor") && B(fceil(z)) == Integral(F64, x, "ceil")
                && B(ftrunc(z)) == Integral(F64, x, "trunc") && B(fnearest(z)) == Integral(F64, x, "nearest");
        }).Check(Many);
    }

    [Test]
    public void Rounding_edge_cases()
    {
        Assert.That(B(fnearest(0.5f)), Is.EqualTo(0u));
        Assert.That(B(fnearest(-0.5f)), Is.EqualTo(0x8000_0000u));
        Assert.That(fnearest(1.5f), Is.EqualTo(2f));
        Assert.That(fnearest(2.5f), Is.EqualTo(2f));
        Assert.That(fnearest(-3.5), Is.EqualTo(-4.0));
        Assert.That(fnearest(F(0x4AFF_FFFF)), Is.EqualTo(8388608f)); // 8388607.5 ties to even
        Assert.That(fnearest(4503599627370495.5), Is.EqualTo(4503599627370496.0));
        Assert.That(B(fceil(-0.5f)), Is.EqualTo(0x8000_0000u));
        Assert.That(B(ffloor(0.5)), Is.EqualTo(0UL));
        Assert.That(ffloor(-0.5), Is.EqualTo(-1.0));
        Assert.That(B(ftrunc(-0.9f)), Is.EqualTo(0x8000_0000u));
        Assert.That(fceil(F(0x0000_0001)), Is.EqualTo(1f)); // smallest subnormal
        Assert.That(B(ffloor(-0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(fceil(float.NegativeInfinity), Is.EqualTo(float.NegativeInfinity));
        Assert.That(B(fsqrt(-0.0)), Is.EqualTo(0x8000_0000_0000_0000UL));
        Assert.That(B(fsqrt(-1f)), Is.EqualTo(CanonicalNaN32Bits));
    }

    [Test]
    public void Nearest_is_integral_and_within_a_half()
    {
        Prop.ForAll<uint>(r =>
        {
            float z = F32Of(r);
            if (!Finite(z)) return true;
            float n = fnearest(z);
            return MathF.Truncate(n) == n && Math.Abs((double)n - z) <= 0.5 && (B(n) >> 31) == (B(z) >> 31);
        }).Check(Many);
    }

    static (BigInteger N, BigInteger D) Q(float z) { var x = X(z); return (x.Neg ? -x.Num : x.Num, x.Den); }
    static (BigInteger N, BigInteger D) Mid((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) =>
        (a.N * b.D + b.N * a.D, 2 * a.D * b.D);

    [Test]
    public void Sqrt_is_correctly_rounded()
    {
        // r = fsqrt(z) iff z lies between the squares of the midpoints from r to its neighbours.
        Prop.ForAll<uint>(rb =>
        {
            float z = fabs(F32Of(rb));
            if (!Finite(z) || z == 0) return true;
            float r = fsqrt(z);
            var (zq, lo, hi) = (Q(z), Mid(Q(MathF.BitDecrement(r)), Q(r)), Mid(Q(r), Q(MathF.BitIncrement(r))));
            return lo.N * lo.N * zq.D <= zq.N * lo.D * lo.D && zq.N * hi.D * hi.D <= hi.N * hi.N * zq.D;
        }).Check(Many);
    }

    [Test]
    public void Comparisons_follow_ieee_with_nan_unordered()
    {
        float nan = F(0x7FC0_0001);
        Assert.That(feq(nan, nan), Is.EqualTo(0u));
        Assert.That(fne(nan, nan), Is.EqualTo(1u));
        Assert.That(flt(nan, 1f) + fgt(nan, 1f) + fle(nan, 1f) + fge(nan, 1f), Is.EqualTo(0u));
        Assert.That(feq(0.0, -0.0), Is.EqualTo(1u));
        Assert.That(flt(-0f, 0f), Is.EqualTo(0u));
        Assert.That(fle(double.NegativeInfinity, double.MinValue), Is.EqualTo(1u));
    }

    [Test]
    public void Relaxed_operators_take_the_deterministic_profiles_choice()
    {
        float x = 1f + MathF.ScaleB(1f, -12), y = -(1f + MathF.ScaleB(1f, -11));
        Assert.That(frelaxed_madd(x, x, y), Is.EqualTo(0f)); // unfused
        Assert.That(frelaxed_nmadd(-x, x, y), Is.EqualTo(0f));
        Assert.That(B(frelaxed_min(0f, -0f)), Is.EqualTo(0x8000_0000u));
        Assert.That(B(frelaxed_max(-0.0, 0.0)), Is.EqualTo(0UL));
        Assert.That(B(frelaxed_min(F(0x7FA0_0000), 1f)), Is.EqualTo(CanonicalNaN32Bits));
        Assert.That(B(frelaxed_max(1.0, D(0x7FF0_0000_0000_0001))), Is.EqualTo(CanonicalNaN64Bits));
        Assert.That(relaxed2(1, "a", "b"), Is.EqualTo("b"));
        Assert.That(relaxed4(2, 0, 1, 2, 3), Is.EqualTo(2));
        Prop.ForAll<uint, uint>((r1, r2) =>
        {
            float a = F32Of(r1), b = F32Of(r2);
            return B(frelaxed_min(a, b)) == B(fmin(a, b)) && B(frelaxed_max(a, b)) == B(fmax(a, b))
                && B(frelaxed_madd(a, b, a)) == B(fadd(fmul(a, b), a));
        }).Check(Many);
    }
}
