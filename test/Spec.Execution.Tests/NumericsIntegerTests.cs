using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using static Spec.Execution.Numerics;

namespace Spec.Execution.Tests;

public class NumericsIntegerTests
{
    internal static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);

    static readonly int[] Widths = [8, 16, 32, 64];

    // Reference readings over BigInteger: the spec's integers, unbounded.
    static BigInteger U(int N, ulong i) => i & ((BigInteger.One << N) - 1);
    static BigInteger S(int N, ulong i) { var u = U(N, i); return u >= BigInteger.One << (N - 1) ? u - (BigInteger.One << N) : u; }
    static ulong Mod(int N, BigInteger v) { var m = BigInteger.One << N; return (ulong)(((v % m) + m) % m); }
    static ulong Cut(int N, ulong i) => N == 64 ? i : i & ((1UL << N) - 1);
    static BigInteger TruncDiv(BigInteger a, BigInteger b) => BigInteger.Divide(a, b); // BigInteger division truncates

    // ---- Edge cases of the partial operators ----

    [Test]
    public void Division_by_zero_has_no_result()
    {
        Assert.That(idiv_u(7u, 0u), Is.Null);
        Assert.That(idiv_s(7u, 0u), Is.Null);
        Assert.That(irem_u(7UL, 0UL), Is.Null);
        Assert.That(irem_s(0UL, 0UL), Is.Null);
        Assert.That(Traps.Message(TrapOfBinop(0)), Is.EqualTo("integer divide by zero"));
    }

    [Test]
    public void Signed_division_of_the_minimum_by_minus_one_overflows_but_its_remainder_is_zero()
    {
        Assert.That(idiv_s(0x8000_0000u, 0xFFFF_FFFFu), Is.Null);
        Assert.That(idiv_s(0x8000_0000_0000_0000UL, ulong.MaxValue), Is.Null);
        Assert.That(idiv_s(8, 0x80, 0xFF), Is.Null);
        Assert.That(Traps.Message(TrapOfBinop(ulong.MaxValue)), Is.EqualTo("integer overflow"));
        Assert.That(irem_s(0x8000_0000u, 0xFFFF_FFFFu), Is.EqualTo(0u));
        Assert.That(irem_s(0x8000_0000_0000_0000UL, ulong.MaxValue), Is.EqualTo(0UL));
        Assert.That(idiv_u(0x8000_0000u, 0xFFFF_FFFFu), Is.EqualTo(0u));
    }

    [Test]
    public void Signed_division_truncates_toward_zero_and_remainder_takes_the_dividends_sign()
    {
        Assert.That(idiv_s(unchecked((uint)-7), 2u), Is.EqualTo(unchecked((uint)-3)));
        Assert.That(irem_s(unchecked((uint)-7), 2u), Is.EqualTo(unchecked((uint)-1)));
        Assert.That(irem_s(7u, unchecked((uint)-2)), Is.EqualTo(1u));
        Assert.That(idiv_s(16, 0xFFF9, 2), Is.EqualTo(0xFFFDUL));
    }

    [Test]
    public void Shift_counts_are_taken_modulo_the_width()
    {
        Assert.That(ishl(1u, 32u), Is.EqualTo(1u));
        Assert.That(ishl(1u, 33u), Is.EqualTo(2u));
        Assert.That(ishl(1UL, 64UL), Is.EqualTo(1UL));
        Assert.That(ishr_u(0x8000_0000u, 63u), Is.EqualTo(1u));
        Assert.That(ishr_s(0x8000_0000u, 31u), Is.EqualTo(0xFFFF_FFFFu));
        Assert.That(ishr_s(0x8000_0000_0000_0000UL, 0xFFFF_FFFF_FFFF_FFFFUL), Is.EqualTo(ulong.MaxValue));
        Assert.That(ishl(8, 0x81, 9), Is.EqualTo(0x02UL));
        Assert.That(ishr_s(8, 0x80, 7), Is.EqualTo(0xFFUL));
        Assert.That(ishr_s(16, 0x8000, 16), Is.EqualTo(0x8000UL));
        Assert.That(irotl(0x8000_0001u, 1u), Is.EqualTo(3u));
        Assert.That(irotr(1UL, 65UL), Is.EqualTo(0x8000_0000_0000_0000UL));
        Assert.That(irotl(8, 0x81, 0), Is.EqualTo(0x81UL));
        Assert.That(irotr(8, 0x01, 9), Is.EqualTo(0x80UL));
    }

    [Test]
    public void Bit_counts_at_zero_and_full()
    {
        Assert.That(iclz(0u), Is.EqualTo(32u));
        Assert.That(ictz(0UL), Is.EqualTo(64UL));
        Assert.That(iclz(16, 0), Is.EqualTo(16UL));
        Assert.That(ictz(8, 0), Is.EqualTo(8UL));
        Assert.That(iclz(8, 1), Is.EqualTo(7UL));
        Assert.That(ipopcnt(uint.MaxValue), Is.EqualTo(32u));
        Assert.That(ipopcnt(8, 0xFF), Is.EqualTo(8UL));
    }

    [Test]
    public void Sign_extension_in_place()
    {
        Assert.That(iextend_s(8, 0x7Fu), Is.EqualTo(0x7Fu));
        Assert.That(iextend_s(8, 0x1_80u), Is.EqualTo(0xFFFF_FF80u));
        Assert.That(iextend_s(16, 0xABCD_8000u), Is.EqualTo(0xFFFF_8000u));
        Assert.That(iextend_s(32, 0x1234_5678_8000_0000UL), Is.EqualTo(0xFFFF_FFFF_8000_0000UL));
        Assert.That(iextend_s(32, 0x1234_5678_7FFF_FFFFUL), Is.EqualTo(0x7FFF_FFFFUL));
    }

    [Test]
    public void Comparisons_distinguish_signedness()
    {
        Assert.That(ilt_u(0xFFFF_FFFFu, 0u), Is.EqualTo(0u));
        Assert.That(ilt_s(0xFFFF_FFFFu, 0u), Is.EqualTo(1u));
        Assert.That(ige_s(0x8000_0000_0000_0000UL, 0UL), Is.EqualTo(0u));
        Assert.That(igt_s(8, 0x7F, 0x80), Is.EqualTo(1u));
        Assert.That(igt_u(8, 0x7F, 0x80), Is.EqualTo(0u));
        Assert.That(ieqz(0UL), Is.EqualTo(1u));
        Assert.That(inez(8, 0), Is.EqualTo(0u));
    }

    [Test]
    public void Saturating_and_averaging_operators_at_their_limits()
    {
        Assert.That(iadd_sat_s(8, 0x7F, 1), Is.EqualTo(0x7FUL));
        Assert.That(iadd_sat_s(8, 0x80, 0xFF), Is.EqualTo(0x80UL));
        Assert.That(iadd_sat_u(8, 0xFF, 1), Is.EqualTo(0xFFUL));
        Assert.That(isub_sat_u(16, 0, 1), Is.EqualTo(0UL));
        Assert.That(isub_sat_s(16, 0x8000, 1), Is.EqualTo(0x8000UL));
        Assert.That(iadd_sat_s(64, 0x7FFF_FFFF_FFFF_FFFF, 1), Is.EqualTo(0x7FFF_FFFF_FFFF_FFFFUL));
        Assert.That(iavgr_u(8, 0xFF, 0xFF), Is.EqualTo(0xFFUL));
        Assert.That(iavgr_u(8, 0, 1), Is.EqualTo(1UL));
        Assert.That(iavgr_u(64, ulong.MaxValue, ulong.MaxValue), Is.EqualTo(ulong.MaxValue));
        Assert.That(iq15mulr_sat_s(16, 0x8000, 0x8000), Is.EqualTo(0x7FFFUL));
        Assert.That(iq15mulr_sat_s(16, 0x4000, 0x4000), Is.EqualTo(0x2000UL));
        Assert.That(iabs(8, 0x80), Is.EqualTo(0x80UL));
        Assert.That(ineg(32, 0), Is.EqualTo(0UL));
        Assert.That(imin_s(8, 0x80, 0x7F), Is.EqualTo(0x80UL));
        Assert.That(imin_u(8, 0x80, 0x7F), Is.EqualTo(0x7FUL));
        Assert.That(narrow_s(16, 8, 0x8000), Is.EqualTo(0x80UL));
        Assert.That(narrow_u(16, 8, 0x8000), Is.EqualTo(0UL));
        Assert.That(narrow_u(16, 8, 0x0100), Is.EqualTo(0xFFUL));
        Assert.That(narrow_s(32, 16, 0x0000_7FFF), Is.EqualTo(0x7FFFUL));
    }

    [Test]
    public void Bitselect_and_bit_reversal()
    {
        Assert.That(ibitselect(8, 0xF0, 0x0F, 0xCC), Is.EqualTo(0xC3UL));
        Assert.That(irev(8, 0x01), Is.EqualTo(0x80UL));
        Assert.That(irev(32, 0x0000_0003), Is.EqualTo(0xC000_0000UL));
        Assert.That(iandnot(0xFFu, 0x0Fu), Is.EqualTo(0xF0u));
        Assert.That(inot(8, 0x0F), Is.EqualTo(0xF0UL));
    }

    // ---- Properties against the BigInteger reading of the spec's equations ----

    [Test]
    public void Width_generic_arithmetic_matches_the_spec_equations_modulo_2_to_the_N()
    {
        foreach (int N in Widths)
            Prop.ForAll<ulong, ulong>((a, b) =>
            {
                ulong x = Cut(N, a), y = Cut(N, b);
                return iadd(N, x, y) == Mod(N, U(N, x) + U(N, y))
                    && isub(N, x, y) == Mod(N, U(N, x) - U(N, y))
                    && imul(N, x, y) == Mod(N, U(N, x) * U(N, y))
                    && ineg(N, x) == Mod(N, -U(N, x))
                    && iadd_sat_u(N, x, y) == (ulong)BigInteger.Min(U(N, x) + U(N, y), (BigInteger.One << N) - 1)
                    && isub_sat_u(N, x, y) == (ulong)BigInteger.Max(U(N, x) - U(N, y), 0)
                    && iadd_sat_s(N, x, y) == Mod(N, Clamp(N, S(N, x) + S(N, y)))
                    && isub_sat_s(N, x, y) == Mod(N, Clamp(N, S(N, x) - S(N, y)))
                    && iavgr_u(N, x, y) == (ulong)((U(N, x) + U(N, y) + 1) / 2)
                    && iq15mulr_sat_s(N, x, y) == Mod(N, Clamp(N, FloorShift(S(N, x) * S(N, y) + (1 << 14), 15)))
                    && ilt_s(N, x, y) == (S(N, x) < S(N, y) ? 1u : 0u)
                    && ige_u(N, x, y) == (U(N, x) >= U(N, y) ? 1u : 0u)
                    && imax_s(N, x, y) == (S(N, x) >= S(N, y) ? x : y);
            }).Check(Many);
    }

    static BigInteger Clamp(int N, BigInteger v)
    {
        BigInteger min = -(BigInteger.One << (N - 1)), max = (BigInteger.One << (N - 1)) - 1;
        return BigInteger.Max(min, BigInteger.Min(max, v));
    }

    static BigInteger FloorShift(BigInteger v, int k) => v >> k; // BigInteger >> is arithmetic (floor)

    [Test]
    public void Division_and_remainder_match_truncating_division_where_defined()
    {
        foreach (int N in Widths)
            Prop.ForAll<ulong, ulong>((a, b) =>
            {
                ulong x = Cut(N, a), y = Cut(N, b);
                if (y == 0) return idiv_u(N, x, y) is null && idiv_s(N, x, y) is null && irem_u(N, x, y) is null && irem_s(N, x, y) is null;
                BigInteger qs = TruncDiv(S(N, x), S(N, y));
                bool overflow = qs == BigInteger.One << (N - 1);
                return idiv_u(N, x, y) == (ulong)(U(N, x) / U(N, y))
                    && irem_u(N, x, y) == (ulong)(U(N, x) % U(N, y))
                    && (overflow ? idiv_s(N, x, y) is null : idiv_s(N, x, y) == Mod(N, qs))
                    && irem_s(N, x, y) == Mod(N, S(N, x) - S(N, y) * qs);
            }).Check(Many);
    }

    [Test]
    public void Scalar_overloads_agree_with_the_width_generic_forms()
    {
        Prop.ForAll<uint, uint>((x, y) =>
            iadd(x, y) == iadd(32, x, y) && isub(x, y) == isub(32, x, y) && imul(x, y) == imul(32, x, y)
            && idiv_s(x, y) == idiv_s(32, x, y) && irem_s(x, y) == irem_s(32, x, y)
            && idiv_u(x, y) == idiv_u(32, x, y) && irem_u(x, y) == irem_u(32, x, y)
            && ishl(x, y) == ishl(32, x, y) && ishr_s(x, y) == ishr_s(32, x, y) && ishr_u(x, y) == ishr_u(32, x, y)
            && irotl(x, y) == irotl(32, x, y) && irotr(x, y) == irotr(32, x, y)
            && iclz(x) == iclz(32, x) && ictz(x) == ictz(32, x) && ipopcnt(x) == ipopcnt(32, x)
            && iextend_s(8, x) == iextend_s(32, 8, x) && iextend_s(16, x) == iextend_s(32, 16, x)
            && ilt_s(x, y) == ilt_s(32, x, y) && igt_s(x, y) == igt_s(32, x, y) && ile_s(x, y) == ile_s(32, x, y)
            && ige_s(x, y) == ige_s(32, x, y) && ilt_u(x, y) == ilt_u(32, x, y) && igt_u(x, y) == igt_u(32, x, y)
            && ile_u(x, y) == ile_u(32, x, y) && ige_u(x, y) == ige_u(32, x, y)).Check(Many);
        Prop.ForAll<ulong, ulong>((x, y) =>
            idiv_s(x, y) == idiv_s(64, x, y) && irem_s(x, y) == irem_s(64, x, y)
            && ishl(x, y) == ishl(64, x, y) && ishr_s(x, y) == ishr_s(64, x, y) && ishr_u(x, y) == ishr_u(64, x, y)
            && irotl(x, y) == irotl(64, x, y) && irotr(x, y) == irotr(64, x, y)
            && iclz(x) == iclz(64, x) && ictz(x) == ictz(64, x) && ipopcnt(x) == ipopcnt(64, x)
            && iextend_s(32, x) == iextend_s(64, 32, x)).Check(Many);
    }

    [Test]
    public void Shifts_and_rotations_match_the_bit_sequence_definitions()
    {
        foreach (int N in Widths)
            Prop.ForAll<ulong, byte>((a, k) =>
            {
                ulong x = Cut(N, a);
                int s = k % N;
                string bits = Bits(N, x);
                // ishl: drop s bits on the left, s zeros in; ishr_s: s copies of the sign bit in; rotl: rotate.
                return Bits(N, ishl(N, x, k)) == bits[s..] + new string('0', s)
                    && Bits(N, ishr_u(N, x, k)) == new string('0', s) + bits[..(N - s)]
                    && Bits(N, ishr_s(N, x, k)) == new string(bits[0], s) + bits[..(N - s)]
                    && Bits(N, irotl(N, x, k)) == bits[s..] + bits[..s]
                    && Bits(N, irotr(N, x, k)) == bits[(N - s)..] + bits[..(N - s)]
                    && iclz(N, x) == (ulong)(bits.IndexOf('1') is var i and >= 0 ? i : N)
                    && ictz(N, x) == (ulong)(bits.LastIndexOf('1') is var j and >= 0 ? N - 1 - j : N)
                    && ipopcnt(N, x) == (ulong)bits.Count(c => c == '1')
                    && Bits(N, irev(N, x)) == new string(bits.Reverse().ToArray());
            }).Check(Many);
    }

    static string Bits(int N, ulong x) => Convert.ToString((long)x, 2).PadLeft(64, '0')[(64 - N)..];

    [Test]
    public void Addition_and_multiplication_commute_and_rotations_invert()
    {
        Prop.ForAll<uint, uint>((x, y) =>
            iadd(x, y) == iadd(y, x) && imul(x, y) == imul(y, x) && irotr(irotl(x, y), y) == x
            && isub(iadd(x, y), y) == x).Check(Many);
    }
}
