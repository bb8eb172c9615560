using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Numerics;
using static Spec.Execution.Tests.NumericsReference;

namespace Spec.Execution.Tests;

public class NumericsConversionTests
{
    static readonly Config Many = NumericsIntegerTests.Many;

    static float F(uint b) => BitConverter.UInt32BitsToSingle(b);
    static double D(ulong b) => BitConverter.UInt64BitsToDouble(b);
    static uint B(float z) => BitConverter.SingleToUInt32Bits(z);
    static ulong B(double z) => BitConverter.DoubleToUInt64Bits(z);

    // Integers spread over all magnitudes: a random value shifted right by a random amount.
    static ulong Spread(ulong r, byte k) => r >> (k % 64);

    // ---- Integer to float: one correct rounding, against exact rational rounding ----

    [Test]
    public void Convert_rounds_once_at_every_magnitude()
    {
        Prop.ForAll<ulong, byte>((r, k) =>
        {
            ulong u = Spread(r, k);
            long s = (long)u;
            if (k % 3 == 0) s = -s; // negative values at every magnitude too
            BigInteger sm = BigInteger.Abs(s);
            return B(convert_u_f32(64, u)) == (uint)Round(F32, false, u, 1)
                && B(convert_u_f64(64, u)) == Round(F64, false, u, 1)
                && B(convert_s_f32(64, (ulong)s)) == (uint)Round(F32, s < 0, sm, 1)
                && B(convert_s_f64(64, (ulong)s)) == Round(F64, s < 0, sm, 1)
                && B(convert_u_f32(32, u)) == (uint)Round(F32, false, (uint)u, 1)
                && B(convert_s_f32(32, u)) == (uint)Round(F32, (int)u < 0, BigInteger.Abs((int)(uint)u), 1)
                && B(convert_s_f64(32, u)) == B((double)(int)(uint)u);
        }).Check(Many);
    }

    [Test]
    public void Convert_u64_to_f32_does_not_round_twice()
    {
        // 2^63 + 2^39 + 1 lies just above the f32 midpoint 2^63 + 2^39; rounding through f64 first lands on
        // the midpoint itself (2^63 + 2^39 + 1 is not an f64), which then ties to even, downwards.
        ulong u = (1UL << 63) + (1UL << 39) + 1;
        Assert.That(convert_u_f32(64, u), Is.EqualTo(MathF.ScaleB(1f, 63) + MathF.ScaleB(1f, 40)));
        Assert.That((float)(double)u, Is.EqualTo(MathF.ScaleB(1f, 63)), "the double-rounding trap this guards against");
        long s = -((1L << 62) + (1L << 38) + 1); // the same trap for signed i64 -> f32
        Assert.That(convert_s_f32(64, (ulong)s), Is.EqualTo(-(MathF.ScaleB(1f, 62) + MathF.ScaleB(1f, 39))));
        Assert.That(convert_u_f64(64, ulong.MaxValue), Is.EqualTo(18446744073709551616.0));
        Assert.That(convert_u_f32(64, ulong.MaxValue), Is.EqualTo(18446744073709551616f));
        Assert.That(convert_s_f64(64, 0x8000_0000_0000_0000), Is.EqualTo(-9223372036854775808.0));
        Assert.That(convert_u_f32(32, 0xFFFF_FFFF), Is.EqualTo(4294967296f));
        Assert.That(convert_u_f32(32, 16777217), Is.EqualTo(16777216f)); // tie to even
        Assert.That(convert_u_f32(32, 16777219), Is.EqualTo(16777220f)); // tie to even, upwards
        Assert.That(B(convert_s_f32(32, 0)), Is.EqualTo(0u));            // +0
        Assert.That(convert_s_f32(32, 0x8000_0000), Is.EqualTo(-2147483648f));
    }

    // ---- Float to integer ----

    static BigInteger? ExactTrunc(double z)
    {
        if (!double.IsFinite(z)) return null;
        var (neg, n, d) = Exact(F64, B(z));
        BigInteger t = n / d;
        return neg ? -t : t;
    }

