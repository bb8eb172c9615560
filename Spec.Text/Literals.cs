using System.Numerics;

namespace Spec.TextFormat;

// §6.3.1 Numbers (spectec 6.1-text.values): the syntax of literals and their values. Integers are range-checked
// per bit width; floats are rounded to nearest-even directly from the exact rational the literal denotes.

internal static class Literals
{
    // ---- Syntax (used by the lexer to classify a run of idchars) ----

    /// <summary>Tnum: digit ("_"? digit)*, from <paramref name="i"/>; returns the end or -1.</summary>
    private static int Digits(string s, int i, bool hex)
    {
        int start = i;
        while (i < s.Length)
        {
            if (IsDigit(s[i], hex)) i++;
            else if (s[i] == '_' && i > start && i + 1 < s.Length && IsDigit(s[i + 1], hex)) i++;
            else break;
        }
        return i > start ? i : -1;
    }

    private static bool IsDigit(char c, bool hex) => hex ? Lexer.HexValue(c) >= 0 : c >= '0' && c <= '9';

    /// <summary>TuN syntax: Tnum | "0x" Thexnum.</summary>
    public static bool IsNat(string s) =>
        s.StartsWith("0x") ? Digits(s, 2, true) == s.Length : Digits(s, 0, false) == s.Length;

    /// <summary>TsN syntax: a sign followed by TuN syntax.</summary>
    public static bool IsInt(string s) => s.Length > 1 && (s[0] == '+' || s[0] == '-') && IsNat(s[1..]);

    /// <summary>TfN syntax: sign? (Tfloat | Thexfloat | inf | nan | nan:0x Thexnum), also accepting plain integers.</summary>
    public static bool IsFloat(string s)
    {
        int i = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        var m = s[i..];
        if (m is "inf" or "nan") return true;
        if (m.StartsWith("nan:0x")) return Digits(m, 6, true) == m.Length;
        bool hex = m.StartsWith("0x");
        int j = Digits(m, hex ? 2 : 0, hex);
        if (j < 0) return false;
        if (j < m.Length && m[j] == '.')
        {
            j++;
            if (j < m.Length && IsDigit(m[j], hex)) j = Digits(m, j, hex);
        }
        if (j < m.Length && (hex ? m[j] is 'p' or 'P' : m[j] is 'e' or 'E'))
        {
            j++;
            if (j < m.Length && (m[j] == '+' || m[j] == '-')) j++;
            j = Digits(m, j, false);
            if (j < 0) return false;
        }
        return j == m.Length;
    }

    // ---- Integers ----

    private static BigInteger? Magnitude(string s)
    {
        bool hex = s.StartsWith("0x");
        if (!(hex ? Digits(s, 2, true) == s.Length : Digits(s, 0, false) == s.Length)) return null;
        BigInteger n = 0;
        int b = hex ? 16 : 10;
        for (int i = hex ? 2 : 0; i < s.Length; i++)
        {
            if (s[i] == '_') continue;
            n = n * b + Lexer.HexValue(s[i]);
            if (n.GetBitLength() > 130) return n; // certainly out of every range; stop growing
        }
        return n;
    }

    /// <summary>TuN(N): an unsigned literal below 2^N.</summary>
    public static bool TryParseU(string s, int bits, out ulong value)
    {
        value = 0;
        if (Magnitude(s) is not { } n || n >= BigInteger.One << bits) return false;
        value = (ulong)n;
        return true;
    }

    /// <summary>TiN(N) = TuN(N) | TsN(N): the bit pattern (N bits, zero-extended) of an unsigned or signed literal.</summary>
    public static bool TryParseI(string s, int bits, out ulong value)
    {
        value = 0;
        if (s.Length == 0) return false;
        int sign = s[0] == '-' ? -1 : s[0] == '+' ? 1 : 0;
        if (Magnitude(sign == 0 ? s : s[1..]) is not { } n) return false;
        BigInteger v;
        if (sign == 0)
        {
            if (n >= BigInteger.One << bits) return false;
            v = n;
        }
        else
        {
            v = sign * n; // TsN: -2^(N-1) <= s*n < 2^(N-1)
            if (v < -(BigInteger.One << (bits - 1)) || v >= BigInteger.One << (bits - 1)) return false;
            if (v < 0) v += BigInteger.One << bits; // inv_signed_
        }
        value = (ulong)v;
        return true;
    }

    // ---- Floats ----

    /// <summary>TfN(32): the f32 bit pattern; false if the literal rounds to infinity or has a bad NaN payload.</summary>
    public static bool TryParseF32(string s, out uint bits)
    {
        bool ok = TryParseFloat(s, 23, 8, out ulong b);
        bits = (uint)b;
        return ok;
    }

    /// <summary>TfN(64): the f64 bit pattern; false if the literal rounds to infinity or has a bad NaN payload.</summary>
    public static bool TryParseF64(string s, out ulong bits) => TryParseFloat(s, 52, 11, out bits);

