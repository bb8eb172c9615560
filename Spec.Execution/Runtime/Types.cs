using System.Collections.Concurrent;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.2 / §4.4 Types at run time: closing the module's type uses by its instance's deftypes ($inst_,
// $subst_all_*), unrolling ($expanddt), and the dynamic types of references (Ref_ok) for casts,
// call_indirect and import matching. Canonical deftypes and subtyping are validation's (Spec.Validation.Types),
// so a type means the same at validation and at run time.

internal static class Types
{
    /// <summary>$expanddt: the composite type of a deftype, unrolled so that it is closed.</summary>
    public static CompType Expand(DefType dt) => Validation.Types.Expand(dt);

    // ---- Substitution ($subst_all_*): module type indices to the instance's deftypes ----

    static ValType SubstVal(ValType t, Func<TypeUse, TypeUse> f) => t is RefType r ? SubstRef(r, f) : t;

    static RefType SubstRef(RefType r, Func<TypeUse, TypeUse> f) => r.Heap switch
    {
        TypeUse u => r with { Heap = f(u) },
        ExactHeap { Type: var u } => r with { Heap = new ExactHeap(f(u)) },
        _ => r,
    };

    /// <summary>$inst_(moduleinst, t) for each syntactic class.</summary>
    public static ValType Inst(ValType t, DefType[] types) => SubstVal(t, u => Resolve(u, types));
    public static RefType Inst(RefType t, DefType[] types) => SubstRef(t, u => Resolve(u, types));
    public static HeapType Inst(HeapType h, DefType[] types) => h switch
    {
        TypeUse u => Resolve(u, types),
        ExactHeap { Type: var u } => new ExactHeap(Resolve(u, types)),
        _ => h,
    };
    public static GlobalType Inst(GlobalType t, DefType[] types) => t with { Type = Inst(t.Type, types) };
    public static TableType Inst(TableType t, DefType[] types) => t with { ElemType = Inst(t.ElemType, types) };

    static TypeUse Resolve(TypeUse u, DefType[] types) => u is TypeIdx i ? types[i.Index] : u;

    // ---- Subtyping over closed types (2.2-validation.subtyping) ----

    /// <summary>Deftype_sub; canonical deftypes make the common case of an exact match a reference comparison.</summary>
    public static bool DefSub(DefType a, DefType b) => ReferenceEquals(a, b) || Validation.Types.Matches(a, b);

    /// <summary>Heaptype_sub over closed heap types.</summary>
    public static bool HeapSub(HeapType a, HeapType b) =>
        ReferenceEquals(a, b) || (a is DefType da && b is DefType db ? DefSub(da, db) : Validation.Types.Matches(a, b));

    /// <summary>Valtype_sub</summary>
    public static bool ValSub(ValType a, ValType b) => Validation.Types.Matches(a, b);

    /// <summary>Externtype_sub: does an external value of type <paramref name="a"/> satisfy an import of type <paramref name="b"/>?</summary>
    public static bool ExternSub(ExternType a, ExternType b) => Validation.Types.Matches(a, b);

    /// <summary>A closed deftype for a host-made function or tag type: a singleton rec group.</summary>
    public static DefType DefTypeOf(FuncType type) => new(new RecType([SubType.Plain(type)]), 0);

    // ---- Dynamic types of references (Ref_ok) ----

    /// <summary>
    /// Ref_ok then Reftype_sub: does reference <paramref name="r"/> have type <paramref name="t"/> (closed)?
    /// Structs, arrays and functions have the exact type of their instance (custom descriptors proposal); the
    /// other references have abstract types, which are never exact and so never match an exact target.
    /// </summary>
    public static bool RefMatches(Ref? r, RefType t) => r switch
    {
        null => t.Null,
        I31Ref => HeapSub(HeapType.I31, t.Heap),
        StructInst s => ExactSub(s.Type, t.Heap),
        ArrayInst a => ExactSub(a.Type, t.Heap),
        FuncInst f => ExactSub(f.Type, t.Heap),
        ExnInst => HeapSub(HeapType.Exn, t.Heap),
        HostRef => HeapSub(HeapType.Any, t.Heap),
        ExternRef => HeapSub(HeapType.Extern, t.Heap),
        _ => false,
    };

    /// <summary>Heaptype_sub from EXACT dt: to an exact type only when it is dt itself, otherwise as from dt.</summary>
    static bool ExactSub(DefType dt, HeapType h) =>
        h is ExactHeap { Type: DefType e } ? ReferenceEquals(dt, e) || Validation.Types.Equal(dt, e) : HeapSub(dt, h);

    /// <summary>Val_ok: does value <paramref name="v"/> have type <paramref name="t"/> (closed)?</summary>
    public static bool ValMatches(Value v, ValType t) => t switch
    {
        NumValType n => v.Kind == (ValueKind)n.Type,
        VecValType => v.Kind == ValueKind.V128,
        RefType r => v.Kind == ValueKind.Ref && RefMatches(v.Ref, r),
        _ => false,
    };
}

/// <summary>
/// Canonical type ids: equal deftypes (of any module) get the same small positive integer, so native code can
/// compare a function's type with the one call_indirect expects as integers. Ids are process-wide, like the
/// canonical types they stand for; 0 is no type.
/// </summary>
internal static class TypeIds
{
    static readonly ConcurrentDictionary<DefType, int> Ids = new(ReferenceEqualityComparer.Instance);
    static readonly ConcurrentDictionary<int, DefType> Defs = new();
    static int last;

    /// <summary>The id of <paramref name="dt"/>'s equivalence class.</summary>
    public static int Of(DefType dt) => Ids.GetOrAdd(Validation.Types.Canonical(dt), d =>
    {
        int id = Interlocked.Increment(ref last);
        Defs[id] = d;
        return id;
    });

    /// <summary>The canonical deftype an id stands for.</summary>
    public static DefType Type(int id) => Defs[id];
}
