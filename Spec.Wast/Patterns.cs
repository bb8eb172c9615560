using System.Collections.Immutable;
using System.Text;
using Spec.Syntax;

namespace Spec.Wast;

// Matching the results of an action against the patterns of assert_return (the spec interpreter's README,
// "result"): numbers bit for bit, NaN patterns by their class, references by kind.

internal static class Patterns
{
    /// <summary>Whether <paramref name="value"/> matches; the alternatives of (either ...), which nest as deeply as the
    /// script does, are tried from an explicit stack.</summary>
    public static bool Matches(ResultPattern pattern, Arg value)
    {
        var pending = new Stack<ResultPattern>();
        pending.Push(pattern);
        while (pending.TryPop(out var p))
        {
            if (p is not EitherPattern either)
            {
                if (MatchesOne(p, value)) return true;
                continue;
            }
            for (int i = either.Alternatives.Length - 1; i >= 0; i--) pending.Push(either.Alternatives[i]);
        }
        return false;
    }

    static bool MatchesOne(ResultPattern pattern, Arg value) => pattern switch
    {
        NumPattern p => value is NumArg v && v.Type == p.Type && v.Bits == p.Bits,
        NanPattern p => value is NumArg v && v.Type == p.Type && IsNan(p.Type, v.Bits, p.Kind),
        VecPattern p => value is VecArg v && LanesMatch(p, v.Value),
        RefNullPattern => value is RefNullArg,
        RefExternPattern { Host: { } n } => value is RefExternArg v && v.Host == n,
        RefExternPattern => value is RefExternArg or RefArg { Kind: AbsHeapType.Extern },
        RefHostPattern { Host: { } n } => value is RefHostArg v && v.Host == n,
        RefHostPattern => value is RefHostArg,
        RefKindPattern p => KindOf(value) is { } k && IsSubKind(k, p.Kind),
        _ => false,
    };

    /// <summary>nan:canonical has only the quiet bit of the payload set; nan:arithmetic has at least it (either sign).</summary>
    public static bool IsNan(NumType type, ulong bits, NanKind kind)
    {
        var (exponentAndQuiet, magnitude) = type == NumType.F32
            ? (0x7fc0_0000UL, bits & 0x7fff_ffffUL)
            : (0x7ff8_0000_0000_0000UL, bits & 0x7fff_ffff_ffff_ffffUL);
        return kind == NanKind.Canonical ? magnitude == exponentAndQuiet : (magnitude & exponentAndQuiet) == exponentAndQuiet;
    }

    static bool LanesMatch(VecPattern p, V128 value)
    {
        int width = 128 / p.Shape.Dim;
        for (int i = 0; i < p.Shape.Dim; i++)
        {
            ulong bits = Lane(value, i, width);
            var lane = p.Lanes[i];
            bool ok = lane.Nan is { } nan
                ? IsNan(p.Shape.Lane == LaneType.F32 ? NumType.F32 : NumType.F64, bits, nan)
                : bits == (width == 64 ? lane.Bits : lane.Bits & ((1UL << width) - 1));
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Lane <paramref name="i"/> of <paramref name="width"/> bits, little-endian.</summary>
    public static ulong Lane(V128 v, int i, int width)
    {
        int bit = i * width;
        ulong word = bit < 64 ? v.Lo : v.Hi;
        ulong shifted = word >> (bit % 64);
        return width == 64 ? shifted : shifted & ((1UL << width) - 1);
    }

    static AbsHeapType? KindOf(Arg value) => value switch
    {
        RefArg r => r.Kind,
        RefHostArg => AbsHeapType.Any,
        RefExternArg => AbsHeapType.Extern,
        _ => null,
    };

    /// <summary>Subtyping among the abstract heap types of non-null values (heap types of the GC proposal).</summary>
    static bool IsSubKind(AbsHeapType k, AbsHeapType of) => k == of || of switch
    {
        AbsHeapType.Eq => k is AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array,
        AbsHeapType.Any => k is AbsHeapType.Eq or AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array,
        _ => false,
    };

    /// <summary>A value as the testsuite writes it, for failure messages.</summary>
    public static string Show(Arg value) => value switch
    {
        NumArg { Type: NumType.I32 } n => $"(i32.const {(int)(uint)n.Bits})",
        NumArg { Type: NumType.I64 } n => $"(i64.const {(long)n.Bits})",
        NumArg { Type: NumType.F32 } n => $"(f32.const {BitConverter.Int32BitsToSingle((int)(uint)n.Bits):R} 0x{n.Bits:x8})",
        NumArg n => $"(f64.const {BitConverter.Int64BitsToDouble((long)n.Bits):R} 0x{n.Bits:x16})",
        VecArg v => $"(v128.const {v.Value})",
        RefNullArg r => $"(ref.null {r.Type})",
        RefExternArg r => $"(ref.extern {r.Host})",
        RefHostArg r => $"(ref.host {r.Host})",
        RefArg r => $"(ref.{r.Kind.ToString().ToLowerInvariant()})",
        _ => value.ToString(),
    };

    /// <summary>The most of a pattern a failure message shows: patterns nest without bound, messages stay short.</summary>
    public const int ShownLength = 2000;

    /// <summary>
    /// A pattern as the testsuite writes it, for failure messages, cut short with "..." after <see cref="ShownLength"/>
    /// characters. (either ...) is written from an explicit stack of the open ones, each with its next alternative,
    /// so the work is bounded by the length shown, not by the size of the pattern.
    /// </summary>
    public static string Show(ResultPattern pattern)
    {
        var b = new StringBuilder();
        var open = new Stack<(ImmutableArray<ResultPattern> Alternatives, int Next)>();
        ResultPattern? next = pattern;
        while (true)
        {
            if (b.Length >= ShownLength && (next is not null || open.Count > 0)) return b.Append("...").ToString();
            if (next is EitherPattern either)
            {
                b.Append("(either");
                open.Push((either.Alternatives, 0));
            }
            else if (next is not null) b.Append(ShowOne(next));
            if (!open.TryPop(out var top)) return b.ToString();
            if (top.Next == top.Alternatives.Length)
            {
                b.Append(')');
                next = null;
                continue;
            }
            b.Append(' ');
            next = top.Alternatives[top.Next];
            open.Push((top.Alternatives, top.Next + 1));
        }
    }

    static string ShowOne(ResultPattern pattern) => pattern switch
    {
        NumPattern p => Show(new NumArg(p.Type, p.Bits)),
        NanPattern p => $"({p.Type.ToString().ToLowerInvariant()}.const nan:{p.Kind.ToString().ToLowerInvariant()})",
        VecPattern p => $"(v128.const {p.Shape} {string.Join(' ', p.Lanes.Select(l => l.Nan is { } k ? $"nan:{k.ToString().ToLowerInvariant()}" : $"0x{l.Bits:x}"))})",
        RefNullPattern p => p.Type is null ? "(ref.null)" : $"(ref.null {p.Type})",
        RefExternPattern p => p.Host is { } n ? $"(ref.extern {n})" : "(ref.extern)",
        RefHostPattern p => $"(ref.host {p.Host})",
        RefKindPattern p => $"(ref.{p.Kind.ToString().ToLowerInvariant()})",
        _ => pattern.ToString(),
    };
}
