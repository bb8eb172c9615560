using Spec.Syntax;

namespace Spec.TextFormat;

// What a Features profile changes in the text format: without memory64, limits are u32 (Tlimits of Wasm 2.0).

internal sealed partial class Parser
{
    /// <summary>The features the source is read with; Wasm 3.0 unless a caller restricts them.</summary>
    internal Features Features { get; init; } = Features.Default;

    /// <summary>A bound of Tlimits: a u64, or a u32 without memory64, out of range as the older base reported it.</summary>
    private ulong LimitBound()
    {
        if (Features.Memory64) return U64();
        var t = Peek();
        if (t.Kind != TokenKind.Nat) throw Unexpected();
        pos++;
        if (!Literals.TryParseU(t.Text, 32, out var v)) throw t.Error("i32 constant out of range");
        return v;
    }
}
