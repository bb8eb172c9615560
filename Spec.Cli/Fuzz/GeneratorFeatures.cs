namespace Spec.Cli.Fuzz;

/// <summary>
/// What the module generator may use, so that a peer lacking a feature still gets modules it runs (wabt 1.0.32 has no
/// GC, exceptions, typed function references, relaxed SIMD, memory64 or multi-memory). Every switch is on by default;
/// `--features` switches them by the names of <see cref="Switches"/>, beside the validator's own switches.
/// </summary>
internal sealed record GeneratorFeatures(bool Simd = true, bool RelaxedSimd = true, bool Gc = true, bool Exceptions = true,
    bool FunctionReferences = true, bool TailCall = true, bool BulkMemory = true, bool ReferenceTypes = true,
    bool MultiMemory = true, bool Memory64 = true)
{
    public static readonly GeneratorFeatures All = new();

    /// <summary>What wabt 1.0.32 and node 20 run: numbers, SIMD, tail calls, bulk memory and tables.</summary>
    public static readonly GeneratorFeatures Portable = new(RelaxedSimd: false, Gc: false, Exceptions: false, FunctionReferences: false,
        MultiMemory: false, Memory64: false);

    public static readonly IReadOnlyList<(string Name, Func<GeneratorFeatures, bool> Get, Func<GeneratorFeatures, bool, GeneratorFeatures> Set)> Switches =
    [
        ("simd", f => f.Simd, (f, on) => f with { Simd = on }),
        ("relaxed-simd", f => f.RelaxedSimd, (f, on) => f with { RelaxedSimd = on }),
        ("gc", f => f.Gc, (f, on) => f with { Gc = on }),
        ("exceptions", f => f.Exceptions, (f, on) => f with { Exceptions = on }),
        ("function-references", f => f.FunctionReferences, (f, on) => f with { FunctionReferences = on }),
        ("tail-call", f => f.TailCall, (f, on) => f with { TailCall = on }),
        ("bulk-memory", f => f.BulkMemory, (f, on) => f with { BulkMemory = on }),
        ("reference-types", f => f.ReferenceTypes, (f, on) => f with { ReferenceTypes = on }),
        ("multi-memory", f => f.MultiMemory, (f, on) => f with { MultiMemory = on }),
        ("memory64", f => f.Memory64, (f, on) => f with { Memory64 = on }),
    ];

    /// <summary>The parts switched off, as `--features` names them ("" for none).</summary>
    public override string ToString() => string.Join(",", Switches.Where(s => !s.Get(this)).Select(s => "-" + s.Name));

    /// <summary>Splits a `--features` list: the generator's switches applied to <see cref="All"/>, and the rest (the
    /// validator's, which multi-memory and memory64 also are) for <see cref="Spec.Syntax.Features.Parse"/>.</summary>
    public static (GeneratorFeatures Generator, string Validator) Parse(string list)
    {
        var g = All;
        var rest = new List<string>();
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !item.StartsWith('-');
            string name = on ? item.TrimStart('+') : item[1..];
            int k = Switches.ToList().FindIndex(s => s.Name == name);
            if (k >= 0) g = Switches[k].Set(g, on);
            if (k < 0 || name is "multi-memory" or "memory64") rest.Add(item);
        }
        // Function references without GC still type ref.func, call_ref and br_on_null; relaxed SIMD needs SIMD.
        if (!g.Simd) g = g with { RelaxedSimd = false };
        if (!g.ReferenceTypes) g = g with { FunctionReferences = false, Gc = false, Exceptions = false };
        return (g, string.Join(",", rest));
    }
}
