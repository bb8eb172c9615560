using System.Globalization;
using Spec.Execution;
using Spec.Syntax;

namespace Spec.Cli;

/// <summary>The one reading of values given on the command line (run --invoke, trace --invoke).</summary>
internal static class CommandLineValues
{
    /// <summary>A command-line argument as a value of type <paramref name="t"/>: integers in decimal or 0x hex
    /// (either sign), floats in decimal, nan or inf (signed); null if it is not one.</summary>
    public static Value? Parse(string s, ValType t)
    {
        if (t is not NumValType n) return null;
        s = s.Replace("_", "");
        return n.Type switch
        {
            NumType.I32 => ParseInt(s, 32) is { } b ? Value.I32((uint)b) : null,
            NumType.I64 => ParseInt(s, 64) is { } b ? Value.I64(b) : null,
            NumType.F32 => ParseFloat(s) is { } d ? Value.F32Bits(double.IsNaN(d) ? (double.IsNegative(d) ? 0xFFC0_0000u : 0x7FC0_0000u) : BitConverter.SingleToUInt32Bits((float)d)) : null,
            _ => ParseFloat(s) is { } d ? Value.F64Bits(double.IsNaN(d) ? (double.IsNegative(d) ? 0xFFF8_0000_0000_0000ul : 0x7FF8_0000_0000_0000ul) : BitConverter.DoubleToUInt64Bits(d)) : null,
        };
    }

    /// <summary>The bits of a signed or unsigned integer that fits <paramref name="width"/> bits.</summary>
    static ulong? ParseInt(string s, int width)
    {
        bool negative = s.StartsWith('-');
        var digits = negative || s.StartsWith('+') ? s[1..] : s;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!ulong.TryParse(hex ? digits[2..] : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            return null;
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        if (negative)
            return m <= 1UL << (width - 1) ? (0 - m) & mask : null;
        return m <= mask ? m : null;
    }

    /// <summary>A decimal float, nan or inf; the sign of a NaN is kept (double.IsNegative tells it).</summary>
    static double? ParseFloat(string s)
    {
        bool negative = s.StartsWith('-');
        var body = negative || s.StartsWith('+') ? s[1..] : s;
        if (body == "nan") return BitConverter.UInt64BitsToDouble(negative ? 0xFFF8_0000_0000_0000ul : 0x7FF8_0000_0000_0000ul);
        if (body is "inf" or "infinity") return negative ? double.NegativeInfinity : double.PositiveInfinity;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }
}
