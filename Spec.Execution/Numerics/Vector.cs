using Spec.Syntax;

namespace Spec.Execution;

// §4.3.6 Vector operations (spectec 3.2-numerics.vector): lanewise liftings of the scalar operators.
// A lane is held as its bit pattern in the low bits of a ulong (f32 lanes as their 32 bits). Float lanes obey
// the scalar NaN rule (deterministic profile: +canonical NaN), relaxed operators the R_* = 0 choice.
public static partial class Numerics
{
    // ---- Lanes ($lanes_, $inv_lanes_) ----

    /// <summary>|lanetype|: 8, 16, 32 or 64.</summary>
    public static int lsize(LaneType t) => t switch
    {
        LaneType.I8 => 8, LaneType.I16 => 16, LaneType.I32 or LaneType.F32 => 32, _ => 64,
    };

    static bool IsFloat(LaneType t) => t is LaneType.F32 or LaneType.F64;

    /// <summary>Lane <paramref name="i"/> of <paramref name="v"/> read as shape <paramref name="s"/>.</summary>
    public static ulong lane(Shape s, V128 v, int i)
    {
        int N = lsize(s.Lane), at = i * N;
        ulong word = at < 64 ? v.Lo : v.Hi;
        return (word >> (at % 64)) & Mask(N);
    }

    /// <summary><paramref name="v"/> with lane <paramref name="i"/> replaced by the low bits of <paramref name="c"/>.</summary>
    public static V128 with_lane(Shape s, V128 v, int i, ulong c)
    {
        int N = lsize(s.Lane), at = i * N, sh = at % 64;
        ulong m = Mask(N) << sh, put = (c & Mask(N)) << sh;
        return at < 64 ? v with { Lo = (v.Lo & ~m) | put } : v with { Hi = (v.Hi & ~m) | put };
    }

    /// <summary>$lanes_(shape, v)</summary>
    public static ulong[] lanes(Shape s, V128 v)
    {
        var c = new ulong[s.Dim];
        for (int i = 0; i < c.Length; i++) c[i] = lane(s, v, i);
        return c;
    }

    /// <summary>$inv_lanes_(shape, c*)</summary>
    public static V128 inv_lanes(Shape s, ReadOnlySpan<ulong> c)
    {
        if (c.Length != s.Dim) throw new ArgumentException($"{s} has {s.Dim} lanes, not {c.Length}");
        var v = V128.Zero;
        for (int i = 0; i < s.Dim; i++) v = with_lane(s, v, i, c[i]);
        return v;
    }

    // Lanewise lifting: the spec's $ivunop_, $ivbinop_, ... all apply a lane function at every index.
    static V128 Map(Shape s, V128 v1, Func<ulong, ulong> f)
    {
        var v = V128.Zero;
        for (int i = 0; i < s.Dim; i++) v = with_lane(s, v, i, f(lane(s, v1, i)));
        return v;
    }

    static V128 Map(Shape s, V128 v1, V128 v2, Func<ulong, ulong, ulong> f)
    {
        var v = V128.Zero;
        for (int i = 0; i < s.Dim; i++) v = with_lane(s, v, i, f(lane(s, v1, i), lane(s, v2, i)));
        return v;
    }

    static V128 Map(Shape s, V128 v1, V128 v2, V128 v3, Func<ulong, ulong, ulong, ulong> f)
    {
        var v = V128.Zero;
        for (int i = 0; i < s.Dim; i++) v = with_lane(s, v, i, f(lane(s, v1, i), lane(s, v2, i), lane(s, v3, i)));
        return v;
    }

    // ---- vvunop, vvbinop, vvternop, vvtestop: the whole vector as an i128 ----

    /// <summary>$vvunop_(V128, NOT, v) = inot_128(v)</summary>
    public static V128 vvunop(VVUnOp op, V128 v) => op switch
    {
        VVUnOp.Not => new(~v.Lo, ~v.Hi),
        _ => throw NotAdmitted("v128", op),
    };

