using System.Globalization;
using System.Numerics;

namespace Spec.Execution.Tests;

/// <summary>
/// Reference computations independent of the implementation under test: exact rational rounding to
/// binary32/binary64 ($ieee_N written out over BigInteger), and the text format's numeric literals.
/// </summary>
static class NumericsReference
{
    public readonly record struct Format(int P, int ExpBits)
    {
        public int Bias => (1 << (ExpBits - 1)) - 1;
        public int Width => 1 + ExpBits + P;
    }

    public static readonly Format F32 = new(23, 8);
    public static readonly Format F64 = new(52, 11);

    /// <summary>$ieee_N(±num/den): round to nearest, ties to even, with subnormals and overflow to infinity.</summary>
    public static ulong Round(Format f, bool negative, BigInteger num, BigInteger den)
    {
        ulong sign = negative ? 1UL << (f.Width - 1) : 0;
        if (num.IsZero) return sign;
        // e = floor(log2(num/den))
        long e = (long)(num.GetBitLength() - den.GetBitLength());
        if (e >= 0 ? num < den << (int)e : num << (int)-e < den) e--;
        long emin = 1 - f.Bias;
        if (e < emin) e = emin;
        // q = num/den * 2^(P-e), split into integer part and remainder
        BigInteger n = num, d = den;
        long sh = f.P - e;
        if (sh >= 0) n <<= (int)sh; else d <<= (int)-sh;
        BigInteger q = BigInteger.DivRem(n, d, out BigInteger r);
        int cmp = (2 * r).CompareTo(d);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q++;
        if (q >> (f.P + 1) != 0) { q >>= 1; e++; }
        if (e > f.Bias) return sign | (((1UL << f.ExpBits) - 1) << f.P); // infinity
        if (q >> f.P == 0) return sign | (ulong)q;                      // subnormal (or zero)
        return sign | ((ulong)(e + f.Bias) << f.P) | ((ulong)q & ((1UL << f.P) - 1));
    }

    /// <summary>The exact rational value of a finite float's bits: (negative, num, den).</summary>
    public static (bool Neg, BigInteger Num, BigInteger Den) Exact(Format f, ulong bits)
    {
        bool neg = (bits >> (f.Width - 1)) != 0;
        long exp = (long)((bits >> f.P) & ((1UL << f.ExpBits) - 1));
        BigInteger m = bits & ((1UL << f.P) - 1);
        if (exp != 0) m += BigInteger.One << f.P; else exp = 1;
        long e = exp - f.Bias - f.P;
        return e >= 0 ? (neg, m << (int)e, 1) : (neg, m, BigInteger.One << (int)-e);
    }

    // ---- Text-format literals (the subset the testsuite uses) ----

    public static BigInteger ParseInt(string s)
    {
        s = s.Replace("_", "");
        bool neg = s.StartsWith('-');
        if (s[0] is '-' or '+') s = s[1..];
        BigInteger v = s.StartsWith("0x")
            ? BigInteger.Parse("0" + s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.Parse(s, CultureInfo.InvariantCulture);
        return neg ? -v : v;
    }

    /// <summary>An integer literal as the low N bits of its two's complement.</summary>
    public static ulong ParseIntBits(string s, int N)
    {
        BigInteger v = ParseInt(s) & ((BigInteger.One << N) - 1);
        return (ulong)v;
    }

    /// <summary>A float literal's bits, or null for the patterns nan:canonical / nan:arithmetic.</summary>
    public static ulong ParseFloatBits(string s, Format f)
    {
        s = s.Replace("_", "");
        bool neg = s.StartsWith('-');
        if (s[0] is '-' or '+') s = s[1..];
        ulong sign = neg ? 1UL << (f.Width - 1) : 0;
        ulong expAll = ((1UL << f.ExpBits) - 1) << f.P;
        if (s == "inf") return sign | expAll;
        if (s == "nan") return sign | expAll | (1UL << (f.P - 1));
        if (s.StartsWith("nan:0x")) return sign | expAll | ulong.Parse(s[6..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        BigInteger num, den = 1;
        if (s.StartsWith("0x"))
        {
            s = s[2..];
            int p = s.IndexOfAny(['p', 'P']);
            long exp = p < 0 ? 0 : long.Parse(s[(p + 1)..], CultureInfo.InvariantCulture);
            string mant = p < 0 ? s : s[..p];
            int dot = mant.IndexOf('.');
            string digits = dot < 0 ? mant : mant[..dot] + mant[(dot + 1)..];
            if (dot >= 0) exp -= 4L * (mant.Length - dot - 1);
            num = digits.Length == 0 ? 0 : BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (exp >= 0) num <<= (int)exp; else den <<= (int)-exp;
        }
        else
        {
            int p = s.IndexOfAny(['e', 'E']);
            long exp = p < 0 ? 0 : long.Parse(s[(p + 1)..], CultureInfo.InvariantCulture);
            string mant = p < 0 ? s : s[..p];
            int dot = mant.IndexOf('.');
            string digits = dot < 0 ? mant : mant[..dot] + mant[(dot + 1)..];
            if (dot >= 0) exp -= mant.Length - dot - 1;
            num = digits.Length == 0 ? 0 : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
            if (exp >= 0) num *= BigInteger.Pow(10, (int)exp); else den = BigInteger.Pow(10, (int)-exp);
        }
        return Round(f, neg, num, den);
    }
}
