using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Validation;

// §3.3 Matching (spectec 2.2-validation.subtyping) over closed types: heap types are abstract or canonical deftypes.

internal static class Subtyping
{
    // Heaptype_sub/refl and the lattice of abstract heap types; Heaptype_sub/trans is built into each case and into the
    // walk up the supertype chain. Heaptype_sub/typeidx-l, Heaptype_sub/typeidx-r, Heaptype_sub/rec-struct,
    // Heaptype_sub/rec-array, Heaptype_sub/rec-func and Heaptype_sub/rec-sub do not arise: types are closed and unrolled.
    public static bool Heaptype_sub(HeapType a, HeapType b)
    {
        if (ReferenceEquals(a, b)) return true;
        switch (a, b)
        {
            case (AbsHeap { Type: AbsHeapType.Bot }, _): return true;                                    // Heaptype_sub/bot
            case (DefType d1, DefType d2): return Deftype_sub(d1, d2);                                    // Heaptype_sub/def
            // Custom descriptors proposal: an exact type has no strict subtypes but its hierarchy's bottom, and lies
            // below its inexact type. Canonical deftypes are equal iff identical, so exact-exact is Heaptype_sub/refl.
            case (ExactHeap(DefType d1), ExactHeap(DefType d2)): return TypeRules.Same(d1, d2);          // Heaptype_sub/refl
            case (ExactHeap(var u), _): return b is not ExactHeap && Heaptype_sub(u, b);                   // Heaptype_sub/exact-l
            case (AbsHeap { Type: AbsHeapType.None or AbsHeapType.NoFunc }, ExactHeap(var u)): return Heaptype_sub(a, u); // Heaptype_sub/none, Heaptype_sub/nofunc
            case (AbsHeap { Type: var x }, AbsHeap { Type: var y }):
                return x == y || (x, y) switch
                {
                    (AbsHeapType.Eq, AbsHeapType.Any) => true,                                             // Heaptype_sub/eq-any
                    (AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array, AbsHeapType.Eq or AbsHeapType.Any) => true, // Heaptype_sub/i31-eq, Heaptype_sub/struct-eq, Heaptype_sub/array-eq
                    (AbsHeapType.None, _) => Top(b) == AbsHeapType.Any,                                    // Heaptype_sub/none
                    (AbsHeapType.NoFunc, _) => Top(b) == AbsHeapType.Func,                                 // Heaptype_sub/nofunc
                    (AbsHeapType.NoExn, _) => Top(b) == AbsHeapType.Exn,                                   // Heaptype_sub/noexn
                    (AbsHeapType.NoExtern, _) => Top(b) == AbsHeapType.Extern,                             // Heaptype_sub/noextern
                    _ => false,
                };
            case (DefType d, AbsHeap { Type: var y }):
                return (TypeRules.Expand(d), y) switch
                {
                    (StructType, AbsHeapType.Struct or AbsHeapType.Eq or AbsHeapType.Any) => true,        // Heaptype_sub/struct
                    (ArrayType, AbsHeapType.Array or AbsHeapType.Eq or AbsHeapType.Any) => true,          // Heaptype_sub/array
                    (FuncType, AbsHeapType.Func) => true,                                                  // Heaptype_sub/func
                    _ => false,
                };
            case (AbsHeap { Type: var x }, DefType):
                return (x == AbsHeapType.None && Top(b) == AbsHeapType.Any) || (x == AbsHeapType.NoFunc && Top(b) == AbsHeapType.Func);
            default: return a.Equals(b);
        }
    }

    // Deftype_sub/refl, Deftype_sub/super: b is a itself or on a's chain of declared supertypes (Heaptype_sub/def),
    // found by jumping up the chain rather than walking it.
    public static bool Deftype_sub(DefType a, DefType b) =>
        TypeRules.Same(a, b) || TypeRules.IsAncestor(TypeRules.Canonical(b), TypeRules.Canonical(a));

    /// <summary>The top of a heap type's hierarchy: any, func, extern or exn (bot for bot).</summary>
    public static AbsHeapType Top(HeapType ht) => ht switch
    {
        AbsHeap { Type: AbsHeapType.Any or AbsHeapType.Eq or AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array or AbsHeapType.None } => AbsHeapType.Any,
        AbsHeap { Type: AbsHeapType.Func or AbsHeapType.NoFunc } => AbsHeapType.Func,
        AbsHeap { Type: AbsHeapType.Extern or AbsHeapType.NoExtern } => AbsHeapType.Extern,
        AbsHeap { Type: AbsHeapType.Exn or AbsHeapType.NoExn } => AbsHeapType.Exn,
        DefType d => TypeRules.Expand(d) is FuncType ? AbsHeapType.Func : AbsHeapType.Any,
        ExactHeap(var u) => Top(u),
        _ => AbsHeapType.Bot,
    };

