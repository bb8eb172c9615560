using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Spec.Syntax;

namespace Spec.Validation;

// §3.2 Types (spectec 2.1-validation.types): well-formedness of types, and the closing, rolling and unrolling
// of recursive types ($rolldt, $unrolldt, $expanddt) that make iso-recursive equivalence a reference comparison.

/// <summary>What is known about one canonical rec group: its deftypes and, once asked for, their unrolled subtypes.</summary>
internal sealed class RecInfo(RecType rec)
{
    public readonly RecType Rec = rec;
    public readonly DefType[] Defs = Enumerable.Range(0, rec.Subs.Length).Select(i => new DefType(rec, i)).ToArray();
    public SubType[]? Unrolled;
    /// <summary>Each deftype's place in its subtype chain, once asked for.</summary>
    public Lineage?[]? Lineages;
}

/// <summary>
/// A deftype's place in its chain of declared supertypes: its depth (0 for a type without a supertype) and its
/// ancestors 1, 2, 4, 8, ... levels up, so that whether a type lies above another is found in at most 32 jumps,
/// however long the chain (a supertype vector per type, fixed when the type is first asked about).
/// </summary>
internal sealed class Lineage(int depth, DefType[] jumps)
{
    public readonly int Depth = depth;
    public readonly DefType[] Jumps = jumps;
}

internal static class TypeRules
{
    // Every rec group is interned: structurally equal groups (after rolling, with their free type uses closed to
    // canonical deftypes) are the same object, so two deftypes are equal iff their groups are identical and indices agree.
    // The table is process-wide (types must agree across modules) and only grows: by the distinct groups ever validated.
    static readonly ConcurrentDictionary<RecType, RecInfo> Canon = new(RecTypeShape.Instance);
    // The canonical groups by identity, the lookup of every deftype the runtime holds. A weak table would also keep
    // the non-canonical groups, but its handles slow every .NET collection by their number; these are held by Canon anyway.
    static readonly ConcurrentDictionary<RecType, RecInfo> Infos = new(ReferenceEqualityComparer.Instance);

    /// <summary>The canonical representative of a rolled, closed rec group.</summary>
    public static RecInfo Intern(RecType rolled)
    {
        if (Infos.TryGetValue(rolled, out var known)) return known;
        // A group built elsewhere may mention deftypes that are not canonical yet: those are interned first.
        static TypeUse Canon1(TypeUse u) => u is DefType d ? Canonical(d) : u;
        var closed = rolled.Subs.Select(s => Map(s, Canon1)).ToImmutableArray();
        var info = Canon.GetOrAdd(new RecType(closed), r => new RecInfo(r));
        Infos.TryAdd(info.Rec, info);
        return info;
    }

    public static bool Same(DefType a, DefType b) => ReferenceEquals(a, b) || (a.Index == b.Index && ReferenceEquals(a.Rec, b.Rec));

    // ---- $rolldt: a rec group at index x0 with its own type indices turned into REC i, earlier ones into deftypes ----

    /// <summary>Type_ok's $rolldt(x, rectype): closes a syntactic rec group at type index <paramref name="x0"/> into its deftypes.</summary>
    public static DefType[] RollDefTypes(Context C, RecType rec, int x0)
    {
        var n = rec.Subs.Length;
        TypeUse Subst(TypeUse u) => u switch
        {
            TypeIdx { Index: var x } when x < (uint)x0 => C.Types[(int)x],
            TypeIdx { Index: var x } when x < (uint)(x0 + n) => new RecIdx(x - (uint)x0),
            TypeIdx { Index: var x } => throw C.Error($"unknown type {x}"),
            _ => u,
        };
        var subs = ImmutableArray.CreateRange(rec.Subs.Select(s => Map(s, Subst)));
        return Intern(new RecType(subs)).Defs;
    }

    // ---- $unrolldt and $expanddt ----