    /// <summary>$vvbinop_(V128, op, v1, v2)</summary>
    public static V128 vvbinop(VVBinOp op, V128 v1, V128 v2) => op switch
    {
        VVBinOp.And => new(v1.Lo & v2.Lo, v1.Hi & v2.Hi),
        VVBinOp.AndNot => new(v1.Lo & ~v2.Lo, v1.Hi & ~v2.Hi),
        VVBinOp.Or => new(v1.Lo | v2.Lo, v1.Hi | v2.Hi),
        VVBinOp.Xor => new(v1.Lo ^ v2.Lo, v1.Hi ^ v2.Hi),
        _ => throw NotAdmitted("v128", op),
    };

    /// <summary>$vvternop_(V128, BITSELECT, v1, v2, v3) = ibitselect_128(v1, v2, v3)</summary>
    public static V128 vvternop(VVTernOp op, V128 v1, V128 v2, V128 v3) => op switch
    {
        VVTernOp.Bitselect => new(ibitselect(64, v1.Lo, v2.Lo, v3.Lo), ibitselect(64, v1.Hi, v2.Hi, v3.Hi)),
        _ => throw NotAdmitted("v128", op),
    };

    /// <summary>ANY_TRUE: 1 iff some bit of v is set (inez_128).</summary>
    public static uint vvtestop(VVTestOp op, V128 v) => op switch
    {
        VVTestOp.AnyTrue => @bool(v.Lo != 0 || v.Hi != 0),
        _ => throw NotAdmitted("v128", op),
    };

    // ---- Float lane helpers: a lane's bits in, a lane's bits out ----

    static ulong FUn(LaneType t, ulong c, Func<float, float> f32op, Func<double, double> f64op) =>
        t == LaneType.F32 ? bits(f32op(f32((uint)c))) : bits(f64op(f64(c)));

    static ulong FBin(LaneType t, ulong c1, ulong c2, Func<float, float, float> f32op, Func<double, double, double> f64op) =>
        t == LaneType.F32 ? bits(f32op(f32((uint)c1), f32((uint)c2))) : bits(f64op(f64(c1), f64(c2)));

    static ulong FRel(LaneType t, ulong c1, ulong c2, Func<float, float, uint> f32op, Func<double, double, uint> f64op) =>
        t == LaneType.F32 ? f32op(f32((uint)c1), f32((uint)c2)) : f64op(f64(c1), f64(c2));

    // ---- vunop, vbinop, vternop, vrelop, vshiftop, vtestop, vbitmask ----

    /// <summary>$vunop_(shape, vunop, v)</summary>
    public static V128 vunop(Shape s, VUnOp op, V128 v)
    {
        int N = lsize(s.Lane);
        LaneType t = s.Lane;
        Func<ulong, ulong> f = (IsFloat(t), op) switch
        {
            (false, VUnOp.Abs) => c => iabs(N, c),
            (false, VUnOp.Neg) => c => ineg(N, c),
            (false, VUnOp.Popcnt) => c => ipopcnt(N, c),
            (true, VUnOp.Abs) => c => FUn(t, c, fabs, fabs),
            (true, VUnOp.Neg) => c => FUn(t, c, fneg, fneg),
            (true, VUnOp.Sqrt) => c => FUn(t, c, fsqrt, fsqrt),
            (true, VUnOp.Ceil) => c => FUn(t, c, fceil, fceil),
            (true, VUnOp.Floor) => c => FUn(t, c, ffloor, ffloor),
            (true, VUnOp.Trunc) => c => FUn(t, c, ftrunc, ftrunc),
            (true, VUnOp.Nearest) => c => FUn(t, c, fnearest, fnearest),
            _ => throw NotAdmitted(s, op),
        };
        return Map(s, v, f);
    }

