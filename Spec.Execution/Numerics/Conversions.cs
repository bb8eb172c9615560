using System.Numerics;
using Spec.Syntax;

namespace Spec.Execution;

// §4.3.4 Conversions (spectec 3.1-numerics.scalar, "Conversions").
// Integer arguments and results are iN bit patterns in the low bits of a ulong (M = source width, N = target
// width). Integer-to-float rounding is done here bit by bit ($ieee_N on an integer), not by host casts:
// a host u64 -> f32 cast may round twice (through f64) and so differ from the spec's single rounding.
public static partial class Numerics
{
    // ---- Integer to integer ----

    /// <summary>$extend__(M, N, U, i) = i</summary>
    public static ulong extend_u(int M, int N, ulong i) => i & Mask(M);

    /// <summary>$extend__(M, N, S, i) = inv_signed_N(signed_M(i))</summary>
    public static ulong extend_s(int M, int N, ulong i) => inv_signed(N, signed(M, i & Mask(M)));

    /// <summary>$wrap__(M, N, i) = i mod 2^N</summary>
    public static ulong wrap(int M, int N, ulong i) => i & Mask(N);

    /// <summary>$narrow__(M, N, S, i) = inv_signed_N(sat_s_N(signed_M(i)))</summary>
    public static ulong narrow_s(int M, int N, ulong i) => inv_signed(N, sat_s(N, signed(M, i)));

    /// <summary>$narrow__(M, N, U, i) = sat_u_N(signed_M(i))</summary>
    public static ulong narrow_u(int M, int N, ulong i) => sat_u(N, signed(M, i));

    // ---- Packed numbers (spectec 3.1 "Packed numbers"): i8 / i16 storage held as i32 ----

    /// <summary>$psize(packtype): 8 or 16.</summary>
    public static int psize(PackType t) => t == PackType.I8 ? 8 : 16;

    /// <summary>$cpacknum_(packtype, c) = wrap(32, psize, c)</summary>
    public static ulong cpacknum(PackType t, ulong c) => wrap(32, psize(t), c);

    /// <summary>$cunpacknum_(packtype, c) = extend(psize, 32, U, c); a signed read (array.get_s) extends with <see cref="extend_s"/>.</summary>
    public static ulong cunpacknum(PackType t, ulong c) => extend_u(psize(t), 32, c);

    // ---- Float to integer ----

    static double Pow2(int e) => Math.ScaleB(1.0, e);

    /// <summary>
    /// $trunc__(M, N, U, z): truncz(z) if -1 &lt; truncz(z) &lt; 2^N, else null — the trap is
    /// "invalid conversion to integer" for a NaN and "integer overflow" otherwise (see <see cref="TrapOfTrunc(double)"/>).
    /// </summary>
    public static ulong? trunc_u(int N, double z)
    {
        if (double.IsNaN(z) || double.IsInfinity(z)) return null;
        double t = Math.Truncate(z);
        if (!(t > -1 && t < Pow2(N))) return null;
        return ToUInt64(t);
    }
    public static ulong? trunc_u(int N, float z) => trunc_u(N, (double)z); // widening is exact

    /// <summary>$trunc__(M, N, S, z): truncz(z) if -2^(N-1) - 1 &lt; truncz(z) &lt; 2^(N-1), else null (see <see cref="trunc_u(int, double)"/>).</summary>
    public static ulong? trunc_s(int N, double z)
    {
        if (double.IsNaN(z) || double.IsInfinity(z)) return null;
        double t = Math.Truncate(z);
        if (!(t >= -Pow2(N - 1) && t < Pow2(N - 1))) return null; // t is integral, so > -2^(N-1)-1 means >= -2^(N-1)
        return inv_signed(N, (long)t);
    }
    public static ulong? trunc_s(int N, float z) => trunc_s(N, (double)z);

    /// <summary>The trap when <c>trunc</c> has no result for <paramref name="z"/>.</summary>
    public static TrapCode TrapOfTrunc(double z) => double.IsNaN(z) ? TrapCode.InvalidConversionToInteger : TrapCode.IntegerOverflow;
    public static TrapCode TrapOfTrunc(float z) => TrapOfTrunc((double)z);

    /// <summary>$trunc_sat__(M, N, U, z): NaN gives 0, otherwise sat_u_N(truncz(z)) (infinities clamp).</summary>
    public static ulong trunc_sat_u(int N, double z)
    {
        if (double.IsNaN(z)) return 0;
        double t = Math.Truncate(z);
        return t <= 0 ? 0 : t >= Pow2(N) ? Mask(N) : ToUInt64(t);
    }
    public static ulong trunc_sat_u(int N, float z) => trunc_sat_u(N, (double)z);