    private static bool TryParseFloat(string s, int mbits, int ebits, out ulong bits)
    {
        bits = 0;
        if (!IsFloat(s)) return false;
        bool neg = s[0] == '-';
        var m = s[0] is '+' or '-' ? s[1..] : s;
        ulong expAll = (1UL << ebits) - 1;
        ulong signBit = neg ? 1UL << (mbits + ebits) : 0;
        ulong mag;
        if (m == "inf") mag = expAll << mbits;                                   // TfNmag/inf
        else if (m == "nan") mag = (expAll << mbits) | (1UL << (mbits - 1));    // TfNmag/nan: canonical
        else if (m.StartsWith("nan:0x"))                                          // TfNmag/nan:0x, 1 <= n < 2^signif
        {
            if (Magnitude(m[4..]) is not { } n || n < 1 || n >= BigInteger.One << mbits) return false;
            mag = (expAll << mbits) | (ulong)n;
        }
        else if (!TryRational(m, mbits, ebits, out mag)) return false;
        bits = signBit | mag;
        return true;
    }

    // Tfloat / Thexfloat: mantissa digits and exponent, then ieee_(N, q) rounding to nearest-even.
    private static bool TryRational(string m, int mbits, int ebits, out ulong mag)
    {
        mag = 0;
        bool hex = m.StartsWith("0x");
        int i = hex ? 2 : 0;
        BigInteger digits = 0;
        int fracDigits = 0, totalDigits = 0;
        bool inFrac = false;
        long exp = 0;
        for (; i < m.Length; i++)
        {
            char c = m[i];
            if (c == '_') continue;
            if (c == '.') { inFrac = true; continue; }
            if (hex ? c is 'p' or 'P' : c is 'e' or 'E') { exp = ParseExponent(m[(i + 1)..]); break; }
            digits = digits * (hex ? 16 : 10) + Lexer.HexValue(c);
            if (!digits.IsZero) totalDigits++;
            if (inFrac) fracDigits++;
        }
        if (digits.IsZero) return true; // +-0
        int bias = (1 << (ebits - 1)) - 1;
        BigInteger num = digits, den = 1;
        if (hex)
        {
            long e2 = exp - 4L * fracDigits;
            long size = e2 + (long)digits.GetBitLength();
            if (size > bias + 2) return false;            // certainly infinite
            if (size < -bias - mbits - 2) return true;    // certainly rounds to zero
            if (e2 >= 0) num <<= (int)e2; else den <<= (int)-e2;
        }
        else
        {
            long e10 = exp - fracDigits;
            long size = e10 + totalDigits;
            if (size > 330) return false;
            if (size < -360) return true;
            if (e10 >= 0) num *= BigInteger.Pow(10, (int)e10); else den = BigInteger.Pow(10, (int)-e10);
        }
        return Round(num, den, mbits, bias, out mag);
    }

    private static long ParseExponent(string s)
    {
        int sign = 1, i = 0;
        if (s[0] == '+' || s[0] == '-') { sign = s[0] == '-' ? -1 : 1; i = 1; }
        long e = 0;
        for (; i < s.Length; i++) if (s[i] != '_') e = Math.Min(e * 10 + (s[i] - '0'), 1_000_000_000L);
        return sign * e;
    }

    /// <summary>ieee_: num/den (positive) rounded to nearest, ties to even, with <paramref name="mbits"/> fraction bits; false if infinite.</summary>
    private static bool Round(BigInteger num, BigInteger den, int mbits, int bias, out ulong mag)
    {
        mag = 0;
        int p = mbits + 1, emin = 1 - bias, emax = bias;
        long e = (long)num.GetBitLength() - (long)den.GetBitLength();
        // Make 2^e <= num/den < 2^(e+1).
        if (Compare(num, den, e) < 0) e--;
        if (e < emin) e = emin;
        long shift = p - 1 - e;
        BigInteger n2 = shift >= 0 ? num << (int)shift : num, d2 = shift >= 0 ? den : den << (int)-shift;
        var q = BigInteger.DivRem(n2, d2, out var r);
        var twice = r << 1;
        if (twice > d2 || (twice == d2 && !q.IsEven)) q++;
        if (q == BigInteger.One << p) { q >>= 1; e++; }
        if (e > emax) return false;
        if (q < BigInteger.One << (p - 1)) { mag = (ulong)q; return true; }            // subnormal
        mag = ((ulong)(e + bias) << mbits) | (ulong)(q - (BigInteger.One << (p - 1)));
        return true;
    }

    // Compares num/den with 2^e.
    private static int Compare(BigInteger num, BigInteger den, long e) =>
        e >= 0 ? num.CompareTo(den << (int)e) : (num << (int)-e).CompareTo(den);
}