    /// <summary>$vbinop_(shape, vbinop, v1, v2)</summary>
    public static V128 vbinop(Shape s, VBinOp op, V128 v1, V128 v2)
    {
        int N = lsize(s.Lane);
        LaneType t = s.Lane;
        Func<ulong, ulong, ulong> f = (IsFloat(t), op) switch
        {
            (false, VBinOp.Add) => (a, b) => iadd(N, a, b),
            (false, VBinOp.Sub) => (a, b) => isub(N, a, b),
            (false, VBinOp.Mul) => (a, b) => imul(N, a, b),
            (false, VBinOp.AddSatU) => (a, b) => iadd_sat_u(N, a, b),
            (false, VBinOp.AddSatS) => (a, b) => iadd_sat_s(N, a, b),
            (false, VBinOp.SubSatU) => (a, b) => isub_sat_u(N, a, b),
            (false, VBinOp.SubSatS) => (a, b) => isub_sat_s(N, a, b),
            (false, VBinOp.MinU) => (a, b) => imin_u(N, a, b),
            (false, VBinOp.MinS) => (a, b) => imin_s(N, a, b),
            (false, VBinOp.MaxU) => (a, b) => imax_u(N, a, b),
            (false, VBinOp.MaxS) => (a, b) => imax_s(N, a, b),
            (false, VBinOp.AvgrU) => (a, b) => iavgr_u(N, a, b),
            (false, VBinOp.Q15MulrSatS) => (a, b) => iq15mulr_sat_s(N, a, b),
            (false, VBinOp.RelaxedQ15MulrS) => (a, b) => irelaxed_q15mulr_s(N, a, b),
            (true, VBinOp.Add) => (a, b) => FBin(t, a, b, fadd, fadd),
            (true, VBinOp.Sub) => (a, b) => FBin(t, a, b, fsub, fsub),
            (true, VBinOp.Mul) => (a, b) => FBin(t, a, b, fmul, fmul),
            (true, VBinOp.Div) => (a, b) => FBin(t, a, b, fdiv, fdiv),
            (true, VBinOp.Min) => (a, b) => FBin(t, a, b, fmin, fmin),
            (true, VBinOp.Max) => (a, b) => FBin(t, a, b, fmax, fmax),
            (true, VBinOp.Pmin) => (a, b) => PSelect(t, a, b, min: true),
            (true, VBinOp.Pmax) => (a, b) => PSelect(t, a, b, min: false),
            (true, VBinOp.RelaxedMin) => (a, b) => FBin(t, a, b, frelaxed_min, frelaxed_min),
            (true, VBinOp.RelaxedMax) => (a, b) => FBin(t, a, b, frelaxed_max, frelaxed_max),
            _ => throw NotAdmitted(s, op),
        };
        return Map(s, v1, v2, f);
    }

    // fpmin/fpmax select an operand; selecting on the lane bits keeps a NaN lane's bits exact.
    static ulong PSelect(LaneType t, ulong a, ulong b, bool min) =>
        (min ? FRel(t, b, a, flt, flt) : FRel(t, a, b, flt, flt)) == 1 ? b : a;

    /// <summary>$vternop_(shape, vternop, v1, v2, v3)</summary>
    public static V128 vternop(Shape s, VTernOp op, V128 v1, V128 v2, V128 v3)
    {
        int N = lsize(s.Lane);
        LaneType t = s.Lane;
        Func<ulong, ulong, ulong, ulong> f = (IsFloat(t), op) switch
        {
            (false, VTernOp.RelaxedLaneselect) => (a, b, c) => irelaxed_laneselect(N, a, b, c),
            (true, VTernOp.RelaxedMadd) => (a, b, c) => t == LaneType.F32
                ? bits(frelaxed_madd(f32((uint)a), f32((uint)b), f32((uint)c)))
                : bits(frelaxed_madd(f64(a), f64(b), f64(c))),
            (true, VTernOp.RelaxedNmadd) => (a, b, c) => t == LaneType.F32
                ? bits(frelaxed_nmadd(f32((uint)a), f32((uint)b), f32((uint)c)))
                : bits(frelaxed_nmadd(f64(a), f64(b), f64(c))),
            _ => throw NotAdmitted(s, op),
        };
        return Map(s, v1, v2, v3, f);
    }

