using Spec.Syntax;

namespace Spec.Validation;

// §3.4.7 Reference instructions (spectec 2.3, "Reference instructions", "Scalar reference", "Structure",
// "Array" and "External reference instructions").

internal sealed partial class Checker
{
    // Instr_ok/ref.null: eps -> (ref null ht)
    void RefNull_ok(RefNull i)
    {
        Rule("Instr_ok/ref.null");
        Push(new RefType(true, TypeRules.Heaptype_ok(C, i.Type)));
    }

    // Instr_ok/ref.is_null: (ref null ht) -> i32
    void RefIsNull_ok()
    {
        Rule("Instr_ok/ref.is_null");
        PopRef();
        Push(ValType.I32);
    }

    // Instr_ok/ref.as_non_null: (ref null ht) -> (ref ht)
    void RefAsNonNull_ok()
    {
        Rule("Instr_ok/ref.as_non_null");
        var rt = PopRef();
        Push(new RefType(false, rt?.Heap ?? HeapType.Bot));
    }

    // Instr_ok/ref.eq: (ref null eq) (ref null eq) -> i32
    void RefEq_ok()
    {
        Rule("Instr_ok/ref.eq");
        Pop(RefType.EqRef);
        Pop(RefType.EqRef);
        Push(ValType.I32);
    }

    // Instr_ok/ref.test: rt' -> i32, rt <: rt' — algorithmically rt' is the top of rt's hierarchy
    void RefTest_ok(RefTest i)
    {
        Rule("Instr_ok/ref.test");
        var rt = TypeRules.Reftype_ok(C, i.Type);
        Pop(TopOf(rt));
        Push(ValType.I32);
    }

    // Instr_ok/ref.cast: rt' -> rt, rt <: rt'
    void RefCast_ok(RefCast i)
    {
        Rule("Instr_ok/ref.cast");
        var rt = TypeRules.Reftype_ok(C, i.Type);
        Pop(TopOf(rt));
        Push(rt);
    }

    static RefType TopOf(RefType rt) => new(true, HeapType.Abs(Subtyping.Top(rt.Heap)));

    // Instr_ok/ref.get_desc: (ref null exact? x) -> (ref exact? y), with x's descriptor clause naming y; the result is
    // exact iff the operand is (custom descriptors proposal; its Overview, as no SpecTec rule exists yet)
    void RefGetDesc_ok(RefGetDesc i)
    {
        Rule("Instr_ok/ref.get_desc");
        var y = C.DescriptorOf(i.TypeIdx) ?? throw C.Error($"type without descriptor {i.TypeIdx}");
        var t = Pop(C.RefTo(true, i.TypeIdx));
        var exact = t is not RefType rt || Subtyping.Heaptype_sub(rt.Heap, C.RefTo(true, i.TypeIdx, exact: true).Heap);
        Push(new RefType(false, exact ? new ExactHeap(y) : y));
    }

    // Instr_ok/ref.cast_desc_eq: rt' (ref null exact? y) -> rt, rt = (ref null? exact? x) with x's descriptor clause
    // naming y, the descriptor exact iff the cast is, rt' the top of rt's hierarchy (custom descriptors proposal)
    void RefCastDescEq_ok(RefCastDescEq i)
    {
        Rule("Instr_ok/ref.cast_desc_eq");
        var rt = TypeRules.Reftype_ok(C, i.Type);
        Pop(DescriptorOperand(i.Type, rt));
        Pop(TopOf(rt));
        Push(rt);
    }

    /// <summary>The descriptor operand of a descriptor cast to <paramref name="rt"/> (closed from <paramref name="syntactic"/>):
    /// (ref null exact? y) for rt's descriptor y, exact iff rt is; a cast to a type without a descriptor is invalid.</summary>
    RefType DescriptorOperand(RefType syntactic, RefType rt)
    {
        var (dt, exact) = rt.Heap switch
        {
            DefType d => (d, false),
            ExactHeap(DefType d) => (d, true),
            _ => (null, false),
        };
        if (dt is null || TypeRules.Unroll(dt).Descriptor is not DefType y)
            throw C.Error($"type {syntactic.Heap} does not have a descriptor");
        return new RefType(true, exact ? new ExactHeap(y) : y);
    }

    // Instr_ok/ref.func: eps -> (ref dt), x declared in C.REFS; exact for a defined function or an exact import
    // (custom descriptors proposal: C.FUNCS holds heap types)
    void RefFunc_ok(RefFunc i)
    {
        Rule("Instr_ok/ref.func");
        var dt = C.Func(i.Func);
        if (!C.Refs.Contains(i.Func)) Fail($"undeclared function reference {i.Func}");
        Push(new RefType(false, C.FuncsExact[(int)i.Func] ? new ExactHeap(dt) : dt));
    }

    // Instr_ok/ref.i31: i32 -> (ref i31)
    void RefI31_ok()
    {
        Rule("Instr_ok/ref.i31");
        Pop(ValType.I32);
        Push(new RefType(false, HeapType.I31));
    }

