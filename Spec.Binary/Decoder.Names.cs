using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// Appendix: the name section (custom section "name"), with the extended subsections 3..11.
// A malformed name section is ignored: custom sections never make a module malformed.
internal ref partial struct Decoder
{
    static Names? NameSection(ReadOnlySpan<byte> content)
    {
        try
        {
            var d = new Decoder(content);
            return d.Names();
        }
        catch (DecodeException)
        {
            return null;
        }
    }

    Names Names()
    {
        var names = Syntax.Names.Empty;
        int lastId = -1;
        while (!AtEnd)
        {
            int at = _p;
            byte id = Byte();
            if (id <= lastId) throw Error("out-of-order name subsection", at);
            lastId = id;
            int size = Len();
            int end = _p + size;
            names = id switch
            {
                0 => names with { Module = Name() },
                1 => names with { Funcs = NameMap() },
                2 => names with { Locals = IndirectNameMap() },
                3 => names with { Labels = IndirectNameMap() },
                4 => names with { Types = NameMap() },
                5 => names with { Tables = NameMap() },
                6 => names with { Mems = NameMap() },
                7 => names with { Globals = NameMap() },
                8 => names with { Elems = NameMap() },
                9 => names with { Datas = NameMap() },
                10 => names with { Fields = IndirectNameMap() },
                11 => names with { Tags = NameMap() },
                _ => names,
            };
            if (id > 11) _p = end;
            if (_p != end) throw Error("name subsection size mismatch", end);
        }
        return names;
    }

    // namemap ::= list(idx name), indices increasing
    ImmutableArray<NameAssoc> NameMap()
    {
        uint n = Count();
        var a = Alloc<NameAssoc>(n);
        for (int i = 0; i < n; i++)
        {
            int at = _p;
            uint idx = U32();
            if (i > 0 && idx <= a[i - 1].Index) throw Error("name map out of order", at);
            a[i] = new NameAssoc(idx, Name());
        }
        return ImmutableArray.Create(a);
    }

    // indirectnamemap ::= list(idx namemap), indices increasing
    ImmutableArray<IndirectNameAssoc> IndirectNameMap()
    {
        uint n = Count();
        var a = Alloc<IndirectNameAssoc>(n);
        for (int i = 0; i < n; i++)
        {
            int at = _p;
            uint idx = U32();
            if (i > 0 && idx <= a[i - 1].Index) throw Error("name map out of order", at);
            a[i] = new IndirectNameAssoc(idx, NameMap());
        }
        return ImmutableArray.Create(a);
    }
}
