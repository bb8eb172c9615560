using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Execution;

// §4.2.2 / §4.4 Types at run time: closing a module's rec groups into canonical deftypes ($alloctypes,
// $rolldt, $subst_all_*), unrolling ($expanddt) and the subtyping the runtime needs for casts,
// call_indirect and import matching (spectec 2.2-validation.subtyping over closed types).
// Rec groups are interned, so equal deftypes (iso-recursive equivalence) are the same object.

internal static class Types
{
    static readonly Dictionary<RecType, RecType> Canonical = new();

    /// <summary>$alloctypes(type*): each rec group rolled ($rolldt) with earlier types substituted, then interned.</summary>
    public static DefType[] AllocTypes(ImmutableArray<TypeDef> types)
    {
        var result = new List<DefType>();
        foreach (var td in types)
        {
            int x = result.Count, n = td.Rec.Subs.Length;
            var earlier = result.ToArray();
            HeapType Roll(TypeUse u) => u switch
            {
                TypeIdx { Index: var i } when i >= x && i < x + n => new RecIdx((uint)(i - x)),
                TypeIdx { Index: var i } when i < x => earlier[i],
                _ => u,
            };
            var rolled = new RecType([.. td.Rec.Subs.Select(s => SubstSub(s, Roll))]);
            rolled = Intern(rolled);
            for (int j = 0; j < n; j++) result.Add(new DefType(rolled, j));
        }
        return [.. result];
    }

    static RecType Intern(RecType r)
    {
        lock (Canonical)
        {
            if (Canonical.TryGetValue(r, out var c)) return c;
            Canonical[r] = r;
            return r;
        }
    }

    /// <summary>$expanddt: the composite type of a deftype (its RecIdx references stay rolled).</summary>
    public static CompType Expand(DefType dt) => dt.Rec.Subs[dt.Index].Comp;

    public static SubType Sub(DefType dt) => dt.Rec.Subs[dt.Index];

    /// <summary>A heap type inside <paramref name="context"/>'s group, with RecIdx closed to the deftype it names.</summary>
    public static HeapType Close(HeapType h, DefType context) => h is RecIdx r ? new DefType(context.Rec, (int)r.Index) : h;

    // ---- Substitution ($subst_all_*): module type indices to the instance's deftypes ----

    static SubType SubstSub(SubType s, Func<TypeUse, HeapType> f) => new(s.Final,
        [.. s.Supers.Select(u => (TypeUse)f(u))], SubstComp(s.Comp, f));

    static CompType SubstComp(CompType c, Func<TypeUse, HeapType> f) => c switch
    {
        StructType st => new StructType([.. st.Fields.Select(fl => SubstField(fl, f))]),
        ArrayType at => new ArrayType(SubstField(at.Field, f)),
        FuncType ft => new FuncType([.. ft.Params.Select(t => SubstVal(t, f))], [.. ft.Results.Select(t => SubstVal(t, f))]),
        _ => c,
    };

    static FieldType SubstField(FieldType fl, Func<TypeUse, HeapType> f) =>
        fl with { Type = fl.Type is ValType v ? SubstVal(v, f) : fl.Type };

    static ValType SubstVal(ValType t, Func<TypeUse, HeapType> f) => t is RefType r ? SubstRef(r, f) : t;

    static RefType SubstRef(RefType r, Func<TypeUse, HeapType> f) => r.Heap is TypeUse u ? r with { Heap = f(u) } : r;

    /// <summary>$inst_(moduleinst, t) for each syntactic class.</summary>
    public static ValType Inst(ValType t, DefType[] types) => SubstVal(t, u => Resolve(u, types));
    public static RefType Inst(RefType t, DefType[] types) => SubstRef(t, u => Resolve(u, types));
    public static HeapType Inst(HeapType h, DefType[] types) => h is TypeUse u ? Resolve(u, types) : h;
    public static GlobalType Inst(GlobalType t, DefType[] types) => t with { Type = Inst(t.Type, types) };
    public static TableType Inst(TableType t, DefType[] types) => t with { ElemType = Inst(t.ElemType, types) };

    static HeapType Resolve(TypeUse u, DefType[] types) => u is TypeIdx i ? types[i.Index] : u;

    // ---- Subtyping over closed types ----

    /// <summary>Deftype_sub: equal, or a declared supertype (transitively) is.</summary>
    public static bool DefSub(DefType a, DefType b)
    {
        while (true)
        {
            if (a.Equals(b)) return true;
            var supers = Sub(a).Supers;
            if (supers.IsDefaultOrEmpty) return false;
            a = (DefType)Close(supers[0], a);
        }
    }