    // Reftype_sub/nonnull, Reftype_sub/null
    public static bool Reftype_sub(RefType a, RefType b) => (!a.Null || b.Null) && Heaptype_sub(a.Heap, b.Heap);

    // Valtype_sub/num (Numtype_sub), Valtype_sub/vec (Vectype_sub), Valtype_sub/ref, Valtype_sub/bot
    public static bool Valtype_sub(ValType a, ValType b) => ReferenceEquals(a, b) || (a, b) switch
    {
        (BotValType, _) => true,
        (RefType r, RefType s) => Reftype_sub(r, s),
        _ => a.Equals(b),
    };

    // Resulttype_sub
    public static bool Resulttype_sub(ImmutableArray<ValType> a, ImmutableArray<ValType> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++) if (!Valtype_sub(a[i], b[i])) return false;
        return true;
    }

    // Storagetype_sub/val, Storagetype_sub/pack (Packtype_sub)
    public static bool Storagetype_sub(StorageType a, StorageType b) => (a, b) switch
    {
        (ValType s, ValType t) => Valtype_sub(s, t),
        (PackedType p, PackedType q) => p.Type == q.Type,
        _ => false,
    };

    // Fieldtype_sub/const (covariant), Fieldtype_sub/var (invariant)
    public static bool Fieldtype_sub(FieldType a, FieldType b) =>
        a.Mut == b.Mut && Storagetype_sub(a.Type, b.Type) && (a.Mut == Mut.Const || Storagetype_sub(b.Type, a.Type));

    // Comptype_sub/struct (width and depth), Comptype_sub/array, Comptype_sub/func (contravariant parameters, covariant results)
    public static bool Comptype_sub(CompType a, CompType b)
    {
        switch (a, b)
        {
            case (StructType s, StructType t):
                if (s.Fields.Length < t.Fields.Length) return false;
                for (var i = 0; i < t.Fields.Length; i++) if (!Fieldtype_sub(s.Fields[i], t.Fields[i])) return false;
                return true;
            case (ArrayType s, ArrayType t): return Fieldtype_sub(s.Field, t.Field);
            case (FuncType s, FuncType t): return Resulttype_sub(t.Params, s.Params) && Resulttype_sub(s.Results, t.Results);
            default: return false;
        }
    }

    // Limits_sub/max, Limits_sub/eps
    public static bool Limits_sub(Limits a, Limits b) =>
        a.Min >= b.Min && (b.Max is not { } m2 || (a.Max is { } m1 && m1 <= m2));

    // Globaltype_sub/const, Globaltype_sub/var
    public static bool Globaltype_sub(GlobalType a, GlobalType b) =>
        a.Mut == b.Mut && Valtype_sub(a.Type, b.Type) && (a.Mut == Mut.Const || Valtype_sub(b.Type, a.Type));

    // Externtype_sub/tag (Tagtype_sub), Externtype_sub/global, Externtype_sub/mem (Memtype_sub), Externtype_sub/table
    // (Tabletype_sub), Externtype_sub/func (Heaptype_sub/exact-l, Heaptype_sub/refl)
    public static bool Externtype_sub(ExternType a, ExternType b) => (a, b) switch
    {
        (TagExtern(DefType s), TagExtern(DefType t)) => Deftype_sub(s, t) && Deftype_sub(t, s),
        (GlobalExtern(var s), GlobalExtern(var t)) => Globaltype_sub(s, t),
        (MemExtern(var s), MemExtern(var t)) => s.AddrType == t.AddrType && s.PageSizeLog2 == t.PageSizeLog2
            && s.Shared == t.Shared && Limits_sub(s.Limits, t.Limits),
        (TableExtern(var s), TableExtern(var t)) => s.AddrType == t.AddrType && Limits_sub(s.Limits, t.Limits)
            && Reftype_sub(s.ElemType, t.ElemType) && Reftype_sub(t.ElemType, s.ElemType),
        // A function's extern type is the heap type of its reference (custom descriptors proposal): an exact import
        // is matched by that very type only, an inexact one by any subtype, exact or not.
        (FuncExtern(DefType s, _), FuncExtern(DefType t, false)) => Deftype_sub(s, t),
        (FuncExtern(DefType s, true), FuncExtern(DefType t, true)) => TypeRules.Same(s, t),
        _ => false,
    };
}