    /// <summary>$vrelop_(shape, vrelop, v1, v2): each lane all ones (true) or zero, as extend_s(1, N, bit).</summary>
    public static V128 vrelop(Shape s, VRelOp op, V128 v1, V128 v2)
    {
        int N = lsize(s.Lane);
        LaneType t = s.Lane;
        Func<ulong, ulong, uint> f = (IsFloat(t), op) switch
        {
            (false, VRelOp.Eq) => (a, b) => ieq(N, a, b),
            (false, VRelOp.Ne) => (a, b) => ine(N, a, b),
            (false, VRelOp.LtU) => (a, b) => ilt_u(N, a, b),
            (false, VRelOp.LtS) => (a, b) => ilt_s(N, a, b),
            (false, VRelOp.GtU) => (a, b) => igt_u(N, a, b),
            (false, VRelOp.GtS) => (a, b) => igt_s(N, a, b),
            (false, VRelOp.LeU) => (a, b) => ile_u(N, a, b),
            (false, VRelOp.LeS) => (a, b) => ile_s(N, a, b),
            (false, VRelOp.GeU) => (a, b) => ige_u(N, a, b),
            (false, VRelOp.GeS) => (a, b) => ige_s(N, a, b),
            (true, VRelOp.Eq) => (a, b) => (uint)FRel(t, a, b, feq, feq),
            (true, VRelOp.Ne) => (a, b) => (uint)FRel(t, a, b, fne, fne),
            (true, VRelOp.Lt) => (a, b) => (uint)FRel(t, a, b, flt, flt),
            (true, VRelOp.Gt) => (a, b) => (uint)FRel(t, a, b, fgt, fgt),
            (true, VRelOp.Le) => (a, b) => (uint)FRel(t, a, b, fle, fle),
            (true, VRelOp.Ge) => (a, b) => (uint)FRel(t, a, b, fge, fge),
            _ => throw NotAdmitted(s, op),
        };
        return Map(s, v1, v2, (a, b) => extend_s(1, N, f(a, b)));
    }

    /// <summary>$vshiftop_(shape, vshiftop, v, i): every lane shifted by i mod N.</summary>
    public static V128 vshiftop(Shape s, VShiftOp op, V128 v, uint i)
    {
        int N = lsize(s.Lane);
        return op switch
        {
            VShiftOp.Shl => Map(s, v, c => ishl(N, c, i)),
            VShiftOp.ShrU => Map(s, v, c => ishr_u(N, c, i)),
            VShiftOp.ShrS => Map(s, v, c => ishr_s(N, c, i)),
            _ => throw NotAdmitted(s, op),
        };
    }

    /// <summary>ALL_TRUE: 1 iff every lane is non-zero.</summary>
    public static uint vtestop(Shape s, VTestOp op, V128 v)
    {
        if (op != VTestOp.AllTrue) throw NotAdmitted(s, op);
        for (int i = 0; i < s.Dim; i++)
            if (lane(s, v, i) == 0) return 0;
        return 1;
    }

    /// <summary>$vbitmaskop_(shape, v): bit k of the result is the sign bit of lane k.</summary>
    public static uint vbitmask(Shape s, V128 v)
    {
        int N = lsize(s.Lane);
        uint r = 0;
        for (int i = 0; i < s.Dim; i++) r |= ilt_s(N, lane(s, v, i), 0) << i;
        return r;
    }

    // ---- Swizzle, shuffle, splat, lanes ----

    /// <summary>$iswizzle_lane_(N, c*, i): c[i], or 0 when i is out of range.</summary>
    public static ulong iswizzle_lane(int N, ReadOnlySpan<ulong> c, ulong i) => i < (ulong)c.Length ? c[(int)i] : 0;

    /// <summary>$vswizzlop_(i8x16, op, v1, v2): lane k is lane v2[k] of v1 (per the swizzle lane rule).</summary>
    public static V128 vswizzle(Shape s, VSwizzlOp op, V128 v1, V128 v2)
    {
        int N = lsize(s.Lane);
        ulong[] c1 = lanes(s, v1);
        var c = new ulong[s.Dim];
        for (int k = 0; k < s.Dim; k++)
        {
            ulong i = lane(s, v2, k);
            c[k] = op switch
            {
                VSwizzlOp.Swizzle => iswizzle_lane(N, c1, i),
                VSwizzlOp.RelaxedSwizzle => irelaxed_swizzle_lane(N, c1, i),
                _ => throw NotAdmitted(s, op),
            };
        }
        return inv_lanes(s, c);
    }

