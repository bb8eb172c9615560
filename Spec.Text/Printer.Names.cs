using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.3.5 Identifier contexts: the names of Module.Names arranged per index space. A name is usable only if it
// can be written as an identifier and no earlier index of its space has it (Idctxt_ok: names are disjoint).
internal sealed partial class Printer
{
    /// <summary>Names of one index space: names[i] is the identifier of index i, or null to print the index.</summary>
    internal sealed class Space(string?[] names)
    {
        public static readonly Space None = new([]);

        public string? this[uint i] => i < names.Length ? names[i] : null;

        public string Ref(uint i) => this[i] is { } n ? Id(n) : i.ToString(Inv);

        /// <summary>" $name" for a binding occurrence, or "" when the index has no usable name.</summary>
        public string Bind(uint i) => this[i] is { } n ? " " + Id(n) : "";

        public static Space Of(ImmutableArray<NameAssoc> assocs, long count)
        {
            var names = new string?[Math.Max(0, count)];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (index, name) in assocs.OrEmpty())
                if (index < names.Length && names[index] is null && IsPrintableId(name) && seen.Add(name))
                    names[index] = name;
            return new Space(names);
        }
    }

    /// <summary>A nested name map (locals per function, fields per type, labels per function) by its outer index; the first entry wins.</summary>
    static Dictionary<uint, ImmutableArray<NameAssoc>> ByOuter(ImmutableArray<IndirectNameAssoc> map)
    {
        var d = new Dictionary<uint, ImmutableArray<NameAssoc>>();
        foreach (var a in map.OrEmpty()) d.TryAdd(a.Index, a.Names.OrEmpty());
        return d;
    }

    static ImmutableArray<NameAssoc> Inner(Dictionary<uint, ImmutableArray<NameAssoc>> map, uint outer) =>
        map.TryGetValue(outer, out var names) ? names : [];
}