    /// <summary>$unrolldt(dt): the subtype with REC i replaced by the i-th deftype of the same group.</summary>
    public static SubType Unroll(DefType dt)
    {
        var info = Intern(dt.Rec);
        var unrolled = info.Unrolled;
        if (unrolled is null)
        {
            TypeUse Subst(TypeUse u) => u is RecIdx { Index: var i } && i < (uint)info.Defs.Length ? info.Defs[i] : u;
            unrolled = info.Rec.Subs.Select(s => Map(s, Subst)).ToArray();
            info.Unrolled = unrolled;
        }
        return unrolled[dt.Index];
    }

    /// <summary>$expanddt(dt): the composite type of a deftype.</summary>
    public static CompType Expand(DefType dt) => Unroll(dt).Comp;

    // ---- Subtype chains (Deftype_sub in bounded time) ----

    /// <summary>The lineage of a canonical deftype: computed for it and every ancestor not yet known, without recursion.</summary>
    public static Lineage LineageOf(DefType dt)
    {
        if (Known(dt) is { } known) return known;
        var chain = new List<DefType>();
        Lineage? above = null;
        for (DefType? d = dt; d is not null; d = Super(d))
        {
            if (Known(d) is { } k) { above = k; break; }
            chain.Add(d);
        }
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var d = chain[i];
            Lineage made;
            if (above is null) made = new Lineage(0, []);
            else
            {
                var jumps = new List<DefType> { chain.Count > i + 1 ? chain[i + 1] : Super(d)! };
                for (int k = 0; ; k++)
                {
                    var l = LineageOfKnown(jumps[k]);
                    if (k >= l.Jumps.Length) break;
                    jumps.Add(l.Jumps[k]);
                }
                made = new Lineage(above.Depth + 1, [.. jumps]);
            }
            var info = Intern(d.Rec);
            (info.Lineages ??= new Lineage?[info.Defs.Length])[d.Index] = made;
            above = made;
        }
        return Known(dt)!;
    }

    static Lineage? Known(DefType d) => Intern(d.Rec).Lineages?[d.Index];

    static Lineage LineageOfKnown(DefType d) => Known(d) ?? throw new InvalidOperationException("an ancestor's lineage is made first");

    /// <summary>The declared supertype of a canonical deftype, or null.</summary>
    static DefType? Super(DefType d) => Unroll(d).Supers is { IsDefaultOrEmpty: false } s && s[0] is DefType p ? Canonical(p) : null;

    /// <summary>Whether canonical <paramref name="b"/> is <paramref name="a"/> or one of its ancestors: at most 32 jumps up.</summary>
    public static bool IsAncestor(DefType b, DefType a) => IsAncestor(b, a, out _);

    /// <summary><see cref="IsAncestor(DefType, DefType)"/>, saying how many jumps it took (one per set bit of the depth difference).</summary>
    public static bool IsAncestor(DefType b, DefType a, out int jumps)
    {
        jumps = 0;
        var la = LineageOf(a);
        var lb = LineageOf(b);
        int up = la.Depth - lb.Depth;
        if (up < 0) return false;
        var d = a;
        for (int k = 0; up != 0; k++, up >>= 1)
            if ((up & 1) != 0) { d = LineageOfKnown(d).Jumps[k]; jumps++; }
        return Same(d, b);
    }

    /// <summary>The canonical deftype object for <paramref name="dt"/>.</summary>
    public static DefType Canonical(DefType dt) => Intern(dt.Rec).Defs[dt.Index];

    // ---- Closing: Heaptype_ok, Reftype_ok, Valtype_ok with the type index replaced by C.TYPES[x] ----

    // Heaptype_ok/abs, Heaptype_ok/typeuse (Typeuse_ok/typeidx), Heaptype_ok/exact, Heaptype_ok/bot: an index must name a type of C.
    public static HeapType Heaptype_ok(Context C, HeapType ht) => ht switch
    {
        TypeIdx { Index: var x } => C.Type(x),
        ExactHeap when !C.Features.CustomDescriptors => throw C.Error(Proposal("custom-descriptors", "exact reference types")),
        ExactHeap(TypeIdx { Index: var x }) => new ExactHeap(C.Type(x)),
        ExactHeap(DefType dt) => Canonical(dt) is var c && ReferenceEquals(c, dt) ? ht : new ExactHeap(c),
        _ => ht,
    };

    // Reftype_ok
    public static RefType Reftype_ok(Context C, RefType rt) =>
        Heaptype_ok(C, rt.Heap) is var ht && !ReferenceEquals(ht, rt.Heap) ? new RefType(rt.Null, ht) : rt;

    // Valtype_ok/num, Valtype_ok/vec, Valtype_ok/ref, Valtype_ok/bot (Numtype_ok, Vectype_ok and Localtype_ok hold trivially)
    public static ValType Valtype_ok(Context C, ValType t) => t is RefType rt ? Reftype_ok(C, rt) : t;

    // Resulttype_ok
    public static ImmutableArray<ValType> Resulttype_ok(Context C, ImmutableArray<ValType> ts)
    {
        ImmutableArray<ValType>.Builder? b = null;
        for (var i = 0; i < ts.Length; i++)
        {
            var t = Valtype_ok(C, ts[i]);
            if (b is null && !ReferenceEquals(t, ts[i])) { b = ImmutableArray.CreateBuilder<ValType>(ts.Length); b.AddRange(ts, i); }
            b?.Add(t);
        }
        return b?.MoveToImmutable() ?? ts;
    }

    // Globaltype_ok
    public static GlobalType Globaltype_ok(Context C, GlobalType gt)
    {
        var t = Valtype_ok(C, gt.Type);
        return ReferenceEquals(t, gt.Type) ? gt : gt with { Type = t };
    }

    /// <summary>The reason a construct of a proposal is invalid while its feature is off.</summary>
    public static string Proposal(string feature, string what) => $"{feature} is not enabled: {what} belong to that proposal";

    // Limits_ok: n <= k and n <= m <= k
    public static void Limits_ok(Context C, Limits lim, ulong k, string tooLarge)
    {
        if (lim.Min > k) C.Fail(tooLarge);
        if (lim.Max is { } m)
        {
            if (m > k) C.Fail(tooLarge);
            if (lim.Min > m) C.Fail("size minimum must not be greater than maximum");
        }
    }

    // Memtype_ok: limits within 2^(|at| - 16) pages; custom page sizes (1 or 65536 bytes) and shared memories are proposals
    public static MemType Memtype_ok(Context C, MemType mt)
    {
        if (mt.Shared && !C.Features.Threads) C.Fail(Proposal("threads", "shared memories"));
        if (mt.PageSizeLog2 != 16 && !C.Features.CustomPageSizes) C.Fail(Proposal("custom-page-sizes", "page sizes other than 64KiB"));
        if (mt.PageSizeLog2 is not (0 or 16)) C.Fail("invalid custom page size");
        if (mt.Shared && mt.Limits.Max is null) C.Fail("shared memory must have maximum");
        // At most ceil((2^|at| - 1) / pagesize) pages: 2^(|at| - 16) for 64KiB pages, 2^|at| - 1 for 1-byte pages.
        var bits = (mt.AddrType == AddrType.I32 ? 32 : 64) - mt.PageSizeLog2;
        var k = bits >= 64 ? ulong.MaxValue : mt.PageSizeLog2 == 0 ? (1UL << bits) - 1 : 1UL << bits;
        Limits_ok(C, mt.Limits, k, mt.AddrType == AddrType.I32 && mt.PageSizeLog2 == 16
            ? "memory size must be at most 65536 pages (4GiB)" : $"memory size must be at most 2^{bits} pages");
        return mt;
    }

    // Tabletype_ok: limits within 2^|at| - 1 entries
    public static TableType Tabletype_ok(Context C, TableType tt)
    {
        if (tt.AddrType == AddrType.I32) Limits_ok(C, tt.Limits, uint.MaxValue, "table size must be at most 2^32-1");
        else Limits_ok(C, tt.Limits, ulong.MaxValue, "table size must be at most 2^64-1");
        var rt = Reftype_ok(C, tt.ElemType);
        return ReferenceEquals(rt, tt.ElemType) ? tt : tt with { ElemType = rt };
    }

    // Tagtype_ok: the tag's type expands to a function type without results.
    public static DefType Tagtype_ok(Context C, TypeUse tu)
    {
        var dt = Typeuse_ok(C, tu);
        if (Expand(dt) is not FuncType ft) throw C.Error("type mismatch: tag type is not a function type");
        if (ft.Results.Length != 0) C.Fail("non-empty tag result type");
        return dt;
    }

    // Typeuse_ok/typeidx, Typeuse_ok/deftype (Deftype_ok: a canonical deftype is well-formed)
    public static DefType Typeuse_ok(Context C, TypeUse tu) => tu switch
    {
        TypeIdx { Index: var x } => C.Type(x),
        DefType dt => Canonical(dt),
        _ => throw C.Error("unknown type"),
    };

    // Externtype_ok/tag, Externtype_ok/global, Externtype_ok/mem, Externtype_ok/table, Externtype_ok/func — returns the closed externtype ($clos_externtype).
    public static ExternType Externtype_ok(Context C, ExternType xt) => xt switch
    {
        TagExtern(var tu) => new TagExtern(Tagtype_ok(C, tu)),
        GlobalExtern(var gt) => new GlobalExtern(Globaltype_ok(C, gt)),
        MemExtern(var mt) => new MemExtern(Memtype_ok(C, mt)),
        TableExtern(var tt) => new TableExtern(Tabletype_ok(C, tt)),
        FuncExtern(_, true) when !C.Features.CustomDescriptors => throw C.Error(Proposal("custom-descriptors", "exact function imports")),
        FuncExtern(var tu, var exact) => Typeuse_ok(C, tu) is var dt && Expand(dt) is FuncType
            ? new FuncExtern(dt, exact) : throw C.Error("type mismatch: function import of a non-function type"),
        _ => throw C.Error("unknown external type"),
    };

    // ---- Rectype_ok, Subtype_ok: a group already rolled into C.TYPES[x0 ..] ----

    /// <summary>Rectype_ok/empty, Rectype_ok/cons: the group's subtypes, each checked with Subtype_ok at its own index.
    /// (Rectype_ok2/empty, Rectype_ok2/cons and Subtype_ok2 type groups with REC i uses, which closing has already replaced; Typeuse_ok/rec likewise.)
    /// Every subtype's own well-formedness (Desctype_ok) is checked before any supertype is matched, as the proposal's interpreter does.</summary>
    public static void Rectype_ok(Context C, RecType syntactic, int x0)
    {
        for (var i = 0; i < syntactic.Subs.Length; i++) Desctype_ok(C, syntactic.Subs[i]);
        // Supertypes are all earlier before any is matched: a descriptor may name a later type of the group, and
        // matching it walks that type's supertype chain, which must not be a cycle.
        for (var i = 0; i < syntactic.Subs.Length; i++) Supertype(C, syntactic.Subs[i], x0 + i);
        for (var i = 0; i < syntactic.Subs.Length; i++) Subtype_ok(C, syntactic.Subs[i], x0 + i);
    }

    /// <summary>
    /// The agreement of describes and descriptor clauses within a syntactic rec group at type index <paramref name="x0"/>
    /// (custom descriptors proposal; the SpecTec rules leave it to a TODO, so this follows the proposal's Overview and
    /// interpreter): both clauses name types of the same group, a descriptor describes the type naming it, that type
    /// names it as its descriptor, and a describes clause refers to an earlier type, which keeps descriptor chains acyclic.
    /// </summary>
    public static void Descriptors_ok(Context C, RecType syntactic, int x0)
    {
        C.Rule = "Rectype_ok";
        var subs = syntactic.Subs;
        int? InGroup(TypeUse u) => u is TypeIdx { Index: var y } && y >= (uint)x0 && y - (uint)x0 < (uint)subs.Length ? (int)(y - (uint)x0) : null;
        bool Names(TypeUse? u, int i) => u is not null && InGroup(u) == i;
        for (var i = 0; i < subs.Length; i++)
        {
            if (subs[i].Describes is { } describes)
            {
                if (InGroup(describes) is not { } j) C.Fail("described type is outside rec group");
                else
                {
                    if (!Names(subs[j].Descriptor, i)) C.Fail("described type is not described by descriptor");
                    if (j >= i) C.Fail("forward use of described type");
                }
            }
            if (subs[i].Descriptor is { } descriptor)
            {
                if (InGroup(descriptor) is not { } j) C.Fail("descriptor type is outside rec group");
                else if (!Names(subs[j].Describes, i)) C.Fail("type is not described by its descriptor");
            }
        }
    }

    // Desctype_ok: the clauses' type uses and the composite type well-formed; clauses only on structs (the proposal's Overview).
    static void Desctype_ok(Context C, SubType st)
    {
        if ((st.Describes is not null || st.Descriptor is not null) && !C.Features.CustomDescriptors)
            C.Fail(Proposal("custom-descriptors", "describes and descriptor clauses"));
        C.Rule = "Desctype_ok";
        if (st.Comp is not StructType)
        {
            if (st.Descriptor is not null) C.Fail("descriptor type must be a struct");
            if (st.Describes is not null) C.Fail("described type must be a struct");
        }
        Comptype_ok(C, st.Comp);
    }

    // Subtype_ok: at most one supertype, defined before this type, not final, and whose desctype this one matches (Desctype_sub).
    static void Subtype_ok(Context C, SubType st, int x0)
    {
        if (Supertype(C, st, x0) is not { } x) return;
        var superSub = Unroll(C.Types[(int)x]);
        if (superSub.Final) C.Fail($"sub type {x0} does not match super type {x}: super type is final");
        Desctype_sub(C, Unroll(C.Types[x0]), superSub, x0, x);
    }

    /// <summary>Subtype_ok's premises on the declared supertype: at most one, and defined before type <paramref name="x0"/>.</summary>
    static uint? Supertype(Context C, SubType st, int x0)
    {
        C.Rule = "Subtype_ok";
        if (st.Supers.Length > 1) C.Fail("sub type: multiple supertypes");
        if (st.Supers.Length == 0) return null;
        var x = st.Supers[0] is TypeIdx { Index: var i } ? i : throw C.Error("unknown type");
        if (x >= (uint)x0) C.Fail($"sub type: forward use of type {x} in sub type definition");
        return x;
    }

    // Desctype_sub: describes and descriptor clauses present on both or neither (a subtype may add a descriptor its
    // supertype lacks), their types matching, then Comptype_sub. The SpecTec rule is still a TODO; this follows the Overview.
    static void Desctype_sub(Context C, SubType sub, SubType super, int x0, uint x)
    {
        C.Rule = "Desctype_sub";
        var mismatch = $"sub type {x0} does not match super type {x}";
        switch (sub.Describes, super.Describes)
        {
            case (DefType d1, DefType d2):
                if (!Subtyping.Deftype_sub(d1, d2)) C.Fail($"described type {IndexOf(C, d1)} does not match {IndexOf(C, d2)}");
                break;
            case (null, null): break;
            default: C.Fail(mismatch); break;
        }
        switch (sub.Descriptor, super.Descriptor)
        {
            case (DefType d1, DefType d2):
                if (!Subtyping.Deftype_sub(d1, d2)) C.Fail($"descriptor type {IndexOf(C, d1)} does not match {IndexOf(C, d2)}");
                break;
            case (null, not null): C.Fail(mismatch); break;
        }
        C.Rule = "Subtype_ok";
        if (!Subtyping.Comptype_sub(sub.Comp, super.Comp)) C.Fail(mismatch);
    }

    /// <summary>The type index of a deftype of C, for messages.</summary>
    static string IndexOf(Context C, DefType dt)
    {
        for (var i = C.Types.Count - 1; i >= 0; i--) if (Same(C.Types[i], dt)) return i.ToString();
        return dt.ToString();
    }

    // Comptype_ok/struct, Comptype_ok/array, Comptype_ok/func, with Fieldtype_ok, Storagetype_ok/val and
    // Storagetype_ok/pack (Packtype_ok): every type index in it names a type.
    static void Comptype_ok(Context C, CompType ct)
    {
        void Storage(StorageType zt) { if (zt is ValType t) Valtype_ok(C, t); }
        switch (ct)
        {
            case StructType s: foreach (var f in s.Fields) Storage(f.Type); break;
            case ArrayType a: Storage(a.Field.Type); break;
            case FuncType f: Resulttype_ok(C, f.Params); Resulttype_ok(C, f.Results); break;
        }
    }

    // ---- Defaultable: $default_(t) =/= eps ----

    public static bool Defaultable(ValType t) => t switch
    {
        NumValType or VecValType => true,
        RefType rt => rt.Null,
        _ => false,
    };

    /// <summary>$unpack(zt): packed types are read as i32.</summary>
    public static ValType Unpack(StorageType zt) => zt as ValType ?? ValType.I32;

    // ---- Substitution over the type grammar, sharing every part it does not change ----

    public static SubType Map(SubType st, Func<TypeUse, TypeUse> f)
    {
        var supers = MapAll(st.Supers, f, static (u, f) => f(u));
        var comp = Map(st.Comp, f);
        var describes = st.Describes is { } d ? f(d) : null;
        var descriptor = st.Descriptor is { } e ? f(e) : null;
        return supers == st.Supers && ReferenceEquals(comp, st.Comp) && ReferenceEquals(describes, st.Describes)
            && ReferenceEquals(descriptor, st.Descriptor)
            ? st : new SubType(st.Final, supers, comp, describes, descriptor);
    }

    public static CompType Map(CompType ct, Func<TypeUse, TypeUse> f)
    {
        switch (ct)
        {
            case StructType s:
                var fields = MapAll(s.Fields, f, Map);
                return fields == s.Fields ? s : new StructType(fields);
            case ArrayType a:
                var field = Map(a.Field, f);
                return ReferenceEquals(field, a.Field) ? a : new ArrayType(field);
            case FuncType fn:
                var ps = MapAll(fn.Params, f, Map);
                var rs = MapAll(fn.Results, f, Map);
                return ps == fn.Params && rs == fn.Results ? fn : new FuncType(ps, rs);
            default: return ct;
        }
    }

    static FieldType Map(FieldType ft, Func<TypeUse, TypeUse> f)
    {
        var zt = ft.Type is ValType t ? Map(t, f) : ft.Type;
        return ReferenceEquals(zt, ft.Type) ? ft : new FieldType(ft.Mut, zt);
    }

    public static ValType Map(ValType t, Func<TypeUse, TypeUse> f)
    {
        switch (t)
        {
            case RefType { Heap: TypeUse u } rt:
                var v = f(u);
                return ReferenceEquals(u, v) ? t : new RefType(rt.Null, v);
            case RefType { Heap: ExactHeap(var u) } rt:
                var w = f(u);
                return ReferenceEquals(u, w) ? t : new RefType(rt.Null, new ExactHeap(w));
            default: return t;
        }
    }

    static ImmutableArray<T> MapAll<T>(ImmutableArray<T> xs, Func<TypeUse, TypeUse> f, Func<T, Func<TypeUse, TypeUse>, T> g) where T : class
    {
        xs = xs.OrEmpty();
        T[]? ys = null;
        for (var i = 0; i < xs.Length; i++)
        {
            var y = g(xs[i], f);
            if (ys is null && !ReferenceEquals(y, xs[i])) { ys = new T[xs.Length]; for (var j = 0; j < i; j++) ys[j] = xs[j]; }
            if (ys is not null) ys[i] = y;
        }
        return ys is null ? xs : ImmutableArray.Create(ys);
    }
}

