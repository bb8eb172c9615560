namespace Spec.Execution;

// §4.3.3 Floating-point operations (spectec 3.1-numerics.scalar, "Floating-point operations").
//
// The spec's float operators return a set of allowed results, non-deterministic only in NaNs. This
// implementation fixes ONE choice, the spec's deterministic profile: every NaN an operator (other than
// fneg, fabs, fcopysign, which work on bits) produces is the POSITIVE CANONICAL NaN. That choice lies in
// every allowed set: nans{z*} always admits +NaN(canon) (a canonical NaN is also an arithmetic one).
//
// Host arithmetic (.NET float/double on x64/arm64: SSE/NEON scalar ops) is IEEE 754 binary32/binary64 with
// round-to-nearest-even, no excess precision, no contraction; it is used for +, -, *, /, sqrt, fma and
// comparisons. Min, max, nearest and NaN results are the spec's own rules, written out below, because
// the host's Math.Min/Max/Round and float.NaN (which is negative) do not match them.
public static partial class Numerics
{
    // ---- NaNs (spectec 1.1-syntax.values: canon_N, arithmetic NaNs) ----

    public const uint CanonicalNaN32Bits = 0x7FC0_0000;
    public const ulong CanonicalNaN64Bits = 0x7FF8_0000_0000_0000;

    /// <summary>+NaN(canon_32)</summary>
    public static float CanonicalNaN32 => BitConverter.UInt32BitsToSingle(CanonicalNaN32Bits);

    /// <summary>+NaN(canon_64)</summary>
    public static double CanonicalNaN64 => BitConverter.UInt64BitsToDouble(CanonicalNaN64Bits);

    /// <summary>A NaN whose payload is canon_N (either sign).</summary>
    public static bool IsCanonicalNaN(float z) => (bits(z) & 0x7FFF_FFFF) == CanonicalNaN32Bits;
    public static bool IsCanonicalNaN(double z) => (bits(z) & 0x7FFF_FFFF_FFFF_FFFF) == CanonicalNaN64Bits;

    /// <summary>A NaN whose payload has its most significant bit set (either sign).</summary>
    public static bool IsArithmeticNaN(float z) => (bits(z) & CanonicalNaN32Bits) == CanonicalNaN32Bits;
    public static bool IsArithmeticNaN(double z) => (bits(z) & CanonicalNaN64Bits) == CanonicalNaN64Bits;

    /// <summary>The element of $nans_N{...} this implementation picks: +NaN(canon_N) (deterministic profile).</summary>
    static float nans32() => CanonicalNaN32;
    static double nans64() => CanonicalNaN64;

    // Applies the NaN rule to a host result: any NaN becomes the chosen element of nans{...}.
    static float Det(float r) => float.IsNaN(r) ? nans32() : r;
    static double Det(double r) => double.IsNaN(r) ? nans64() : r;

    internal static uint bits(float z) => BitConverter.SingleToUInt32Bits(z);
    internal static ulong bits(double z) => BitConverter.DoubleToUInt64Bits(z);
    internal static float f32(uint b) => BitConverter.UInt32BitsToSingle(b);
    internal static double f64(ulong b) => BitConverter.UInt64BitsToDouble(b);

    static bool IsNeg(float z) => (bits(z) >> 31) != 0;
    static bool IsNeg(double z) => (bits(z) >> 63) != 0;

    // ---- Arithmetic ----

    public static float fadd(float z1, float z2) => Det(z1 + z2);
    public static double fadd(double z1, double z2) => Det(z1 + z2);

    public static float fsub(float z1, float z2) => Det(z1 - z2);
    public static double fsub(double z1, double z2) => Det(z1 - z2);

    public static float fmul(float z1, float z2) => Det(z1 * z2);
    public static double fmul(double z1, double z2) => Det(z1 * z2);

    public static float fdiv(float z1, float z2) => Det(z1 / z2);
    public static double fdiv(double z1, double z2) => Det(z1 / z2);

    /// <summary>$fma_N: (z1 * z2) + z3 rounded once (IEEE fusedMultiplyAdd).</summary>
    public static float fma(float z1, float z2, float z3) => Det(MathF.FusedMultiplyAdd(z1, z2, z3));
    public static double fma(double z1, double z2, double z3) => Det(Math.FusedMultiplyAdd(z1, z2, z3));

    // $fmin_N: NaN wins, then -inf, then +inf yields the other, -0 is below +0, else the smaller.
    public static float fmin(float z1, float z2) =>
        float.IsNaN(z1) || float.IsNaN(z2) ? nans32()
        : z1 == 0 && z2 == 0 ? (IsNeg(z1) ? z1 : z2)
        : z1 <= z2 ? z1 : z2;
    public static double fmin(double z1, double z2) =>
        double.IsNaN(z1) || double.IsNaN(z2) ? nans64()
        : z1 == 0 && z2 == 0 ? (IsNeg(z1) ? z1 : z2)
        : z1 <= z2 ? z1 : z2;

    // $fmax_N: NaN wins, then +inf, then -inf yields the other, +0 is above -0, else the larger.
    public static float fmax(float z1, float z2) =>
        float.IsNaN(z1) || float.IsNaN(z2) ? nans32()
        : z1 == 0 && z2 == 0 ? (IsNeg(z1) ? z2 : z1)
        : z1 >= z2 ? z1 : z2;
    public static double fmax(double z1, double z2) =>
        double.IsNaN(z1) || double.IsNaN(z2) ? nans64()
        : z1 == 0 && z2 == 0 ? (IsNeg(z1) ? z2 : z1)
        : z1 >= z2 ? z1 : z2;