    /// <summary>$trunc_sat__(M, N, S, z): NaN gives 0, otherwise inv_signed(sat_s_N(truncz(z))).</summary>
    public static ulong trunc_sat_s(int N, double z)
    {
        if (double.IsNaN(z)) return 0;
        double t = Math.Truncate(z);
        long r = t < -Pow2(N - 1) ? -(long)Mask(N - 1) - 1 : t >= Pow2(N - 1) ? (long)Mask(N - 1) : (long)t;
        return inv_signed(N, r);
    }
    public static ulong trunc_sat_s(int N, float z) => trunc_sat_s(N, (double)z);

    // An integral t in [0, 2^64) as ulong, exactly, without relying on the host's double -> ulong cast.
    static ulong ToUInt64(double t) =>
        t < Pow2(63) ? (ulong)(long)t : (ulong)(long)(t - Pow2(63)) + (1UL << 63);

    // ---- Integer to float ----

    /// <summary>$convert__(M, 32, U, i) = ieee_32(i)</summary>
    public static float convert_u_f32(int M, ulong i) => f32((uint)ieee(i & Mask(M), false, 23));

    /// <summary>$convert__(M, 64, U, i) = ieee_64(i)</summary>
    public static double convert_u_f64(int M, ulong i) => f64(ieee(i & Mask(M), false, 52));

    /// <summary>$convert__(M, 32, S, i) = ieee_32(signed_M(i))</summary>
    public static float convert_s_f32(int M, ulong i)
    {
        long j = signed(M, i & Mask(M));
        return f32((uint)ieee(Magnitude(j), j < 0, 23));
    }

    /// <summary>$convert__(M, 64, S, i) = ieee_64(signed_M(i))</summary>
    public static double convert_s_f64(int M, ulong i)
    {
        long j = signed(M, i & Mask(M));
        return f64(ieee(Magnitude(j), j < 0, 52));
    }

    /// <summary>$convert__(M, N, U, i) in bit form: the bits of the fN (N = 32 or 64) nearest to i.</summary>
    public static ulong convert_u(int M, int N, ulong i) => N == 32 ? bits(convert_u_f32(M, i)) : bits(convert_u_f64(M, i));

    /// <summary>$convert__(M, N, S, i) in bit form: the bits of the fN (N = 32 or 64) nearest to signed_M(i).</summary>
    public static ulong convert_s(int M, int N, ulong i) => N == 32 ? bits(convert_s_f32(M, i)) : bits(convert_s_f64(M, i));

    static ulong Magnitude(long j) => j < 0 ? 0UL - (ulong)j : (ulong)j;

    /// <summary>
    /// $ieee_N on an integer ±m: the bits of the nearest float with <paramref name="P"/> fraction bits (23 or 52),
    /// ties to even. |m| &lt; 2^64 never reaches the limit of either format, so no infinity arises; 0 gives +0.
    /// </summary>
    static ulong ieee(ulong m, bool negative, int P)
    {
        if (m == 0) return 0;
        int e = 63 - BitOperations.LeadingZeroCount(m); // m = 1.f * 2^e
        ulong sig;
        if (e <= P) sig = m << (P - e);
        else
        {
            int drop = e - P;
            sig = m >> drop;
            ulong rest = m & ((1UL << drop) - 1), half = 1UL << (drop - 1);
            if (rest > half || (rest == half && (sig & 1) == 1)) sig++;
            if (sig >> (P + 1) != 0) { sig >>= 1; e++; } // rounding carried into a new leading bit
        }
        int bias = P == 23 ? 127 : 1023;
        ulong b = ((ulong)(e + bias) << P) | (sig & ((1UL << P) - 1));
        return negative ? b | (1UL << (P == 23 ? 31 : 63)) : b;
    }

    // ---- Float to float ----

    /// <summary>$promote__(32, 64, z): exact for numbers; any NaN gives +NaN(canon_64), which both NaN cases admit.</summary>
    public static double promote(float z) => float.IsNaN(z) ? nans64() : z;

    /// <summary>$demote__(64, 32, z): ieee_32(z) (host cast: one IEEE rounding); any NaN gives +NaN(canon_32).</summary>
    public static float demote(double z) => double.IsNaN(z) ? nans32() : (float)z;

    // ---- Reinterpretation: the same bits ----

    public static uint reinterpret(float z) => bits(z);
    public static ulong reinterpret(double z) => bits(z);
    public static float reinterpret(uint i) => f32(i);
    public static double reinterpret(ulong i) => f64(i);
}
