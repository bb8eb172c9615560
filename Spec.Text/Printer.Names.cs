using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.3.5 Identifier contexts: the names of Module.Names arranged per index space. A name is an identifier only if
// it can be written as one and no earlier index of its space has it (Idctxt_ok: identifiers are disjoint). Where the
// text format has name annotations (module, type, field, func, param, local, tag), any other name that is valid
// Unicode is kept as (@name "...") after the binding; elsewhere it is dropped and the index printed.
internal sealed partial class Printer
{
    /// <summary>Names of one index space: ids[i] is the identifier of index i (null: print the index); debug[i] a name only annotation can carry.</summary>
    internal sealed class Space(string?[] ids, string?[] debug)
    {
        public static readonly Space None = new([], []);

        public string? this[uint i] => i < ids.Length ? ids[i] : null;

        public string Ref(uint i) => this[i] is { } n ? Id(n) : i.ToString(Inv);

        /// <summary>" $name" or " (@name "...")" for a binding occurrence, or "" when the index has no name to give.</summary>
        public string Bind(uint i) =>
            this[i] is { } n ? " " + Id(n)
            : i < debug.Length && debug[i] is { } d ? $" (@name {Name(d)})"
            : "";

        public static Space Of(ImmutableArray<NameAssoc> assocs, long count, bool annotatable = false)
        {
            var ids = new string?[Math.Max(0, count)];
            var debug = new string?[annotatable ? ids.Length : 0];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (index, name) in assocs.OrEmpty())
            {
                if (index >= ids.Length || ids[index] is not null || (annotatable && debug[index] is not null)) continue;
                if (IsPrintableId(name) && seen.Add(name)) ids[index] = name;
                else if (annotatable && Utf8(name) is not null) debug[index] = name;
            }
            return new Space(ids, debug);
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