    // Instr_ok/i31.get: (ref null i31) -> i32
    void I31Get_ok()
    {
        Rule("Instr_ok/i31.get");
        Pop(RefType.I31Ref);
        Push(ValType.I32);
    }

    // Instr_ok/struct.new: $unpack(zt)* -> (ref (exact x)), x without a descriptor clause
    void StructNew_ok(StructNew i)
    {
        Rule("Instr_ok/struct.new");
        var st = AllocatedStruct(i.TypeIdx, withDescriptor: false);
        PopFields(st);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/struct.new_default: eps -> (ref (exact x)), every field defaultable, x without a descriptor clause
    void StructNewDefault_ok(StructNewDefault i)
    {
        Rule("Instr_ok/struct.new_default");
        DefaultableFields(AllocatedStruct(i.TypeIdx, withDescriptor: false));
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/struct.new_desc: $unpack(zt)* (ref null (exact y)) -> (ref (exact x)), with x's descriptor clause naming y
    void StructNewDesc_ok(StructNewDesc i)
    {
        Rule("Instr_ok/struct.new_desc");
        var st = AllocatedStruct(i.TypeIdx, withDescriptor: true);
        Pop(new RefType(true, new ExactHeap(C.DescriptorOf(i.TypeIdx)!)));
        PopFields(st);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/struct.new_default_desc: (ref null (exact y)) -> (ref (exact x)), every field defaultable, with x's descriptor clause naming y
    void StructNewDefaultDesc_ok(StructNewDefaultDesc i)
    {
        Rule("Instr_ok/struct.new_default_desc");
        DefaultableFields(AllocatedStruct(i.TypeIdx, withDescriptor: true));
        Pop(new RefType(true, new ExactHeap(C.DescriptorOf(i.TypeIdx)!)));
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // ExpandDesc: C.TYPES[x] ~~ describestype? descriptortype? STRUCT ft*, the descriptor clause present iff the
    // allocation supplies a descriptor (custom descriptors proposal).
    StructType AllocatedStruct(uint x, bool withDescriptor)
    {
        var st = C.StructType(x);
        if (C.DescriptorOf(x) is null == withDescriptor)
            Fail(withDescriptor ? "type without descriptor requires non-descriptor allocation" : "type with descriptor requires descriptor allocation");
        return st;
    }

    void PopFields(StructType st)
    {
        for (var k = st.Fields.Length - 1; k >= 0; k--) Pop(TypeRules.Unpack(st.Fields[k].Type));
    }

    void DefaultableFields(StructType st)
    {
        foreach (var f in st.Fields)
            if (!TypeRules.Defaultable(TypeRules.Unpack(f.Type))) Fail($"type mismatch: field of type {f.Type} is not defaultable");
    }

    FieldType Field(uint x, uint i)
    {
        var st = C.StructType(x);
        return i < (uint)st.Fields.Length ? st.Fields[(int)i] : throw C.Error($"unknown field {i}");
    }

    // Instr_ok/struct.get: (ref null x) -> $unpack(zt), sx present iff zt is packed
    void StructGet_ok(StructGet i)
    {
        Rule("Instr_ok/struct.get");
        var ft = Field(i.TypeIdx, i.Field);
        if ((i.Sx is null) != ft.Type is ValType) Fail("type mismatch: sign extension must be given exactly for packed fields");
        Pop(C.RefTo(true, i.TypeIdx));
        Push(TypeRules.Unpack(ft.Type));
    }

    // Instr_ok/struct.set: (ref null x) $unpack(zt) -> eps, the field mutable
    void StructSet_ok(StructSet i)
    {
        Rule("Instr_ok/struct.set");
        var ft = Field(i.TypeIdx, i.Field);
        if (ft.Mut != Mut.Var) Fail("immutable field");
        Pop(TypeRules.Unpack(ft.Type));
        Pop(C.RefTo(true, i.TypeIdx));
    }

    // Instr_ok/array.new: $unpack(zt) i32 -> (ref (exact x))
    void ArrayNew_ok(ArrayNew i)
    {
        Rule("Instr_ok/array.new");
        var at = C.ArrayType(i.TypeIdx);
        Pop(ValType.I32);
        Pop(TypeRules.Unpack(at.Field.Type));
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/array.new_default: i32 -> (ref (exact x)), zt defaultable
    void ArrayNewDefault_ok(ArrayNewDefault i)
    {
        Rule("Instr_ok/array.new_default");
        var at = C.ArrayType(i.TypeIdx);
        if (!TypeRules.Defaultable(TypeRules.Unpack(at.Field.Type))) Fail($"type mismatch: array element type {at.Field.Type} is not defaultable");
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/array.new_fixed: $unpack(zt)^n -> (ref (exact x))
    void ArrayNewFixed_ok(ArrayNewFixed i)
    {
        Rule("Instr_ok/array.new_fixed");
        var t = TypeRules.Unpack(C.ArrayType(i.TypeIdx).Field.Type);
        PopN(t, i.Length);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/array.new_data: i32 i32 -> (ref (exact x)), zt numeric or vector
    void ArrayNewData_ok(ArrayNewData i)
    {
        Rule("Instr_ok/array.new_data");
        NumericArray(C.ArrayType(i.TypeIdx));
        C.Data(i.Data);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/array.new_elem: i32 i32 -> (ref (exact x)), C.ELEMS[y] <: rt
    void ArrayNewElem_ok(ArrayNewElem i)
    {
        Rule("Instr_ok/array.new_elem");
        var at = C.ArrayType(i.TypeIdx);
        var rt = C.Elem(i.Elem);
        if (!Subtyping.Storagetype_sub(rt, at.Field.Type)) Fail($"type mismatch: elem segment of {rt} for array of {at.Field.Type}");
        Pop(ValType.I32);
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx, exact: true));
    }

    // Instr_ok/array.get: (ref null x) i32 -> $unpack(zt), sx present iff zt is packed
    void ArrayGet_ok(ArrayGet i)
    {
        Rule("Instr_ok/array.get");
        var at = C.ArrayType(i.TypeIdx);
        if ((i.Sx is null) != at.Field.Type is ValType) Fail("type mismatch: sign extension must be given exactly for packed elements");
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.TypeIdx));
        Push(TypeRules.Unpack(at.Field.Type));
    }

    // Instr_ok/array.set: (ref null x) i32 $unpack(zt) -> eps, the array mutable
    void ArraySet_ok(ArraySet i)
    {
        Rule("Instr_ok/array.set");
        var at = MutableArray(i.TypeIdx);
        Pop(TypeRules.Unpack(at.Field.Type));
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.TypeIdx));
    }

    // Instr_ok/array.len: (ref null array) -> i32
    void ArrayLen_ok()
    {
        Rule("Instr_ok/array.len");
        Pop(RefType.ArrayRef);
        Push(ValType.I32);
    }

    // Instr_ok/array.fill: (ref null x) i32 $unpack(zt) i32 -> eps, the array mutable
    void ArrayFill_ok(ArrayFill i)
    {
        Rule("Instr_ok/array.fill");
        var at = MutableArray(i.TypeIdx);
        Pop(ValType.I32);
        Pop(TypeRules.Unpack(at.Field.Type));
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.TypeIdx));
    }