    /// <summary>$vshufflop_(i8x16, i*, v1, v2): lane k is lane i[k] of the concatenation v1 ++ v2 (validation ensures i[k] &lt; 2*dim).</summary>
    public static V128 vshuffle(Shape s, ReadOnlySpan<byte> i, V128 v1, V128 v2)
    {
        var c = new ulong[s.Dim];
        for (int k = 0; k < s.Dim; k++)
            c[k] = i[k] < s.Dim ? lane(s, v1, i[k]) : lane(s, v2, i[k] - s.Dim);
        return inv_lanes(s, c);
    }

    /// <summary>SPLAT: every lane is $lpacknum_(lanetype, c) (c wrapped to the lane width).</summary>
    public static V128 vsplat(Shape s, ulong c)
    {
        var v = V128.Zero;
        for (int i = 0; i < s.Dim; i++) v = with_lane(s, v, i, c);
        return v;
    }

    /// <summary>EXTRACT_LANE sx? i: the lane as a num_ value; packed lanes (i8, i16) are extended to i32 by sx.</summary>
    public static ulong vextract_lane(Shape s, Sx? sx, int i, V128 v)
    {
        ulong c = lane(s, v, i);
        int N = lsize(s.Lane);
        return s.Lane is LaneType.I8 or LaneType.I16
            ? (sx == Sx.S ? extend_s(N, 32, c) : extend_u(N, 32, c))
            : c;
    }

    /// <summary>REPLACE_LANE i: lane i becomes $lpacknum_(lanetype, c).</summary>
    public static V128 vreplace_lane(Shape s, int i, V128 v, ulong c) => with_lane(s, v, i, c);

    // ---- Extended and narrowing operations ----

    /// <summary>$ivadd_pairwise_(N, i*): sums of adjacent pairs.</summary>
    public static ulong[] ivadd_pairwise(int N, ReadOnlySpan<ulong> i)
    {
        var r = new ulong[i.Length / 2];
        for (int k = 0; k < r.Length; k++) r[k] = iadd(N, i[2 * k], i[2 * k + 1]);
        return r;
    }

    /// <summary>$ivmul_(N, i1*, i2*)</summary>
    public static ulong[] ivmul(int N, ReadOnlySpan<ulong> i1, ReadOnlySpan<ulong> i2)
    {
        var r = new ulong[i1.Length];
        for (int k = 0; k < r.Length; k++) r[k] = imul(N, i1[k], i2[k]);
        return r;
    }

    /// <summary>$ivdot_(N, i1*, i2*): pairwise sums of the lanewise products.</summary>
    public static ulong[] ivdot(int N, ReadOnlySpan<ulong> i1, ReadOnlySpan<ulong> i2) => ivadd_pairwise(N, ivmul(N, i1, i2));

    /// <summary>$ivdot_sat_(N, i1*, i2*): pairwise signed-saturating sums of the lanewise products.</summary>
    public static ulong[] ivdot_sat(int N, ReadOnlySpan<ulong> i1, ReadOnlySpan<ulong> i2)
    {
        ulong[] j = ivmul(N, i1, i2);
        var r = new ulong[j.Length / 2];
        for (int k = 0; k < r.Length; k++) r[k] = iadd_sat_s(N, j[2 * k], j[2 * k + 1]);
        return r;
    }

    static ulong ExtendLane(int M, int N, Sx sx, ulong c) => sx == Sx.S ? extend_s(M, N, c) : extend_u(M, N, c);

    /// <summary>$vextunop__(sh1 = <paramref name="from"/>, sh2 = <paramref name="to"/>, EXTADD_PAIRWISE sx, v)</summary>
    public static V128 vextunop(Shape to, Shape from, VExtUnOp op, V128 v)
    {
        Sx sx = op switch
        {
            VExtUnOp.ExtaddPairwiseS => Sx.S,
            VExtUnOp.ExtaddPairwiseU => Sx.U,
            _ => throw NotAdmitted(to, op),
        };
        int N1 = lsize(from.Lane), N2 = lsize(to.Lane);
        ulong[] c = lanes(from, v);
        for (int k = 0; k < c.Length; k++) c[k] = ExtendLane(N1, N2, sx, c[k]);
        return inv_lanes(to, ivadd_pairwise(N2, c));
    }

