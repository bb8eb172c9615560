using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Numerics;

namespace Spec.Execution.Tests;

public class NumericsVectorTests
{
    static readonly Config Many = NumericsIntegerTests.Many;

    static readonly Shape[] IntShapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2];

    static V128 Bytes(params byte[] b) => V128.FromBytes(b);
    static V128 Lanes(Shape s, params ulong[] c) => inv_lanes(s, c);
    static uint B(float z) => BitConverter.SingleToUInt32Bits(z);
    static ulong B(double z) => BitConverter.DoubleToUInt64Bits(z);

    [Test]
    public void Lanes_are_little_endian_and_round_trip()
    {
        var v = Bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Assert.That(lane(Shape.I8x16, v, 9), Is.EqualTo(9UL));
        Assert.That(lane(Shape.I16x8, v, 1), Is.EqualTo(0x0302UL));
        Assert.That(lane(Shape.I32x4, v, 3), Is.EqualTo(0x0F0E_0D0CUL));
        Assert.That(lane(Shape.I64x2, v, 1), Is.EqualTo(0x0F0E_0D0C_0B0A_0908UL));
        Assert.That(lane(Shape.F32x4, v, 2), Is.EqualTo(0x0B0A_0908UL));
        Prop.ForAll<ulong, ulong>((lo, hi) =>
        {
            var x = new V128(lo, hi);
            return IntShapes.All(s => inv_lanes(s, lanes(s, x)) == x)
                && inv_lanes(Shape.F64x2, lanes(Shape.F64x2, x)) == x
                && lanes(Shape.I64x2, x).SequenceEqual([lo, hi]);
        }).Check(Many);
    }

    [Test]
    public void Lanewise_integer_operators_apply_the_scalar_function_at_every_lane()
    {
        (VBinOp Op, Func<int, ulong, ulong, ulong> F)[] ops =
        [
            (VBinOp.Add, iadd), (VBinOp.Sub, isub), (VBinOp.Mul, imul), (VBinOp.AddSatS, iadd_sat_s),
            (VBinOp.AddSatU, iadd_sat_u), (VBinOp.SubSatS, isub_sat_s), (VBinOp.SubSatU, isub_sat_u),
            (VBinOp.MinS, imin_s), (VBinOp.MinU, imin_u), (VBinOp.MaxS, imax_s), (VBinOp.MaxU, imax_u),
            (VBinOp.AvgrU, iavgr_u), (VBinOp.Q15MulrSatS, iq15mulr_sat_s),
        ];
        Prop.ForAll<ulong, ulong, ulong>((a, b, c) =>
        {
            ulong d = BitOperations.RotateLeft(a * 0x9E37_79B9_7F4A_7C15, 17) ^ b;
            V128 x = new(a, b), y = new(c, d);
            foreach (var s in IntShapes)
            {
                int N = lsize(s.Lane);
                foreach (var (op, f) in ops)
                {
                    V128 r = vbinop(s, op, x, y);
                    for (int i = 0; i < s.Dim; i++)
                        if (lane(s, r, i) != f(N, lane(s, x, i), lane(s, y, i))) return false;
                }
                V128 eq = vrelop(s, VRelOp.LtS, x, y), neg = vunop(s, VUnOp.Neg, x), shr = vshiftop(s, VShiftOp.ShrS, x, (uint)c);
                for (int i = 0; i < s.Dim; i++)
                {
                    if (lane(s, eq, i) != (ilt_s(N, lane(s, x, i), lane(s, y, i)) == 1 ? (N == 64 ? ulong.MaxValue : (1UL << N) - 1) : 0)) return false;
                    if (lane(s, neg, i) != ineg(N, lane(s, x, i))) return false;
                    if (lane(s, shr, i) != ishr_s(N, lane(s, x, i), (uint)c)) return false;
                }
            }
            return true;
        }).Check(Many);
    }

    [Test]
    public void Lanewise_float_operators_apply_the_scalar_function_at_every_lane()
    {
        Prop.ForAll<ulong, ulong, ulong>((a, b, c) =>
        {
            ulong d = BitOperations.RotateLeft(a * 0x9E37_79B9_7F4A_7C15, 17) ^ b;
            V128 x = new(a, b), y = new(c, d);
            V128 add = vbinop(Shape.F32x4, VBinOp.Add, x, y), min = vbinop(Shape.F64x2, VBinOp.Min, x, y);
            V128 pmax = vbinop(Shape.F32x4, VBinOp.Pmax, x, y), near = vunop(Shape.F64x2, VUnOp.Nearest, x);
            V128 le = vrelop(Shape.F32x4, VRelOp.Le, x, y);
            for (int i = 0; i < 4; i++)
            {
                float p = f32((uint)lane(Shape.F32x4, x, i)), q = f32((uint)lane(Shape.F32x4, y, i));
                if (lane(Shape.F32x4, add, i) != B(fadd(p, q))) return false;
                if (lane(Shape.F32x4, pmax, i) != B(fpmax(p, q))) return false;
                if (lane(Shape.I32x4, le, i) != (fle(p, q) == 1 ? 0xFFFF_FFFFUL : 0)) return false;
            }
            for (int i = 0; i < 2; i++)
            {
                double p = f64(lane(Shape.F64x2, x, i)), q = f64(lane(Shape.F64x2, y, i));
                if (lane(Shape.F64x2, min, i) != B(fmin(p, q))) return false;
                if (lane(Shape.F64x2, near, i) != B(fnearest(p))) return false;
            }
            return true;
        }).Check(Many);
    }

    [Test]
    public void Float_lanes_follow_the_scalar_nan_rule()
    {
        var nan = Lanes(Shape.F32x4, 0x7FA0_0001, 0xFFC0_0000, 0x3F80_0000, 0x7F80_0000);
        var one = Lanes(Shape.F32x4, 0x3F80_0000, 0x3F80_0000, 0x3F80_0000, 0xFF80_0000);
        var r = vbinop(Shape.F32x4, VBinOp.Add, nan, one);
        Assert.That(lanes(Shape.F32x4, r), Is.EqualTo(new ulong[] { CanonicalNaN32Bits, CanonicalNaN32Bits, 0x4000_0000, CanonicalNaN32Bits }));
        var neg = vunop(Shape.F32x4, VUnOp.Neg, nan);
        Assert.That(lane(Shape.F32x4, neg, 0), Is.EqualTo(0xFFA0_0001UL));
        var pmin = vbinop(Shape.F32x4, VBinOp.Pmin, nan, one);
        Assert.That(lane(Shape.F32x4, pmin, 0), Is.EqualTo(0x7FA0_0001UL)); // selection keeps the payload
    }

    [Test]
    public void Bitwise_whole_vector_operators()
    {
        Prop.ForAll<ulong, ulong, ulong>((a, b, c) =>
        {
            V128 x = new(a, b), y = new(b, c), m = new(c, a);
            return vvunop(VVUnOp.Not, x) == new V128(~a, ~b)
                && vvbinop(VVBinOp.AndNot, x, y) == new V128(a & ~b, b & ~c)
                && vvternop(VVTernOp.Bitselect, x, y, m) == new V128((a & c) | (b & ~c), (b & a) | (c & ~a))
                && vvtestop(VVTestOp.AnyTrue, x) == (a != 0 || b != 0 ? 1u : 0u);
        }).Check(Many);
        Assert.That(vvtestop(VVTestOp.AnyTrue, V128.Zero), Is.EqualTo(0u));
    }

    [Test]
    public void All_true_and_bitmask()
    {
        var v = Lanes(Shape.I16x8, 0x8000, 1, 0xFFFF, 2, 3, 4, 5, 0x7FFF);
        Assert.That(vtestop(Shape.I16x8, VTestOp.AllTrue, v), Is.EqualTo(1u));
        Assert.That(vtestop(Shape.I16x8, VTestOp.AllTrue, with_lane(Shape.I16x8, v, 5, 0)), Is.EqualTo(0u));
        Assert.That(vbitmask(Shape.I16x8, v), Is.EqualTo(0b0000_0101u));
        Assert.That(vbitmask(Shape.I8x16, new V128(ulong.MaxValue, ulong.MaxValue)), Is.EqualTo(0xFFFFu));
        Assert.That(vbitmask(Shape.I64x2, new V128(0, 1UL << 63)), Is.EqualTo(2u));
        Assert.Throws<ArgumentException>(() => inv_lanes(Shape.I8x16, [1, 2]));
    }

    [Test]
    public void Swizzle_shuffle_splat_extract_replace()
    {
        var v = Bytes(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        var idx = Bytes(15, 0, 16, 255, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17);
        var sw = vswizzle(Shape.I8x16, VSwizzlOp.Swizzle, v, idx);
        Assert.That(sw.ToBytes(), Is.EqualTo(new byte[] { 25, 10, 0, 0, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0 }));
        Assert.That(vswizzle(Shape.I8x16, VSwizzlOp.RelaxedSwizzle, v, idx), Is.EqualTo(sw)); // R_swizzle = 0
        var w = Bytes(30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45);
        byte[] pick = [31, 0, 16, 15, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 17];
        Assert.That(vshuffle(Shape.I8x16, pick, v, w).ToBytes(), Is.EqualTo(new byte[] { 45, 10, 30, 25, 11, 11, 11, 11, 12, 13, 14, 15, 16, 17, 18, 31 }));
        Assert.That(vsplat(Shape.I16x8, 0x1_2345), Is.EqualTo(Lanes(Shape.I16x8, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345)));
        Assert.That(vsplat(Shape.F64x2, B(-0.0)), Is.EqualTo(new V128(1UL << 63, 1UL << 63)));
        var x = with_lane(Shape.I8x16, with_lane(Shape.I8x16, V128.Zero, 0, 0x80), 1, 0x7F);
        Assert.That(vextract_lane(Shape.I8x16, Sx.S, 0, x), Is.EqualTo(0xFFFF_FF80UL));
        Assert.That(vextract_lane(Shape.I8x16, Sx.U, 0, x), Is.EqualTo(0x80UL));
        Assert.That(vextract_lane(Shape.I8x16, Sx.S, 1, x), Is.EqualTo(0x7FUL));
        Assert.That(vextract_lane(Shape.F32x4, null, 3, Lanes(Shape.F32x4, 0, 0, 0, 0x7FA0_0001)), Is.EqualTo(0x7FA0_0001UL));
        Assert.That(vreplace_lane(Shape.I8x16, 15, V128.Zero, 0x1FF), Is.EqualTo(new V128(0, 0xFFUL << 56)));
        Assert.That(vreplace_lane(Shape.I32x4, 1, new V128(ulong.MaxValue, 0), 0), Is.EqualTo(new V128(0xFFFF_FFFF, 0)));
    }

    [Test]
    public void Extended_multiplication_dot_and_pairwise_addition()
    {
        var a = Lanes(Shape.I8x16, 0xFF, 2, 3, 4, 5, 6, 7, 8, 0x80, 0x80, 1, 1, 1, 1, 1, 0x7F);
        var b = Lanes(Shape.I8x16, 0xFF, 2, 1, 1, 1, 1, 1, 1, 0x80, 0x80, 1, 1, 1, 1, 1, 0x7F);
        Assert.That(lanes(Shape.I16x8, vextbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.ExtmulLowS, a, b)),
            Is.EqualTo(new ulong[] { 1, 4, 3, 4, 5, 6, 7, 8 }));
        Assert.That(lanes(Shape.I16x8, vextbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.ExtmulLowU, a, b)),
            Is.EqualTo(new ulong[] { 0xFE01, 4, 3, 4, 5, 6, 7, 8 }));
        Assert.That(lanes(Shape.I16x8, vextbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.ExtmulHighS, a, b)),
            Is.EqualTo(new ulong[] { 0x4000, 0x4000, 1, 1, 1, 1, 1, 0x3F01 }));
        Assert.That(lanes(Shape.I16x8, vextunop(Shape.I16x8, Shape.I8x16, VExtUnOp.ExtaddPairwiseS, a)),
            Is.EqualTo(new ulong[] { 1, 7, 11, 15, 0xFF00, 2, 2, 0x80 }));
        Assert.That(lanes(Shape.I16x8, vextunop(Shape.I16x8, Shape.I8x16, VExtUnOp.ExtaddPairwiseU, a)),
            Is.EqualTo(new ulong[] { 0x101, 7, 11, 15, 0x100, 2, 2, 0x80 }));
        var p = Lanes(Shape.I16x8, 0x8000, 0x8000, 2, 3, 0xFFFF, 1, 0, 0);
        Assert.That(lanes(Shape.I32x4, vextbinop(Shape.I32x4, Shape.I16x8, VExtBinOp.DotS, p, p)),
            Is.EqualTo(new ulong[] { 0x8000_0000, 13, 2, 0 })); // 2^30 + 2^30 wraps to -2^31
        // Relaxed dot: i8 x i7 products summed pairwise with signed saturation into i16 (R_idot = 0: signed).
        Assert.That(lanes(Shape.I16x8, vextbinop(Shape.I16x8, Shape.I8x16, VExtBinOp.RelaxedDotS, a, b)),
            Is.EqualTo(new ulong[] { 5, 7, 11, 15, 0x7FFF, 2, 2, 0x3F02 }));
        var acc = Lanes(Shape.I32x4, 1, 2, 3, 0xFFFF_FFFF);
        Assert.That(lanes(Shape.I32x4, vextternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS, a, b, acc)),
            Is.EqualTo(new ulong[] { 1 + 5 + 7, 2 + 11 + 15, 3 + 0x7FFF + 2, 2 + 0x3F02 - 1 }));
    }

    [Test]
    public void Narrowing_saturates()
    {
        var a = Lanes(Shape.I16x8, 0x7FFF, 0x8000, 0x00FF, 0x0100, 0xFF80, 0xFF7F, 0, 1);
        var b = Lanes(Shape.I16x8, 2, 3, 4, 5, 6, 7, 8, 0xFFFF);
        Assert.That(lanes(Shape.I8x16, vnarrow(Shape.I8x16, Shape.I16x8, Sx.S, a, b)),
            Is.EqualTo(new ulong[] { 0x7F, 0x80, 0x7F, 0x7F, 0x80, 0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xFF }));
        Assert.That(lanes(Shape.I8x16, vnarrow(Shape.I8x16, Shape.I16x8, Sx.U, a, b)),
            Is.EqualTo(new ulong[] { 0xFF, 0, 0xFF, 0xFF, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0 }));
    }

    [Test]
    public void Conversions_take_halves_and_pad_with_zeros()
    {
        var v = Lanes(Shape.I32x4, 0xFFFF_FFFF, 2, 0x8000_0000, 4);
        Assert.That(lanes(Shape.I64x2, vcvtop(Shape.I64x2, Shape.I32x4, VCvtOp.ExtendHighS, v)),
            Is.EqualTo(new ulong[] { 0xFFFF_FFFF_8000_0000, 4 }));
        Assert.That(lanes(Shape.I64x2, vcvtop(Shape.I64x2, Shape.I32x4, VCvtOp.ExtendLowU, v)),
            Is.EqualTo(new ulong[] { 0xFFFF_FFFF, 2 }));
        Assert.That(lanes(Shape.F64x2, vcvtop(Shape.F64x2, Shape.I32x4, VCvtOp.ConvertLowU, v)),
            Is.EqualTo(new ulong[] { B(4294967295.0), B(2.0) }));
        Assert.That(lanes(Shape.F32x4, vcvtop(Shape.F32x4, Shape.I32x4, VCvtOp.ConvertS, v)),
            Is.EqualTo(new ulong[] { B(-1f), B(2f), B(-2147483648f), B(4f) }));
        var d = Lanes(Shape.F64x2, B(-1e300), B(double.NaN));
        Assert.That(lanes(Shape.I32x4, vcvtop(Shape.I32x4, Shape.F64x2, VCvtOp.TruncSatZeroS, d)),
            Is.EqualTo(new ulong[] { 0x8000_0000, 0, 0, 0 }));
        Assert.That(lanes(Shape.I32x4, vcvtop(Shape.I32x4, Shape.F64x2, VCvtOp.RelaxedTruncZeroU, d)),
            Is.EqualTo(new ulong[] { 0, 0, 0, 0 }));
        Assert.That(lanes(Shape.F32x4, vcvtop(Shape.F32x4, Shape.F64x2, VCvtOp.DemoteZero, Lanes(Shape.F64x2, B(1e300), 0x7FF0_0000_0000_0001))),
            Is.EqualTo(new ulong[] { B(float.PositiveInfinity), CanonicalNaN32Bits, 0, 0 }));
        Assert.That(lanes(Shape.F64x2, vcvtop(Shape.F64x2, Shape.F32x4, VCvtOp.PromoteLow, Lanes(Shape.F32x4, B(1.5f), B(-0f), 9, 9))),
            Is.EqualTo(new ulong[] { B(1.5), B(-0.0) }));
        var f = Lanes(Shape.F32x4, B(-1.5f), B(3e9f), B(float.NaN), B(-3e9f));
        Assert.That(lanes(Shape.I32x4, vcvtop(Shape.I32x4, Shape.F32x4, VCvtOp.TruncSatU, f)),
            Is.EqualTo(new ulong[] { 0, 3_000_000_000, 0, 0 }));
        Assert.That(lanes(Shape.I32x4, vcvtop(Shape.I32x4, Shape.F32x4, VCvtOp.RelaxedTruncS, f)),
            Is.EqualTo(new ulong[] { 0xFFFF_FFFF, 0x7FFF_FFFF, 0, 0x8000_0000 }));
    }

    [Test]
    public void Relaxed_integer_operators_take_the_deterministic_choice()
    {
        var min = vsplat(Shape.I16x8, 0x8000);
        Assert.That(vbinop(Shape.I16x8, VBinOp.RelaxedQ15MulrS, min, min), Is.EqualTo(vsplat(Shape.I16x8, 0x7FFF)));
        Assert.That(irelaxed_q15mulr_s(16, 0x8000, 0x8000), Is.EqualTo(0x7FFFUL));
        // Laneselect with a mixed mask is a bitselect (R_laneselect = 0), not a top-bit lane select.
        var m = vsplat(Shape.I32x4, 0x8000_00FF);
        var r = vternop(Shape.I32x4, VTernOp.RelaxedLaneselect, vsplat(Shape.I32x4, 0x1234_5678), vsplat(Shape.I32x4, 0xAAAA_AAAA), m);
        Assert.That(r, Is.EqualTo(vsplat(Shape.I32x4, 0x2AAA_AA78)));
        Assert.That(irelaxed_swizzle_lane(8, [1, 2, 3], 200), Is.EqualTo(0UL));
        Assert.That(irelaxed_swizzle_lane(8, [1, 2, 3], 0x80), Is.EqualTo(0UL));
        Assert.That(relaxed_trunc_u(32, -5.0), Is.EqualTo(0UL));
        Assert.That(relaxed_trunc_s(32, float.NaN), Is.EqualTo(0UL));
    }

    [Test]
    public void Vector_loads()
    {
        ulong raw = 0x8081_7F01_FF00_0102;
        Assert.That(lanes(Shape.I16x8, vload_extend(8, Sx.S, raw)), Is.EqualTo(new ulong[] { 2, 1, 0, 0xFFFF, 1, 0x7F, 0xFF81, 0xFF80 }));
        Assert.That(lanes(Shape.I16x8, vload_extend(8, Sx.U, raw)), Is.EqualTo(new ulong[] { 2, 1, 0, 0xFF, 1, 0x7F, 0x81, 0x80 }));
        Assert.That(lanes(Shape.I64x2, vload_extend(32, Sx.S, raw)), Is.EqualTo(new ulong[] { 0xFFFF_FFFF_FF00_0102, 0xFFFF_FFFF_8081_7F01 }));
        Assert.That(lanes(Shape.I32x4, vload_extend(16, Sx.U, raw)), Is.EqualTo(new ulong[] { 0x0102, 0xFF00, 0x7F01, 0x8081 }));
        Assert.That(vload_splat(8, 0xAB), Is.EqualTo(new V128(0xABAB_ABAB_ABAB_ABAB, 0xABAB_ABAB_ABAB_ABAB)));
        Assert.That(vload_zero(32, raw), Is.EqualTo(new V128(0xFF00_0102, 0)));
        Assert.That(vload_zero(64, raw), Is.EqualTo(new V128(raw, 0)));
        Assert.That(vload_lane(16, 7, V128.Zero, 0xBEEF), Is.EqualTo(new V128(0, 0xBEEFUL << 48)));
    }
}
