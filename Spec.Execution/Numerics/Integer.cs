using System.Numerics;

namespace Spec.Execution;

// §4.3.2 Integer operations (spectec 3.1-numerics.scalar, "Integer operations").
// Every operator exists in the spec's width-generic form, taking N and an iN(N) value held in the low N bits
// of a ulong (higher bits must be zero), and, for the scalar types, as uint (i32) and ulong (i64) overloads.
// Partial operators return null for the spec's "no result" (eps); see TrapOf* for the trap that follows.
public static partial class Numerics
{
    // ---- Auxiliaries: representation, signed interpretation, saturation ----

    /// <summary>2^N - 1: the bits of an iN(N).</summary>
    internal static ulong Mask(int N) => N >= 64 ? ulong.MaxValue : (1UL << N) - 1;

    /// <summary>$signed_(N, i): the two's complement reading of the low N bits.</summary>
    public static long signed(int N, ulong i) => N >= 64 ? (long)i : (long)(i << (64 - N)) >> (64 - N);

    /// <summary>$inv_signed_(N, i): the iN(N) whose signed reading is <paramref name="i"/> (taken modulo 2^N).</summary>
    public static ulong inv_signed(int N, long i) => (ulong)i & Mask(N);

    /// <summary>$sat_u_(N, i): clamps to [0, 2^N - 1].</summary>
    public static ulong sat_u(int N, Int128 i) =>
        i < 0 ? 0 : i > (Int128)Mask(N) ? Mask(N) : (ulong)i;

    /// <summary>$sat_s_(N, i): clamps to [-2^(N-1), 2^(N-1) - 1].</summary>
    public static long sat_s(int N, Int128 i)
    {
        Int128 min = -(Int128.One << (N - 1)), max = (Int128.One << (N - 1)) - 1;
        return (long)(i < min ? min : i > max ? max : i);
    }

    /// <summary>$bool(b)</summary>
    internal static uint @bool(bool b) => b ? 1u : 0u;

    // ---- Arithmetic ----

    public static ulong iadd(int N, ulong i1, ulong i2) => (i1 + i2) & Mask(N);
    public static uint iadd(uint i1, uint i2) => i1 + i2;
    public static ulong iadd(ulong i1, ulong i2) => i1 + i2;

    public static ulong isub(int N, ulong i1, ulong i2) => (i1 - i2) & Mask(N);
    public static uint isub(uint i1, uint i2) => i1 - i2;
    public static ulong isub(ulong i1, ulong i2) => i1 - i2;

    public static ulong imul(int N, ulong i1, ulong i2) => (i1 * i2) & Mask(N);
    public static uint imul(uint i1, uint i2) => i1 * i2;
    public static ulong imul(ulong i1, ulong i2) => i1 * i2;

    public static ulong ineg(int N, ulong i) => (0 - i) & Mask(N);

    // $iabs_: the most negative value is its own absolute value.
    public static ulong iabs(int N, ulong i) => signed(N, i) >= 0 ? i : ineg(N, i);

    /// <summary>$idiv_(N, U, i1, i2); null when i2 = 0 (trap "integer divide by zero").</summary>
    public static ulong? idiv_u(int N, ulong i1, ulong i2) => i2 == 0 ? null : i1 / i2;
    public static uint? idiv_u(uint i1, uint i2) => i2 == 0 ? null : i1 / i2;
    public static ulong? idiv_u(ulong i1, ulong i2) => i2 == 0 ? null : i1 / i2;

    /// <summary>$idiv_(N, S, i1, i2); null when i2 = 0 ("integer divide by zero") or the quotient is 2^(N-1) ("integer overflow").</summary>
    public static ulong? idiv_s(int N, ulong i1, ulong i2)
    {
        long j1 = signed(N, i1), j2 = signed(N, i2);
        if (j2 == 0) return null;
        if (j2 == -1 && j1 == signed(N, 1UL << (N - 1))) return null; // the quotient 2^(N-1) is not representable
        return inv_signed(N, j1 / j2); // C# division truncates toward zero, as $truncz does
    }
    public static uint? idiv_s(uint i1, uint i2) => (uint?)idiv_s(32, i1, i2);
    public static ulong? idiv_s(ulong i1, ulong i2) => idiv_s(64, i1, i2);

