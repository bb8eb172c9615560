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

    // Instr_ok/ref.func: eps -> (ref dt), x declared in C.REFS
    void RefFunc_ok(RefFunc i)
    {
        Rule("Instr_ok/ref.func");
        var dt = C.Func(i.Func);
        if (!C.Refs.Contains(i.Func)) Fail($"undeclared function reference {i.Func}");
        Push(new RefType(false, dt));
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

    // Instr_ok/struct.new: $unpack(zt)* -> (ref x)
    void StructNew_ok(StructNew i)
    {
        Rule("Instr_ok/struct.new");
        var st = C.StructType(i.TypeIdx);
        for (var k = st.Fields.Length - 1; k >= 0; k--) Pop(TypeRules.Unpack(st.Fields[k].Type));
        Push(C.RefTo(false, i.TypeIdx));
    }

    // Instr_ok/struct.new_default: eps -> (ref x), every field defaultable
    void StructNewDefault_ok(StructNewDefault i)
    {
        Rule("Instr_ok/struct.new_default");
        var st = C.StructType(i.TypeIdx);
        foreach (var f in st.Fields)
            if (!TypeRules.Defaultable(TypeRules.Unpack(f.Type))) Fail($"type mismatch: field of type {f.Type} is not defaultable");
        Push(C.RefTo(false, i.TypeIdx));
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

    // Instr_ok/array.new: $unpack(zt) i32 -> (ref x)
    void ArrayNew_ok(ArrayNew i)
    {
        Rule("Instr_ok/array.new");
        var at = C.ArrayType(i.TypeIdx);
        Pop(ValType.I32);
        Pop(TypeRules.Unpack(at.Field.Type));
        Push(C.RefTo(false, i.TypeIdx));
    }

    // Instr_ok/array.new_default: i32 -> (ref x), zt defaultable
    void ArrayNewDefault_ok(ArrayNewDefault i)
    {
        Rule("Instr_ok/array.new_default");
        var at = C.ArrayType(i.TypeIdx);
        if (!TypeRules.Defaultable(TypeRules.Unpack(at.Field.Type))) Fail($"type mismatch: array element type {at.Field.Type} is not defaultable");
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx));
    }

    // Instr_ok/array.new_fixed: $unpack(zt)^n -> (ref x)
    void ArrayNewFixed_ok(ArrayNewFixed i)
    {
        Rule("Instr_ok/array.new_fixed");
        var t = TypeRules.Unpack(C.ArrayType(i.TypeIdx).Field.Type);
        PopN(t, i.Length);
        Push(C.RefTo(false, i.TypeIdx));
    }

    // Instr_ok/array.new_data: i32 i32 -> (ref x), zt numeric or vector
    void ArrayNewData_ok(ArrayNewData i)
    {
        Rule("Instr_ok/array.new_data");
        NumericArray(C.ArrayType(i.TypeIdx));
        C.Data(i.Data);
        Pop(ValType.I32);
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx));
    }

    // Instr_ok/array.new_elem: i32 i32 -> (ref x), C.ELEMS[y] <: rt
    void ArrayNewElem_ok(ArrayNewElem i)
    {
        Rule("Instr_ok/array.new_elem");
        var at = C.ArrayType(i.TypeIdx);
        var rt = C.Elem(i.Elem);
        if (!Subtyping.Storagetype_sub(rt, at.Field.Type)) Fail($"type mismatch: elem segment of {rt} for array of {at.Field.Type}");
        Pop(ValType.I32);
        Pop(ValType.I32);
        Push(C.RefTo(false, i.TypeIdx));
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