/// <summary>
/// Structural equality of rolled rec groups in which every free type use is a canonical deftype: those compare by
/// identity, so hashing and comparing a group costs its own size only, never the size of the types it mentions.
/// </summary>
internal sealed class RecTypeShape : IEqualityComparer<RecType>
{
    public static readonly RecTypeShape Instance = new();

    public bool Equals(RecType? a, RecType? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Subs.Length != b.Subs.Length) return false;
        for (var i = 0; i < a.Subs.Length; i++) if (!Eq(a.Subs[i], b.Subs[i])) return false;
        return true;
    }

    static bool Eq(SubType a, SubType b)
    {
        if (a.Final != b.Final || a.Supers.Length != b.Supers.Length) return false;
        for (var i = 0; i < a.Supers.Length; i++) if (!Eq(a.Supers[i], b.Supers[i])) return false;
        // The describes and descriptor clauses are part of a type's identity (custom descriptors proposal).
        if (!Eq(a.Describes, b.Describes) || !Eq(a.Descriptor, b.Descriptor)) return false;
        return (a.Comp, b.Comp) switch
        {
            (StructType s, StructType t) => s.Fields.Length == t.Fields.Length && All(s.Fields, t.Fields, Eq),
            (ArrayType s, ArrayType t) => Eq(s.Field, t.Field),
            (FuncType s, FuncType t) => s.Params.Length == t.Params.Length && s.Results.Length == t.Results.Length
                && All(s.Params, t.Params, Eq) && All(s.Results, t.Results, Eq),
            _ => false,
        };
    }

    static bool All<T>(ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, bool> eq)
    {
        for (var i = 0; i < a.Length; i++) if (!eq(a[i], b[i])) return false;
        return true;
    }

    static bool Eq(FieldType a, FieldType b) => a.Mut == b.Mut && Eq(a.Type, b.Type);

    static bool Eq(StorageType a, StorageType b) => (a, b) switch
    {
        (RefType r, RefType s) => r.Null == s.Null && Eq(r.Heap, s.Heap),
        _ => a.Equals(b),
    };

    static bool Eq(HeapType? a, HeapType? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (DefType d, DefType e) => d.Index == e.Index && ReferenceEquals(d.Rec, e.Rec),
        (ExactHeap(var d), ExactHeap(var e)) => Eq(d, e),
        _ => a.Equals(b),
    };

    public int GetHashCode(RecType r)
    {
        var h = new HashCode();
        foreach (var s in r.Subs)
        {
            h.Add(s.Final);
            foreach (var u in s.Supers) h.Add(Hash(u));
            if (s.Describes is { } d) h.Add(Hash(d));
            if (s.Descriptor is { } e) h.Add(~Hash(e));
            switch (s.Comp)
            {
                case StructType st: h.Add(1); foreach (var f in st.Fields) h.Add(Hash(f)); break;
                case ArrayType at: h.Add(2); h.Add(Hash(at.Field)); break;
                case FuncType ft:
                    h.Add(3); h.Add(ft.Params.Length);
                    foreach (var t in ft.Params) h.Add(Hash(t));
                    foreach (var t in ft.Results) h.Add(Hash(t));
                    break;
            }
        }
        return h.ToHashCode();
    }

    static int Hash(FieldType f) => HashCode.Combine(f.Mut, Hash(f.Type));

    static int Hash(StorageType t) => t is RefType r ? HashCode.Combine(r.Null, Hash(r.Heap)) : t.GetHashCode();

    static int Hash(HeapType h) => h switch
    {
        DefType d => HashCode.Combine(RuntimeHelpers.GetHashCode(d.Rec), d.Index),
        ExactHeap(var u) => HashCode.Combine(7, Hash(u)),
        _ => h.GetHashCode(),
    };
}
