using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// §5.2 Types, the encoding direction (spectec 5.2-binary.types read right to left).
internal sealed partial class Encoder
{
    static byte AbsHeapByte(AbsHeapType t) => t switch
    {
        AbsHeapType.Exn => 0x69, AbsHeapType.Array => 0x6A, AbsHeapType.Struct => 0x6B, AbsHeapType.I31 => 0x6C,
        AbsHeapType.Eq => 0x6D, AbsHeapType.Any => 0x6E, AbsHeapType.Extern => 0x6F, AbsHeapType.Func => 0x70,
        AbsHeapType.None => 0x71, AbsHeapType.NoExtern => 0x72, AbsHeapType.NoFunc => 0x73, AbsHeapType.NoExn => 0x74,
        _ => throw Unencodable("the bottom heap type"),
    };

    // Bheaptype
    static void HeapType(ByteWriter w, HeapType ht)
    {
        switch (ht)
        {
            case AbsHeap a: w.Byte(AbsHeapByte(a.Type)); break;
            case TypeIdx x: w.S64(x.Index); break;
            case ExactHeap { Type: TypeIdx x }: w.Byte(Opcodes.Exact); w.S64(x.Index); break;
            default: throw Unencodable($"heap type {ht}");
        }
    }

    // Breftype: the one-byte abbreviation where the type is nullable and abstract.
    static void RefType(ByteWriter w, RefType rt)
    {
        if (rt.Null && rt.Heap is AbsHeap a) { w.Byte(AbsHeapByte(a.Type)); return; }
        w.Byte(rt.Null ? (byte)0x63 : (byte)0x64);
        HeapType(w, rt.Heap);
    }

    // Bvaltype
    static void ValType(ByteWriter w, ValType t)
    {
        switch (t)
        {
            case NumValType n: w.Byte(n.Type switch { NumType.I32 => 0x7F, NumType.I64 => 0x7E, NumType.F32 => 0x7D, _ => 0x7C }); break;
            case VecValType: w.Byte(0x7B); break;
            case RefType rt: RefType(w, rt); break;
            default: throw Unencodable($"value type {t}");
        }
    }

    // Bresulttype
    static void ResultType(ByteWriter w, ImmutableArray<ValType> ts)
    {
        ts = ts.OrEmpty();
        w.U32((uint)ts.Length);
        foreach (var t in ts) ValType(w, t);
    }

    static void Mut(ByteWriter w, Mut m) => w.Byte(m == Syntax.Mut.Var ? (byte)1 : (byte)0);

    // Bfieldtype
    static void FieldType(ByteWriter w, FieldType ft)
    {
        if (ft.Type is PackedType p) w.Byte(p.Type == PackType.I8 ? (byte)0x78 : (byte)0x77);
        else ValType(w, (ValType)ft.Type);
        Mut(w, ft.Mut);
    }

    // Bcomptype
    static void CompType(ByteWriter w, CompType ct)
    {
        switch (ct)
        {
            case ArrayType a: w.Byte(0x5E); FieldType(w, a.Field); break;
            case StructType s:
                w.Byte(0x5F);
                w.U32((uint)s.Fields.OrEmpty().Length);
                foreach (var f in s.Fields.OrEmpty()) FieldType(w, f);
                break;
            case FuncType f: w.Byte(0x60); ResultType(w, f.Params); ResultType(w, f.Results); break;
            default: throw Unencodable($"composite type {ct}");
        }
    }

    // Bsubtype: a final subtype without supertypes is just its desctype.
    static void SubType(ByteWriter w, SubType st)
    {
        var supers = st.Supers.OrEmpty();
        if (st.Final && supers.IsEmpty) { DescType(w, st); return; }
        w.Byte(st.Final ? (byte)0x4F : (byte)0x50);
        w.U32((uint)supers.Length);
        foreach (var x in supers) w.U32(x is TypeIdx i ? i.Index : throw Unencodable($"supertype {x}"));
        DescType(w, st);
    }

    // Bdesctype (custom descriptors proposal): 0x4C typeidx for describes, then 0x4D typeidx for descriptor, then the comptype.
    static void DescType(ByteWriter w, SubType st)
    {
        if (st.Describes is { } describes) { w.Byte(0x4C); w.U32(describes is TypeIdx i ? i.Index : throw Unencodable($"described type {describes}")); }
        if (st.Descriptor is { } descriptor) { w.Byte(0x4D); w.U32(descriptor is TypeIdx i ? i.Index : throw Unencodable($"descriptor type {descriptor}")); }
        CompType(w, st.Comp);
    }

    // Brectype: a group of one is just its subtype.
    static void RecType(ByteWriter w, RecType rt)
    {
        var subs = rt.Subs.OrEmpty();
        if (subs.Length == 1) { SubType(w, subs[0]); return; }
        w.Byte(0x4E);
        w.U32((uint)subs.Length);
        foreach (var st in subs) SubType(w, st);
    }

    // Blimits
    static void Limits(ByteWriter w, AddrType at, Limits lim, bool shared = false)
    {
        w.Byte((byte)((at == AddrType.I64 ? 4 : 0) | (shared ? 2 : 0) | (lim.Max is null ? 0 : 1)));
        w.U64(lim.Min);
        if (lim.Max is { } max) w.U64(max);
    }

    static void TagType(ByteWriter w, TypeUse t)
    {
        w.Byte(0x00);
        w.U32(t is TypeIdx i ? i.Index : throw Unencodable($"tag type {t}"));
    }

    static void GlobalType(ByteWriter w, GlobalType gt) { ValType(w, gt.Type); Mut(w, gt.Mut); }

    static void MemType(ByteWriter w, MemType mt)
    {
        if (mt.PageSizeLog2 != 16) throw Unencodable("custom page sizes");
        Limits(w, mt.AddrType, mt.Limits, mt.Shared);
    }

    static void TableType(ByteWriter w, TableType tt) { RefType(w, tt.ElemType); Limits(w, tt.AddrType, tt.Limits); }

    // Bexterntype
    static void ExternType(ByteWriter w, ExternType xt)
    {
        switch (xt)
        {
            case FuncExtern f: w.Byte(f.Exact ? (byte)0x20 : (byte)0x00); w.U32(f.Type is TypeIdx i ? i.Index : throw Unencodable($"function type {f.Type}")); break;
            case TableExtern t: w.Byte(0x01); TableType(w, t.Type); break;
            case MemExtern m: w.Byte(0x02); MemType(w, m.Type); break;
            case GlobalExtern g: w.Byte(0x03); GlobalType(w, g.Type); break;
            case TagExtern t: w.Byte(0x04); TagType(w, t.Type); break;
            default: throw Unencodable($"external type {xt}");
        }
    }
}