    /// <summary>$irem_(N, U, i1, i2); null when i2 = 0 ("integer divide by zero").</summary>
    public static ulong? irem_u(int N, ulong i1, ulong i2) => i2 == 0 ? null : i1 % i2;
    public static uint? irem_u(uint i1, uint i2) => i2 == 0 ? null : i1 % i2;
    public static ulong? irem_u(ulong i1, ulong i2) => i2 == 0 ? null : i1 % i2;

    /// <summary>$irem_(N, S, i1, i2): the remainder has the sign of the dividend; null when i2 = 0 ("integer divide by zero").</summary>
    public static ulong? irem_s(int N, ulong i1, ulong i2)
    {
        long j1 = signed(N, i1), j2 = signed(N, i2);
        if (j2 == 0) return null;
        if (j2 == -1) return 0; // avoids the host's overflow on MIN % -1; the spec's remainder is 0
        return inv_signed(N, j1 % j2);
    }
    public static uint? irem_s(uint i1, uint i2) => (uint?)irem_s(32, i1, i2);
    public static ulong? irem_s(ulong i1, ulong i2) => irem_s(64, i1, i2);

    public static ulong imin_u(int N, ulong i1, ulong i2) => i1 <= i2 ? i1 : i2;
    public static ulong imin_s(int N, ulong i1, ulong i2) => signed(N, i1) <= signed(N, i2) ? i1 : i2;
    public static ulong imax_u(int N, ulong i1, ulong i2) => i1 >= i2 ? i1 : i2;
    public static ulong imax_s(int N, ulong i1, ulong i2) => signed(N, i1) >= signed(N, i2) ? i1 : i2;

    public static ulong iadd_sat_u(int N, ulong i1, ulong i2) => sat_u(N, (Int128)i1 + i2);
    public static ulong iadd_sat_s(int N, ulong i1, ulong i2) =>
        inv_signed(N, sat_s(N, (Int128)signed(N, i1) + signed(N, i2)));
    public static ulong isub_sat_u(int N, ulong i1, ulong i2) => sat_u(N, (Int128)i1 - i2);
    public static ulong isub_sat_s(int N, ulong i1, ulong i2) =>
        inv_signed(N, sat_s(N, (Int128)signed(N, i1) - signed(N, i2)));

    /// <summary>$iavgr_(N, U, i1, i2) = truncz((i1 + i2 + 1) / 2)</summary>
    public static ulong iavgr_u(int N, ulong i1, ulong i2) => (ulong)(((UInt128)i1 + i2 + 1) / 2);

    /// <summary>$iq15mulr_sat_(N, S, i1, i2) = inv_signed(sat_s(ishr_s(i1 * i2 + 2^14, 15))), on the signed readings.</summary>
    public static ulong iq15mulr_sat_s(int N, ulong i1, ulong i2) =>
        inv_signed(N, sat_s(N, ((Int128)signed(N, i1) * signed(N, i2) + (1 << 14)) >> 15));

    // ---- Bitwise ----

    public static ulong inot(int N, ulong i) => ~i & Mask(N);
    public static uint inot(uint i) => ~i;
    public static ulong inot(ulong i) => ~i;

    /// <summary>$irev_(N, i): the bits of i in reverse order.</summary>
    public static ulong irev(int N, ulong i)
    {
        ulong r = 0;
        for (int k = 0; k < N; k++) r |= ((i >> k) & 1) << (N - 1 - k);
        return r;
    }

    public static ulong iand(int N, ulong i1, ulong i2) => i1 & i2;
    public static uint iand(uint i1, uint i2) => i1 & i2;
    public static ulong iand(ulong i1, ulong i2) => i1 & i2;

