using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Validation;

/// <summary>
/// The type system for use after validation (instantiation, execution): matching of closed types and the unrolling of
/// deftypes. Every deftype here is canonical (it came from <see cref="Validator.Validate"/>'s <see cref="ModuleType"/>),
/// so equal types from different modules are the same object.
/// </summary>
public static class Types
{
    /// <summary>Deftype equality ($rolldt-equivalence): identical canonical rec group, same index.</summary>
    public static bool Equal(DefType a, DefType b) => TypeRules.Same(TypeRules.Canonical(a), TypeRules.Canonical(b));

    /// <summary>Deftype_sub: <paramref name="a"/> is <paramref name="b"/> or declares it as a (transitive) supertype.</summary>
    public static bool Matches(DefType a, DefType b) => Subtyping.Deftype_sub(TypeRules.Canonical(a), TypeRules.Canonical(b));

    /// <summary>Heaptype_sub over closed heap types.</summary>
    public static bool Matches(HeapType a, HeapType b) => Subtyping.Heaptype_sub(Canon(a), Canon(b));

    /// <summary>Reftype_sub over closed reference types.</summary>
    public static bool Matches(RefType a, RefType b) => (!a.Null || b.Null) && Matches(a.Heap, b.Heap);

    /// <summary>Valtype_sub over closed value types.</summary>
    public static bool Matches(ValType a, ValType b) => (a, b) switch
    {
        (RefType r, RefType s) => Matches(r, s),
        _ => Subtyping.Valtype_sub(a, b),
    };

    /// <summary>Externtype_sub: import matching of closed external types.</summary>
    public static bool Matches(ExternType a, ExternType b) => Subtyping.Externtype_sub(Canon(a), Canon(b));

    /// <summary>$unrolldt(dt): the deftype's subtype, its own group's types substituted back in.</summary>
    public static SubType Unroll(DefType dt) => TypeRules.Unroll(dt);

    /// <summary>The canonical object of <paramref name="dt"/>'s equivalence class: equal deftypes give the same object.</summary>
    public static DefType Canonical(DefType dt) => TypeRules.Canonical(dt);

    /// <summary>$expanddt(dt): the deftype's composite type.</summary>
    public static CompType Expand(DefType dt) => TypeRules.Expand(dt);

    /// <summary>The top of a heap type's hierarchy (any, func, extern, exn).</summary>
    public static AbsHeapType Top(HeapType ht) => Subtyping.Top(Canon(ht));

    /// <summary>Defaultable: numbers, vectors and nullable references have a default value.</summary>
    public static bool Defaultable(ValType t) => TypeRules.Defaultable(t);

    /// <summary>Closes a heap type of a validated module's code: a type index becomes the module's deftype.</summary>
    public static HeapType Close(HeapType ht, ImmutableArray<DefType> types) => ht switch
    {
        TypeIdx { Index: var x } => types[(int)x],
        ExactHeap(TypeIdx { Index: var x }) => new ExactHeap(types[(int)x]),
        _ => Canon(ht),
    };

    /// <summary>Closes a value type of the module's code.</summary>
    public static ValType Close(ValType t, ImmutableArray<DefType> types) =>
        t is RefType rt && Close(rt.Heap, types) is var h && !ReferenceEquals(h, rt.Heap) ? new RefType(rt.Null, h) : t;

    static HeapType Canon(HeapType ht) => ht switch
    {
        DefType dt => TypeRules.Canonical(dt),
        ExactHeap(DefType dt) => TypeRules.Canonical(dt) is var c && ReferenceEquals(c, dt) ? ht : new ExactHeap(c),
        _ => ht,
    };

    static ExternType Canon(ExternType xt) => xt switch
    {
        FuncExtern(DefType dt, var exact) => new FuncExtern(TypeRules.Canonical(dt), exact),
        TagExtern(DefType dt) => new TagExtern(TypeRules.Canonical(dt)),
        _ => xt,
    };
}
