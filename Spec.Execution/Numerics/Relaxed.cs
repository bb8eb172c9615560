namespace Spec.Execution;

// §4.3.5 Relaxed operations (spectec 3.0-numerics.relaxed and the relaxed operators of 3.1 and 3.2).
// Each relaxed operator selects among allowed behaviours by a global parameter R_*. This implementation
// instantiates every parameter to 0, the deterministic profile's prescription, so relaxed operators behave as
// their strict counterparts: unfused madd, fmin/fmax, saturating q15mulr and truncation, swizzle yielding 0,
// signed dot product, bitselect.
public static partial class Numerics
{
    // The global parameters (spectec 3.0: $R_fmadd ... $R_laneselect), fixed for every execution.
    public const int R_fmadd = 0, R_fmin = 0, R_fmax = 0, R_idot = 0, R_iq15mulr = 0,
        R_trunc_u = 0, R_trunc_s = 0, R_swizzle = 0, R_laneselect = 0;

    /// <summary>$relaxed2(i, X_1, X_2) = (X_1 X_2)[i]</summary>
    public static T relaxed2<T>(int i, T x0, T x1) => i == 0 ? x0 : x1;

    /// <summary>$relaxed4(i, X_1, X_2, X_3, X_4) = (X_1 X_2 X_3 X_4)[i]</summary>
    public static T relaxed4<T>(int i, T x0, T x1, T x2, T x3) => i switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };

    /// <summary>$frelaxed_madd_N = relaxed(R_fmadd)[fadd(fmul(z1, z2), z3), fma(z1, z2, z3)]</summary>
    public static float frelaxed_madd(float z1, float z2, float z3) =>
        R_fmadd == 0 ? fadd(fmul(z1, z2), z3) : fma(z1, z2, z3);
    public static double frelaxed_madd(double z1, double z2, double z3) =>
        R_fmadd == 0 ? fadd(fmul(z1, z2), z3) : fma(z1, z2, z3);

    /// <summary>$frelaxed_nmadd_N(z1, z2, z3) = frelaxed_madd(-z1, z2, z3)</summary>
    public static float frelaxed_nmadd(float z1, float z2, float z3) => frelaxed_madd(fneg(z1), z2, z3);
    public static double frelaxed_nmadd(double z1, double z2, double z3) => frelaxed_madd(fneg(z1), z2, z3);

    /// <summary>$frelaxed_min_N: fmin, except NaNs and opposite zeros, where R_fmin picks (0: fmin).</summary>
    public static float frelaxed_min(float z1, float z2) =>
        float.IsNaN(z1) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, z2)
        : float.IsNaN(z2) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, z1)
        : z1 == 0 && z2 == 0 && bits(z1) != bits(z2) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, -0f)
        : fmin(z1, z2);
    public static double frelaxed_min(double z1, double z2) =>
        double.IsNaN(z1) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, z2)
        : double.IsNaN(z2) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, z1)
        : z1 == 0 && z2 == 0 && bits(z1) != bits(z2) ? relaxed4(R_fmin, fmin(z1, z2), z1, z2, -0d)
        : fmin(z1, z2);

    /// <summary>$frelaxed_max_N: fmax, except NaNs and opposite zeros, where R_fmax picks (0: fmax).</summary>
    public static float frelaxed_max(float z1, float z2) =>
        float.IsNaN(z1) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, z2)
        : float.IsNaN(z2) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, z1)
        : z1 == 0 && z2 == 0 && bits(z1) != bits(z2) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, 0f)
        : fmax(z1, z2);
    public static double frelaxed_max(double z1, double z2) =>
        double.IsNaN(z1) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, z2)
        : double.IsNaN(z2) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, z1)
        : z1 == 0 && z2 == 0 && bits(z1) != bits(z2) ? relaxed4(R_fmax, fmax(z1, z2), z1, z2, 0d)
        : fmax(z1, z2);

    /// <summary>$irelaxed_q15mulr_(N, S, i1, i2): iq15mulr_sat_s, except MIN * MIN where R_iq15mulr picks (0: saturate).</summary>
    public static ulong irelaxed_q15mulr_s(int N, ulong i1, ulong i2)
    {
        ulong min = 1UL << (N - 1);
        return i1 == min && i2 == min ? relaxed2(R_iq15mulr, min - 1, min) : iq15mulr_sat_s(N, i1, i2);
    }

    /// <summary>$relaxed_trunc__(M, N, U, z): trunc_u in range, else R_trunc_u picks (0: trunc_sat_u).</summary>
    public static ulong relaxed_trunc_u(int N, double z) => trunc_u(N, z) ?? trunc_sat_u(N, z);
    public static ulong relaxed_trunc_u(int N, float z) => relaxed_trunc_u(N, (double)z);

    /// <summary>$relaxed_trunc__(M, N, S, z): trunc_s in range, else R_trunc_s picks (0: trunc_sat_s).</summary>
    public static ulong relaxed_trunc_s(int N, double z) => trunc_s(N, z) ?? trunc_sat_s(N, z);
    public static ulong relaxed_trunc_s(int N, float z) => relaxed_trunc_s(N, (double)z);

    /// <summary>$irelaxed_swizzle_lane_(N, c*, i): c[i] in range, 0 for negative i, else R_swizzle picks (0: 0).</summary>
    public static ulong irelaxed_swizzle_lane(int N, ReadOnlySpan<ulong> c, ulong i) =>
        i < (ulong)c.Length ? c[(int)i]
        : signed(N, i) < 0 ? 0
        : relaxed2(R_swizzle, 0UL, c[(int)(i % (ulong)c.Length)]);

    /// <summary>$irelaxed_laneselect_(N, i1, i2, i3) = ibitselect(i1, i2, relaxed(R_laneselect)[i3, top bit of i3 spread]).</summary>
    public static ulong irelaxed_laneselect(int N, ulong i1, ulong i2, ulong i3) =>
        ibitselect(N, i1, i2, relaxed2(R_laneselect, i3, extend_s(1, N, ishr_u(N, i3, (ulong)(N - 1)))));
}