    // Instr_ok/array.copy: (ref null x_1) i32 (ref null x_2) i32 i32 -> eps, zt_2 <: zt_1, x_1 mutable
    void ArrayCopy_ok(ArrayCopy i)
    {
        Rule("Instr_ok/array.copy");
        var dst = MutableArray(i.Dst);
        var src = C.ArrayType(i.Src);
        if (!Subtyping.Storagetype_sub(src.Field.Type, dst.Field.Type)) Fail("array types do not match");
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.Src));
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.Dst));
    }

    // Instr_ok/array.init_elem: (ref null x) i32 i32 i32 -> eps, C.ELEMS[y] <: zt
    void ArrayInitElem_ok(ArrayInitElem i)
    {
        Rule("Instr_ok/array.init_elem");
        var at = MutableArray(i.TypeIdx);
        var rt = C.Elem(i.Elem);
        if (!Subtyping.Storagetype_sub(rt, at.Field.Type)) Fail($"type mismatch: elem segment of {rt} for array of {at.Field.Type}");
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.TypeIdx));
    }

    // Instr_ok/array.init_data: (ref null x) i32 i32 i32 -> eps, zt numeric or vector
    void ArrayInitData_ok(ArrayInitData i)
    {
        Rule("Instr_ok/array.init_data");
        var at = MutableArray(i.TypeIdx);
        NumericArray(at);
        C.Data(i.Data);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Pop(C.RefTo(true, i.TypeIdx));
    }

    ArrayType MutableArray(uint x)
    {
        var at = C.ArrayType(x);
        if (at.Field.Mut != Mut.Var) Fail("immutable array");
        return at;
    }

    void NumericArray(ArrayType at)
    {
        if (TypeRules.Unpack(at.Field.Type) is not (NumValType or VecValType)) Fail("array type is not numeric or vector");
    }

    // Instr_ok/extern.convert_any: (ref null? any) -> (ref null? extern)
    void ExternConvertAny_ok()
    {
        Rule("Instr_ok/extern.convert_any");
        var rt = Pop(RefType.AnyRef) as RefType;
        Push(new RefType(rt?.Null ?? false, HeapType.Extern));
    }

    // Instr_ok/any.convert_extern: (ref null? extern) -> (ref null? any)
    void AnyConvertExtern_ok()
    {
        Rule("Instr_ok/any.convert_extern");
        var rt = Pop(RefType.ExternRef) as RefType;
        Push(new RefType(rt?.Null ?? false, HeapType.Any));
    }
}
