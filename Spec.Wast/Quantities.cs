using System.Globalization;
using System.Text.RegularExpressions;

namespace Spec.Wast;

/// <summary>
/// The quantities command lines take, one syntax for every command: durations (<c>500ms</c>, <c>10s</c>, <c>2m</c>,
/// <c>1h</c>, <c>1.5s</c>) and byte sizes (<c>65536</c>, <c>64KiB</c>, <c>512MiB</c>, <c>4GiB</c>).
/// </summary>
public static partial class Quantities
{
    public const string DurationSyntax = "a duration such as 500ms, 10s, 2m or 1h";
    public const string SizeSyntax = "a size in bytes such as 65536, 64KiB, 512MiB or 4GiB";

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex DurationForm();

    [GeneratedRegex(@"^(\d+)(KiB|MiB|GiB|TiB)?$")]
    private static partial Regex SizeForm();

    /// <summary>A positive duration with its unit; false for anything else (a bare number is ambiguous, so refused).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var m = DurationForm().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        double ms = n * m.Groups[2].Value switch { "ms" => 1, "s" => 1e3, "m" => 60e3, _ => 3600e3 };
        if (ms <= 0 || ms > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>A byte count, bare or with a binary unit; false for anything else or a count past 2^64.</summary>
    public static bool TryParseSize(string text, out ulong bytes)
    {
        bytes = 0;
        var m = SizeForm().Match(text);
        if (!m.Success || !ulong.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        int shift = m.Groups[2].Value switch { "" => 0, "KiB" => 10, "MiB" => 20, "GiB" => 30, _ => 40 };
        if (shift > 0 && n > ulong.MaxValue >> shift) return false;
        bytes = n << shift;
        return true;
    }
}