    [Test]
    public void Trunc_is_defined_exactly_when_the_truncated_value_fits()
    {
        Prop.ForAll<ulong>(r =>
        {
            // Values near the interesting limits: +-2^31, 2^32, +-2^63, 2^64 with random low bits.
            double[] zs = [D(r), (double)(long)r, (double)(int)r, Math.ScaleB(1.0 + (r & 0xFFF) / 4096.0, (int)(r >> 58) + 20) * ((r & 1) == 0 ? 1 : -1)];
            foreach (double z in zs)
                foreach (int N in new[] { 32, 64 })
                {
                    BigInteger? t = ExactTrunc(z);
                    BigInteger two = BigInteger.One << N, half = BigInteger.One << (N - 1);
                    ulong? u = t is { } tu && tu > -1 && tu < two ? (ulong)tu : null;
                    ulong? s = t is { } ts && ts >= -half && ts < half ? (ulong)(ts & (two - 1)) : null;
                    if (trunc_u(N, z) != u || trunc_s(N, z) != s) return false;
                    ulong satU = double.IsNaN(z) ? 0 : t is null ? (z > 0 ? (ulong)(two - 1) : 0) : (ulong)BigInteger.Clamp(t.Value, 0, two - 1);
                    BigInteger satSv = double.IsNaN(z) ? 0 : t is null ? (z > 0 ? half - 1 : -half) : BigInteger.Clamp(t.Value, -half, half - 1);
                    if (trunc_sat_u(N, z) != satU || trunc_sat_s(N, z) != (ulong)(satSv & (two - 1))) return false;
                    float f = (float)z; // and the f32 forms, on the nearest f32
                    if (trunc_s(N, f) != trunc_s(N, (double)f) || trunc_sat_u(N, f) != trunc_sat_u(N, (double)f)) return false;
                }
            return true;
        }).Check(Many);
    }