    /// <summary>$vextbinop__(sh1 = <paramref name="from"/>, sh2 = <paramref name="to"/>, op, v1, v2): EXTMUL half sx, DOT S, RELAXED_DOT S.</summary>
    public static V128 vextbinop(Shape to, Shape from, VExtBinOp op, V128 v1, V128 v2)
    {
        int M2 = to.Dim, M1 = from.Dim;
        return op switch
        {
            VExtBinOp.ExtmulLowS => ivextbinop(to, from, ivmul, Sx.S, Sx.S, 0, M2, v1, v2),
            VExtBinOp.ExtmulLowU => ivextbinop(to, from, ivmul, Sx.U, Sx.U, 0, M2, v1, v2),
            VExtBinOp.ExtmulHighS => ivextbinop(to, from, ivmul, Sx.S, Sx.S, M2, M2, v1, v2),
            VExtBinOp.ExtmulHighU => ivextbinop(to, from, ivmul, Sx.U, Sx.U, M2, M2, v1, v2),
            VExtBinOp.DotS => ivextbinop(to, from, ivdot, Sx.S, Sx.S, 0, M1, v1, v2),
            VExtBinOp.RelaxedDotS =>
                ivextbinop(to, from, ivdot_sat, Sx.S, relaxed2(R_idot, Sx.S, Sx.U), 0, M1, v1, v2),
            _ => throw NotAdmitted(to, op),
        };
    }

    delegate ulong[] LanesOp(int N, ReadOnlySpan<ulong> i1, ReadOnlySpan<ulong> i2);

    // $ivextbinop__: lanes [i : k] of both operands, extended by sx1 / sx2 to the result width, then f.
    static V128 ivextbinop(Shape to, Shape from, LanesOp f, Sx sx1, Sx sx2, int i, int k, V128 v1, V128 v2)
    {
        int N1 = lsize(from.Lane), N2 = lsize(to.Lane);
        var c1 = new ulong[k];
        var c2 = new ulong[k];
        for (int j = 0; j < k; j++)
        {
            c1[j] = ExtendLane(N1, N2, sx1, lane(from, v1, i + j));
            c2[j] = ExtendLane(N1, N2, sx2, lane(from, v2, i + j));
        }
        return inv_lanes(to, f(N2, c1, c2));
    }

    /// <summary>$vextternop__(sh1 = <paramref name="from"/>, sh2 = <paramref name="to"/>, RELAXED_DOT_ADD S, v1, v2, v3)</summary>
    public static V128 vextternop(Shape to, Shape from, VExtTernOp op, V128 v1, V128 v2, V128 v3)
    {
        if (op != VExtTernOp.RelaxedDotAddS) throw NotAdmitted(to, op);
        var mid = new Shape(lsize(from.Lane) == 8 ? LaneType.I16 : LaneType.I32, 2 * to.Dim); // N = 2 N1, M = 2 M2
        V128 c1 = vextbinop(mid, from, VExtBinOp.RelaxedDotS, v1, v2);
        V128 c2 = vextunop(to, mid, VExtUnOp.ExtaddPairwiseS, c1);
        return vbinop(to, VBinOp.Add, c2, v3);
    }

    /// <summary>$vnarrowop__(sh1 = <paramref name="from"/>, sh2 = <paramref name="to"/>, sx, v1, v2): lanes of v1 then v2, saturated.</summary>
    public static V128 vnarrow(Shape to, Shape from, Sx sx, V128 v1, V128 v2)
    {
        int N1 = lsize(from.Lane), N2 = lsize(to.Lane);
        var c = new ulong[to.Dim];
        for (int k = 0; k < from.Dim; k++)
        {
            c[k] = Narrow(lane(from, v1, k));
            c[from.Dim + k] = Narrow(lane(from, v2, k));
        }
        return inv_lanes(to, c);

        ulong Narrow(ulong x) => sx == Sx.S ? narrow_s(N1, N2, x) : narrow_u(N1, N2, x);
    }

