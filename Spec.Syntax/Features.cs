namespace Spec.Syntax;

/// <summary>
/// The switches between Wasm 3.0 with the implemented proposals (<see cref="Default"/>) and the other rule sets some
/// testsuite folders were written against: older bases that lacked a 3.0 feature, and a proposal whose rule
/// contradicts 3.0's. Whatever a proposal merely adds needs no switch: it is always accepted.
/// </summary>
/// <param name="MultiMemory">More than one memory in a module (multi-memory, Wasm 3.0); off: "multiple memories" is invalid.</param>
/// <param name="MultiTable">More than one table in a module (reference types, Wasm 2.0); off: "multiple tables" is invalid.</param>
/// <param name="Memory64">64-bit address types and limits (memory64, Wasm 3.0); off: limits are u32 in the text format
/// and an i64 address type is invalid.</param>
/// <param name="CustomDescriptorCasts">br_on_cast and br_on_cast_fail typed as the custom descriptors proposal types
/// them: the two reference types need only share a hierarchy, where Wasm 3.0 wants the target to match the source.
/// Off by default: 3.0's testsuite rejects what it accepts.</param>
public sealed record Features(bool MultiMemory = true, bool MultiTable = true, bool Memory64 = true, bool CustomDescriptorCasts = false)
{
    /// <summary>Wasm 3.0 with every implemented proposal that agrees with it.</summary>
    public static readonly Features Default = new();

    /// <summary>The switches by the names the command line uses, with how to read and set each.</summary>
    public static readonly IReadOnlyList<(string Name, Func<Features, bool> Get, Func<Features, bool, Features> Set)> Switches =
    [
        ("multi-memory", f => f.MultiMemory, (f, on) => f with { MultiMemory = on }),
        ("multi-table", f => f.MultiTable, (f, on) => f with { MultiTable = on }),
        ("memory64", f => f.Memory64, (f, on) => f with { Memory64 = on }),
        ("custom-descriptor-casts", f => f.CustomDescriptorCasts, (f, on) => f with { CustomDescriptorCasts = on }),
    ];

    /// <summary>
    /// Applies a comma-separated list of switch names, each meaning on, or off with a leading '-' (e.g.
    /// "-multi-memory,-memory64"), to <paramref name="start"/>. Throws <see cref="ArgumentException"/> for an unknown name.
    /// </summary>
    public static Features Parse(string list, Features? start = null)
    {
        var f = start ?? Default;
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !item.StartsWith('-');
            string name = on ? item.TrimStart('+') : item[1..];
            int k = Switches.ToList().FindIndex(s => s.Name == name);
            if (k < 0) throw new ArgumentException($"unknown feature {name} (known: {string.Join(", ", Switches.Select(s => s.Name))})");
            f = Switches[k].Set(f, on);
        }
        return f;
    }

    /// <summary>The switches set otherwise than in <see cref="Default"/>, as <see cref="Parse"/> reads them ("" for the default).</summary>
    public override string ToString() =>
        string.Join(",", Switches.Where(s => s.Get(this) != s.Get(Default)).Select(s => (s.Get(this) ? "" : "-") + s.Name));
}
