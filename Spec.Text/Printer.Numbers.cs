using System.Globalization;
using System.Text;

namespace Spec.TextFormat;

// §6.3.1-§6.3.4 Values: integers, floats, strings, names and identifiers, written so that they read back to the same bits.
internal sealed partial class Printer
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Ti32: the signed reading, which every i32 bit pattern has.
    internal static string I32(uint bits) => ((int)bits).ToString(Inv);

    // Ti64: likewise signed.
    internal static string I64(ulong bits) => ((long)bits).ToString(Inv);

    internal static string U64(ulong n) => n.ToString(Inv);

    /// <summary>2^n for an alignment or page size exponent; from 2^64 on, Tu64 has no literal for it.</summary>
    internal static ulong Pow2(uint n, string what) =>
        n < 64 ? 1UL << (int)n : throw new ArgumentException($"{what} 2^{n} has no text form", nameof(n));

    /// <summary>Tf32: a hexadecimal float (exact), inf, or nan with its payload.</summary>
    internal static string F32(uint bits) => Float(bits, 8, 23);

    /// <summary>Tf64: a hexadecimal float (exact), inf, or nan with its payload.</summary>
    internal static string F64(ulong bits) => Float(bits, 11, 52);

    // Tfloat / Tfloat-nan: sign, then inf | nan | nan:0xPAYLOAD | 0xH.HHHpE, for a format with the given field widths.
    static string Float(ulong bits, int expBits, int sigBits)
    {
        var sign = (bits >> (expBits + sigBits)) != 0 ? "-" : "";
        var expMax = (1UL << expBits) - 1;
        var exp = (bits >> sigBits) & expMax;
        var sig = bits & ((1UL << sigBits) - 1);
        var bias = (int)(expMax >> 1);
        if (exp == expMax)
        {
            if (sig == 0) return sign + "inf";
            var canonical = 1UL << (sigBits - 1);
            return sig == canonical ? sign + "nan" : $"{sign}nan:0x{sig.ToString("x", Inv)}";
        }
        if (exp == 0 && sig == 0) return sign + "0x0p+0";
        // The significand's fraction bits, padded to whole hex digits and stripped of trailing zeros.
        var digits = (sigBits + 3) / 4;
        var frac = (sig << (digits * 4 - sigBits)).ToString("x" + digits, Inv).TrimEnd('0');
        var lead = exp == 0 ? "0" : "1";
        var e = exp == 0 ? 1 - bias : (int)exp - bias;
        var dot = frac.Length == 0 ? "" : "." + frac;
        return $"{sign}0x{lead}{dot}p{(e >= 0 ? "+" : "")}{e.ToString(Inv)}";
    }

    /// <summary>Tstring: printable ASCII as itself, every other byte (and quote, backslash) as \hh, so bytes survive exactly.</summary>
    internal static string String(ReadOnlySpan<byte> bytes)
    {
        var w = new StringWriter(Inv);
        String(w, bytes);
        return w.ToString();
    }

    /// <summary>Tstring, written to <paramref name="output"/> a chunk at a time.</summary>
    internal static void String(TextWriter output, ReadOnlySpan<byte> bytes)
    {
        Span<char> chunk = stackalloc char[1024];
        int n = 0;
        chunk[n++] = '"';
        foreach (var b in bytes)
        {
            if (n > chunk.Length - 3) { output.Write(chunk[..n]); n = 0; }
            if (b >= 0x20 && b < 0x7f && b != (byte)'"' && b != (byte)'\\') chunk[n++] = (char)b;
            else
            {
                chunk[n++] = '\\';
                chunk[n++] = HexDigits[b >> 4];
                chunk[n++] = HexDigits[b & 0xf];
            }
        }
        output.Write(chunk[..n]);
        output.Write('"');
    }

    const string HexDigits = "0123456789abcdef";

    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The UTF-8 bytes of a name, or null if it has none (a lone surrogate cannot be written as Tname).</summary>
    internal static byte[]? Utf8(string s)
    {
        try { return StrictUtf8.GetBytes(s); }
        catch (EncoderFallbackException) { return null; }
    }

    /// <summary>Tname: a string holding the name's UTF-8 encoding.</summary>
    internal static string Name(string s) =>
        String(Utf8(s) ?? throw new ArgumentException($"name is not valid Unicode: {s}", nameof(s)));

    // Tidchar: the characters an unquoted identifier may use.
    static bool IsIdChar(char c) =>
        c is >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z'
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '/'
        or ':' or '<' or '=' or '>' or '?' or '@' or '\\' or '^' or '_' or '`' or '|' or '~';

    /// <summary>Whether a name can be written as a Tid: non-empty and valid Unicode.</summary>
    internal static bool IsPrintableId(string s) => s.Length > 0 && Utf8(s) is not null;

    /// <summary>Tid: $idchar+ when possible, else $"name".</summary>
    internal static string Id(string s)
    {
        foreach (var c in s)
            if (!IsIdChar(c)) return "$" + Name(s);
        return "$" + s;
    }
}