    /// <summary>$lcvtop__(sh1, sh2, vcvtop, c): one lane's conversion from lane type <paramref name="t1"/> to <paramref name="t2"/>.</summary>
    public static ulong lcvtop(LaneType t1, LaneType t2, VCvtOp op, ulong c)
    {
        int M = lsize(t1), N = lsize(t2);
        return op switch
        {
            VCvtOp.ExtendLowS or VCvtOp.ExtendHighS => extend_s(M, N, c),
            VCvtOp.ExtendLowU or VCvtOp.ExtendHighU => extend_u(M, N, c),
            VCvtOp.ConvertS or VCvtOp.ConvertLowS => convert_s(M, N, c),
            VCvtOp.ConvertU or VCvtOp.ConvertLowU => convert_u(M, N, c),
            VCvtOp.TruncSatS or VCvtOp.TruncSatZeroS => M == 32 ? trunc_sat_s(N, f32((uint)c)) : trunc_sat_s(N, f64(c)),
            VCvtOp.TruncSatU or VCvtOp.TruncSatZeroU => M == 32 ? trunc_sat_u(N, f32((uint)c)) : trunc_sat_u(N, f64(c)),
            VCvtOp.RelaxedTruncS or VCvtOp.RelaxedTruncZeroS =>
                M == 32 ? relaxed_trunc_s(N, f32((uint)c)) : relaxed_trunc_s(N, f64(c)),
            VCvtOp.RelaxedTruncU or VCvtOp.RelaxedTruncZeroU =>
                M == 32 ? relaxed_trunc_u(N, f32((uint)c)) : relaxed_trunc_u(N, f64(c)),
            VCvtOp.DemoteZero => bits(demote(f64(c))),
            VCvtOp.PromoteLow => bits(promote(f32((uint)c))),
            _ => throw NotAdmitted($"{t1} -> {t2}", op),
        };
    }

    /// <summary>
    /// $vcvtop__(sh1 = <paramref name="from"/>, sh2 = <paramref name="to"/>, vcvtop, v): converts lanes [h : k] of v
    /// (the low or high half for a half op), padding with zero lanes for a zero op.
    /// </summary>
    public static V128 vcvtop(Shape to, Shape from, VCvtOp op, V128 v)
    {
        bool high = op is VCvtOp.ExtendHighS or VCvtOp.ExtendHighU;
        bool half = high || op is VCvtOp.ExtendLowS or VCvtOp.ExtendLowU or VCvtOp.ConvertLowS or VCvtOp.ConvertLowU
            or VCvtOp.PromoteLow;
        int h = high ? to.Dim : 0, k = half ? to.Dim : from.Dim; // with zero, the rest of the to.Dim lanes stay $zero
        var c = new ulong[to.Dim];
        for (int j = 0; j < k; j++) c[j] = lcvtop(from.Lane, to.Lane, op, lane(from, v, h + j));
        return inv_lanes(to, c);
    }

    // ---- Vector loads (the numeric part of VLOAD): raw is the little-endian bytes read from memory ----

    /// <summary>vload (M x K)_sx: 64/M packed M-bit values of raw, each extended by sx to 2M bits.</summary>
    public static V128 vload_extend(int M, Sx sx, ulong raw)
    {
        var to = new Shape(M == 8 ? LaneType.I16 : M == 16 ? LaneType.I32 : LaneType.I64, 64 / M);
        var c = new ulong[to.Dim];
        for (int j = 0; j < c.Length; j++) c[j] = ExtendLane(M, 2 * M, sx, (raw >> (j * M)) & Mask(M));
        return inv_lanes(to, c);
    }

    /// <summary>vload N_splat: the N-bit value in every lane of shape iN x (128/N).</summary>
    public static V128 vload_splat(int N, ulong raw) => vsplat(IntShape(N), raw);

    /// <summary>vload N_zero: the N-bit value (N = 32 or 64) in lane 0, zeros elsewhere.</summary>
    public static V128 vload_zero(int N, ulong raw) => new(raw & Mask(N), 0);

    /// <summary>vload_lane N i: v with lane i of shape iN x (128/N) replaced by the N-bit value.</summary>
    public static V128 vload_lane(int N, int i, V128 v, ulong raw) => with_lane(IntShape(N), v, i, raw);

    static Shape IntShape(int N) => N switch
    {
        8 => Shape.I8x16, 16 => Shape.I16x8, 32 => Shape.I32x4, _ => Shape.I64x2,
    };
}