    public static ulong iandnot(int N, ulong i1, ulong i2) => i1 & ~i2 & Mask(N);
    public static uint iandnot(uint i1, uint i2) => i1 & ~i2;
    public static ulong iandnot(ulong i1, ulong i2) => i1 & ~i2;

    public static ulong ior(int N, ulong i1, ulong i2) => i1 | i2;
    public static uint ior(uint i1, uint i2) => i1 | i2;
    public static ulong ior(ulong i1, ulong i2) => i1 | i2;

    public static ulong ixor(int N, ulong i1, ulong i2) => i1 ^ i2;
    public static uint ixor(uint i1, uint i2) => i1 ^ i2;
    public static ulong ixor(ulong i1, ulong i2) => i1 ^ i2;

    /// <summary>$ibitselect_(N, i1, i2, i3): bits of i1 where i3 is 1, of i2 where it is 0.</summary>
    public static ulong ibitselect(int N, ulong i1, ulong i2, ulong i3) => ((i1 & i3) | (i2 & ~i3)) & Mask(N);

    // Shift counts are taken modulo N (the spec's "k = i2 mod N").
    public static ulong ishl(int N, ulong i1, ulong i2) => (i1 << (int)(i2 % (ulong)N)) & Mask(N);
    public static uint ishl(uint i1, uint i2) => i1 << (int)(i2 % 32);
    public static ulong ishl(ulong i1, ulong i2) => i1 << (int)(i2 % 64);

    public static ulong ishr_u(int N, ulong i1, ulong i2) => i1 >> (int)(i2 % (ulong)N);
    public static uint ishr_u(uint i1, uint i2) => i1 >> (int)(i2 % 32);
    public static ulong ishr_u(ulong i1, ulong i2) => i1 >> (int)(i2 % 64);

    public static ulong ishr_s(int N, ulong i1, ulong i2) => inv_signed(N, signed(N, i1) >> (int)(i2 % (ulong)N));
    public static uint ishr_s(uint i1, uint i2) => (uint)((int)i1 >> (int)(i2 % 32));
    public static ulong ishr_s(ulong i1, ulong i2) => (ulong)((long)i1 >> (int)(i2 % 64));

    public static ulong irotl(int N, ulong i1, ulong i2)
    {
        int k = (int)(i2 % (ulong)N);
        return k == 0 ? i1 : ((i1 << k) | (i1 >> (N - k))) & Mask(N);
    }
    public static uint irotl(uint i1, uint i2) => BitOperations.RotateLeft(i1, (int)(i2 % 32));
    public static ulong irotl(ulong i1, ulong i2) => BitOperations.RotateLeft(i1, (int)(i2 % 64));

    public static ulong irotr(int N, ulong i1, ulong i2) => irotl(N, i1, (ulong)N - i2 % (ulong)N);
    public static uint irotr(uint i1, uint i2) => BitOperations.RotateRight(i1, (int)(i2 % 32));
    public static ulong irotr(ulong i1, ulong i2) => BitOperations.RotateRight(i1, (int)(i2 % 64));

    /// <summary>$iclz_: leading zero bits among the N bits.</summary>
    public static ulong iclz(int N, ulong i) => (ulong)(BitOperations.LeadingZeroCount(i) - (64 - N));
    public static uint iclz(uint i) => (uint)BitOperations.LeadingZeroCount(i);
    public static ulong iclz(ulong i) => (ulong)BitOperations.LeadingZeroCount(i);

    /// <summary>$ictz_: trailing zero bits; N for zero.</summary>
    public static ulong ictz(int N, ulong i) => i == 0 ? (ulong)N : (ulong)BitOperations.TrailingZeroCount(i);
    public static uint ictz(uint i) => (uint)BitOperations.TrailingZeroCount(i);
    public static ulong ictz(ulong i) => (ulong)BitOperations.TrailingZeroCount(i);

    public static ulong ipopcnt(int N, ulong i) => (ulong)BitOperations.PopCount(i);
    public static uint ipopcnt(uint i) => (uint)BitOperations.PopCount(i);
    public static ulong ipopcnt(ulong i) => (ulong)BitOperations.PopCount(i);

