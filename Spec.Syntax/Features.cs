namespace Spec.Syntax;

/// <summary>
/// The switches between Wasm 3.0 (with the implemented proposals) and the older bases some proposals' tests were
/// written against. Each switch is a restriction that an older base had and 3.0 lifted; <see cref="Default"/> has
/// every switch on, so nothing is restricted unless a caller asks for it.
/// </summary>
/// <param name="MultiMemory">More than one memory in a module (multi-memory, Wasm 3.0); off: "multiple memories" is invalid.</param>
/// <param name="MultiTable">More than one table in a module (reference types, Wasm 2.0); off: "multiple tables" is invalid.</param>
/// <param name="Memory64">64-bit address types and limits (memory64, Wasm 3.0); off: limits are u32 in the text format
/// and an i64 address type is invalid.</param>
public sealed record Features(bool MultiMemory = true, bool MultiTable = true, bool Memory64 = true)
{
    /// <summary>Wasm 3.0 with every implemented proposal: no restriction.</summary>
    public static readonly Features Default = new();

    /// <summary>The switches by the names the command line uses, with how to read and set each.</summary>
    public static readonly IReadOnlyList<(string Name, Func<Features, bool> Get, Func<Features, bool, Features> Set)> Switches =
    [
        ("multi-memory", f => f.MultiMemory, (f, on) => f with { MultiMemory = on }),
        ("multi-table", f => f.MultiTable, (f, on) => f with { MultiTable = on }),
        ("memory64", f => f.Memory64, (f, on) => f with { Memory64 = on }),
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

    /// <summary>The switches that are off, as <see cref="Parse"/> reads them ("" for <see cref="Default"/>).</summary>
    public override string ToString() => string.Join(",", Switches.Where(s => !s.Get(this)).Select(s => "-" + s.Name));
}