    /// <summary>Heaptype_sub over closed heap types.</summary>
    public static bool HeapSub(HeapType a, HeapType b)
    {
        if (a.Equals(b)) return true;
        return (a, b) switch
        {
            (AbsHeap { Type: AbsHeapType.Bot }, _) => true,
            (DefType da, DefType db) => DefSub(da, db),
            (DefType da, AbsHeap hb) => Expand(da) switch
            {
                StructType => hb.Type is AbsHeapType.Struct or AbsHeapType.Eq or AbsHeapType.Any,
                ArrayType => hb.Type is AbsHeapType.Array or AbsHeapType.Eq or AbsHeapType.Any,
                _ => hb.Type is AbsHeapType.Func,
            },
            (AbsHeap ha, DefType db) => Expand(db) switch
            {
                FuncType => ha.Type is AbsHeapType.NoFunc,
                _ => ha.Type is AbsHeapType.None,
            },
            (AbsHeap ha, AbsHeap hb) => AbsSub(ha.Type, hb.Type),
            _ => false,
        };
    }

    static bool AbsSub(AbsHeapType a, AbsHeapType b) => a == b || (a, b) switch
    {
        (AbsHeapType.Eq or AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array or AbsHeapType.None, AbsHeapType.Any) => true,
        (AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array or AbsHeapType.None, AbsHeapType.Eq) => true,
        (AbsHeapType.None, AbsHeapType.I31 or AbsHeapType.Struct or AbsHeapType.Array) => true,
        (AbsHeapType.NoFunc, AbsHeapType.Func) => true,
        (AbsHeapType.NoExn, AbsHeapType.Exn) => true,
        (AbsHeapType.NoExtern, AbsHeapType.Extern) => true,
        _ => false,
    };

    /// <summary>Reftype_sub</summary>
    public static bool RefSub(RefType a, RefType b) => (!a.Null || b.Null) && HeapSub(a.Heap, b.Heap);

    /// <summary>Valtype_sub</summary>
    public static bool ValSub(ValType a, ValType b) => a is RefType ra && b is RefType rb ? RefSub(ra, rb) : a.Equals(b);

    static bool ValEq(ValType a, ValType b) => ValSub(a, b) && ValSub(b, a);

    static bool LimitsSub(Limits a, Limits b) => a.Min >= b.Min && (b.Max is not { } bm || a.Max is { } am && am <= bm);

    /// <summary>Externtype_sub: does an external value of type <paramref name="a"/> satisfy an import of type <paramref name="b"/>?</summary>
    public static bool ExternSub(ExternType a, ExternType b) => (a, b) switch
    {
        (FuncExtern fa, FuncExtern fb) => DefSub((DefType)fa.Type, (DefType)fb.Type),
        (TagExtern ta, TagExtern tb) => ta.Type.Equals(tb.Type),
        (GlobalExtern ga, GlobalExtern gb) => ga.Type.Mut == gb.Type.Mut
            && (ga.Type.Mut == Mut.Const ? ValSub(ga.Type.Type, gb.Type.Type) : ValEq(ga.Type.Type, gb.Type.Type)),
        (MemExtern ma, MemExtern mb) => ma.Type.AddrType == mb.Type.AddrType && ma.Type.PageSizeLog2 == mb.Type.PageSizeLog2
            && ma.Type.Shared == mb.Type.Shared && LimitsSub(ma.Type.Limits, mb.Type.Limits),
        (TableExtern ta, TableExtern tb) => ta.Type.AddrType == tb.Type.AddrType && LimitsSub(ta.Type.Limits, tb.Type.Limits)
            && ValEq(ta.Type.ElemType, tb.Type.ElemType),
        _ => false,
    };

    // ---- Dynamic types of references (Ref_ok) ----

    /// <summary>Ref_ok then Reftype_sub: does reference <paramref name="r"/> have type <paramref name="t"/> (closed)?</summary>
    public static bool RefMatches(Ref? r, RefType t) => r switch
    {
        null => t.Null,
        I31Ref => HeapSub(HeapType.I31, t.Heap),
        StructInst s => HeapSub(s.Type, t.Heap),
        ArrayInst a => HeapSub(a.Type, t.Heap),
        FuncInst f => HeapSub(f.Type, t.Heap),
        ExnInst => HeapSub(HeapType.Exn, t.Heap),
        HostRef => HeapSub(HeapType.Any, t.Heap),
        ExternRef => HeapSub(HeapType.Extern, t.Heap),
        _ => false,
    };

    /// <summary>Val_ok: does value <paramref name="v"/> have type <paramref name="t"/> (closed)?</summary>
    public static bool ValMatches(Value v, ValType t) => t switch
    {
        NumValType n => v.Kind == (ValueKind)n.Type,
        VecValType => v.Kind == ValueKind.V128,
        RefType r => v.Kind == ValueKind.Ref && RefMatches(v.Ref, r),
        _ => false,
    };
}
