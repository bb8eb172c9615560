namespace Spec.Syntax;

/// <summary>
/// Which rules a module is checked against. <see cref="Default"/> is Wasm 3.0 exactly; the proposals this project
/// implements are switched on one by one (their instructions, types and encodings are rejected otherwise), and the
/// 3.0 features some testsuite folders predate can be switched off. One set of names for every command.
/// </summary>
/// <param name="MultiMemory">More than one memory in a module (multi-memory, Wasm 3.0); off: "multiple memories" is invalid.</param>
/// <param name="MultiTable">More than one table in a module (reference types, Wasm 2.0); off: "multiple tables" is invalid.</param>
/// <param name="Memory64">64-bit address types and limits (memory64, Wasm 3.0); off: limits are u32 in the text format
/// and an i64 address type is invalid.</param>
/// <param name="Threads">The threads proposal: shared memories, atomic accesses, wait, notify and fence.</param>
/// <param name="WideArithmetic">The wide-arithmetic proposal: i64.add128, i64.sub128, i64.mul_wide_s/u.</param>
/// <param name="CustomPageSizes">The custom-page-sizes proposal: memories with a page size other than 64 KiB.</param>
/// <param name="CustomDescriptors">The custom descriptors proposal: exact reference types, describes/descriptor
/// clauses and their instructions, and br_on_cast/br_on_cast_fail typed as the proposal types them (the two
/// reference types need only share a hierarchy, which contradicts 3.0's testsuite).</param>
/// <param name="LegacyExceptions">Exception handling as it was before exnref: try, catch, catch_all, delegate, rethrow.</param>
public sealed record Features(bool MultiMemory = true, bool MultiTable = true, bool Memory64 = true,
    bool Threads = false, bool WideArithmetic = false, bool CustomPageSizes = false, bool CustomDescriptors = false,
    bool LegacyExceptions = false)
{
    /// <summary>Wasm 3.0 exactly: no proposal.</summary>
    public static readonly Features Default = new();

    /// <summary>Wasm 3.0 with every implemented proposal.</summary>
    public static readonly Features All = new(Threads: true, WideArithmetic: true, CustomPageSizes: true, CustomDescriptors: true, LegacyExceptions: true);

    /// <summary>The switches by the names the command line uses, with how to read and set each.</summary>
    public static readonly IReadOnlyList<(string Name, Func<Features, bool> Get, Func<Features, bool, Features> Set)> Switches =
    [
        ("multi-memory", f => f.MultiMemory, (f, on) => f with { MultiMemory = on }),
        ("multi-table", f => f.MultiTable, (f, on) => f with { MultiTable = on }),
        ("memory64", f => f.Memory64, (f, on) => f with { Memory64 = on }),
        ("threads", f => f.Threads, (f, on) => f with { Threads = on }),
        ("wide-arithmetic", f => f.WideArithmetic, (f, on) => f with { WideArithmetic = on }),
        ("custom-page-sizes", f => f.CustomPageSizes, (f, on) => f with { CustomPageSizes = on }),
        ("custom-descriptors", f => f.CustomDescriptors, (f, on) => f with { CustomDescriptors = on }),
        ("legacy-exceptions", f => f.LegacyExceptions, (f, on) => f with { LegacyExceptions = on }),
    ];

    /// <summary>
    /// Applies a comma-separated list of switch names, each meaning on, or off with a leading '-' (e.g.
    /// "threads,-memory64"), to <paramref name="start"/>; "all" switches every proposal on. Throws
    /// <see cref="ArgumentException"/> for an unknown name.
    /// </summary>
    public static Features Parse(string list, Features? start = null)
    {
        var f = start ?? Default;
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !item.StartsWith('-');
            string name = on ? item.TrimStart('+') : item[1..];
            if (name == "all" && on) { f = f with { Threads = true, WideArithmetic = true, CustomPageSizes = true, CustomDescriptors = true, LegacyExceptions = true }; continue; }
            int k = Switches.ToList().FindIndex(s => s.Name == name);
            if (k < 0) throw new ArgumentException($"unknown feature {name} (known: {string.Join(", ", Switches.Select(s => s.Name))}, all)");
            f = Switches[k].Set(f, on);
        }
        return f;
    }

    /// <summary>The switches set otherwise than in <see cref="Default"/>, as <see cref="Parse"/> reads them ("" for the default).</summary>
    public override string ToString() =>
        string.Join(",", Switches.Where(s => s.Get(this) != s.Get(Default)).Select(s => (s.Get(this) ? "" : "-") + s.Name));
}