    [Test]
    public void Trunc_at_the_boundaries()
    {
        Assert.That(trunc_s(32, 2147483647.9), Is.EqualTo(0x7FFF_FFFFUL));
        Assert.That(trunc_s(32, 2147483648.0), Is.Null);
        Assert.That(trunc_s(32, -2147483648.9), Is.EqualTo(0x8000_0000UL));
        Assert.That(trunc_s(32, -2147483649.0), Is.Null);
        Assert.That(trunc_s(32, -2147483648f), Is.EqualTo(0x8000_0000UL));
        Assert.That(trunc_s(32, -2147483904f), Is.Null); // the next f32 below -2^31
        Assert.That(trunc_u(32, -0.9), Is.EqualTo(0UL));
        Assert.That(trunc_u(32, -1.0), Is.Null);
        Assert.That(trunc_u(32, 4294967295.9), Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(trunc_u(32, 4294967296.0), Is.Null);
        Assert.That(trunc_u(64, 18446744073709549568.0), Is.EqualTo(0xFFFF_FFFF_FFFF_F800UL));
        Assert.That(trunc_u(64, 18446744073709551616.0), Is.Null);
        Assert.That(trunc_s(64, -9223372036854775808.0), Is.EqualTo(0x8000_0000_0000_0000UL));
        Assert.That(trunc_s(64, 9223372036854775808.0), Is.Null);
        Assert.That(trunc_s(64, double.NaN), Is.Null);
        Assert.That(trunc_u(32, float.PositiveInfinity), Is.Null);
        Assert.That(Traps.Message(TrapOfTrunc(F(0x7FA0_0000))), Is.EqualTo("invalid conversion to integer"));
        Assert.That(Traps.Message(TrapOfTrunc(double.PositiveInfinity)), Is.EqualTo("integer overflow"));
        Assert.That(Traps.Message(TrapOfTrunc(1e20f)), Is.EqualTo("integer overflow"));
    }

    [Test]
    public void Saturating_trunc_at_the_limits()
    {
        Assert.That(trunc_sat_s(32, float.NaN), Is.EqualTo(0UL));
        Assert.That(trunc_sat_s(32, float.NegativeInfinity), Is.EqualTo(0x8000_0000UL));
        Assert.That(trunc_sat_s(32, 1e10f), Is.EqualTo(0x7FFF_FFFFUL));
        Assert.That(trunc_sat_u(32, -1e10), Is.EqualTo(0UL));
        Assert.That(trunc_sat_u(32, double.PositiveInfinity), Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(trunc_sat_u(64, 1e30), Is.EqualTo(ulong.MaxValue));
        Assert.That(trunc_sat_s(64, -1e30), Is.EqualTo(0x8000_0000_0000_0000UL));
        Assert.That(trunc_sat_s(64, 1e30f), Is.EqualTo(0x7FFF_FFFF_FFFF_FFFFUL));
        Assert.That(trunc_sat_s(8, 200.0), Is.EqualTo(0x7FUL));
        Assert.That(trunc_sat_s(16, -1e9), Is.EqualTo(0x8000UL));
    }

    // ---- Float to float ----

    [Test]
    public void Demote_rounds_the_exact_value_once_and_promote_is_exact()
    {
        Prop.ForAll<ulong>(r =>
        {
            double z = D(r);
            if (double.IsNaN(z)) return B(demote(z)) == CanonicalNaN32Bits;
            if (double.IsInfinity(z)) return B(demote(z)) == (uint)(B(z) >> 32);
            var (neg, n, d) = Exact(F64, B(z));
            return B(demote(z)) == (uint)Round(F32, neg, n, d);
        }).Check(Many);
        Prop.ForAll<uint>(r =>
        {
            float z = F(r);
            if (float.IsNaN(z)) return B(promote(z)) == CanonicalNaN64Bits;
            return demote(promote(z)) == z && B(demote(promote(z))) == r;
        }).Check(Many);
        double mid = Math.ScaleB(1.0, 128) - Math.ScaleB(1.0, 103); // halfway from the largest f32 to the limit 2^128
        Assert.That(demote(Math.BitDecrement(mid)), Is.EqualTo(float.MaxValue));
        Assert.That(demote(mid), Is.EqualTo(float.PositiveInfinity)); // a tie with the limit, which counts as even
        Assert.That(demote(-mid), Is.EqualTo(float.NegativeInfinity));
        Assert.That(B(demote(-1e-50)), Is.EqualTo(0x8000_0000u));
        Assert.That(demote(Math.ScaleB(1.5, -149)), Is.EqualTo(F(2)));           // subnormal tie to even
    }

    [Test]
    public void Integer_conversions()
    {
        Assert.That(extend_s(32, 64, 0x8000_0000), Is.EqualTo(0xFFFF_FFFF_8000_0000UL));
        Assert.That(extend_u(32, 64, 0x8000_0000), Is.EqualTo(0x8000_0000UL));
        Assert.That(extend_s(1, 16, 1), Is.EqualTo(0xFFFFUL));
        Assert.That(wrap(64, 32, 0x1_2345_6789), Is.EqualTo(0x2345_6789UL));
        Assert.That(reinterpret(-0f), Is.EqualTo(0x8000_0000u));
        Assert.That(cpacknum(PackType.I8, 0x1234_5680), Is.EqualTo(0x80UL));
        Assert.That(cpacknum(PackType.I16, 0xFFFF_1234), Is.EqualTo(0x1234UL));
        Assert.That(cunpacknum(PackType.I8, 0x80), Is.EqualTo(0x80UL));
        Assert.That(extend_s(psize(PackType.I16), 32, 0x8000), Is.EqualTo(0xFFFF_8000UL));
        Assert.That(B(reinterpret(0x7FA0_0001u)), Is.EqualTo(0x7FA0_0001u));
        Assert.That(B(reinterpret(0xFFF0_0000_0000_0001UL)), Is.EqualTo(0xFFF0_0000_0000_0001UL));
    }

    // ---- Operator dispatch ----

    [Test]
    public void Dispatch_routes_to_the_spec_functions()
    {
        Assert.That(binop(NumType.I32, BinOp.Add, 0xFFFF_FFFF, 1), Is.EqualTo(0UL));
        Assert.That(binop(NumType.I32, BinOp.DivS, 0x8000_0000, 0xFFFF_FFFF), Is.Null);
        Assert.That(binop(NumType.I64, BinOp.RemU, 7, 0), Is.Null);
        Assert.That(binop(NumType.I32, BinOp.Shl, 1, 33), Is.EqualTo(2UL));
        Assert.That(binop(NumType.F32, BinOp.Min, B(-0f), 0), Is.EqualTo(0x8000_0000UL));
        Assert.That(binop(NumType.F64, BinOp.Copysign, B(1.0), B(-0.0)), Is.EqualTo(B(-1.0)));
        Assert.That(unop(NumType.I32, UnOp.Clz, 0), Is.EqualTo(32UL));
        Assert.That(unop(NumType.I64, UnOp.Extend32S, 0x8000_0000), Is.EqualTo(0xFFFF_FFFF_8000_0000UL));
        Assert.That(unop(NumType.I32, UnOp.Extend8S, 0x80), Is.EqualTo(0xFFFF_FF80UL));
        Assert.That(unop(NumType.F32, UnOp.Neg, 0x7FC0_0001), Is.EqualTo(0xFFC0_0001UL));
        Assert.That(testop(NumType.I64, TestOp.Eqz, 0), Is.EqualTo(1u));
        Assert.That(relop(NumType.I32, RelOp.LtS, 0xFFFF_FFFF, 0), Is.EqualTo(1u));
        Assert.That(relop(NumType.F64, RelOp.Ne, CanonicalNaN64Bits, CanonicalNaN64Bits), Is.EqualTo(1u));
        Assert.That(cvtop(NumType.I32, NumType.I64, CvtOp.ExtendS, 0xFFFF_FFFF), Is.EqualTo(ulong.MaxValue));
        Assert.That(cvtop(NumType.I64, NumType.I32, CvtOp.Wrap, 0x1_0000_0002), Is.EqualTo(2UL));
        Assert.That(cvtop(NumType.F32, NumType.I32, CvtOp.TruncS, B(-1.5f)), Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(cvtop(NumType.F64, NumType.I64, CvtOp.TruncU, B(-1.0)), Is.Null);
        Assert.That(Traps.Message(TrapOfCvtop(NumType.F64, B(-1.0))), Is.EqualTo("integer overflow"));
        Assert.That(Traps.Message(TrapOfCvtop(NumType.F32, 0x7FC0_0000)), Is.EqualTo("invalid conversion to integer"));
        Assert.That(cvtop(NumType.I64, NumType.F32, CvtOp.ConvertU, ulong.MaxValue), Is.EqualTo((ulong)B(18446744073709551616f)));
        Assert.That(cvtop(NumType.F32, NumType.F64, CvtOp.Promote, B(1.5f)), Is.EqualTo(B(1.5)));
        Assert.That(cvtop(NumType.I64, NumType.F64, CvtOp.Reinterpret, 0x7FF0_0000_0000_0001), Is.EqualTo(0x7FF0_0000_0000_0001UL));
        Assert.That(cvtop(NumType.F32, NumType.I32, CvtOp.Reinterpret, 0xFFC0_0000), Is.EqualTo(0xFFC0_0000UL));
        Assert.Throws<ArgumentException>(() => unop(NumType.I32, UnOp.Sqrt, 0));
        Assert.Throws<ArgumentException>(() => binop(NumType.F32, BinOp.Rotl, 0, 0));
        Assert.Throws<ArgumentException>(() => cvtop(NumType.I32, NumType.F64, CvtOp.Reinterpret, 0));
    }

    [Test]
    public void I32_results_of_dispatch_stay_zero_extended()
    {
        Prop.ForAll<uint, uint>((a, b) =>
        {
            foreach (BinOp op in new[] { BinOp.Add, BinOp.Sub, BinOp.Mul, BinOp.DivS, BinOp.RemS, BinOp.Shl, BinOp.ShrS, BinOp.Rotl, BinOp.Rotr, BinOp.Xor })
                if (binop(NumType.I32, op, a, b) is { } r && r >> 32 != 0) return false;
            foreach (UnOp op in new[] { UnOp.Clz, UnOp.Ctz, UnOp.Popcnt, UnOp.Extend8S, UnOp.Extend16S })
                if (unop(NumType.I32, op, a) >> 32 != 0) return false;
            return cvtop(NumType.F32, NumType.I32, CvtOp.TruncSatS, a) >> 32 == 0
                && cvtop(NumType.F64, NumType.I32, CvtOp.TruncSatS, (ulong)a << 32 | b) >> 32 == 0
                && unop(NumType.F32, UnOp.Neg, a) >> 32 == 0;
        }).Check(Many);
    }
}
