using System.Text;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.4 Types (spectec 6.2-text.types).
internal sealed partial class Printer
{
    // Tnumtype | Tvectype | Treftype_
    internal string ValType(ValType t) => t switch
    {
        NumValType n => NumType(n.Type),
        VecValType => "v128",
        RefType r => RefType(r),
        _ => throw new ArgumentException($"value type {t} has no text form"),
    };

    internal static string NumType(NumType t) => t switch
    {
        Syntax.NumType.I32 => "i32", Syntax.NumType.I64 => "i64", Syntax.NumType.F32 => "f32", _ => "f64",
    };

    // Treftype_/abbrev for nullable abstract types (funcref, ...), else Treftype_/base (ref null? heaptype).
    internal string RefType(RefType r)
    {
        if (r.Null && r.Heap is AbsHeap { Type: not AbsHeapType.Bot } a)
            return a.Type switch
            {
                AbsHeapType.Any => "anyref", AbsHeapType.Eq => "eqref", AbsHeapType.I31 => "i31ref",
                AbsHeapType.Struct => "structref", AbsHeapType.Array => "arrayref", AbsHeapType.None => "nullref",
                AbsHeapType.Func => "funcref", AbsHeapType.NoFunc => "nullfuncref", AbsHeapType.Exn => "exnref",
                AbsHeapType.NoExn => "nullexnref", AbsHeapType.Extern => "externref", _ => "nullexternref",
            };
        return $"(ref {(r.Null ? "null " : "")}{HeapType(r.Heap)})";
    }

    // Theaptype_: absheaptype | typeidx | (exact typeidx) (custom descriptors proposal)
    internal string HeapType(HeapType h) => h switch
    {
        ExactHeap { Type: TypeIdx x } => $"(exact {types.Ref(x.Index)})",
        AbsHeap { Type: not AbsHeapType.Bot } a => a.Type switch
        {
            AbsHeapType.Any => "any", AbsHeapType.Eq => "eq", AbsHeapType.I31 => "i31", AbsHeapType.Struct => "struct",
            AbsHeapType.Array => "array", AbsHeapType.None => "none", AbsHeapType.Func => "func",
            AbsHeapType.NoFunc => "nofunc", AbsHeapType.Exn => "exn", AbsHeapType.NoExn => "noexn",
            AbsHeapType.Extern => "extern", _ => "noextern",
        },
        TypeIdx x => types.Ref(x.Index),
        _ => throw new ArgumentException($"heap type {h} has no text form; only syntactic modules can be printed"),
    };

    // Tstoragetype_: valtype | packtype
    string StorageType(StorageType t) => t switch
    {
        PackedType p => p.Type == PackType.I8 ? "i8" : "i16",
        ValType v => ValType(v),
        _ => throw new ArgumentException($"storage type {t} has no text form"),
    };

    // Tfieldtype_: storagetype | (mut storagetype)
    string FieldType(FieldType f) => f.Mut == Mut.Var ? $"(mut {StorageType(f.Type)})" : StorageType(f.Type);

    // Tglobaltype_: valtype | (mut valtype)
    string GlobalType(GlobalType g) => g.Mut == Mut.Var ? $"(mut {ValType(g.Type)})" : ValType(g.Type);

    // Tlimits: min max?
    static string Limits(Limits l) => l.Max is { } max ? $"{U64(l.Min)} {U64(max)}" : U64(l.Min);

    // Taddrtype: i64 is written, i32 is the default.
    static string AddrPrefix(AddrType at) => at == AddrType.I64 ? "i64 " : "";

    // Tmemtype_: addrtype? limits, then shared (threads) and (pagesize n) (custom page sizes) when not default.
    static string MemType(MemType t) =>
        AddrPrefix(t.AddrType) + Limits(t.Limits) + (t.Shared ? " shared" : "")
        + (t.PageSizeLog2 != 16 ? $" (pagesize {U64(Pow2(t.PageSizeLog2, "page size"))})" : "");

    // Ttabletype_: addrtype? limits reftype
    string TableType(TableType t) => $"{AddrPrefix(t.AddrType)}{Limits(t.Limits)} {RefType(t.ElemType)}";

    // Trectype_: a group of one is written (type ...), any other size (rec (type ...)*). Returns the next type index.
    uint TypeDef(RecType rec, uint first)
    {
        var subs = rec.Subs.OrEmpty();
        if (subs.Length == 1)
        {
            Line(TypeDefinition(subs[0], first));
            return first + 1;
        }
        if (subs.Length == 0)
        {
            Line("(rec)");
            return first;
        }
        Line("(rec");
        indent++;
        foreach (var st in subs) Line(TypeDefinition(st, first++));
        indent--;
        Line(")");
        return first;
    }

    // Ttypedef_: (type id? subtype)
    string TypeDefinition(SubType st, uint index) => $"(type{types.Bind(index)} {SubType(st, index)})";

    // Tsubtype_/base (sub final? typeidx* desctype), or the bare desctype for SUB FINAL eps desctype.
    string SubType(SubType st, uint index)
    {
        var comp = DescType(st, index);
        if (st.Final && st.Supers.IsDefaultOrEmpty) return comp;
        var supers = string.Concat(st.Supers.OrEmpty().Select(s => " " + HeapType(s)));
        return $"(sub{(st.Final ? " final" : "")}{supers} {comp})";
    }

    // Tdesctype_ (custom descriptors proposal): (describes typeidx)? (descriptor typeidx)? comptype
    string DescType(SubType st, uint index)
    {
        var comp = CompType(st.Comp, index);
        if (st.Descriptor is { } descriptor) comp = $"(descriptor {HeapType(descriptor)}) {comp}";
        if (st.Describes is { } describes) comp = $"(describes {HeapType(describes)}) {comp}";
        return comp;
    }

    // Tcomptype_: (struct field*) | (array fieldtype) | (func param* result*)
    string CompType(CompType c, uint index)
    {
        switch (c)
        {
            case StructType s:
                var fields = FieldsOf(index);
                var text = new StringBuilder("(struct");
                for (var i = 0; i < s.Fields.OrEmpty().Length; i++)
                    text.Append(" (field").Append(fields.Bind((uint)i)).Append(' ').Append(FieldType(s.Fields[i])).Append(')');
                return text.Append(')').ToString();
            case ArrayType a:
                return $"(array {FieldType(a.Field)})";
            case FuncType f:
                var ps = f.Params.IsDefaultOrEmpty ? "" : " (param " + string.Join(' ', f.Params.Select(ValType)) + ")";
                var rs = f.Results.IsDefaultOrEmpty ? "" : " (result " + string.Join(' ', f.Results.Select(ValType)) + ")";
                return $"(func{ps}{rs})";
            default:
                throw new ArgumentException($"composite type {c} has no text form");
        }
    }

    readonly Dictionary<uint, Space> fieldSpaces = [];

    /// <summary>The field names of type <paramref name="x"/>, for struct.get/set.</summary>
    Space FieldsOf(uint x)
    {
        if (fieldSpaces.TryGetValue(x, out var space)) return space;
        space = x < subtypes.Length && subtypes[x].Comp is StructType s
            ? Space.Of(Inner(fieldNames, x), s.Fields.OrEmpty().Length, annotatable: true)
            : Space.None;
        return fieldSpaces[x] = space;
    }
}
