using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// §5.5 Modules, the encoding direction. Each segment takes the form that decodes back to the identical record;
// custom sections go back to their places, the name section goes last.
internal sealed partial class Encoder
{
    static readonly SectionId[] SectionOrder =
    [
        SectionId.Type, SectionId.Import, SectionId.Function, SectionId.Table, SectionId.Memory, SectionId.Tag,
        SectionId.Global, SectionId.Export, SectionId.Start, SectionId.Element, SectionId.DataCount, SectionId.Code,
        SectionId.Data,
    ];

    static readonly RefType FuncRefNonNull = new(false, Syntax.HeapType.Func);

    internal static byte[] EncodeModule(Module m) => new Encoder().Module(m);

    byte[] Module(Module m)
    {
        var w = new ByteWriter();
        w.Bytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);

        // The code goes first into its own buffer: whether a data count section is needed depends on it.
        var code = new ByteWriter();
        PrepareBranchHints(m);
        CodeSection(code, m.Funcs.OrEmpty());
        bool funcsUseData = _usesDataIndex;

        var customs = m.Customs.OrEmpty();
        Customs(w, customs, SectionId.Custom);
        var content = new ByteWriter();
        foreach (var id in SectionOrder)
        {
            if (id == SectionId.Code) BranchHintSection(w);   // code metadata goes before the code it describes
            bool placeHeld = customs.Any(c => c.After == id);
            content.Clear();
            bool present = id switch
            {
                SectionId.Type => List(content, m.Types, static (e, w, t) => RecType(w, t.Rec)),
                SectionId.Import => List(content, m.Imports, static (e, w, i) => { w.Name(i.Module); w.Name(i.Name); ExternType(w, i.Type); }),
                SectionId.Function => List(content, m.Funcs, static (e, w, f) => w.U32(f.TypeIdx)),
                SectionId.Table => List(content, m.Tables, static (e, w, t) => e.Table(w, t)),
                SectionId.Memory => List(content, m.Mems, static (e, w, mem) => MemType(w, mem.Type)),
                SectionId.Tag => List(content, m.Tags, static (e, w, t) => TagType(w, t.Type)),
                SectionId.Global => List(content, m.Globals, static (e, w, g) => { GlobalType(w, g.Type); e.Expr(w, g.Init); }),
                SectionId.Export => List(content, m.Exports, static (e, w, x) => Export(w, x)),
                SectionId.Start => Start(content, m.Start),
                SectionId.Element => List(content, m.Elems, static (e, w, x) => e.Elem(w, x)),
                SectionId.DataCount => DataCount(content, m.Datas.OrEmpty().Length, funcsUseData || placeHeld),
                SectionId.Code => Copy(content, code, m.Funcs.OrEmpty().Length),
                _ => List(content, m.Datas, static (e, w, d) => e.Data(w, d)),
            };
            if (present || (placeHeld && id != SectionId.Start))
            {
                if (!present) content.U32(0);
                w.Byte((byte)id);
                w.Sized(content);
            }
            Customs(w, customs, id);
        }
        if (!m.Names.IsEmpty) NameSection(w, m.Names);
        return w.ToArray();
    }

    static void Customs(ByteWriter w, ImmutableArray<CustomSection> customs, SectionId after)
    {
        var content = new ByteWriter();
        foreach (var c in customs)
        {
            if (c.After != after) continue;
            content.Clear();
            content.Name(c.Name);
            content.Bytes(c.Content.AsSpan());
            w.Byte(0);
            w.Sized(content);
        }
    }

    // Blist(X), written only when the list is non-empty.
    bool List<T>(ByteWriter w, ImmutableArray<T> items, Action<Encoder, ByteWriter, T> item)
    {
        items = items.OrEmpty();
        if (items.IsEmpty) return false;
        w.U32((uint)items.Length);
        foreach (var x in items) item(this, w, x);
        return true;
    }

    static bool Start(ByteWriter w, Start? s)
    {
        if (s is null) return false;
        w.U32(s.Func);
        return true;
    }

    static bool DataCount(ByteWriter w, int datas, bool needed)
    {
        if (datas == 0 && !needed) return false;
        w.U32((uint)datas);
        return true;
    }

    static bool Copy(ByteWriter w, ByteWriter code, int count)
    {
        if (count == 0) return false;
        w.Bytes(code.Written);
        return true;
    }

    // Btable: the short form exactly when the init is REF.NULL of the table's own heap type.
    void Table(ByteWriter w, Table t)
    {
        var init = t.Init.Instrs.OrEmpty();
        if (init.Length == 1 && init[0] is RefNull rn && rn.Type.Equals(t.Type.ElemType.Heap))
        {
            TableType(w, t.Type);
            return;
        }
        w.Byte(0x40);
        w.Byte(0x00);
        TableType(w, t.Type);
        Expr(w, t.Init);
    }

    // Bexport
    static void Export(ByteWriter w, Export x)
    {
        w.Name(x.Name);
        w.Byte(x.Index.Kind switch
        {
            ExternKind.Func => 0x00, ExternKind.Table => 0x01, ExternKind.Mem => 0x02, ExternKind.Global => 0x03, _ => 0x04,
        });
        w.U32(x.Index.Index);
    }

    // Belem: forms 0..3 hold function indices of type (ref func); 4 and 6 hold expressions; 0 and 4 imply table 0.
    void Elem(ByteWriter w, Elem e)
    {
        var inits = e.Inits.OrEmpty();
        bool indices = e.Type.Equals(FuncRefNonNull) && inits.All(x => x.Instrs.OrEmpty() is [RefFunc]);
        switch (e.Mode)
        {
            case ElemActive a when indices && a.Table == 0: w.U32(0); Expr(w, a.Offset); FuncIndices(w, inits); break;
            case ElemActive a when indices: w.U32(2); w.U32(a.Table); Expr(w, a.Offset); w.Byte(0x00); FuncIndices(w, inits); break;
            case ElemActive a when a.Table == 0 && e.Type.Equals(Syntax.RefType.FuncRef): w.U32(4); Expr(w, a.Offset); Exprs(w, inits); break;
            case ElemActive a: w.U32(6); w.U32(a.Table); Expr(w, a.Offset); RefType(w, e.Type); Exprs(w, inits); break;
            case ElemPassive when indices: w.U32(1); w.Byte(0x00); FuncIndices(w, inits); break;
            case ElemPassive: w.U32(5); RefType(w, e.Type); Exprs(w, inits); break;
            case ElemDeclare when indices: w.U32(3); w.Byte(0x00); FuncIndices(w, inits); break;
            case ElemDeclare: w.U32(7); RefType(w, e.Type); Exprs(w, inits); break;
            default: throw Unencodable($"element mode {e.Mode}");
        }
    }

    static void FuncIndices(ByteWriter w, ImmutableArray<Expr> inits)
    {
        w.U32((uint)inits.Length);
        foreach (var x in inits) w.U32(((RefFunc)x.Instrs[0]).Func);
    }

    void Exprs(ByteWriter w, ImmutableArray<Expr> es)
    {
        w.U32((uint)es.Length);
        foreach (var x in es) Expr(w, x);
    }

    // Bdata
    void Data(ByteWriter w, Data d)
    {
        switch (d.Mode)
        {
            case DataActive { Mem: 0 } a: w.U32(0); Expr(w, a.Offset); break;
            case DataPassive: w.U32(1); break;
            case DataActive a: w.U32(2); w.U32(a.Mem); Expr(w, a.Offset); break;
            default: throw Unencodable($"data mode {d.Mode}");
        }
        var init = d.Init.OrEmpty();
        w.U32((uint)init.Length);
        w.Bytes(init.AsSpan());
    }

    // Bcodesec, Bcode, Bfunc: locals are grouped into runs of one type.
    void CodeSection(ByteWriter w, ImmutableArray<Func> funcs)
    {
        w.U32((uint)funcs.Length);
        var body = new ByteWriter();
        for (int k = 0; k < funcs.Length; k++)
        {
            var f = funcs[k];
            body.Clear();
            var locals = f.Locals.OrEmpty();
            int runs = 0;
            for (int i = 0; i < locals.Length; i++)
                if (i == 0 || !locals[i].Type.Equals(locals[i - 1].Type)) runs++;
            body.U32((uint)runs);
            for (int i = 0; i < locals.Length;)
            {
                int j = i;
                while (j < locals.Length && locals[j].Type.Equals(locals[i].Type)) j++;
                body.U32((uint)(j - i));
                ValType(body, locals[i].Type);
                i = j;
            }
            BodyBegins(k);
            Expr(body, f.Body);
            BodyEnded(k);
            w.Sized(body);
        }
    }
}
