using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// Appendix: the name section, written from Module.Names with every subsection that has entries.
internal sealed partial class Encoder
{
    static void NameSection(ByteWriter w, Names n)
    {
        var content = new ByteWriter();
        content.Name("name");
        var sub = new ByteWriter();
        if (n.Module is { } module) { sub.Name(module); Subsection(content, 0, sub); }
        NameMap(content, 1, n.Funcs, sub);
        IndirectNameMap(content, 2, n.Locals, sub);
        IndirectNameMap(content, 3, n.Labels, sub);
        NameMap(content, 4, n.Types, sub);
        NameMap(content, 5, n.Tables, sub);
        NameMap(content, 6, n.Mems, sub);
        NameMap(content, 7, n.Globals, sub);
        NameMap(content, 8, n.Elems, sub);
        NameMap(content, 9, n.Datas, sub);
        IndirectNameMap(content, 10, n.Fields, sub);
        NameMap(content, 11, n.Tags, sub);
        w.Byte(0);
        w.Sized(content);
    }

    static void Subsection(ByteWriter w, byte id, ByteWriter sub)
    {
        w.Byte(id);
        w.Sized(sub);
        sub.Clear();
    }

    static void NameMap(ByteWriter w, byte id, ImmutableArray<NameAssoc> map, ByteWriter sub)
    {
        if (map.IsDefaultOrEmpty) return;
        Assocs(sub, map);
        Subsection(w, id, sub);
    }

    static void Assocs(ByteWriter w, ImmutableArray<NameAssoc> map)
    {
        map = map.OrEmpty();
        w.U32((uint)map.Length);
        foreach (var a in map) { w.U32(a.Index); w.Name(a.Name); }
    }

    static void IndirectNameMap(ByteWriter w, byte id, ImmutableArray<IndirectNameAssoc> map, ByteWriter sub)
    {
        if (map.IsDefaultOrEmpty) return;
        sub.U32((uint)map.Length);
        foreach (var a in map) { sub.U32(a.Index); Assocs(sub, a.Names); }
        Subsection(w, id, sub);
    }
}