    /// <summary>$fpmin_N(z1, z2) = z2 if flt(z2, z1) else z1 — a selection, so NaN operands pass through bit for bit.</summary>
    public static float fpmin(float z1, float z2) => flt(z2, z1) == 1 ? z2 : z1;
    public static double fpmin(double z1, double z2) => flt(z2, z1) == 1 ? z2 : z1;

    /// <summary>$fpmax_N(z1, z2) = z2 if flt(z1, z2) else z1.</summary>
    public static float fpmax(float z1, float z2) => flt(z1, z2) == 1 ? z2 : z1;
    public static double fpmax(double z1, double z2) => flt(z1, z2) == 1 ? z2 : z1;

    // fcopysign, fabs, fneg act on the sign bit only, so NaN payloads survive (no NaN rule applies).
    public static float fcopysign(float z1, float z2) => f32((bits(z1) & 0x7FFF_FFFF) | (bits(z2) & 0x8000_0000));
    public static double fcopysign(double z1, double z2) =>
        f64((bits(z1) & 0x7FFF_FFFF_FFFF_FFFF) | (bits(z2) & 0x8000_0000_0000_0000));

    public static float fabs(float z) => f32(bits(z) & 0x7FFF_FFFF);
    public static double fabs(double z) => f64(bits(z) & 0x7FFF_FFFF_FFFF_FFFF);

    public static float fneg(float z) => f32(bits(z) ^ 0x8000_0000);
    public static double fneg(double z) => f64(bits(z) ^ 0x8000_0000_0000_0000);

    public static float fsqrt(float z) => Det(MathF.Sqrt(z));
    public static double fsqrt(double z) => Det(Math.Sqrt(z));

    // ---- Rounding to integral values ----
    // Written out with the "add and subtract 2^p" idiom: for |z| < 2^p (p = significand bits) the addition
    // rounds |z| to an integer ties-to-even and the subtraction is exact; |z| >= 2^p is already integral.
    // The explicit casts pin each step to the format's precision (C# would permit wider intermediates).

    const float TwoP23 = 8388608f;            // 2^23
    const double TwoP52 = 4503599627370496.0; // 2^52

    /// <summary>$fnearest_N: the nearest integral value, ties to even; keeps the sign (so -0.5 gives -0).</summary>
    public static float fnearest(float z)
    {
        if (float.IsNaN(z)) return nans32();
        float a = fabs(z);
        if (a >= TwoP23) return z; // includes infinities
        return fcopysign((float)((float)(a + TwoP23) - TwoP23), z);
    }
    public static double fnearest(double z)
    {
        if (double.IsNaN(z)) return nans64();
        double a = fabs(z);
        if (a >= TwoP52) return z;
        return fcopysign((double)((double)(a + TwoP52) - TwoP52), z);
    }

    /// <summary>$ftrunc_N: the integral value with the largest magnitude not above |z|, sign kept.</summary>
    public static float ftrunc(float z)
    {
        if (float.IsNaN(z)) return nans32();
        float a = fabs(z);
        if (a >= TwoP23) return z;
        float r = (float)((float)(a + TwoP23) - TwoP23);
        if (r > a) r -= 1; // nearest rounded up: step back toward zero
        return fcopysign(r, z);
    }
    public static double ftrunc(double z)
    {
        if (double.IsNaN(z)) return nans64();
        double a = fabs(z);
        if (a >= TwoP52) return z;
        double r = (double)((double)(a + TwoP52) - TwoP52);
        if (r > a) r -= 1;
        return fcopysign(r, z);
    }

    /// <summary>$fceil_N: the smallest integral value not below z; -1 &lt; z &lt; 0 gives -0.</summary>
    public static float fceil(float z)
    {
        float t = ftrunc(z);
        return float.IsNaN(t) || t >= z ? t : t + 1; // t < z only for positive non-integral z
    }
    public static double fceil(double z)
    {
        double t = ftrunc(z);
        return double.IsNaN(t) || t >= z ? t : t + 1;
    }

    /// <summary>$ffloor_N: the largest integral value not above z; 0 &lt; z &lt; 1 gives +0.</summary>
    public static float ffloor(float z)
    {
        float t = ftrunc(z);
        return float.IsNaN(t) || t <= z ? t : t - 1; // t > z only for negative non-integral z
    }
    public static double ffloor(double z)
    {
        double t = ftrunc(z);
        return double.IsNaN(t) || t <= z ? t : t - 1;
    }

    // ---- Comparisons (u32 0 or 1; any NaN operand makes all but fne false) ----

    public static uint feq(float z1, float z2) => @bool(z1 == z2);
    public static uint feq(double z1, double z2) => @bool(z1 == z2);

    public static uint fne(float z1, float z2) => @bool(!(z1 == z2));
    public static uint fne(double z1, double z2) => @bool(!(z1 == z2));

    public static uint flt(float z1, float z2) => @bool(z1 < z2);
    public static uint flt(double z1, double z2) => @bool(z1 < z2);

    public static uint fgt(float z1, float z2) => @bool(z1 > z2);
    public static uint fgt(double z1, double z2) => @bool(z1 > z2);

    public static uint fle(float z1, float z2) => @bool(z1 <= z2);
    public static uint fle(double z1, double z2) => @bool(z1 <= z2);

    public static uint fge(float z1, float z2) => @bool(z1 >= z2);
    public static uint fge(double z1, double z2) => @bool(z1 >= z2);
}