    /// <summary>$iextend_(N, M, S, i): sign-extends the low M bits of i to N bits (iNN.extendM_s).</summary>
    public static ulong iextend_s(int N, int M, ulong i) => inv_signed(N, signed(M, i & Mask(M)));
    public static uint iextend_s(int M, uint i) => (uint)iextend_s(32, M, i);
    public static ulong iextend_s(int M, ulong i) => iextend_s(64, M, i);

    /// <summary>$iextend_(N, M, U, i): the low M bits of i.</summary>
    public static ulong iextend_u(int N, int M, ulong i) => i & Mask(M);

    // ---- Tests and comparisons (results are u32 0 or 1) ----

    public static uint ieqz(int N, ulong i) => @bool(i == 0);
    public static uint ieqz(uint i) => @bool(i == 0);
    public static uint ieqz(ulong i) => @bool(i == 0);

    public static uint inez(int N, ulong i) => @bool(i != 0);

    public static uint ieq(int N, ulong i1, ulong i2) => @bool(i1 == i2);
    public static uint ieq(uint i1, uint i2) => @bool(i1 == i2);
    public static uint ieq(ulong i1, ulong i2) => @bool(i1 == i2);

    public static uint ine(int N, ulong i1, ulong i2) => @bool(i1 != i2);
    public static uint ine(uint i1, uint i2) => @bool(i1 != i2);
    public static uint ine(ulong i1, ulong i2) => @bool(i1 != i2);

    public static uint ilt_u(int N, ulong i1, ulong i2) => @bool(i1 < i2);
    public static uint ilt_u(uint i1, uint i2) => @bool(i1 < i2);
    public static uint ilt_u(ulong i1, ulong i2) => @bool(i1 < i2);
    public static uint ilt_s(int N, ulong i1, ulong i2) => @bool(signed(N, i1) < signed(N, i2));
    public static uint ilt_s(uint i1, uint i2) => @bool((int)i1 < (int)i2);
    public static uint ilt_s(ulong i1, ulong i2) => @bool((long)i1 < (long)i2);

    public static uint igt_u(int N, ulong i1, ulong i2) => @bool(i1 > i2);
    public static uint igt_u(uint i1, uint i2) => @bool(i1 > i2);
    public static uint igt_u(ulong i1, ulong i2) => @bool(i1 > i2);
    public static uint igt_s(int N, ulong i1, ulong i2) => @bool(signed(N, i1) > signed(N, i2));
    public static uint igt_s(uint i1, uint i2) => @bool((int)i1 > (int)i2);
    public static uint igt_s(ulong i1, ulong i2) => @bool((long)i1 > (long)i2);

    public static uint ile_u(int N, ulong i1, ulong i2) => @bool(i1 <= i2);
    public static uint ile_u(uint i1, uint i2) => @bool(i1 <= i2);
    public static uint ile_u(ulong i1, ulong i2) => @bool(i1 <= i2);
    public static uint ile_s(int N, ulong i1, ulong i2) => @bool(signed(N, i1) <= signed(N, i2));
    public static uint ile_s(uint i1, uint i2) => @bool((int)i1 <= (int)i2);
    public static uint ile_s(ulong i1, ulong i2) => @bool((long)i1 <= (long)i2);

    public static uint ige_u(int N, ulong i1, ulong i2) => @bool(i1 >= i2);
    public static uint ige_u(uint i1, uint i2) => @bool(i1 >= i2);
    public static uint ige_u(ulong i1, ulong i2) => @bool(i1 >= i2);
    public static uint ige_s(int N, ulong i1, ulong i2) => @bool(signed(N, i1) >= signed(N, i2));
    public static uint ige_s(uint i1, uint i2) => @bool((int)i1 >= (int)i2);
    public static uint ige_s(ulong i1, ulong i2) => @bool((long)i1 >= (long)i2);
}
